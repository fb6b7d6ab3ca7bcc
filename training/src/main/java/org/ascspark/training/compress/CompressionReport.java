package org.ascspark.training.compress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ascspark.training.complexity.ComplexityReport;
import org.ascspark.training.eval.MetricsResult;

/**
 * {@code compress-report.json} and {@code compress-report.md}: per model (the original first, then
 * each compressed one) its size and compute as SPEC.md §7 counts them (via {@link ComplexityReport}:
 * parameters with BatchNorm folded, non-zero parameters, size at the precision the method stores,
 * MACs, DCASE 2021 and 2022+ checks), its accuracy (micro, macro) and log loss on the evaluation split,
 * the change of each against the original, and the agreement of its predicted classes with the
 * original's.
 *
 * @param header facts about the run (model, features, split, clips, evaluation convention), in order
 * @param rows   the original first, then one per method
 */
public record CompressionReport(Map<String, Object> header, List<Row> rows) {

  /** Name of the original model's row. */
  public static final String ORIGINAL = "original";

  /**
   * One evaluated model.
   *
   * @param method     {@value #ORIGINAL} or a method of {@link CompressConfig#METHODS}
   * @param file       its model zip's name in the output folder ("" for the original: its own path is in
   *                   the header)
   * @param fileBytes  size of that zip on disk (the ModelSerializer container; not the SPEC §7 size)
   * @param complexity its complexity at the precision the method stores
   * @param metrics    metrics on the evaluation split
   * @param agreement  fraction of clips whose predicted class equals the original model's
   * @param details    method-specific facts (folded BNs, quantisation, pruning, fine-tuning losses)
   */
  public record Row(String method, String file, long fileBytes, ComplexityReport complexity, MetricsResult metrics,
      double agreement, Map<String, Object> details) {

    /** @return the size the DCASE 2021 rule measures: non-zero parameters at their stored precision, KB */
    public double sizeKb() {
      return complexity.rules().nonZeroSizeKbStored();
    }
  }

  /** @return the row of a method, or null */
  public Row row(String method) {
    return rows.stream().filter(r -> r.method().equals(method)).findFirst().orElse(null);
  }

  /** @return the plain-value view rendered as JSON */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>(header);
    Row base = rows.get(0);
    List<Object> list = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("method", r.method());
      e.put("file", r.file());
      e.put("file_bytes", r.fileBytes());
      e.put("precision", r.complexity().precision());
      e.put("raw_parameters", r.complexity().model().rawParameters());
      e.put("parameters", r.complexity().parameters());
      e.put("non_zero_parameters", r.complexity().nonZeroParameters());
      e.put("weight_parameters", r.complexity().model().weightParameters());
      e.put("non_zero_weight_parameters", r.complexity().model().nonZeroWeightParameters());
      e.put("size_kb", r.sizeKb());
      e.put("size_kb_change", r.sizeKb() - base.sizeKb());
      e.put("macs_per_inference", r.complexity().macsPerInference());
      e.put("dcase2021_pass", r.complexity().passesDcase2021());
      e.put("dcase2022_pass", r.complexity().passesDcase2022());
      e.put("accuracy", r.metrics().accuracyMicro());
      e.put("accuracy_change", r.metrics().accuracyMicro() - base.metrics().accuracyMicro());
      e.put("accuracy_macro", r.metrics().accuracyMacro());
      e.put("accuracy_macro_change", r.metrics().accuracyMacro() - base.metrics().accuracyMacro());
      e.put("log_loss", r.metrics().logLoss());
      e.put("log_loss_change", r.metrics().logLoss() - base.metrics().logLoss());
      e.put("agreement_with_original", r.agreement());
      Map<String, Object> devices = new LinkedHashMap<>();
      r.metrics().devices().forEach((d, dm) -> devices.put(d, dm.accuracy()));
      e.put("device_accuracy", devices);
      e.put("complexity", r.complexity().rules().toMap());
      e.put("details", r.details());
      list.add(e);
    }
    m.put("models", list);
    return m;
  }

  /** @return the JSON text (two-space indent, LF, snake_case keys in a fixed order) */
  public String toJson() {
    try {
      return new ObjectMapper().writer()
          .with(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")))
          .writeValueAsString(toMap()) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the compression report", e);
    }
  }

  /** @return a Markdown page: the header facts and one table row per model */
  public String toMarkdown() {
    StringBuilder sb = new StringBuilder("# Compression report\n\n");
    for (Map.Entry<String, Object> e : header.entrySet()) {
      sb.append("- ").append(e.getKey().replace('_', ' ')).append(": ").append(e.getValue()).append('\n');
    }
    sb.append("\n| model | stored as | parameters | non-zero | size KB | change | MACs/inference | DCASE 2021"
        + " | DCASE 2022 | accuracy | change | macro | change | log loss | change | agreement |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    Row base = rows.get(0);
    for (Row r : rows) {
      ComplexityReport c = r.complexity();
      MetricsResult mr = r.metrics();
      sb.append(String.format(Locale.ROOT,
          "| %s | %s | %,d | %,d | %.2f | %+.2f | %,d | %s | %s | %.4f | %+.4f | %.4f | %+.4f | %.4f | %+.4f | %.4f |%n",
          r.method(), c.precision(), c.parameters(), c.nonZeroParameters(), r.sizeKb(), r.sizeKb() - base.sizeKb(),
          c.macsPerInference(), c.passesDcase2021() ? "pass" : "fail", c.passesDcase2022() ? "pass" : "fail",
          mr.accuracyMicro(), mr.accuracyMicro() - base.metrics().accuracyMicro(), mr.accuracyMacro(),
          mr.accuracyMacro() - base.metrics().accuracyMacro(), mr.logLoss(), mr.logLoss() - base.metrics().logLoss(),
          r.agreement()));
    }
    sb.append("\nSize KB = non-zero parameters at their stored precision, KB = 1024 bytes (the DCASE 2021"
        + " measure); parameters are counted with BatchNorm folded (SPEC.md §7). int8 accuracy is that of"
        + " simulated quantisation: dequantised weights and fake-quantised activations in float32 compute,"
        + " not an integer kernel.\n");
    for (Row r : rows) {
      if (!r.details().isEmpty()) {
        sb.append("\n## ").append(r.method()).append("\n\n");
        for (Map.Entry<String, Object> e : r.details().entrySet()) {
          sb.append("- ").append(e.getKey().replace('_', ' ')).append(": ").append(brief(e.getValue())).append('\n');
        }
      }
    }
    return sb.toString();
  }

  /** Long lists and maps (per-tensor scales) are summarised in the Markdown page; the JSON has them. */
  private static String brief(Object v) {
    if (v instanceof List<?> l && l.size() > 6) {
      return l.size() + " entries (see " + Compressor.REPORT_JSON + ")";
    }
    if (v instanceof Map<?, ?> m && m.values().stream().allMatch(x -> x instanceof Double)) {
      StringBuilder sb = new StringBuilder();
      m.forEach((k, x) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
          .append(String.format(Locale.ROOT, "%.3f", (Double) x)));
      return sb.toString();
    }
    String s = String.valueOf(v);
    return s.length() > 300 ? s.substring(0, 300) + " ... (see " + Compressor.REPORT_JSON + ")" : s;
  }
}
