package org.ascspark.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.features.Features;
import org.ascspark.pipeline.features.FeaturesConfig;
import org.ascspark.pipeline.ingest.Ingest;
import org.ascspark.pipeline.ingest.IngestConfig;
import org.ascspark.pipeline.synth.SynthDataset;
import org.ascspark.pipeline.synth.SynthOptions;
import org.ascspark.training.train.TrainConfig;
import org.ascspark.training.train.Trainer;

/**
 * One small synthetic dataset taken through the real ingest and feature jobs, shared by the
 * training tests of a JVM: 1 s clips, devices a, b, s1 and s4 (s4 only in evaluate), 32-band log-mel
 * (44 frames).
 */
public final class TrainingFixtures {
  private static Path root;
  private static String features;

  private TrainingFixtures() {}

  /** @return the features folder, built on first use */
  public static synchronized String features() {
    if (features == null) {
      try {
        root = Files.createTempDirectory("asc-training-fixture");
        Path made = root;
        // About 200 MB per test JVM: removed when the JVM exits, not left in the temp folder.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(made), "fixture-cleanup"));
        SparkSession spark = TrainingSpark.get();
        Path dataset = root.resolve("synth");
        SynthDataset.write(SynthOptions.builder().cities(4).locationsPerCity(3).segmentsPerLocation(2)
            .devices(List.of("a", "b", "s1", "s4")).threads(2).build(), dataset);
        JobConfig ic = JobConfig.load("ingest", CommandLine.parse(
            List.of("dataset=" + dataset, "out=" + root.resolve("ingest")), Set.of()));
        Ingest.run(spark, IngestConfig.from(ic), ic);
        JobConfig fc = JobConfig.load("features", CommandLine.parse(List.of(
            "clips=" + root.resolve("ingest"), "out=" + root.resolve("features"), "mel.n-mels=32"),
            Set.of()));
        FeaturesConfig config = FeaturesConfig.from(fc, spark.sparkContext().hadoopConfiguration());
        Features.run(spark, config, fc);
        features = config.outputDir();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return features;
  }

  private static void deleteTree(Path top) {
    try (Stream<Path> paths = Files.walk(top)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not remove the training fixture " + top + ": " + e);
    }
  }

  /** @return the fixture's root folder (dataset, ingest, features) */
  public static synchronized Path root() {
    features();
    return root;
  }

  /**
   * Trains the small model the distillation and compression tests start from, through the real
   * training job: sp4asc at width 0.25 on the fixture's features, batch 16, 0.5 s crops, no dropout
   * (so reruns are identical).
   *
   * @param out root of runs
   * @param runName the run's folder name
   * @param epochs epochs
   * @return the run folder
   * @throws IOException when the run cannot be written
   */
  public static Path trainSmallModel(Path out, String runName, int epochs) throws IOException {
    JobConfig job = JobConfig.load("train", CommandLine.parse(List.of("features=" + features(),
        "out=" + out, "run-name=" + runName, "model=sp4asc", "width=0.25", "epochs=" + epochs,
        "batch-size=16", "dropout=0", "crop-s=0.5", "spark.master=local[2]"), Set.of()));
    Trainer.run(TrainingSpark.get(), TrainConfig.from(job), job);
    return out.resolve(runName);
  }
}
