package org.ascspark.pipeline.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import java.util.SplittableRandom;
import org.ascspark.features.augment.RandomGain;
import org.ascspark.features.augment.WaveformAugmentation;
import org.ascspark.features.spectral.FeatureExtractor;
import org.ascspark.pipeline.FloatColumns;
import org.ascspark.pipeline.TestSpark;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.ingest.IngestSchemas;
import org.ascspark.pipeline.io.AtomicOutput;
import org.ascspark.pipeline.io.Float32Bytes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature job's mechanics (selection, segmentation, rejects, statistics, reuse) with a small
 * exactly-computable front end, independent of the DSP library's numerics.
 */
class FeaturesJobTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Path clips;
  static final int RATE = 1000;

  /** Frames of 100 samples every 50; bin 0 = frame mean, bin 1 = frame index. */
  static final class FrameMeans implements FeatureExtractor {
    @Override public String name() {
      return "framemeans";
    }

    @Override public int sampleRateHz() {
      return RATE;
    }

    @Override public int channels() {
      return 1;
    }

    @Override public int bins() {
      return 2;
    }

    @Override public int frames(int n) {
      return n < 100 ? 0 : 1 + (n - 100) / 50;
    }

    @Override public float[][][] extract(float[] x) {
      int t = frames(x.length);
      if (t == 0) {
        throw new IllegalArgumentException("too short");
      }
      float[][][] out = new float[1][2][t];
      for (int i = 0; i < t; i++) {
        double s = 0;
        for (int k = 0; k < 100; k++) {
          s += x[i * 50 + k];
        }
        out[0][0][i] = (float) (s / 100);
        out[0][1][i] = i;
      }
      return out;
    }
  }

  static Row clip(String id, String split, boolean inTest, float value, int n) {
    float[] x = new float[n];
    Arrays.fill(x, value);
    return RowFactory.create(id, "audio/" + id + ".wav", "bus", "a", "lyon", "lyon-0", split, inTest,
        id, null, RATE, n, n / (double) RATE, RATE, 1, "pcm16", Float32Bytes.encode(x));
  }

  @BeforeAll
  static void writeClips() throws IOException {
    spark = TestSpark.get();
    clips = dir.resolve("ingest");
    List<Row> rows = List.of(
        clip("c1", "train", false, 1f, 1000),
        clip("c2", "train", false, 3f, 2500),
        clip("c3", "evaluate", true, 0.5f, 1000),
        clip("c4", "train", false, 9f, 60),        // shorter than one frame
        clip("c5", "unassigned", false, 7f, 1000)); // not a selected split
    spark.createDataFrame(rows, IngestSchemas.CLIPS).write().mode(SaveMode.Overwrite)
        .parquet(clips.resolve("clips").toString());
    Files.writeString(clips.resolve(AtomicOutput.MANIFEST),
        "{\"sample_rate_hz\": " + RATE + ", \"config_hash\": \"abc\"}");
  }

  static FeaturesConfig config(String out, int segment, int hop, int partitions, boolean overwrite) {
    return new FeaturesConfig(clips.toString(), out, overwrite, List.of("train", "evaluate", "test"),
        1.0, "train", segment, hop, partitions, RATE, new FrameMeans(), AugmentSettings.NONE,
        "h" + segment + "-" + hop);
  }

  static JobConfig jobConfig() {
    return JobConfig.load("features", CommandLine.parse(List.of("clips=" + clips), Set.of()));
  }

  static Map<String, Row> byKey(Path features) {
    Map<String, Row> m = new HashMap<>();
    for (Row r : spark.read().parquet(features.toString()).collectAsList()) {
      m.put(r.<String>getAs("clip_id") + "/" + r.<Integer>getAs("segment"), r);
    }
    return m;
  }

  @Test
  void aClipsTableOfTheArrayLayoutIsRefusedNamingTheFix() throws IOException {
    Path old = dir.resolve("ingest-array");
    spark.read().parquet(clips.resolve("clips").toString())
        .withColumn("samples", org.apache.spark.sql.functions.expr("array(CAST(0.5 AS FLOAT))"))
        .write().parquet(old.resolve("clips").toString());
    Files.copy(clips.resolve(AtomicOutput.MANIFEST), old.resolve(AtomicOutput.MANIFEST));
    FeaturesConfig fromOld = new FeaturesConfig(old.toString(), dir.resolve("f-array").toString(),
        false, List.of("train"), 1.0, "train", 0, 0, 1, RATE, new FrameMeans(), AugmentSettings.NONE,
        "array");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Features.run(spark, fromOld, jobConfig()));
    assertTrue(e.getMessage().contains("stores samples as array<float>")
        && e.getMessage().contains("run ./asc ingest again"), e.getMessage());
    assertTrue(!Files.exists(Path.of(fromOld.outputDir())), "nothing written");
  }

  @Test
  void aFractionKeepsWholePairsAndTheSameClipsOnEveryRun() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      // three devices per pair key; a tenth of the clips unpaired
      rows.add(RowFactory.create("clip" + i, i % 10 == 0 ? null : "pair" + i / 3));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("clip_id", "string").add("pair_key", "string");
    org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(rows, schema);
    List<Row> kept = df.where(Features.keep(0.3)).collectAsList();
    double share = kept.size() / 3000.0;
    assertTrue(share > 0.25 && share < 0.35, "kept share " + share);
    Map<String, Integer> perPair = new HashMap<>();
    for (Row r : kept) {
      if (r.get(1) != null) {
        perPair.merge(r.getString(1), 1, Integer::sum);
      }
    }
    for (Row r : rows) {
      if (r.get(1) != null && perPair.containsKey(r.getString(1))) {
        int expected = (int) rows.stream().filter(q -> r.getString(1).equals(q.get(1))).count();
        assertEquals(expected, perPair.get(r.getString(1)), "all clips of " + r.getString(1) + " kept");
      }
    }
    assertEquals(kept, df.where(Features.keep(0.3)).collectAsList(), "the same clips on a rerun");
    assertEquals(3000, df.where(Features.keep(1.0)).count());
  }

  @Test
  void wholeClipsGiveOneRowEachWithShapeValuesAndRejects() throws IOException {
    FeaturesConfig c = config(dir.resolve("f-whole").toString(), 0, 0, 3, false);
    FeaturesResult r = Features.run(spark, c, jobConfig());
    assertEquals(4, r.clips(), "c5 (unassigned) is not selected");
    assertEquals(3, r.clipsWithFeatures());
    assertEquals(1, r.rejects());
    assertEquals(3, r.rows());
    Path out = Path.of(c.outputDir());
    Map<String, Row> rows = byKey(out.resolve("features"));
    Row c2 = rows.get("c2/0");
    assertEquals(1, (int) c2.getAs("channels"));
    assertEquals(2, (int) c2.getAs("bins"));
    assertEquals(49, (int) c2.getAs("frames"), "1 + (2500 - 100) / 50");
    List<Float> v = FloatColumns.list(c2, "values");
    assertEquals(98, v.size());
    assertEquals(3f, v.get(0), 1e-6, "bin 0 = frame mean, flattened [channel][bin][frame]");
    assertEquals(0f, v.get(49), 0, "bin 1 starts at index frames");
    assertEquals(48f, v.get(97), 0);
    assertEquals("none", c2.getAs("augmentation"));
    assertEquals(0, (int) c2.getAs("variant"));
    assertEquals("framemeans", c2.getAs("feature"));
    Row c3 = rows.get("c3/0");
    assertEquals("evaluate", c3.getAs("split"));
    assertTrue(c3.<Boolean>getAs("in_test"));
    List<Row> rejects = spark.read().parquet(out.resolve("rejects").toString()).collectAsList();
    assertEquals(1, rejects.size());
    assertEquals("c4", rejects.get(0).getString(0));
    assertTrue(rejects.get(0).getString(3).contains("shorter than one analysis frame"),
        rejects.get(0).getString(3));
    assertTrue(Files.readString(out.resolve(AtomicOutput.MANIFEST)).contains("\"rows\" : 3"));
  }

  @Test
  void statisticsArePerBinOverTheTrainingSplitOnly() throws IOException {
    FeaturesConfig c = config(dir.resolve("f-stats").toString(), 0, 0, 2, false);
    Features.run(spark, c, jobConfig());
    Path out = Path.of(c.outputDir());
    // train rows: c1 (19 frames of 1.0), c2 (49 frames of 3.0); c3 is evaluate
    double n = 19 + 49;
    double mean0 = (19 * 1.0 + 49 * 3.0) / n;
    double std0 = Math.sqrt((19 * 1.0 + 49 * 9.0) / n - mean0 * mean0);
    double sumIdx = 18 * 19 / 2.0 + 48 * 49 / 2.0;
    double sumIdx2 = 18 * 19 * 37 / 6.0 + 48 * 49 * 97 / 6.0;
    double mean1 = sumIdx / n;
    double std1 = Math.sqrt(sumIdx2 / n - mean1 * mean1);
    List<Row> stats = spark.read().parquet(out.resolve("stats").toString()).orderBy("bin").collectAsList();
    assertEquals(2, stats.size());
    assertEquals(mean0, stats.get(0).getDouble(2), 1e-9);
    assertEquals(std0, stats.get(0).getDouble(3), 1e-9);
    assertEquals(mean1, stats.get(1).getDouble(2), 1e-9);
    assertEquals(std1, stats.get(1).getDouble(3), 1e-9);
    assertEquals(68L, stats.get(0).getLong(4));
    String json = Files.readString(out.resolve(Features.STATS_JSON));
    assertTrue(json.contains("\"split\" : \"train\"") && json.contains("\"frames\" : 68"), json);
  }

  @Test
  void segmentationCutsClipsIntoIndexedSegments() throws IOException {
    FeaturesConfig c = config(dir.resolve("f-seg").toString(), 500, 250, 3, false);
    FeaturesResult r = Features.run(spark, c, jobConfig());
    // c1: 1000 samples -> starts 0, 250, 500 = 3 segments; c2: 2500 -> 9; c3: 3; c4 rejected
    assertEquals(15, r.rows());
    Map<String, Row> rows = byKey(Path.of(c.outputDir()).resolve("features"));
    assertEquals(0.75, rows.get("c2/3").<Double>getAs("segment_start_s"), 1e-12);
    assertEquals(9, (int) rows.get("c2/0").getAs("frames"), "1 + (500 - 100) / 50");
    assertTrue(rows.containsKey("c1/2") && !rows.containsKey("c1/3"));
  }

  @Test
  void samePartitioningIndependentOutputAndReuseUnlessOverwrite() throws IOException {
    FeaturesConfig one = config(dir.resolve("f-p1").toString(), 0, 0, 1, false);
    FeaturesConfig many = config(dir.resolve("f-p4").toString(), 0, 0, 4, false);
    Features.run(spark, one, jobConfig());
    Features.run(spark, many, jobConfig());
    Map<String, Row> a = byKey(Path.of(one.outputDir()).resolve("features"));
    Map<String, Row> b = byKey(Path.of(many.outputDir()).resolve("features"));
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(FloatColumns.floats(a.get(k), "values"), FloatColumns.floats(b.get(k), "values"), k);
    }
    Path marker = Path.of(one.outputDir()).resolve("marker");
    Files.writeString(marker, "kept");
    FeaturesResult again = Features.run(spark, one, jobConfig());
    assertTrue(again.reused());
    assertEquals(3, again.rows());
    assertTrue(Files.exists(marker), "reused, not recomputed");
    String statsBefore = Files.readString(Path.of(one.outputDir()).resolve(Features.STATS_JSON));
    FeaturesResult redone = Features.run(spark,
        config(dir.resolve("f-p1").toString(), 0, 0, 1, true), jobConfig());
    assertTrue(!redone.reused() && !Files.exists(marker), "overwrite recomputes and replaces");
    assertEquals(statsBefore, Files.readString(Path.of(one.outputDir()).resolve(Features.STATS_JSON)),
        "a rerun writes identical statistics");
  }

  @Test
  void selectedSplitsRespectTheConfig() throws IOException {
    FeaturesConfig c = new FeaturesConfig(clips.toString(), dir.resolve("f-eval").toString(), false,
        List.of("train", "unassigned"), 1.0, "train", 0, 0, 2, RATE, new FrameMeans(), AugmentSettings.NONE,
        "unassigned");
    FeaturesResult r = Features.run(spark, c, jobConfig());
    assertEquals(new ArrayList<>(List.of("c1/0", "c2/0", "c5/0")).stream().sorted().toList(),
        byKey(Path.of(c.outputDir()).resolve("features")).keySet().stream().sorted().toList());
    assertEquals(1, r.rejects());
  }

  /** Fails on clip c2 only, to show a failed variant is a reject of its own. */
  static final class FailsOnC2 implements WaveformAugmentation {
    @Override public String name() {
      return "fails";
    }

    @Override public Applied apply(float[] x, int rate, SplittableRandom rng) {
      if (x.length == 2500) {
        throw new IllegalStateException("codec error");
      }
      return new Applied(x.clone(), Map.of());
    }
  }

  @Test
  void augmentationChainsAddSeededVariantsForTrainingClipsOnly() throws IOException {
    List<AugmentationChain> chains = List.of(
        new AugmentationChain("gain", List.of(new RandomGain(-6, 6, false)), null),
        new AugmentationChain("fails", List.of(new FailsOnC2()), null));
    FeaturesConfig c = new FeaturesConfig(clips.toString(), dir.resolve("f-aug").toString(), true,
        List.of("train", "evaluate", "test"), 1.0, "train", 0, 0, 2, RATE, new FrameMeans(),
        new AugmentSettings(chains, 7L, false, "a", 0, null), "aug");
    FeaturesResult r = Features.run(spark, c, jobConfig());
    // originals c1, c2, c3; gain variants of c1, c2 (train); the failing chain only for c1
    assertEquals(6, r.rows());
    assertEquals(1, r.rejects(), "c4 (too short); variant rejects are counted apart");
    Path out = Path.of(c.outputDir());
    List<Row> rejects = spark.read().parquet(out.resolve("rejects").toString())
        .where("variant = 2").collectAsList();
    assertEquals(1, rejects.size());
    assertEquals("c2", rejects.get(0).getString(0));
    assertTrue(rejects.get(0).getString(3).contains("augmentation fails: "
        + "java.lang.IllegalStateException: codec error"), rejects.get(0).getString(3));
    assertTrue(Files.readString(out.resolve(AtomicOutput.MANIFEST)).contains("\"variant_rejects\" : 1"));

    List<Row> rows = spark.read().parquet(out.resolve("features").toString())
        .orderBy("clip_id", "variant").collectAsList();
    Map<String, Row> byVariant = new HashMap<>();
    for (Row row : rows) {
      byVariant.put(row.<String>getAs("clip_id") + "/" + row.<Integer>getAs("variant"), row);
    }
    assertTrue(!byVariant.containsKey("c3/1"), "evaluate clips are never augmented");
    Row gain = byVariant.get("c2/1");
    assertEquals("gain", gain.getAs("augmentation"));
    String params = gain.getAs("aug_params");
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("\\{\"gain\":\\{\"gain_db\":(-?[0-9.Ee-]+)\\}\\}").matcher(params);
    assertTrue(m.matches(), params);
    double g = Double.parseDouble(m.group(1));
    float mean = FloatColumns.floats(gain, "values")[0];
    assertEquals(3.0 * Math.pow(10, g / 20), mean, 1e-5, "frame mean scaled by the recorded gain");
    assertEquals("{}", byVariant.get("c2/0").getAs("aug_params"));
    assertEquals("none", byVariant.get("c2/0").getAs("augmentation"));

    FeaturesConfig again = new FeaturesConfig(clips.toString(), dir.resolve("f-aug2").toString(),
        true, List.of("train", "evaluate", "test"), 1.0, "train", 0, 0, 3, RATE, new FrameMeans(),
        new AugmentSettings(chains, 7L, false, "a", 0, null), "aug");
    Features.run(spark, again, jobConfig());
    assertEquals(sorted(out.resolve("features")),
        sorted(Path.of(again.outputDir()).resolve("features")),
        "same seed, different partitioning: identical variants and parameters");
  }

  static List<String> sorted(Path features) {
    List<String> out = new ArrayList<>();
    for (Row r : spark.read().parquet(features.toString()).collectAsList()) {
      out.add(r.getAs("clip_id") + "/" + r.getAs("variant") + "/" + r.getAs("aug_params") + "/"
          + FloatColumns.list(r, "values"));
    }
    out.sort(null);
    return out;
  }
}
