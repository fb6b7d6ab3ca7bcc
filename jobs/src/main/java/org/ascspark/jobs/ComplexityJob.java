package org.ascspark.jobs;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.training.complexity.ComplexityReport;
import org.ascspark.training.evaluate.EvaluateConfig;
import org.ascspark.training.models.ModelSpec;
import org.ascspark.training.models.Models;
import org.ascspark.training.train.ModelInfo;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * {@code ./asc complexity}: parameters, non-zero parameters, MACs and sizes with BatchNorm folded,
 * checked against the DCASE 2021 and 2022+ rules, for a trained model or an architecture by name.
 * No Spark.
 */
public final class ComplexityJob implements Command {

  /** @param args config overrides, e.g. {@code name=sp4asc bins=256} */
  public static void main(String[] args) {
    System.exit(Asc.execute(new ComplexityJob(), args));
  }

  @Override
  public String name() {
    return "complexity";
  }

  @Override
  public String summary() {
    return "model size, MACs and DCASE rule checks for a trained model or an architecture";
  }

  @Override
  public String section() {
    return "complexity";
  }

  @Override
  public int run(JobConfig config) throws Exception {
    ConfigReader r = config.reader();
    String model = r.stringOrEmpty("model");
    double clipSeconds = r.doubleAbove("clip-s", 0, 3600);
    String out = r.stringOrEmpty("out");
    List<ComplexityReport> reports = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    if (!model.isEmpty()) {
      File zip = new File(EvaluateConfig.resolveModel(model, r.key("model")));
      ModelInfo info = ModelInfo.readFrom(zip);
      ComputationGraph net = ModelSerializer.restoreComputationGraph(zip, false);
      double inputSeconds = info.cropFrames() / info.framesPerSecond();
      reports.add(ComplexityReport.analyze(net, inputSeconds, Math.max(clipSeconds, inputSeconds),
          InputType.convolutional(info.bins(), info.cropFrames(), info.channels())));
      titles.add(zip + ": " + info.model() + " width " + info.width() + ", input " + info.channels()
          + " x " + info.bins() + " x " + info.cropFrames());
    } else {
      String name = r.string("name");
      List<String> names = name.equals("all") ? Models.names() : List.of(name);
      if (!name.equals("all") && !Models.names().contains(name)) {
        throw new InvalidConfigException(r.key("name"), "unknown model '" + name + "'; known: "
            + Models.names() + " or all");
      }
      int channels = r.intIn("channels", 1, 64);
      int bins = r.intIn("bins", 1, 10_000);
      int frames = r.intIn("frames", 1, 1_000_000);
      double inputSeconds = r.doubleAbove("input-s", 0, 3600);
      int classes = r.intIn("classes", 2, 10_000);
      double width = r.doubleAbove("width", 0, 64);
      for (String n : names) {
        ComputationGraph net;
        try {
          net = Models.create(ModelSpec.of(n, channels, bins, frames, classes, width, 1L));
        } catch (IllegalArgumentException e) {
          throw new InvalidConfigException(r.key("name"), n + " cannot take input " + channels + " x "
              + bins + " x " + frames + ": " + e.getMessage());
        }
        reports.add(ComplexityReport.analyze(net, inputSeconds, Math.max(clipSeconds, inputSeconds),
            InputType.convolutional(bins, frames, channels)));
        titles.add(n + " width " + width + ", input " + channels + " x " + bins + " x " + frames
            + String.format(Locale.ROOT, " (%.2f s)", inputSeconds));
      }
    }
    for (int i = 0; i < reports.size(); i++) {
      System.out.println("== " + titles.get(i));
      System.out.println(reports.get(i).toText());
    }
    if (!out.isEmpty()) {
      Path p = Path.of(out);
      if (p.getParent() != null) {
        Files.createDirectories(p.getParent());
      }
      StringBuilder json = new StringBuilder(reports.size() == 1 ? "" : "[\n");
      for (int i = 0; i < reports.size(); i++) {
        json.append(reports.get(i).toJson().strip()).append(i + 1 < reports.size() ? ",\n" : "\n");
      }
      if (reports.size() > 1) {
        json.append("]\n");
      }
      Files.writeString(p, json.toString(), StandardCharsets.UTF_8);
      System.out.println("complexity: wrote " + p);
    }
    return 0;
  }
}
