package org.ascspark.pipeline.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ascspark.features.spectral.LogMelExtractor;
import org.ascspark.features.audio.WavAudio;
import org.ascspark.features.audio.WavDecoder;
import org.ascspark.pipeline.FloatColumns;
import org.ascspark.pipeline.TestSpark;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.ingest.Ingest;
import org.ascspark.pipeline.ingest.IngestConfig;
import org.ascspark.pipeline.synth.SynthDataset;
import org.ascspark.pipeline.synth.SynthOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthetic dataset -> ingest -> log-mel with deltas, read back with the plain Parquet reader. */
class FeaturesEndToEndTest {
  @TempDir Path dir;

  @Test
  void logMelWithDeltasOnTheSyntheticSet() throws Exception {
    SparkSession spark = TestSpark.get();
    Path dataset = dir.resolve("synth");
    SynthDataset.write(SynthOptions.builder().cities(2).locationsPerCity(2).segmentsPerLocation(1)
        .devices(List.of("a", "b", "s4")).threads(2).build(), dataset);
    JobConfig ic = JobConfig.load("ingest", CommandLine.parse(
        List.of("dataset=" + dataset, "out=" + dir.resolve("ingest")), Set.of()));
    Ingest.run(spark, IngestConfig.from(ic), ic);

    List<String> args = new ArrayList<>(List.of("clips=" + dir.resolve("ingest"),
        "out=" + dir.resolve("features"), "deltas.order=2", "mel.n-mels=64"));
    JobConfig fc = JobConfig.load("features", CommandLine.parse(args, Set.of()));
    FeaturesConfig config = FeaturesConfig.from(fc, spark.sparkContext().hadoopConfiguration());
    FeaturesResult r = Features.run(spark, config, fc);
    assertEquals(r.clips(), r.clipsWithFeatures());
    assertEquals(0, r.rejects());

    Dataset<Row> f = spark.read().parquet(Path.of(config.outputDir()).resolve("features").toString());
    assertEquals(r.rows(), f.count());
    Row first = f.orderBy("clip_id").first();
    assertEquals(3, (int) first.getAs("channels"));
    assertEquals(64, (int) first.getAs("bins"));
    assertEquals(44, (int) first.getAs("frames"));
    assertEquals("logmel", first.getAs("feature"));
    assertEquals(0, f.filter("split = 'train' AND device = 's4'").count());

    // The job's values are the library's values for the decoded file.
    WavAudio audio = WavDecoder.decode(java.nio.file.Files.readAllBytes(
        dataset.resolve(first.<String>getAs("filename"))));
    float[][][] expected = ((LogMelExtractor) config.extractor()).extract(audio.mono());
    List<Float> values = FloatColumns.list(first, "values");
    int k = 0;
    for (float[][] ch : expected) {
      for (float[] bin : ch) {
        for (float v : bin) {
          assertEquals(v, values.get(k++), 0f);
        }
      }
    }
    Dataset<Row> stats = spark.read().parquet(Path.of(config.outputDir()).resolve("stats").toString());
    assertEquals(3 * 64, stats.count());
    assertTrue(stats.filter("std <= 0 OR isnan(mean)").isEmpty());
  }

  @Test
  void fftBinMp3AndAacVariantsAreDeterministicAndOnlyForTraining() throws Exception {
    SparkSession spark = TestSpark.get();
    Path dataset = dir.resolve("synth");
    SynthDataset.write(SynthOptions.builder().cities(2).locationsPerCity(2).segmentsPerLocation(1)
        .devices(List.of("a", "s4")).threads(2).build(), dataset);
    JobConfig ic = JobConfig.load("ingest", CommandLine.parse(
        List.of("dataset=" + dataset, "out=" + dir.resolve("ingest")), Set.of()));
    Ingest.run(spark, IngestConfig.from(ic), ic);
    List<List<String>> runs = new ArrayList<>();
    for (String out : List.of("f1", "f2")) {
      JobConfig fc = JobConfig.load("features", CommandLine.parse(List.of(
          "clips=" + dir.resolve("ingest"), "out=" + dir.resolve(out), "mel.n-mels=32",
          "augment.chains=[[fftbin], [mp3], [aac]]"), Set.of()));
      FeaturesConfig config = FeaturesConfig.from(fc, spark.sparkContext().hadoopConfiguration());
      Features.run(spark, config, fc);
      Dataset<Row> f = spark.read().parquet(Path.of(config.outputDir()).resolve("features").toString());
      assertEquals(0, f.filter("split <> 'train' AND variant > 0").count(), "never augment evaluation");
      long train = f.filter("split = 'train' AND variant = 0").count();
      assertEquals(train, f.filter("variant = 1 AND augmentation = 'fftbin'").count());
      assertEquals(train, f.filter("variant = 2 AND augmentation = 'mp3'").count());
      assertEquals(train, f.filter("variant = 3 AND augmentation = 'aac'").count());
      Row original = f.filter("variant = 0 AND split = 'train'").orderBy("clip_id").first();
      Row scaled = f.filter("variant = 1 AND clip_id = '" + original.getAs("clip_id") + "'").first();
      assertTrue(!FloatColumns.list(original, "values").equals(FloatColumns.list(scaled, "values")),
          "the variant differs");
      assertTrue(scaled.<String>getAs("aug_params").startsWith("{\"fftbin\":{\"control_points\":16,"),
          scaled.<String>getAs("aug_params"));
      List<String> rows = new ArrayList<>();
      for (Row r : f.collectAsList()) {
        rows.add(r.getAs("clip_id") + "/" + r.getAs("variant") + "/" + r.getAs("aug_params") + "/"
            + FloatColumns.list(r, "values"));
      }
      rows.sort(null);
      runs.add(rows);
    }
    assertEquals(runs.get(0), runs.get(1), "two runs write identical variants");
  }
}
