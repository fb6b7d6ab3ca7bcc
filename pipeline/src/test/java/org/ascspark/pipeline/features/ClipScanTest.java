package org.ascspark.pipeline.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.TestSpark;
import org.ascspark.pipeline.ingest.IngestSchemas;
import org.ascspark.pipeline.io.Float32Bytes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feature job's own reader of the clips table against Spark's reader of the same files. */
class ClipScanTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static String table;
  static Configuration conf;

  static Row clip(int i, int n) {
    SplittableRandom rng = new SplittableRandom(i);
    float[] x = new float[n];
    for (int k = 0; k < n; k++) {
      x[k] = (float) rng.nextGaussian();
    }
    x[0] = i % 2 == 0 ? Float.NaN : -0f; // bit patterns survive
    String id = "clip-" + i;
    return RowFactory.create(id, "audio/" + id + ".wav", i % 3 == 0 ? "bus" : "park", "d" + (i % 4),
        "city-" + i, "loc-" + i, i % 2 == 0 ? "train" : "evaluate", i % 5 == 0, "pair-" + i / 2, null,
        44100 + i, n, n / 44100.0, 48000, 2, "pcm24", Float32Bytes.encode(x));
  }

  @BeforeAll
  static void writeTable() {
    spark = TestSpark.get();
    conf = spark.sparkContext().hadoopConfiguration();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(clip(i, 1 + 997 * i));
    }
    table = dir.resolve("clips").toString();
    // Two files of several small row groups each, as ingest writes them at scale.
    spark.createDataFrame(rows, IngestSchemas.CLIPS).repartition(2).write()
        .option("parquet.block.size", 64 * 1024).option("parquet.page.size.row.check.min", 2)
        .option("compression", "none").parquet(table);
  }

  static Map<String, ClipSamples> scan(Set<String> keep) throws IOException {
    List<ClipScan.RowGroup> groups = ClipScan.rowGroups(List.of(spark.read().parquet(table).inputFiles()), conf);
    Map<String, ClipSamples> out = new TreeMap<>();
    for (ClipScan.RowGroup g : groups) {
      for (Iterator<ClipSamples> it = ClipScan.read(g, conf, keep); it.hasNext(); ) {
        ClipSamples c = it.next();
        assertEquals(null, out.put(c.getClipId(), c), "each clip once");
      }
    }
    return out;
  }

  static Set<String> allIds() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      ids.add("clip-" + i);
    }
    return ids;
  }

  @Test
  void readsEveryColumnAsSparksReaderDoesBitForBit() throws IOException {
    List<ClipScan.RowGroup> groups = ClipScan.rowGroups(List.of(spark.read().parquet(table).inputFiles()), conf);
    assertTrue(groups.size() > 2, "several row groups: " + groups);
    assertEquals(40, groups.stream().mapToLong(ClipScan.RowGroup::rows).sum());
    Map<String, ClipSamples> ours = scan(allIds());
    List<ClipSamples> theirs = spark.read().parquet(table).selectExpr(ClipSamples.COLUMNS)
        .queryExecution().toRdd().toJavaRDD().map(ClipSamples::fromInternal).collect();
    assertEquals(40, ours.size());
    for (ClipSamples t : theirs) {
      ClipSamples o = ours.get(t.getClipId());
      String id = t.getClipId();
      assertEquals(t.getFilename(), o.getFilename(), id);
      assertEquals(t.getSceneLabel(), o.getSceneLabel(), id);
      assertEquals(t.getDevice(), o.getDevice(), id);
      assertEquals(t.getCity(), o.getCity(), id);
      assertEquals(t.getIdentifier(), o.getIdentifier(), id);
      assertEquals(t.getSplit(), o.getSplit(), id);
      assertEquals(t.getInTest(), o.getInTest(), id);
      assertEquals(t.getPairKey(), o.getPairKey(), id);
      assertEquals(t.getSampleRateHz(), o.getSampleRateHz(), id);
      assertEquals(t.getSamples().length, o.getSamples().length, id);
      for (int k = 0; k < t.getSamples().length; k++) {
        assertEquals(Float.floatToRawIntBits(t.getSamples()[k]), Float.floatToRawIntBits(o.getSamples()[k]),
            id + " sample " + k);
      }
    }
  }

  @Test
  void aFolderWithSpacesAndPercentSignsIsFound() throws IOException {
    String odd = dir.resolve("my clips 100%").resolve("clips").toString();
    spark.createDataFrame(List.of(clip(5, 100)), IngestSchemas.CLIPS).write().parquet(odd);
    List<ClipScan.RowGroup> groups = ClipScan.rowGroups(List.of(spark.read().parquet(odd).inputFiles()), conf);
    List<String> ids = new ArrayList<>();
    for (ClipScan.RowGroup g : groups) {
      ClipScan.read(g, conf, Set.of("clip-5")).forEachRemaining(c -> ids.add(c.getClipId()));
    }
    assertEquals(List.of("clip-5"), ids);
  }

  @Test
  void onlyTheWantedClipsComeBack() throws IOException {
    Map<String, ClipSamples> some = scan(Set.of("clip-3", "clip-17", "clip-39", "no-such-clip"));
    assertEquals(Set.of("clip-3", "clip-17", "clip-39"), some.keySet());
    assertEquals(1 + 997 * 17, some.get("clip-17").getSamples().length);
    assertTrue(scan(Set.of()).isEmpty());
  }

  /** Bytes read so far through Hadoop's local file systems, all threads. */
  @SuppressWarnings("deprecation")
  static long localBytesRead() {
    long n = 0;
    for (org.apache.hadoop.fs.FileSystem.Statistics s : org.apache.hadoop.fs.FileSystem.getAllStatistics()) {
      if ("file".equals(s.getScheme())) {
        n += s.getBytesRead();
      }
    }
    return n;
  }

  @Test
  void rowGroupsWithoutWantedClipsCostNoAudioRead() throws IOException {
    // Clips of 800 KB in row groups of about 1 MB: the file system's read-ahead past a row
    // group's clip_id column (64 KB at most) is small against the audio.
    String big = dir.resolve("big-clips").toString();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      rows.add(clip(i, 200_000));
    }
    spark.createDataFrame(rows, IngestSchemas.CLIPS).coalesce(1).write()
        .option("parquet.block.size", 1 << 20).option("parquet.page.size.row.check.min", 2)
        .option("compression", "none").parquet(big);
    List<ClipScan.RowGroup> groups = ClipScan.rowGroups(List.of(spark.read().parquet(big).inputFiles()), conf);
    assertTrue(groups.size() >= 4, "several row groups: " + groups);
    long audio = 8L * 4 * 200_000;
    long before = localBytesRead();
    for (ClipScan.RowGroup g : groups) {
      assertTrue(!ClipScan.read(g, conf, Set.of("clip-99")).hasNext());
    }
    long none = localBytesRead() - before;
    before = localBytesRead();
    int n = 0;
    for (ClipScan.RowGroup g : groups) {
      for (Iterator<ClipSamples> it = ClipScan.read(g, conf, Set.of("clip-0", "clip-1", "clip-2",
          "clip-3", "clip-4", "clip-5", "clip-6", "clip-7")); it.hasNext(); it.next()) {
        n++;
      }
    }
    long all = localBytesRead() - before;
    assertEquals(8, n);
    assertTrue(all > audio, "reading every clip reads the audio: " + all + " bytes");
    assertTrue(none < audio / 10, "no wanted clip, no audio read: " + none + " of " + audio + " bytes");
  }

  @Test
  void aFileWithoutTheClipColumnsIsNamed() {
    String other = dir.resolve("not-clips").toString();
    spark.createDataFrame(List.of(RowFactory.create("x", new byte[8])),
        new org.apache.spark.sql.types.StructType(new org.apache.spark.sql.types.StructField[] {
            IngestSchemas.CLIPS.apply("clip_id"), IngestSchemas.CLIPS.apply("samples")})).write().parquet(other);
    IOException e = assertThrows(IOException.class, () -> {
      for (ClipScan.RowGroup g : ClipScan.rowGroups(List.of(spark.read().parquet(other).inputFiles()), conf)) {
        ClipScan.read(g, conf, Set.of("x"));
      }
    });
    assertTrue(e.getMessage().contains("lacks clips columns") && e.getMessage().contains("scene_label"),
        e.getMessage());
  }

  @Test
  void samplesThatAreNotWholeFloatsNameTheClip() {
    String bad = dir.resolve("bad-clips").toString();
    Row good = clip(1, 10);
    Object[] v = new Object[good.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = good.get(i);
    }
    v[v.length - 1] = new byte[7];
    spark.createDataFrame(List.of(RowFactory.create(v)), IngestSchemas.CLIPS).write().parquet(bad);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
      for (ClipScan.RowGroup g : ClipScan.rowGroups(List.of(spark.read().parquet(bad).inputFiles()), conf)) {
        ClipScan.read(g, conf, Set.of("clip-1")).forEachRemaining(c -> { });
      }
    });
    assertTrue(e.getMessage().contains("samples of clip clip-1") && e.getMessage().contains("7 bytes"),
        e.getMessage());
  }

  @Test
  void taskCountFollowsTheConfigElseFourPerCoreAndSplitSize() {
    List<ClipScan.RowGroup> groups = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      groups.add(new ClipScan.RowGroup("f", i, 8, 16L << 20));
    }
    assertEquals(7, Features.tasks(groups, 7, 2), "configured");
    assertEquals(100, Features.tasks(groups, 500, 2), "at most one task per row group");
    assertEquals(13, Features.tasks(groups, 0, 2), "1.6 GB in 128 MB tasks");
    assertEquals(40, Features.tasks(groups, 0, 10), "four per core");
    assertEquals(3, Features.tasks(groups.subList(0, 3), 0, 2), "few row groups");
    assertEquals(1, Features.tasks(List.of(), 0, 2), "an empty table still has one task");
  }
}
