package org.ascspark.training.flow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ascspark.training.report.HtmlReport;

/**
 * The results table of an ablation: one row per augmentation set, with accuracy (micro and macro)
 * over all clips and per device group, log loss, the changes against the reference set, and the
 * parameters; written as {@code results.csv}, {@code results.md} and {@code results.html} (the table
 * and two bar charts as inline SVG).
 */
public final class AblationTable {
  /** CSV file name. */
  public static final String CSV = "results.csv";
  /** Markdown file name. */
  public static final String MARKDOWN = "results.md";
  /** HTML file name. */
  public static final String HTML = "results.html";

  private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"};

  private AblationTable() {}

  /**
   * The written files.
   *
   * @param csv the CSV
   * @param markdown the Markdown table
   * @param html the HTML page
   */
  public record Files(Path csv, Path markdown, Path html) {}

  /** One column: header and the value of a row. */
  private record Column(String header, java.util.function.Function<Ablation.Row, Double> value, boolean percent,
      boolean signed) {}

  /**
   * Writes the three files.
   *
   * @param dir output folder
   * @param cfg the ablation settings (reference set)
   * @param rows the rows, in order
   * @return the files
   * @throws IOException when a file cannot be written
   */
  public static Files write(Path dir, AblationConfig cfg, List<Ablation.Row> rows) throws IOException {
    Ablation.Row ref = rows.stream().filter(r -> r.set().equals(cfg.reference())).findFirst().orElseThrow();
    List<String> groups = groups(rows);
    List<Column> cols = columns(groups, ref);
    Files files = new Files(dir.resolve(CSV), dir.resolve(MARKDOWN), dir.resolve(HTML));
    writeAtomically(files.csv(), csv(rows, cols));
    writeAtomically(files.markdown(), markdown(cfg, rows, cols));
    writeAtomically(files.html(), html(cfg, rows, cols, groups, ref));
    return files;
  }

  private static List<String> groups(List<Ablation.Row> rows) {
    Set<String> g = new LinkedHashSet<>();
    rows.forEach(r -> g.addAll(r.groups().keySet()));
    return new ArrayList<>(g);
  }

  private static double group(Ablation.Row r, String g, boolean macro) {
    Ablation.GroupScore s = r.groups().get(g);
    return s == null ? Double.NaN : macro ? s.macroAccuracy() : s.accuracy();
  }

  private static List<Column> columns(List<String> groups, Ablation.Row ref) {
    List<Column> c = new ArrayList<>();
    c.add(new Column("accuracy", Ablation.Row::accuracy, true, false));
    c.add(new Column("macro accuracy", Ablation.Row::macroAccuracy, true, false));
    for (String g : groups) {
      c.add(new Column(g + " accuracy", r -> group(r, g, false), true, false));
      c.add(new Column(g + " macro", r -> group(r, g, true), true, false));
    }
    c.add(new Column("log loss", Ablation.Row::logLoss, false, false));
    c.add(new Column("Δ accuracy vs " + ref.set(), r -> r.accuracy() - ref.accuracy(), true, true));
    for (String g : groups) {
      c.add(new Column("Δ " + g + " vs " + ref.set(), r -> group(r, g, false) - group(ref, g, false), true, true));
    }
    c.add(new Column("Δ log loss vs " + ref.set(), r -> r.logLoss() - ref.logLoss(), false, true));
    c.add(new Column("epochs", r -> (double) r.epochs(), false, false));
    c.add(new Column("parameters", r -> (double) r.parameters(), false, false));
    return c;
  }

  private static String format(Column c, double v, boolean forCsv) {
    if (Double.isNaN(v)) {
      return forCsv ? "" : "–";
    }
    if (c.header().equals("parameters") || c.header().equals("epochs")) {
      return forCsv ? String.valueOf((long) v) : String.format(Locale.ROOT, "%,d", (long) v);
    }
    if (forCsv) {
      return String.format(Locale.ROOT, "%.6f", v);
    }
    String f = c.percent() ? String.format(Locale.ROOT, c.signed() ? "%+.1f" : "%.1f", 100 * v)
        : String.format(Locale.ROOT, c.signed() ? "%+.3f" : "%.3f", v);
    return c.percent() && !c.signed() ? f + "%" : f;
  }

  private static String csv(List<Ablation.Row> rows, List<Column> cols) {
    StringBuilder sb = new StringBuilder("set,augmentations,chains,clips");
    for (Column c : cols) {
      // CSV headers: the same names, machine-friendly (percent columns hold fractions)
      sb.append(',').append(c.header().replace("Δ", "delta").replace(' ', '_'));
    }
    sb.append(",run\n");
    for (Ablation.Row r : rows) {
      sb.append(quote(r.set())).append(',').append(quote(String.join("+", r.members()))).append(',')
          .append(quote(r.chains())).append(',').append(r.clips());
      for (Column c : cols) {
        sb.append(',').append(format(c, c.value().apply(r), true));
      }
      sb.append(',').append(quote(r.run())).append('\n');
    }
    return sb.toString();
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static String markdown(AblationConfig cfg, List<Ablation.Row> rows, List<Column> cols) {
    StringBuilder sb = new StringBuilder("# Augmentation ablation\n\n");
    sb.append(rows.size()).append(" augmentation sets, each trained and evaluated (").append(cfg.checkpoint())
        .append(" model); changes are against '").append(cfg.reference()).append("'. Accuracy in %.\n\n");
    sb.append("| set | chains |");
    for (Column c : cols) {
      sb.append(' ').append(c.header()).append(" |");
    }
    sb.append("\n|---|---|");
    cols.forEach(c -> sb.append("---:|"));
    sb.append('\n');
    for (Ablation.Row r : rows) {
      sb.append("| ").append(r.set()).append(" | `").append(r.chains()).append("` |");
      for (Column c : cols) {
        sb.append(' ').append(format(c, c.value().apply(r), false)).append(" |");
      }
      sb.append('\n');
    }
    sb.append("\nRuns: ").append(Path.of(cfg.work()).resolve("runs")).append("/<set>-<hash> (").append(
        rows.get(0).clips()).append(" clips evaluated per run).\n");
    return sb.toString();
  }

  private static String html(AblationConfig cfg, List<Ablation.Row> rows, List<Column> cols, List<String> groups,
      Ablation.Row ref) {
    StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    sb.append("<title>Augmentation ablation</title>\n<style>\n").append(HtmlReport.CSS)
        .append("svg{display:block;margin:.5em 0 1.5em}</style>\n</head>\n<body>\n<main>\n");
    sb.append("<h1>Augmentation ablation</h1>\n<p class=\"muted\">").append(rows.size())
        .append(" augmentation sets, each trained and evaluated (").append(HtmlReport.escape(cfg.checkpoint()))
        .append(" model, ").append(rows.get(0).clips()).append(" clips); changes are against '")
        .append(HtmlReport.escape(ref.set())).append("'.</p>\n");
    List<String> series = new ArrayList<>(List.of("all devices"));
    series.addAll(groups);
    sb.append("<h2>Accuracy per device group</h2>\n");
    sb.append(barChart("accuracy-chart", rows, series, (r, s) -> s.equals("all devices") ? r.accuracy()
        : group(r, s, false), false));
    sb.append("<h2>Change against ").append(HtmlReport.escape(ref.set())).append("</h2>\n");
    sb.append(barChart("delta-chart", rows, series, (r, s) -> s.equals("all devices")
        ? r.accuracy() - ref.accuracy() : group(r, s, false) - group(ref, s, false), true));
    sb.append("<h2>Results</h2>\n<div style=\"overflow-x:auto\">\n<table id=\"results\">\n<thead><tr><th>set</th><th>chains</th>");
    for (Column c : cols) {
      sb.append("<th class=\"num\">").append(HtmlReport.escape(c.header())).append("</th>");
    }
    sb.append("</tr></thead>\n<tbody>\n");
    for (Ablation.Row r : rows) {
      sb.append("<tr><td>").append(HtmlReport.escape(r.set())).append("</td><td><code>")
          .append(HtmlReport.escape(r.chains())).append("</code></td>");
      for (Column c : cols) {
        sb.append("<td class=\"num\">").append(HtmlReport.escape(format(c, c.value().apply(r), false)))
            .append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</tbody>\n</table>\n</div>\n</main>\n</body>\n</html>\n");
    return sb.toString();
  }

  /** Grouped vertical bars: one group of bars per set, one bar per series; values are fractions. */
  private static String barChart(String id, List<Ablation.Row> rows, List<String> series,
      java.util.function.BiFunction<Ablation.Row, String, Double> value, boolean signed) {
    double max = 0;
    double min = 0;
    for (Ablation.Row r : rows) {
      for (String s : series) {
        double v = value.apply(r, s);
        if (!Double.isNaN(v)) {
          max = Math.max(max, v);
          min = Math.min(min, v);
        }
      }
    }
    if (!signed) {
      max = Math.max(max, 1e-9);
      max = Math.min(1, Math.ceil(max * 10) / 10);
    } else {
      double m = Math.max(Math.max(Math.abs(max), Math.abs(min)), 0.01);
      max = Math.ceil(m * 100) / 100;
      min = -max;
    }
    int left = 60;
    int top = 30;
    int plotH = 220;
    int groupW = Math.max(60, series.size() * 16 + 20);
    int width = left + rows.size() * groupW + 20;
    int height = top + plotH + 70;
    final double hi = max;
    final double span = max - min;
    java.util.function.DoubleUnaryOperator y = v -> top + (hi - v) / span * plotH;
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
        + " height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", id, width, height,
        width, height));
    for (int i = 0; i <= 4; i++) {
      double v = min + span * i / 4;
      double yy = y.applyAsDouble(v);
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#666\">%s</text>%n", left, width - 10, yy, yy,
          Math.abs(v) < 1e-12 ? "#444" : "#e3e3e3", left - 6, yy + 4,
          String.format(Locale.ROOT, signed ? "%+.1f" : "%.0f%%", 100 * v)));
    }
    double zero = y.applyAsDouble(Math.max(min, 0));
    for (int i = 0; i < rows.size(); i++) {
      Ablation.Row r = rows.get(i);
      int gx = left + i * groupW + 10;
      for (int k = 0; k < series.size(); k++) {
        double v = value.apply(r, series.get(k));
        if (Double.isNaN(v)) {
          continue;
        }
        double yy = y.applyAsDouble(v);
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"%.1f\" fill=\"%s\">"
            + "<title>%s, %s: %s</title></rect>%n", gx + k * 16, Math.min(yy, zero), Math.abs(zero - yy),
            COLOURS[k % COLOURS.length], HtmlReport.escape(r.set()), HtmlReport.escape(series.get(k)),
            String.format(Locale.ROOT, signed ? "%+.1f points" : "%.1f%%", 100 * v)));
      }
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
          gx + series.size() * 8, top + plotH + 16, HtmlReport.escape(r.set())));
    }
    int lx = left;
    for (int k = 0; k < series.size(); k++) {
      sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\">%s</text>%n", lx, top + plotH + 36, COLOURS[k % COLOURS.length], lx + 14,
          top + plotH + 45, HtmlReport.escape(series.get(k))));
      lx += 24 + 7 * series.get(k).length();
    }
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" fill=\"#444\">%s</text>%n", left,
        signed ? "change in accuracy (points)" : "accuracy"));
    sb.append("</svg>\n");
    return sb.toString();
  }

  private static void writeAtomically(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    java.nio.file.Files.writeString(tmp, text, StandardCharsets.UTF_8);
    java.nio.file.Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
