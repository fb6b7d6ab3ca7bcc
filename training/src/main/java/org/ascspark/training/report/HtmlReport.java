package org.ascspark.training.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.ascspark.training.complexity.ComplexityReport;
import org.ascspark.training.complexity.LayerComplexity;
import org.ascspark.training.eval.ComplexityRules;
import org.ascspark.training.eval.MetricsResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation report as one small, self-contained HTML page (SPEC.md §10): inline CSS, no script,
 * images referenced by relative file name so the folder can be moved or served as is.
 *
 * <p>Sections, each with a stable element id for tests and tools: run information
 * ({@code id="run-info"}), headline numbers ({@code id="results"}: accuracy micro and macro, log loss),
 * device-group summary ({@code id="device-groups"}), per-device table ({@code id="devices"}), per-class
 * table ({@code id="classes"}), confusion counts ({@code id="confusion"}), the three plots of
 * {@link Plots} and, when given, the model complexity ({@code id="complexity"},
 * {@code id="complexity-layers"}). Accuracies are shown as percentages with two decimals, log losses
 * (nats) with four; NaN as "n/a". Every text taken from the inputs is HTML-escaped. The page carries no
 * timestamp: the same inputs give the same bytes (put a date in the run information if wanted).
 *
 * <p>Use {@link #builder}, then {@link #write(Path)} to write the PNGs and {@value #FILE_NAME} into a
 * folder, or {@link #render()} for the text alone.
 */
public final class HtmlReport {

    /** File name of the page. */
    public static final String FILE_NAME = "report.html";
    /** File name of the confusion-matrix plot. */
    public static final String CONFUSION_MATRIX_PNG = "confusion_matrix.png";
    /** File name of the per-device accuracy plot. */
    public static final String DEVICE_ACCURACY_PNG = "device_accuracy.png";
    /** File name of the training-curves plot (written only when there is a history). */
    public static final String TRAINING_CURVES_PNG = "training_curves.png";

    private static final Logger LOG = LoggerFactory.getLogger(HtmlReport.class);

    /** The style sheet of the project's HTML pages. */
    public static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#222;\
            background:#fafafa;margin:0}
            main{max-width:1000px;margin:0 auto;padding:24px 32px;background:#fff}
            h1{font-size:1.7em;margin:0 0 .3em}h2{font-size:1.25em;margin:1.6em 0 .5em;\
            border-bottom:2px solid #4e79a7;padding-bottom:.2em}
            table{border-collapse:collapse;margin:.5em 0 1em;font-size:.92em}
            th,td{padding:4px 10px;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}
            th{background:#f0f3f7;font-weight:600}tbody tr:nth-child(even){background:#fafbfc}
            td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
            table.kv th{width:14em}
            .cards{display:flex;gap:16px;flex-wrap:wrap;margin:.5em 0}
            .card{border:1px solid #dde3ea;border-radius:6px;padding:10px 18px;min-width:150px}
            .card .v{font-size:1.6em;font-weight:600;color:#4e79a7}.card .k{color:#666;font-size:.85em}
            img{max-width:100%;height:auto;border:1px solid #e3e3e3;margin:.5em 0}
            .pass{color:#1b7a3a;font-weight:600}.fail{color:#b2182b;font-weight:600}
            .muted{color:#666}details{margin:.5em 0}summary{cursor:pointer;color:#4e79a7}
            td.diag{background:#e8f0f8;font-weight:600}
            """;

    private final String title;
    private final Map<String, String> runInfo;
    private final MetricsResult metrics;
    private final List<EpochRecord> history;
    private final ComplexityReport complexity;
    private final Map<String, ?> complexityMap;

    private HtmlReport(Builder b) {
        this.title = b.title;
        this.runInfo = new LinkedHashMap<>(b.runInfo);
        this.metrics = b.metrics;
        this.history = List.copyOf(b.history);
        this.complexity = b.complexity;
        this.complexityMap = b.complexityMap == null ? null : new LinkedHashMap<>(b.complexityMap);
    }

    /**
     * Starts a report.
     *
     * @param title   page title, e.g. "Evaluation: student-bcresnet-w8"
     * @param metrics the evaluation result
     * @return a builder
     */
    public static Builder builder(String title, MetricsResult metrics) {
        return new Builder(title, metrics);
    }

    /** Collects the optional parts of a {@link HtmlReport}. */
    public static final class Builder {
        private final String title;
        private final MetricsResult metrics;
        private final Map<String, String> runInfo = new LinkedHashMap<>();
        private List<EpochRecord> history = List.of();
        private ComplexityReport complexity;
        private Map<String, ?> complexityMap;

        private Builder(String title, MetricsResult metrics) {
            this.title = Objects.requireNonNull(title, "title");
            this.metrics = Objects.requireNonNull(metrics, "metrics");
        }

        /**
         * @param info key/value pairs shown in the run section in iteration order (model, feature hash,
         *             config path, code version, ...); added to any given before
         * @return this builder
         */
        public Builder runInfo(Map<String, String> info) {
            Objects.requireNonNull(info, "info").forEach((k, v) -> runInfo.put(Objects.requireNonNull(k, "key"),
                    v == null ? "" : v));
            return this;
        }

        /**
         * @param epochs training history; an empty list means no training section
         * @return this builder
         */
        public Builder history(List<EpochRecord> epochs) {
            this.history = List.copyOf(Objects.requireNonNull(epochs, "epochs"));
            return this;
        }

        /**
         * @param report complexity report of the evaluated model (summary, rule verdicts and layer table)
         * @return this builder
         */
        public Builder complexity(ComplexityReport report) {
            this.complexity = Objects.requireNonNull(report, "report");
            this.complexityMap = null;
            return this;
        }

        /**
         * @param values complexity numbers as key/value pairs (e.g. {@code ComplexityRules.Report.toMap()});
         *               nested maps are flattened with dotted keys
         * @return this builder
         */
        public Builder complexity(Map<String, ?> values) {
            this.complexityMap = Objects.requireNonNull(values, "values");
            this.complexity = null;
            return this;
        }

        /** @return the report */
        public HtmlReport build() {
            return new HtmlReport(this);
        }
    }

    /**
     * Writes the plots and the page into a folder: {@value #CONFUSION_MATRIX_PNG},
     * {@value #DEVICE_ACCURACY_PNG}, {@value #TRAINING_CURVES_PNG} (when there is a history) and
     * {@value #FILE_NAME}.
     *
     * @param dir destination folder, created when missing
     * @return the path of the page
     */
    public Path write(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Plots.writeConfusionMatrix(metrics, dir.resolve(CONFUSION_MATRIX_PNG));
        Plots.writeDeviceAccuracy(metrics, dir.resolve(DEVICE_ACCURACY_PNG));
        if (!history.isEmpty()) {
            Plots.writeTrainingCurves(history, dir.resolve(TRAINING_CURVES_PNG));
        }
        Path page = dir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(FILE_NAME + ".tmp");
            try {
                Files.writeString(tmp, render(), StandardCharsets.UTF_8);
                Files.move(tmp, page, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + page, e);
        }
        LOG.info("wrote report {}", page);
        return page;
    }

    /**
     * The page. It references {@value #CONFUSION_MATRIX_PNG} and {@value #DEVICE_ACCURACY_PNG} always and
     * {@value #TRAINING_CURVES_PNG} when there is a history.
     *
     * @return HTML5 text, UTF-8, LF line endings
     */
    public String render() {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>").append(escape(title)).append("</h1>\n");

        if (!runInfo.isEmpty()) {
            h.append("<section>\n<h2>Run</h2>\n<table id=\"run-info\" class=\"kv\">\n<tbody>\n");
            runInfo.forEach((k, v) -> h.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v))
                    .append("</td></tr>\n"));
            h.append("</tbody>\n</table>\n</section>\n");
        }

        results(h);
        groups(h);
        devices(h);
        classes(h);
        confusion(h);
        if (!history.isEmpty()) {
            training(h);
        }
        if (complexity != null) {
            complexityReport(h, complexity);
        } else if (complexityMap != null) {
            complexityValues(h, complexityMap);
        }
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private void results(StringBuilder h) {
        h.append("<section>\n<h2>Results</h2>\n<div class=\"cards\">\n");
        card(h, "accuracy (micro)", pct(metrics.accuracyMicro()));
        card(h, "accuracy (macro)", pct(metrics.accuracyMacro()));
        card(h, "log loss", loss(metrics.logLoss()));
        h.append("</div>\n<table id=\"results\">\n<thead><tr><th>metric</th><th class=\"num\">value</th></tr></thead>\n")
                .append("<tbody>\n");
        row(h, "items", Integer.toString(metrics.numItems()));
        row(h, "classes", Integer.toString(metrics.numClasses()));
        row(h, "accuracy (micro)", pct(metrics.accuracyMicro()));
        row(h, "accuracy (macro, class-averaged)", pct(metrics.accuracyMacro()));
        row(h, "log loss (nats)", loss(metrics.logLoss()));
        row(h, "log loss (class-averaged, nats)", loss(metrics.logLossMacro()));
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void card(StringBuilder h, String key, String value) {
        h.append("<div class=\"card\"><div class=\"v\">").append(escape(value)).append("</div><div class=\"k\">")
                .append(escape(key)).append("</div></div>\n");
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><td>").append(escape(key)).append("</td><td class=\"num\">").append(escape(value))
                .append("</td></tr>\n");
    }

    private void groups(StringBuilder h) {
        h.append("<section>\n<h2>Device groups</h2>\n");
        if (metrics.groups().isEmpty()) {
            h.append("<p class=\"muted\">No device groups were configured.</p>\n</section>\n");
            return;
        }
        h.append("<table id=\"device-groups\">\n<thead><tr><th>group</th><th>devices</th><th class=\"num\">items</th>")
                .append("<th class=\"num\">correct</th><th class=\"num\">accuracy (micro)</th>")
                .append("<th class=\"num\">accuracy (macro)</th><th class=\"num\">log loss</th>")
                .append("<th class=\"num\">log loss (macro)</th></tr></thead>\n<tbody>\n");
        for (MetricsResult.GroupMetrics g : metrics.groups().values()) {
            h.append("<tr><td>").append(escape(g.group())).append("</td><td>")
                    .append(escape(String.join(", ", g.devices()))).append("</td>");
            num(h, Long.toString(g.count()));
            num(h, Long.toString(g.correct()));
            num(h, pct(g.accuracyMicro()));
            num(h, pct(g.accuracyMacro()));
            num(h, loss(g.logLoss()));
            num(h, loss(g.logLossMacro()));
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private void devices(StringBuilder h) {
        Map<String, String> groupOf = new LinkedHashMap<>();
        for (MetricsResult.GroupMetrics g : metrics.groups().values()) {
            for (String d : g.devices()) {
                groupOf.putIfAbsent(d, g.group());
            }
        }
        h.append("<section>\n<h2>Devices</h2>\n");
        img(h, DEVICE_ACCURACY_PNG, "Accuracy per device, bars coloured by device group");
        h.append("<table id=\"devices\">\n<thead><tr><th>device</th><th>group</th><th class=\"num\">items</th>")
                .append("<th class=\"num\">correct</th><th class=\"num\">accuracy</th><th class=\"num\">log loss</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (MetricsResult.DeviceMetrics d : metrics.devices().values()) {
            h.append("<tr><td>").append(escape(d.device())).append("</td><td>")
                    .append(escape(groupOf.getOrDefault(d.device(), ""))).append("</td>");
            num(h, Long.toString(d.count()));
            num(h, Long.toString(d.correct()));
            num(h, pct(d.accuracy()));
            num(h, loss(d.logLoss()));
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private void classes(StringBuilder h) {
        h.append("<section>\n<h2>Classes</h2>\n<table id=\"classes\">\n<thead><tr><th>class</th>")
                .append("<th class=\"num\">items</th><th class=\"num\">correct</th>")
                .append("<th class=\"num\">accuracy</th><th class=\"num\">log loss</th></tr></thead>\n<tbody>\n");
        for (MetricsResult.ClassMetrics c : metrics.classes()) {
            h.append("<tr><td>").append(escape(c.name())).append("</td>");
            num(h, Long.toString(c.count()));
            num(h, Long.toString(c.correct()));
            num(h, pct(c.accuracy()));
            num(h, loss(c.logLoss()));
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private void confusion(StringBuilder h) {
        long[][] cm = metrics.confusion();
        List<String> names = metrics.classNames();
        h.append("<section>\n<h2>Confusion matrix</h2>\n");
        img(h, CONFUSION_MATRIX_PNG, "Confusion matrix: rows true class, columns predicted class");
        h.append("<details>\n<summary>Counts (rows: true class, columns: predicted class)</summary>\n")
                .append("<table id=\"confusion\">\n<thead><tr><th>true \\ predicted</th>");
        for (String n : names) {
            h.append("<th class=\"num\">").append(escape(n)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < cm.length; i++) {
            h.append("<tr><th>").append(escape(names.get(i))).append("</th>");
            for (int j = 0; j < cm[i].length; j++) {
                h.append(i == j ? "<td class=\"num diag\">" : "<td class=\"num\">").append(cm[i][j]).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n</details>\n</section>\n");
    }

    private void training(StringBuilder h) {
        EpochRecord last = history.get(history.size() - 1);
        EpochRecord best = null;
        for (EpochRecord r : history) {
            if (Double.isFinite(r.valAccuracy()) && (best == null || r.valAccuracy() > best.valAccuracy())) {
                best = r;
            }
        }
        h.append("<section>\n<h2>Training</h2>\n");
        img(h, TRAINING_CURVES_PNG, "Training and validation loss, validation accuracy per epoch");
        h.append("<table id=\"training\">\n<thead><tr><th></th><th class=\"num\">epoch</th>")
                .append("<th class=\"num\">train loss</th><th class=\"num\">val loss</th>")
                .append("<th class=\"num\">val accuracy</th><th class=\"num\">learning rate</th>")
                .append("<th class=\"num\">samples/s</th><th class=\"num\">seconds</th></tr></thead>\n<tbody>\n");
        epochRow(h, "last", last);
        if (best != null) {
            epochRow(h, "best", best);
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void epochRow(StringBuilder h, String label, EpochRecord r) {
        h.append("<tr><td>").append(label).append("</td>");
        num(h, Integer.toString(r.epoch()));
        num(h, loss(r.trainLoss()));
        num(h, loss(r.valLoss()));
        num(h, pct(r.valAccuracy()));
        num(h, Double.isFinite(r.learningRate()) ? String.format(Locale.ROOT, "%.3g", r.learningRate()) : "n/a");
        num(h, Double.isFinite(r.samplesPerSecond()) ? String.format(Locale.ROOT, "%.1f", r.samplesPerSecond())
                : "n/a");
        num(h, Double.isFinite(r.seconds()) ? String.format(Locale.ROOT, "%.1f", r.seconds()) : "n/a");
        h.append("</tr>\n");
    }

    private static void complexityReport(StringBuilder h, ComplexityReport c) {
        ComplexityRules.Report r = c.rules();
        ComplexityRules.Input in = r.input();
        h.append("<section id=\"complexity\">\n<h2>Model complexity</h2>\n")
                .append("<p class=\"muted\">BatchNorm folded; KB = 1024 bytes; MACs of convolution and dense ")
                .append("kernels for one input; DCASE 2021 size at stored precision ")
                .append(escape(c.precision())).append(".</p>\n");
        h.append("<table id=\"complexity-summary\" class=\"kv\">\n<tbody>\n");
        kv(h, "input", String.join(", ", c.model().inputShapes()));
        kv(h, "parameters (BN folded)", grouped(in.parameters()));
        kv(h, "non-zero parameters", grouped(in.nonZeroParameters()));
        kv(h, "raw / trainable parameters (DL4J)", grouped(c.model().rawParameters()) + " / "
                + grouped(c.model().trainableParameters()));
        kv(h, "MACs per inference", grouped(in.macsPerInference()) + String.format(Locale.ROOT, " (input %.3g s)",
                in.inputSeconds()));
        kv(h, "MACs per 1 s", String.format(Locale.ROOT, "%.3f M", r.macsPer1s() / 1e6));
        kv(h, "MACs per clip", String.format(Locale.ROOT, "%.3f M (clip %.3g s)", r.macsPerClip() / 1e6,
                in.clipSeconds()));
        kv(h, "size fp32 / fp16 / int8", String.format(Locale.ROOT, "%.2f / %.2f / %.2f KB", r.sizeKbFp32(),
                r.sizeKbFp16(), r.sizeKbInt8()));
        kv(h, "non-zero size at " + c.precision(), String.format(Locale.ROOT, "%.2f KB", r.nonZeroSizeKbStored()));
        for (ComplexityRules.RuleCheck rc : c.checks()) {
            h.append("<tr><th>").append(escape(rc.rule())).append("</th><td><span class=\"")
                    .append(rc.pass() ? "pass\">PASS" : "fail\">FAIL").append("</span>");
            if (!rc.pass()) {
                h.append(" ").append(escape(rc.reason()));
            }
            h.append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        h.append("<details>\n<summary>Per layer</summary>\n<table id=\"complexity-layers\">\n<thead><tr>")
                .append("<th>layer</th><th>type</th><th>output</th><th class=\"num\">raw params</th>")
                .append("<th class=\"num\">params</th><th class=\"num\">non-zero</th><th class=\"num\">MACs</th>")
                .append("<th>note</th></tr></thead>\n<tbody>\n");
        for (LayerComplexity l : c.model().layers()) {
            h.append("<tr><td>").append(escape(l.name())).append("</td><td>").append(escape(l.type()))
                    .append("</td><td>").append(escape(l.outputShape())).append("</td>");
            num(h, grouped(l.rawParameters()));
            num(h, grouped(l.parameters()));
            num(h, grouped(l.nonZeroParameters()));
            num(h, grouped(l.macs()));
            h.append("<td>").append(escape(l.note())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</details>\n</section>\n");
    }

    private static void complexityValues(StringBuilder h, Map<String, ?> values) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", values, flat);
        h.append("<section id=\"complexity\">\n<h2>Model complexity</h2>\n")
                .append("<table id=\"complexity-summary\" class=\"kv\">\n<tbody>\n");
        flat.forEach((k, v) -> kv(h, k, v));
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void flatten(String prefix, Map<?, ?> m, Map<String, String> out) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> sub) {
                flatten(key, sub, out);
            } else if (v instanceof List<?> list) {
                List<String> parts = new ArrayList<>();
                for (Object o : list) {
                    parts.add(String.valueOf(o));
                }
                out.put(key, String.join(", ", parts));
            } else if (v instanceof Double d) {
                out.put(key, Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15
                        ? String.format(Locale.ROOT, "%.1f", d) : String.format(Locale.ROOT, "%.6g", d));
            } else {
                out.put(key, String.valueOf(v));
            }
        }
    }

    private static void kv(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v)).append("</td></tr>\n");
    }

    private static void num(StringBuilder h, String v) {
        h.append("<td class=\"num\">").append(escape(v)).append("</td>");
    }

    private static void img(StringBuilder h, String file, String alt) {
        h.append("<img src=\"").append(escape(file)).append("\" alt=\"").append(escape(alt)).append("\" width=\"")
                .append(Plots.WIDTH).append("\" height=\"").append(Plots.HEIGHT).append("\">\n");
    }

    private static String pct(double fraction) {
        return Plots.pct(fraction);
    }

    private static String loss(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }

    private static String grouped(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /**
     * Escapes text for HTML element content and double- or single-quoted attribute values.
     *
     * @param s any text (null gives "")
     * @return s with {@code & < > " '} replaced by character references
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
