package org.ascspark.training.flow;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.features.Features;
import org.ascspark.pipeline.features.FeaturesConfig;
import org.ascspark.training.compress.CompressConfig;
import org.ascspark.training.compress.Compressor;
import org.ascspark.training.distill.DistillConfig;
import org.ascspark.training.distill.Distiller;
import org.ascspark.training.distill.TeacherOutputs;
import org.ascspark.training.distill.TeacherOutputsConfig;
import org.ascspark.training.eval.MetricsResult;
import org.ascspark.training.evaluate.EvaluateConfig;
import org.ascspark.training.evaluate.Evaluator;
import org.ascspark.training.train.TrainConfig;
import org.ascspark.training.train.Trainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./asc preset}: a seed system's recipe end to end. For each branch (front end): features →
 * either teacher → teacher outputs → distilled model, or the model alone; then the final models are
 * evaluated (fused when there are several branches) and compressed. Every stage runs through the
 * same library entry point as its own command, with the preset's section for that command. Run and
 * output folders are named by the hash of their settings (features {@code features/<hash>}, runs
 * {@code runs/<name>[-<branch>][-teacher]-<hash>}, teacher outputs {@code teacher-outputs/<branch>-<hash>}),
 * so stages that already finished with the same settings are reused and changed settings never mix
 * with old outputs.
 */
public final class PresetRun {
  private static final Logger LOG = LoggerFactory.getLogger(PresetRun.class);

  private PresetRun() {}

  /**
   * One branch's outputs.
   *
   * @param branch the branch
   * @param features its features folder
   * @param teacherRun the teacher's run folder, null without a teacher
   * @param run the final model's run folder
   * @param model the final model evaluated and compressed
   */
  public record BranchResult(PresetConfig.Branch branch, String features, Path teacherRun, Path run, Path model) {}

  /**
   * What a preset run produced.
   *
   * @param branches per branch
   * @param evaluation the evaluation of the final model(s)
   * @param compressed compression results per branch model (empty without compression)
   * @param report the run's {@code preset-report.md}
   */
  public record Result(List<BranchResult> branches, Evaluator.Result evaluation, List<Compressor.Result> compressed,
      Path report) {}

  /**
   * Runs the recipe.
   *
   * @param spark the session
   * @param cfg preset settings
   * @param job the preset job's config, holding the preset file's sections
   * @return the outputs
   * @throws IOException when outputs cannot be written
   */
  public static Result run(SparkSession spark, PresetConfig cfg, JobConfig job) throws IOException {
    Path work = Path.of(cfg.work());
    Files.createDirectories(work);
    Files.writeString(work.resolve("preset.conf"), job.render("features", "teacher", "teacher-outputs", "distill",
        "train", "evaluate", "compress"), StandardCharsets.UTF_8);
    int stages = cfg.branches().size() * (cfg.teacher() ? 4 : 2) + 1 + (cfg.compress().isEmpty() ? 0 : 1);
    int[] stage = {0};
    java.util.function.Function<String, String> tag = s -> String.format(Locale.ROOT, "preset %s [%d/%d] %s",
        cfg.name(), ++stage[0], stages, s);

    List<BranchResult> branches = new ArrayList<>();
    for (PresetConfig.Branch b : cfg.branches()) {
      String runBase = cfg.name() + (cfg.branches().size() > 1 ? "-" + b.name() : "");
      JobConfig fj = featuresJob(cfg, job, b);
      FeaturesConfig fc = Ablation.features(fj, spark, "preset.clips");
      LOG.info("{}: {} [{} x {} x frames], augmentation {}, hash {}", tag.apply("features " + b.name()),
          fc.extractor().name(), fc.extractor().channels(), fc.extractor().bins(),
          fc.augment().chains().stream().map(c -> c.name()).toList(), fc.hash());
      Features.run(spark, fc, fj);
      Path teacherRun = null;
      Path run;
      String runs = work.resolve("runs").toString();
      if (cfg.teacher()) {
        JobConfig tj = keyedTrainJob(cfg, List.of(spark(job), section(job, "teacher", "train")), "train", Map.of(
            "train.features", fc.outputDir(), "train.out", runs), runBase + "-teacher");
        TrainConfig tc = TrainConfig.from(tj);
        teacherRun = train(spark, tc, tj, tag.apply("teacher"));
        Path teacherModel = teacherRun.resolve("last.zip");

        Config toSection = section(job, "teacher-outputs", "teacher-outputs");
        Path outputs = work.resolve("teacher-outputs").resolve(b.name() + "-" + JobConfig.sha256(tc.resultHash()
            + "/" + toSection.root().render(com.typesafe.config.ConfigRenderOptions.concise())).substring(0, 8));
        String toTag = tag.apply("teacher outputs");
        if (Files.exists(outputs.resolve("_manifest.json"))) {
          LOG.info("{}: {} exist for this teacher and these settings; reusing them", toTag, outputs);
        } else {
          JobConfig oj = JobConfig.of("teacher-outputs", List.of(spark(job), toSection), Map.of("features",
              fc.outputDir(), "teachers", "[\"" + teacherModel + "\"]", "out", outputs.toString(), "overwrite", "true"));
          TeacherOutputsConfig oc = TeacherOutputsConfig.from(oj);
          LOG.info("{}: soft labels at T = {} -> {}", toTag, oc.temperature(), outputs);
          TeacherOutputs.run(spark, oc, oj);
        }

        Map<String, String> d = new LinkedHashMap<>();
        d.put("teacher-outputs", outputs.toString());
        d.put("train.features", fc.outputDir());
        d.put("train.out", runs);
        if (cfg.initFromTeacher()) {
          d.put("init-from", teacherModel.toString());
        }
        // the student's hash covers its train keys and the distill section, whose teacher-outputs
        // folder is named by the teacher's hash: a changed teacher gives a new student run
        List<Config> layers = List.of(spark(job), section(job, "distill", "distill"), section(job, "train", "train"));
        d.put("train.run-name", "provisional");
        String studentHash = DistillConfig.from(trainJob(cfg, layers, "distill", d)).student().resultHash();
        d.put("train.run-name", runBase + "-" + studentHash.substring(0, 8));
        JobConfig dj = trainJob(cfg, layers, "distill", d);
        DistillConfig dc = DistillConfig.from(dj);
        run = Path.of(dc.student().runDir());
        String dTag = tag.apply("distil");
        if (Trainer.isFinished(dc.student()) && Files.exists(run.resolve("distill-report.json"))) {
          LOG.info("{}: {} already finished; reusing it", dTag, run);
        } else {
          LOG.info("{}: {} (width {}) for {} epochs from the teacher, loss ce {} kl {} cosine {} mse {} -> {}", dTag,
              dc.student().model(), dc.student().width(), dc.student().epochs(), dc.ce(), dc.kl(), dc.cosine(),
              dc.mse(), run);
          Distiller.run(spark, dc, dj);
        }
      } else {
        JobConfig tj = keyedTrainJob(cfg, List.of(spark(job), section(job, "train", "train")), "train", Map.of(
            "train.features", fc.outputDir(), "train.out", runs), runBase);
        run = train(spark, TrainConfig.from(tj), tj, tag.apply("train"));
      }
      Path model = run.resolve(cfg.checkpoint() + ".zip");
      if (!Files.exists(model)) {
        throw new org.ascspark.training.train.TrainingException("preset.checkpoint = " + cfg.checkpoint()
            + " but " + model + " does not exist" + (cfg.checkpoint().equals("swa")
            ? " (the recipe's train.swa-epochs is 0)" : ""));
      }
      branches.add(new BranchResult(b, fc.outputDir(), teacherRun, run, model));
    }

    Map<String, String> e = new LinkedHashMap<>();
    e.put("model", branches.get(0).model().toString());
    List<String> others = branches.subList(1, branches.size()).stream().map(x -> "\"" + x.model() + "\"").toList();
    e.put("fuse-with", "[" + String.join(", ", others) + "]");
    List<Config> evalLayers = List.of(spark(job), section(job, "evaluate", "evaluate"));
    e.put("out", work.resolve("eval-" + JobConfig.of("evaluate", evalLayers, e).config().getString("evaluate.split"))
        .toString());
    JobConfig ej = JobConfig.of("evaluate", evalLayers, e);
    EvaluateConfig ec = EvaluateConfig.from(ej);
    LOG.info("{}: {} split{}", tag.apply("evaluate"), ec.split(), others.isEmpty() ? ""
        : ", " + branches.size() + " models fused (" + ec.fusion() + ")");
    Evaluator.Result er = Evaluator.run(spark, ec, ej);

    List<Compressor.Result> compressed = new ArrayList<>();
    if (!cfg.compress().isEmpty()) {
      String cTag = tag.apply("compress " + cfg.compress());
      for (BranchResult br : branches) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("model", br.model().toString());
        c.put("methods", "[" + String.join(", ", cfg.compress()) + "]");
        c.put("out", br.run().resolve("compressed").toString());
        c.put("overwrite", "true");
        List<Config> layers = List.of(spark(job), section(job, "compress", "compress"));
        JobConfig probe = JobConfig.of("compress", layers, c);
        for (String k : List.of("qat-epochs", "prune-epochs")) {
          int v = probe.config().getInt("compress." + k);
          c.put(k, String.valueOf(v == 0 ? 0 : Math.max(1, (int) Math.round(v * cfg.scaleEpochs()))));
        }
        JobConfig cj = JobConfig.of("compress", layers, c);
        LOG.info("{}: {} -> {}", cTag, br.model(), br.run().resolve("compressed"));
        compressed.add(Compressor.run(spark, CompressConfig.from(cj), cj));
      }
    }
    Path report = work.resolve("preset-report.md");
    Files.writeString(report, report(cfg, branches, er, compressed), StandardCharsets.UTF_8);
    return new Result(branches, er, compressed, report);
  }

  private static Path train(SparkSession spark, TrainConfig tc, JobConfig tj, String tag) throws IOException {
    Path runDir = Path.of(tc.runDir());
    if (Trainer.isFinished(tc)) {
      LOG.info("{}: {} already finished; reusing it", tag, runDir);
    } else {
      LOG.info("{}: {} (width {}) for {} epochs -> {}", tag, tc.model(), tc.width(), tc.epochs(), runDir);
      Trainer.run(spark, tc, tj);
    }
    return runDir;
  }

  /** The features job of a branch: the preset's features section, then the branch's front end. */
  private static JobConfig featuresJob(PresetConfig cfg, JobConfig job, PresetConfig.Branch b) {
    List<Config> layers = new ArrayList<>(List.of(spark(job), section(job, "features", "features")));
    if (!b.frontend().isEmpty()) {
      layers.add(JobConfig.parseUserConfig(b.frontend()).resolve());
    }
    JobConfig probe = JobConfig.of("features", layers, Map.of("clips", cfg.clips()));
    double fraction = probe.config().getDouble("features.fraction") * cfg.dataFraction();
    return JobConfig.of("features", layers, Map.of("clips", cfg.clips(),
        "out", Path.of(cfg.work()).resolve("features").toString(), "fraction", String.valueOf(fraction)));
  }

  /**
   * A train job's config whose run is named {@code <base>-<first 8 digits of its result hash>}, so
   * that changed settings (or another scale) start a new run beside the old one.
   */
  private static JobConfig keyedTrainJob(PresetConfig cfg, List<Config> sections, String jobSection,
      Map<String, String> paths, String base) {
    Map<String, String> o = new LinkedHashMap<>(paths);
    o.put("train.run-name", "provisional");
    String hash = TrainConfig.from(trainJob(cfg, sections, jobSection, o)).resultHash();
    o.put("train.run-name", base + "-" + hash.substring(0, 8));
    return trainJob(cfg, sections, jobSection, o);
  }

  /**
   * A training job's config (train, or distill with the student's train keys) with the recipe's
   * epoch counts and width scaled, run paths set, and resume on.
   */
  static JobConfig trainJob(PresetConfig cfg, List<Config> sections, String jobSection, Map<String, String> paths) {
    List<Config> layers = sections;
    Map<String, String> o = new LinkedHashMap<>(paths);
    o.put("train.resume", "true");
    o.put("train.overwrite", "false");
    Config t = JobConfig.of(jobSection, layers, o).config().getConfig("train");
    o.putAll(scaled(t, cfg.scaleEpochs(), cfg.scaleWidth()));
    return JobConfig.of(jobSection, layers, o);
  }

  /**
   * The train keys a scale changes: epochs (at least 1), SWA epochs (at least 1 when on, at most the
   * epochs), warm-up epochs, restart epochs (those that still fall inside the run), width.
   *
   * @param train the train section as configured
   * @param epochScale multiplier of epoch counts
   * @param widthScale multiplier of the width
   * @return full keys to override
   */
  static Map<String, String> scaled(Config train, double epochScale, double widthScale) {
    Map<String, String> o = new LinkedHashMap<>();
    int epochs = Math.max(1, (int) Math.round(train.getInt("epochs") * epochScale));
    o.put("train.epochs", String.valueOf(epochs));
    int swa = train.getInt("swa-epochs");
    o.put("train.swa-epochs", String.valueOf(swa == 0 ? 0 : Math.min(epochs, Math.max(1,
        (int) Math.round(swa * epochScale)))));
    o.put("train.warmup-epochs", String.valueOf(Math.min(epochs, train.getDouble("warmup-epochs") * epochScale)));
    TreeSet<Integer> restarts = new TreeSet<>();
    for (Number n : train.getNumberList("restart-epochs")) {
      int r = (int) Math.round(n.doubleValue() * epochScale);
      if (r > 0 && r < epochs) {
        restarts.add(r);
      }
    }
    o.put("train.restart-epochs", restarts.toString());
    o.put("train.width", String.valueOf(train.getDouble("width") * widthScale));
    return o;
  }

  private static Config spark(JobConfig job) {
    return job.config().hasPath("spark") ? job.config().getConfig("spark").atPath("spark") : ConfigFactory.empty();
  }

  /** A section of the preset as a layer for {@code job} (e.g. the teacher section as train keys). */
  private static Config section(JobConfig job, String section, String asSection) {
    Config c = job.config();
    return c.hasPath(section) ? c.getConfig(section).atPath(asSection) : ConfigFactory.empty();
  }

  private static String report(PresetConfig cfg, List<BranchResult> branches, Evaluator.Result er,
      List<Compressor.Result> compressed) {
    StringBuilder sb = new StringBuilder("# Preset " + cfg.name() + "\n\n");
    if (!cfg.system().isEmpty()) {
      sb.append(cfg.system()).append(cfg.seedReport().isEmpty() ? "" : " (seed report " + cfg.seedReport() + ")")
          .append(".\n\n");
    }
    sb.append(String.format(Locale.ROOT, "Scale: epochs x %s, data fraction x %s, width x %s.%n%n",
        cfg.scaleEpochs(), cfg.dataFraction(), cfg.scaleWidth()));
    sb.append("| branch | features | teacher run | final run | model evaluated |\n|---|---|---|---|---|\n");
    for (BranchResult b : branches) {
      sb.append("| ").append(b.branch().name()).append(" | ").append(b.features()).append(" | ")
          .append(b.teacherRun() == null ? "–" : b.teacherRun().toString()).append(" | ").append(b.run())
          .append(" | ").append(b.model().getFileName()).append(" |\n");
    }
    MetricsResult m = er.metrics();
    sb.append("\n## Evaluation\n\n");
    if (m == null) {
      sb.append("The evaluated split has no labels; predictions and the submission file are in ").append(er.out())
          .append(".\n");
    } else {
      sb.append(String.format(Locale.ROOT, "%d clips: accuracy %.1f%% (macro %.1f%%), log loss %.3f.%n%n",
          er.clips(), 100 * m.accuracyMicro(), 100 * m.accuracyMacro(), m.logLoss()));
      sb.append("| device group | devices | clips | accuracy | log loss |\n|---|---|---:|---:|---:|\n");
      m.groups().forEach((g, gm) -> sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f%% | %.3f |%n", g,
          String.join(", ", gm.devices()), gm.count(), 100 * gm.accuracyMicro(), gm.logLoss())));
      sb.append("\nReport: ").append(Path.of(er.out()).resolve("report.html")).append('\n');
    }
    if (!compressed.isEmpty()) {
      sb.append("\n## Compression\n\n");
      for (Compressor.Result c : compressed) {
        sb.append("- ").append(Path.of(c.out()).resolve(Compressor.REPORT_MD)).append('\n');
      }
    }
    return sb.toString();
  }
}
