package org.ascspark.training.evaluate;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ascspark.training.complexity.ComplexityReport;
import org.ascspark.training.eval.MetricsResult;
import org.ascspark.training.report.EpochRecord;
import org.ascspark.training.report.HtmlReport;
import org.ascspark.training.train.ModelInfo;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** The files an evaluation writes beside its metrics: complexity, plots and the HTML report. */
final class Reports {

  private Reports() {}

  /**
   * The complexity report of a model as trained (input = its crop).
   *
   * @param net the model
   * @param info its description
   * @param clipSeconds length of one evaluation clip
   * @return the report
   */
  static ComplexityReport complexity(ComputationGraph net, ModelInfo info, double clipSeconds) {
    double inputSeconds = info.cropFrames() / info.framesPerSecond();
    return ComplexityReport.analyze(net, inputSeconds, Math.max(clipSeconds, inputSeconds),
        InputType.convolutional(info.bins(), info.cropFrames(), info.channels()));
  }

  /**
   * Writes complexity.json and, for a labelled split, the plots and report.html into a folder.
   *
   * @param dir local folder
   * @param info the model's description
   * @param modelFile the model zip
   * @param cfg the evaluation settings
   * @param metrics the metrics, or null for an unlabelled split
   * @param net the model
   * @param clipSeconds evaluation clip length in seconds
   * @throws IOException on write failure
   */
  static void write(Path dir, ModelInfo info, File modelFile, EvaluateConfig cfg,
      MetricsResult metrics, ComputationGraph net, double clipSeconds) throws IOException {
    ComplexityReport complexity = complexity(net, info, clipSeconds);
    Files.writeString(dir.resolve("complexity.json"), complexity.toJson(), StandardCharsets.UTF_8);
    if (metrics == null) {
      return;
    }
    Map<String, String> run = new LinkedHashMap<>();
    run.put("model file", modelFile.getAbsolutePath());
    run.put("architecture", info.model() + " (width " + info.width() + ")");
    run.put("epochs trained", Integer.toString(info.epoch()));
    run.put("split", cfg.split());
    run.put("feature hash", info.featureHash());
    run.put("input", String.format(Locale.ROOT, "%d x %d x %d frames (%.2f s)", info.channels(),
        info.bins(), info.cropFrames(), info.cropFrames() / info.framesPerSecond()));
    run.put("test-time augmentation", cfg.ttaPasses() == 0 ? "none"
        : cfg.ttaPasses() + " SpecAugment passes");
    HtmlReport.Builder b = HtmlReport.builder("Acoustic scene classification: " + info.model()
        + " on " + cfg.split(), metrics).runInfo(run).complexity(complexity);
    Path history = modelFile.toPath().toAbsolutePath().resolveSibling("history.csv");
    if (Files.exists(history)) {
      List<EpochRecord> h = EpochRecord.readCsv(history);
      if (!h.isEmpty()) {
        b.history(h);
      }
    }
    b.build().write(dir);
  }
}
