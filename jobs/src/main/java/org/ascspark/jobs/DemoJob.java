package org.ascspark.jobs;

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
    return "the flow on a synthetic dataset with no set-up: synth -> ingest -> features -> train -> evaluate";
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
    System.out.println("demo [1/5] synth: writing the synthetic dataset to " + work.resolve("dataset"));
    SynthSummary s = SynthDataset.write(SynthJob.options(synthConfig), work.resolve("dataset"));
    System.out.printf("demo [1/5] synth: %d files, %d segments, %.1f MB%n",
        s.files(), s.segments(), s.audioBytes() / 1e6);

    System.out.println("demo [2/5] ingest: decoding and validating on Spark "
        + ingestConfig.reader("spark").string("master"));
    IngestResult r;
    FeaturesResult f;
    Trainer.Result t;
    Evaluator.Result e;
    SparkSession spark = SparkSessions.open(ingestConfig, "demo");
    try {
      r = Ingest.run(spark, ingest, ingestConfig);
      System.out.println("demo [2/5] ingest: " + r.summary());
      FeaturesConfig fc = FeaturesConfig.from(featuresConfig, spark.sparkContext().hadoopConfiguration());
      System.out.println("demo [3/5] features: " + fc.extractor().name() + " ["
          + fc.extractor().channels() + " x " + fc.extractor().bins() + " x frames], augmentation "
          + fc.augment().chains().stream().map(c -> c.name()).toList() + ", hash " + fc.hash());
      f = Features.run(spark, fc, featuresConfig);
      System.out.println("demo [3/5] features: " + f.summary());

      JobConfig trainConfig = stage("train", config, Map.of(
          "features", fc.outputDir(),
          "out", work.resolve("runs").toString(),
          "run-name", runName,
          "overwrite", "true",
          "model", d.string("model"),
          "width", String.valueOf(d.doubleAbove("width", 0, 64)),
          "epochs", String.valueOf(d.intIn("epochs", 1, 10_000))));
      TrainConfig tc = TrainConfig.from(trainConfig);
      System.out.println("demo [4/5] train: " + tc.model() + " width " + tc.width() + ", "
          + tc.epochs() + " epochs on Spark (parameter averaging); progress below");
      t = Trainer.run(spark, tc, trainConfig);
      System.out.printf(Locale.ROOT, "demo [4/5] train: best %s accuracy %.3f at epoch %d -> %s%n",
          tc.validationSplit(), t.bestAccuracy(), t.bestEpoch(), t.runDir());

      JobConfig evalConfig = stage("evaluate", config, Map.of(
          "model", t.runDir().resolve("best.zip").toString()));
      EvaluateConfig ec = EvaluateConfig.from(evalConfig);
      System.out.println("demo [5/5] evaluate: " + ec.split() + " split, device groups "
          + ec.deviceGroups());
      e = Evaluator.run(spark, ec, evalConfig);
    } finally {
      spark.stop();
    }
    System.out.printf("%ndemo finished in %.0f s. Outputs under %s:%n",
        (System.nanoTime() - t0) / 1e9, work.toAbsolutePath());
    System.out.println("  dataset/  the synthetic TAU-layout dataset (meta.csv, audio/, evaluation_setup/)");
    System.out.println("  ingest/   clips and rejects Parquet, config.conf, _manifest.json");
    System.out.println("  features/<hash>/  log-mel Parquet (originals and augmented variants),"
        + " normalisation stats, config.conf, _manifest.json");
    System.out.println("  runs/" + runName + "/  checkpoints, best.zip, last.zip, history.csv,"
        + " complexity.json, training_curves.png");
    if (e.metrics() != null) {
      MetricsResult m = e.metrics();
      System.out.printf(Locale.ROOT, "%nHeadline (%s split, %d clips): accuracy %.1f%% (macro %.1f%%),"
          + " log loss %.3f%n", "evaluate", e.clips(), 100 * m.accuracyMicro(), 100 * m.accuracyMacro(),
          m.logLoss());
      m.groups().forEach((g, gm) -> System.out.printf(Locale.ROOT, "  %-7s devices %-14s accuracy %.1f%%%n",
          g, gm.devices(), 100 * gm.accuracyMicro()));
    }
    System.out.println("Report: " + Path.of(e.out()).toAbsolutePath().resolve("report.html"));
    System.out.println("Not built yet (later issues): distillation into a student and compression.");
    return r.listed() == r.clips() + r.rejects() && f.clips() == f.clipsWithFeatures() + f.rejects()
        ? 0 : Asc.EXIT_FAILED;
  }
}
