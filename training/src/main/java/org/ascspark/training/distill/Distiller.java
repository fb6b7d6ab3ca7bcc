package org.ascspark.training.distill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.training.complexity.ComplexityReport;
import org.ascspark.training.data.Example;
import org.ascspark.training.data.Examples;
import org.ascspark.training.data.FeatureSet;
import org.ascspark.training.eval.Metrics;
import org.ascspark.training.eval.MetricsResult;
import org.ascspark.training.eval.Prediction;
import org.ascspark.training.infer.Inference;
import org.ascspark.training.train.ModelInfo;
import org.ascspark.training.train.Trainer;
import org.ascspark.training.train.TrainingException;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distill job's logic (SPEC.md §6): a student trained from teacher outputs ({@link Trainer} with
 * a {@link Distillation}), optionally the same student trained without distillation (same
 * {@code train} settings and seed: the run {@code ./asc train} would make, reused when it already
 * exists), and a side-by-side report of teachers, distilled student and plain student on the
 * validation split: {@code distill-report.json} and {@code distill-report.md} in the student's run
 * folder. Students are reported at their last epoch (no selection on the evaluated split), at
 * their best validation epoch and, with {@code train.swa-epochs}, as their weight average.
 */
public final class Distiller {
  private static final Logger LOG = LoggerFactory.getLogger(Distiller.class);

  /**
   * One model of the report.
   *
   * @param role teacher, student (KD), student (no KD), each last or best epoch
   * @param path the model zip
   * @param model architecture and width
   * @param parameters parameters with BatchNorm folded
   * @param macsPer1s MACs per second of audio
   * @param sizeKbInt8 non-zero parameters at 8 bits, KB
   * @param passesDcase2022 whether it passes the DCASE 2022+ limits
   * @param metrics metrics on the validation split
   */
  public record Entry(String role, String path, String model, long parameters, double macsPer1s,
      double sizeKbInt8, boolean passesDcase2022, MetricsResult metrics) {}

  /**
   * What a run produced.
   *
   * @param runDir the student's run folder
   * @param student the distilled student's training result
   * @param baseline the plain student's training result, or null
   * @param entries the report's rows
   */
  public record Result(Path runDir, Trainer.Result student, Trainer.Result baseline, List<Entry> entries) {
    /** @return the entry with this role, or null */
    public Entry entry(String role) {
      return entries.stream().filter(e -> e.role().equals(role)).findFirst().orElse(null);
    }
  }

  /** Role names of the report. */
  public static final String STUDENT_LAST = "student (KD), last epoch";
  public static final String STUDENT_BEST = "student (KD), best epoch";
  public static final String PLAIN_LAST = "student (no KD), last epoch";
  public static final String PLAIN_BEST = "student (no KD), best epoch";
  public static final String STUDENT_SWA = "student (KD), SWA";
  public static final String PLAIN_SWA = "student (no KD), SWA";

  private Distiller() {}

  /**
   * Runs the job.
   *
   * @param spark the session
   * @param cfg settings
   * @param job the job config
   * @return the result
   * @throws IOException when outputs cannot be written
   * @throws TrainingException on bad input
   */
  public static Result run(SparkSession spark, DistillConfig cfg, JobConfig job) throws IOException {
    Distillation distillation = Distillation.open(cfg, spark.sparkContext().hadoopConfiguration());
    LOG.info("distill: student {} from {} (loss: ce {}, kl {} at T = {}, cosine {}, mse {}{}) -> {}",
        cfg.student().model(), cfg.teacherOutputs(), cfg.ce(), cfg.kl(), distillation.manifest().temperature(),
        cfg.cosine(), cfg.mse(), cfg.replaceTeacher() ? ", teacher replaced on new best" : "",
        cfg.student().runDir());
    Trainer.Result student = Trainer.run(spark, cfg.student(), job, distillation);
    Trainer.Result plain = null;
    if (cfg.baseline()) {
      LOG.info("distill: the same student without distillation -> {}", cfg.baselineRun().runDir());
      plain = Trainer.run(spark, cfg.baselineRun().resuming(), job, null);
    }

    List<String[]> models = new ArrayList<>();
    if (cfg.evaluateTeachers()) {
      List<String> teachers = distillation.manifest().teachers();
      for (int i = 0; i < teachers.size(); i++) {
        models.add(new String[] {teachers.size() == 1 ? "teacher" : "teacher " + (i + 1), teachers.get(i)});
      }
    }
    models.add(new String[] {STUDENT_LAST, student.runDir().resolve("last.zip").toString()});
    models.add(new String[] {STUDENT_BEST, student.runDir().resolve("best.zip").toString()});
    if (Files.exists(student.runDir().resolve("swa.zip"))) {
      models.add(new String[] {STUDENT_SWA, student.runDir().resolve("swa.zip").toString()});
    }
    if (plain != null) {
      models.add(new String[] {PLAIN_LAST, plain.runDir().resolve("last.zip").toString()});
      models.add(new String[] {PLAIN_BEST, plain.runDir().resolve("best.zip").toString()});
      if (Files.exists(plain.runDir().resolve("swa.zip"))) {
        models.add(new String[] {PLAIN_SWA, plain.runDir().resolve("swa.zip").toString()});
      }
    }
    List<Entry> entries = evaluate(spark, cfg, models);
    Path runDir = student.runDir();
    writeReport(runDir, cfg, distillation, entries);
    LOG.info("distill: report\n{}", markdown(cfg, distillation, entries));
    return new Result(runDir, student, plain, entries);
  }

  private static List<Entry> evaluate(SparkSession spark, DistillConfig cfg, List<String[]> models)
      throws IOException {
    FeatureSet features = FeatureSet.open(cfg.student().features(), spark.sparkContext().hadoopConfiguration());
    String split = cfg.student().validationSplit();
    List<String> classes = ModelInfo.readFrom(new File(models.get(models.size() - 1)[1])).classes();
    JavaRDD<Example> rows = Examples.read(spark, features, split, true, classes)
        .persist(StorageLevel.MEMORY_AND_DISK());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    try {
      if (rows.isEmpty()) {
        throw new TrainingException("split '" + split + "' of " + features.dir() + " has no rows to compare on");
      }
      double clipSeconds = rows.map(Example::frames).reduce(Math::max) / features.framesPerSecond();
      List<Entry> out = new ArrayList<>();
      for (String[] m : models) {
        File zip = new File(m[1]);
        ModelInfo info = ModelInfo.readFrom(zip);
        if (!info.classes().equals(classes)) {
          throw new TrainingException(m[0] + " " + zip + " has classes " + info.classes() + ", the student "
              + classes);
        }
        ComputationGraph net = ModelSerializer.restoreComputationGraph(zip, false);
        Inference inference = new Inference(info.cropFrames(), 64, null, 0, cfg.student().seed());
        List<Prediction> preds = new ArrayList<>();
        for (Inference.ClipScore c : Inference.perClip(inference.score(jsc, net, rows).collect())) {
          preds.add(c.prediction());
        }
        MetricsResult metrics = Metrics.compute(preds, classes, cfg.deviceGroups());
        double inputSeconds = info.cropFrames() / info.framesPerSecond();
        ComplexityReport cx = ComplexityReport.analyze(net, inputSeconds, Math.max(inputSeconds, clipSeconds),
            InputType.convolutional(info.bins(), info.cropFrames(), info.channels()));
        out.add(new Entry(m[0], zip.getPath(), info.model() + " (width " + info.width() + ")", cx.parameters(),
            cx.rules().macsPer1s(), cx.rules().nonZeroSizeKbInt8(), cx.passesDcase2022(), metrics));
      }
      return out;
    } finally {
      rows.unpersist(false);
    }
  }

  private static void writeReport(Path runDir, DistillConfig cfg, Distillation d, List<Entry> entries)
      throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("teacher_outputs", cfg.teacherOutputs());
    json.put("temperature", d.manifest().temperature());
    Map<String, Object> loss = new LinkedHashMap<>();
    loss.put("ce", cfg.ce());
    loss.put("kl", cfg.kl());
    loss.put("cosine", cfg.cosine());
    loss.put("mse", cfg.mse());
    json.put("loss", loss);
    json.put("replace_teacher", cfg.replaceTeacher());
    json.put("split", cfg.student().validationSplit());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Entry e : entries) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("role", e.role());
      r.put("model_file", e.path());
      r.put("model", e.model());
      r.put("parameters", e.parameters());
      r.put("macs_per_1s", e.macsPer1s());
      r.put("size_kb_int8", e.sizeKbInt8());
      r.put("passes_dcase2022", e.passesDcase2022());
      r.put("accuracy", e.metrics().accuracyMicro());
      r.put("accuracy_macro", e.metrics().accuracyMacro());
      r.put("log_loss", e.metrics().logLoss());
      Map<String, Object> groups = new LinkedHashMap<>();
      e.metrics().groups().forEach((g, m) -> groups.put(g, m.accuracyMicro()));
      r.put("group_accuracy", groups);
      rows.add(r);
    }
    json.put("models", rows);
    Files.writeString(runDir.resolve("distill-report.json"),
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n",
        StandardCharsets.UTF_8);
    Files.writeString(runDir.resolve("distill-report.md"), markdown(cfg, d, entries), StandardCharsets.UTF_8);
  }

  /** @return the report as a Markdown table with a headline */
  static String markdown(DistillConfig cfg, Distillation d, List<Entry> entries) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "# Distillation: %s from %s%n%n", cfg.student().model(),
        cfg.teacherOutputs()));
    sb.append(String.format(Locale.ROOT, "Loss: %.3g x CE + %.3g x T^2 KL (T = %s) + %.3g x cosine + %.3g x MSE%s."
        + " Metrics on split '%s' (clips).%n%n", cfg.ce(), cfg.kl(), d.manifest().temperature(), cfg.cosine(),
        cfg.mse(), cfg.replaceTeacher() ? "; teacher replaced by the student on each new best" : "",
        cfg.student().validationSplit()));
    List<String> groups = entries.isEmpty() ? List.of()
        : new ArrayList<>(entries.get(0).metrics().groups().keySet());
    sb.append("| model | architecture | params | MMACs/1 s | KB int8 | DCASE 22 | accuracy | macro | log loss |");
    for (String g : groups) {
      sb.append(' ').append(g).append(" |");
    }
    sb.append("\n|---|---|---:|---:|---:|---|---:|---:|---:|");
    sb.append("---:|".repeat(groups.size())).append('\n');
    for (Entry e : entries) {
      MetricsResult m = e.metrics();
      sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.2f | %.1f | %s | %.4f | %.4f | %.4f |", e.role(),
          e.model(), e.parameters(), e.macsPer1s() / 1e6, e.sizeKbInt8(), e.passesDcase2022() ? "pass" : "fail",
          m.accuracyMicro(), m.accuracyMacro(), m.logLoss()));
      for (String g : groups) {
        MetricsResult.GroupMetrics gm = m.groups().get(g);
        sb.append(String.format(Locale.ROOT, " %.4f |", gm == null ? Double.NaN : gm.accuracyMicro()));
      }
      sb.append('\n');
    }
    Entry kd = entries.stream().filter(e -> e.role().equals(STUDENT_LAST)).findFirst().orElse(null);
    Entry plain = entries.stream().filter(e -> e.role().equals(PLAIN_LAST)).findFirst().orElse(null);
    if (kd != null && plain != null) {
      double delta = kd.metrics().accuracyMicro() - plain.metrics().accuracyMicro();
      sb.append(String.format(Locale.ROOT, "%nLast epoch: distillation %s accuracy by %.2f points (%.4f vs %.4f"
          + " without KD); log loss %.4f vs %.4f.%n", delta >= 0 ? "raises" : "lowers", Math.abs(delta) * 100,
          kd.metrics().accuracyMicro(), plain.metrics().accuracyMicro(), kd.metrics().logLoss(),
          plain.metrics().logLoss()));
    }
    return sb.toString();
  }
}
