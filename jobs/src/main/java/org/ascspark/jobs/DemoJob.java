package org.ascspark.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.features.Features;
import org.ascspark.pipeline.features.FeaturesConfig;
import org.ascspark.pipeline.features.FeaturesResult;
import org.ascspark.pipeline.ingest.Ingest;
import org.ascspark.pipeline.ingest.IngestConfig;
import org.ascspark.pipeline.ingest.IngestResult;
import org.ascspark.training.distill.DistillConfig;
import org.ascspark.training.distill.Distiller;
import org.ascspark.training.distill.TeacherOutputs;
import org.ascspark.training.distill.TeacherOutputsConfig;
import org.ascspark.training.eval.MetricsResult;
import org.ascspark.training.evaluate.EvaluateConfig;
import org.ascspark.training.evaluate.Evaluator;
import org.ascspark.training.train.TrainConfig;
import org.ascspark.training.train.Trainer;
import org.ascspark.pipeline.spark.SparkSessions;
import org.ascspark.pipeline.synth.SynthDataset;
import org.ascspark.pipeline.synth.SynthSummary;

/**
 * {@code ./asc demo}: the flow end to end on the synthetic dataset. Each stage runs with its own
 * job's defaults ({@code conf/<job>.conf}) plus the demo's paths and size, exactly as the separate
 * commands would.
 */
public final class DemoJob implements Command {

  /** @param args config overrides of the demo section */
  public static void main(String[] args) {
    System.exit(Asc.execute(new DemoJob(), args));
  }

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "the flow on a synthetic dataset with no set-up: synth -> ingest -> features -> train a teacher"
        + " -> evaluate -> distil a student (with the same student without KD beside it)";
  }

  @Override
  public String section() {
    return "demo";
  }

  private static JobConfig stage(String section, JobConfig demo, Map<String, String> overrides) {
    Map<String, String> all = new LinkedHashMap<>(overrides);
    all.put("spark.master", demo.reader("spark").string("master"));
    return JobConfig.load(section, new CommandLine(List.of(), all, false));
  }

  /** Removes a previous demo's plain-student run so that the rerun trains it afresh. */
  private static void deleteRun(String dir) throws java.io.IOException {
    Path p = Path.of(dir);
    if (Files.exists(p)) {
      try (var s = Files.walk(p)) {
        for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(q);
        }
      }
    }
  }

  @Override
  public int run(JobConfig config) throws Exception {
    ConfigReader d = config.reader();
    Path work = Path.of(d.string("work"));
    JobConfig synthConfig = stage("synth", config, Map.of(
        "out", work.resolve("dataset").toString(),
        "seed", String.valueOf(d.longIn("seed", Long.MIN_VALUE, Long.MAX_VALUE)),
        "cities", String.valueOf(d.intIn("cities", 1, 12)),
        "locations-per-city", String.valueOf(d.intIn("locations-per-city", 1, 1000)),
        "segments-per-location", String.valueOf(d.intIn("segments-per-location", 1, 100_000)),
        "clip-seconds", String.valueOf(d.doubleAbove("clip-seconds", 0, 60))));
    JobConfig ingestConfig = stage("ingest", config, Map.of(
        "dataset", work.resolve("dataset").toString(),
        "out", work.resolve("ingest").toString()));
    IngestConfig ingest = IngestConfig.from(ingestConfig);
    JobConfig featuresConfig = stage("features", config, Map.of(
        "clips", work.resolve("ingest").toString(),
        "out", work.resolve("features").toString(),
        "overwrite", "true",
        "augment.chains", config.config().getValue("demo.augment-chains")
            .render(com.typesafe.config.ConfigRenderOptions.concise())));
    String runName = "demo-" + d.string("model");
    Asc.logConfig(config);

    long t0 = System.nanoTime();
    System.out.println("demo [1/7] synth: writing the synthetic dataset to " + work.resolve("dataset"));
    SynthSummary s = SynthDataset.write(SynthJob.options(synthConfig), work.resolve("dataset"));
    System.out.printf("demo [1/7] synth: %d files, %d segments, %.1f MB%n",
        s.files(), s.segments(), s.audioBytes() / 1e6);

    System.out.println("demo [2/7] ingest: decoding and validating on Spark "
        + ingestConfig.reader("spark").string("master"));
    IngestResult r;
    FeaturesResult f;
    Trainer.Result t;
    Evaluator.Result e;
    Distiller.Result kd;
    SparkSession spark = SparkSessions.open(ingestConfig, "demo");
    try {
      r = Ingest.run(spark, ingest, ingestConfig);
      System.out.println("demo [2/7] ingest: " + r.summary());
      FeaturesConfig fc = FeaturesConfig.from(featuresConfig, spark.sparkContext().hadoopConfiguration());
      System.out.println("demo [3/7] features: " + fc.extractor().name() + " ["
          + fc.extractor().channels() + " x " + fc.extractor().bins() + " x frames], augmentation "
          + fc.augment().chains().stream().map(c -> c.name()).toList() + ", hash " + fc.hash());
      f = Features.run(spark, fc, featuresConfig);
      System.out.println("demo [3/7] features: " + f.summary());

      JobConfig trainConfig = stage("train", config, Map.of(
          "features", fc.outputDir(),
          "out", work.resolve("runs").toString(),
          "run-name", runName,
          "overwrite", "true",
          "model", d.string("model"),
          "width", String.valueOf(d.doubleAbove("width", 0, 64)),
          "epochs", String.valueOf(d.intIn("epochs", 1, 10_000))));
      TrainConfig tc = TrainConfig.from(trainConfig);
      System.out.println("demo [4/7] train: " + tc.model() + " width " + tc.width() + ", "
          + tc.epochs() + " epochs on Spark (parameter averaging); progress below");
      t = Trainer.run(spark, tc, trainConfig);
      System.out.printf(Locale.ROOT, "demo [4/7] train: best %s accuracy %.3f at epoch %d -> %s%n",
          tc.validationSplit(), t.bestAccuracy(), t.bestEpoch(), t.runDir());

      JobConfig evalConfig = stage("evaluate", config, Map.of(
          "model", t.runDir().resolve("best.zip").toString()));
      EvaluateConfig ec = EvaluateConfig.from(evalConfig);
      System.out.println("demo [5/7] evaluate: " + ec.split() + " split, device groups "
          + ec.deviceGroups());
      e = Evaluator.run(spark, ec, evalConfig);

      String outputs = work.resolve("teacher-outputs").toString();
      JobConfig toConfig = stage("teacher-outputs", config, Map.of(
          "features", fc.outputDir(),
          "teachers", "[\"" + t.runDir().resolve("best.zip") + "\"]",
          "out", outputs,
          "overwrite", "true",
          "temperature", String.valueOf(d.doubleAbove("temperature", 0, 1000))));
      TeacherOutputsConfig toc = TeacherOutputsConfig.from(toConfig);
      System.out.println("demo [6/7] teacher-outputs: soft labels at T = " + toc.temperature()
          + " and embeddings of the teacher for every training row");
      TeacherOutputs.Result to = TeacherOutputs.run(spark, toc, toConfig);
      System.out.println("demo [6/7] teacher-outputs: " + to.rows() + " rows -> " + to.out());

      Map<String, String> distill = new LinkedHashMap<>();
      distill.put("teacher-outputs", outputs);
      distill.put("train.features", fc.outputDir());
      distill.put("train.out", work.resolve("runs").toString());
      distill.put("train.run-name", "demo-student");
      distill.put("train.overwrite", "true");
      distill.put("train.model", d.string("student-model"));
      distill.put("train.width", String.valueOf(d.doubleAbove("student-width", 0, 64)));
      distill.put("train.epochs", String.valueOf(d.intIn("student-epochs", 1, 10_000)));
      JobConfig distillConfig = stage("distill", config, distill);
      DistillConfig dc = DistillConfig.from(distillConfig);
      deleteRun(dc.baselineRun().runDir());
      System.out.println("demo [7/7] distill: " + dc.student().model() + " width " + dc.student().width()
          + " from the teacher (CE + T^2 KL), then the same student without KD; progress below");
      kd = Distiller.run(spark, dc, distillConfig);
    } finally {
      spark.stop();
    }
    System.out.printf("%ndemo finished in %.0f s. Outputs under %s:%n",
        (System.nanoTime() - t0) / 1e9, work.toAbsolutePath());
    System.out.println("  dataset/  the synthetic TAU-layout dataset (meta.csv, audio/, evaluation_setup/)");
    System.out.println("  ingest/   clips and rejects Parquet, config.conf, _manifest.json");
    System.out.println("  features/<hash>/  log-mel Parquet (originals and augmented variants),"
        + " normalisation stats, config.conf, _manifest.json");
    System.out.println("  runs/" + runName + "/  the teacher: checkpoints, best.zip, last.zip, history.csv,"
        + " complexity.json, training_curves.png, eval-evaluate/ (report.html)");
    System.out.println("  teacher-outputs/  the teacher's soft labels and embeddings per training row");
    System.out.println("  runs/demo-student/  the distilled student, with distill-report.md;"
        + " runs/demo-student-no-kd/  the same student without KD");
    if (e.metrics() != null) {
      MetricsResult m = e.metrics();
      System.out.printf(Locale.ROOT, "%nHeadline (%s split, %d clips): accuracy %.1f%% (macro %.1f%%),"
          + " log loss %.3f%n", "evaluate", e.clips(), 100 * m.accuracyMicro(), 100 * m.accuracyMacro(),
          m.logLoss());
      m.groups().forEach((g, gm) -> System.out.printf(Locale.ROOT, "  %-7s devices %-14s accuracy %.1f%%%n",
          g, gm.devices(), 100 * gm.accuracyMicro()));
    }
    System.out.println("Report: " + Path.of(e.out()).toAbsolutePath().resolve("report.html"));
    System.out.println();
    for (String role : List.of("teacher", Distiller.STUDENT_LAST, Distiller.PLAIN_LAST)) {
      Distiller.Entry en = kd.entry(role);
      if (en != null) {
        System.out.printf(Locale.ROOT, "  %-28s %-26s %,8d parameters  accuracy %.1f%%  log loss %.3f%n",
            role, en.model(), en.parameters(), 100 * en.metrics().accuracyMicro(), en.metrics().logLoss());
      }
    }
    System.out.println("Distillation report: " + kd.runDir().toAbsolutePath().resolve("distill-report.md"));
    System.out.println("Next: ./asc compress model=" + kd.runDir().toAbsolutePath().resolve("last.zip")
        + " (fp16, int8, pruning, each re-evaluated)");
    System.out.println("      ./asc ablate clips=" + work.resolve("ingest").toAbsolutePath()
        + " (which device augmentation helps on which device)");
    System.out.println("      ./asc preset name=valeo-sp4asc clips=" + work.resolve("ingest").toAbsolutePath()
        + " scale.epochs=0.05 (a seed system's recipe; see conf/presets/)");
    return r.listed() == r.clips() + r.rejects() && f.clips() == f.clipsWithFeatures() + f.rejects()
        ? 0 : Asc.EXIT_FAILED;
  }
}
