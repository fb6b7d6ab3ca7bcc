package org.ascspark.pipeline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ascspark.features.audio.WavWriter;
import org.ascspark.pipeline.FloatColumns;
import org.ascspark.pipeline.TestSpark;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.dataset.DatasetLayoutException;
import org.ascspark.pipeline.io.AtomicOutput;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest job on a small hand-made dataset holding one of every kind of bad input. */
class IngestTest {
  @TempDir static Path dir;
  static Path root;
  static SparkSession spark;
  static IngestResult first;
  static Path firstOut;
  static final int RATE = 44100;

  static float[] tone(double hz, int n, int rate, double amp) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return x;
  }

  static void write(String name, byte[] bytes) throws IOException {
    Path p = root.resolve(name);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
  }

  /** A RIFF header with format tag 2 (MS-ADPCM) and some data. */
  static byte[] adpcm() {
    ByteBuffer b = ByteBuffer.allocate(12 + 8 + 20 + 8 + 256).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(b.capacity() - 8).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(20).putShort((short) 2).putShort((short) 1).putInt(RATE)
        .putInt(22311).putShort((short) 256).putShort((short) 4).putShort((short) 2).putShort((short) 500);
    b.put("data".getBytes()).putInt(256);
    return b.array();
  }

  static byte[] withDataSize(byte[] wav, int declared) {
    byte[] c = wav.clone();
    ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(40, declared);
    return c;
  }

  static JobConfig config(String... kv) {
    return JobConfig.load("ingest", CommandLine.parse(List.of(kv), Set.of()));
  }

  static IngestResult ingest(String out, int partitions) throws IOException {
    JobConfig c = config("dataset=" + root, "out=" + out, "partitions=" + partitions);
    return Ingest.run(spark, IngestConfig.from(c), c);
  }

  @BeforeAll
  static void makeDatasetAndIngest() throws IOException {
    spark = TestSpark.get();
    root = dir.resolve("dataset");
    int n = RATE / 2;
    byte[] good16 = WavWriter.encode(new float[][] {tone(440, n, RATE, 0.5)}, RATE, WavWriter.Encoding.PCM_16);
    write("audio/bus-x-0-0-a.wav", good16);
    write("audio/bus-x-0-0-b.wav", WavWriter.encode(
        new float[][] {tone(440, 24000, 48000, 0.4), tone(440, 24000, 48000, 0.2)}, 48000,
        WavWriter.Encoding.PCM_24));
    write("audio/park-x-1-0-a.wav", WavWriter.encode(
        new float[][] {tone(1000, 11025, 22050, 0.3)}, 22050, WavWriter.Encoding.FLOAT_32));
    write("audio/park-x-1-0-s4.wav", WavWriter.pcm24Mono(tone(1000, n, RATE, 0.1), RATE));
    write("audio/bus-x-0-1-a.wav", Arrays.copyOf(good16, good16.length / 2)); // truncated
    write("audio/bus-x-0-2-a.wav", "ID3\u0003 this is an mp3, not a wav".getBytes());
    write("audio/bus-x-0-3-a.wav", adpcm());
    write("audio/bus-x-0-4-a.wav", new byte[0]);
    write("audio/bus-x-0-5-a.wav", withDataSize(WavWriter.pcm24Mono(new float[8], RATE), 0x7FFFFFF0));
    float[] nan = tone(100, 1000, RATE, 0.1);
    nan[500] = Float.NaN;
    write("audio/park-x-1-1-a.wav", WavWriter.encode(new float[][] {nan}, RATE, WavWriter.Encoding.FLOAT_32));
    write("audio/park-x-1-2-a.wav", good16); // fold file gives it an unknown label
    write("outside-x-0-0-a.wav", good16);

    StringBuilder meta = new StringBuilder("filename\tscene_label\tidentifier\tsource_label\n");
    List<String> train = new ArrayList<>(List.of("filename\tscene_label"));
    List<String> eval = new ArrayList<>(List.of("filename\tscene_label"));
    String[][] rows = {
        {"audio/bus-x-0-0-a.wav", "bus", "x-0", "a", "train"},
        {"audio/bus-x-0-0-b.wav", "bus", "x-0", "b", "train"},
        {"audio/park-x-1-0-a.wav", "park", "x-1", "a", "evaluate"},
        {"audio/park-x-1-0-s4.wav", "park", "x-1", "s4", "evaluate"},
        {"audio/bus-x-0-1-a.wav", "bus", "x-0", "a", "train"},
        {"audio/bus-x-0-2-a.wav", "bus", "x-0", "a", "train"},
        {"audio/bus-x-0-3-a.wav", "bus", "x-0", "a", "train"},
        {"audio/bus-x-0-4-a.wav", "bus", "x-0", "a", "train"},
        {"audio/bus-x-0-5-a.wav", "bus", "x-0", "a", "train"},
        {"audio/park-x-1-1-a.wav", "park", "x-1", "a", "evaluate"},
        {"audio/park-x-1-2-a.wav", "park", "x-1", "a", "evaluate"},
        {"audio/missing-x-1-3-a.wav", "park", "x-1", "a", "evaluate"},
        {"audio/../../outside-x-0-0-a.wav", "bus", "x-0", "a", "train"},
        {"audio/bus-x-0-0-a.wav", "bus", "x-0", "a", "train"},
    };
    for (int i = 0; i < rows.length; i++) {
      String[] r = rows[i];
      meta.append(String.join("\t", r[0], r[1], r[2], r[3])).append("\r\n");
      if (i == rows.length - 1) {
        continue; // the repeated meta.csv row is not repeated in the fold file
      }
      String label = r[0].equals("audio/park-x-1-2-a.wav") ? "parc" : r[1];
      (r[4].equals("train") ? train : eval).add(r[0] + "\t" + label);
    }
    write("meta.csv", meta.toString().getBytes());
    write("evaluation_setup/fold1_train.csv", (String.join("\n", train) + "\n").getBytes());
    write("evaluation_setup/fold1_evaluate.csv", (String.join("\n", eval) + "\n").getBytes());
    firstOut = dir.resolve("out-3");
    first = ingest(firstOut.toString(), 3);
  }

  Map<String, String> rejectReasons(Path out) {
    Map<String, String> m = new HashMap<>();
    for (Row r : spark.read().parquet(out.resolve("rejects").toString()).collectAsList()) {
      m.merge(r.getString(0), r.getString(1), (a, b) -> a + " | " + b);
    }
    return m;
  }

  @Test
  void countsReconcile() {
    assertEquals(14, first.listed());
    assertEquals(4, first.clips());
    assertEquals(10, first.rejects());
    assertEquals(first.listed(), first.clips() + first.rejects());
    // metadata: path escape, duplicate meta row, unknown fold label; the other 7 fail reading audio
    assertEquals(3, first.metadataRejects());
    assertEquals("listed 14 = ingested 4 + rejected 10 (3 metadata, 7 audio) -> "
        + first.out(), first.summary());
  }

  @Test
  void everyBadInputHasItsReason() {
    Map<String, String> r = rejectReasons(firstOut);
    assertTrue(r.get("audio/bus-x-0-1-a.wav").startsWith("truncated"), r.toString());
    assertTrue(r.get("audio/bus-x-0-2-a.wav").startsWith("not a RIFF/WAVE file"), r.toString());
    assertTrue(r.get("audio/bus-x-0-3-a.wav").contains("MS-ADPCM"), r.toString());
    assertEquals("empty file (0 bytes)", r.get("audio/bus-x-0-4-a.wav"));
    assertTrue(r.get("audio/bus-x-0-5-a.wav").startsWith("truncated"), "absurd data size: " + r);
    assertTrue(r.get("audio/park-x-1-1-a.wav").startsWith("contains NaN or infinite samples"), r.toString());
    assertTrue(r.get("audio/park-x-1-2-a.wav").contains("unknown label 'parc'"), r.toString());
    assertTrue(r.get("audio/missing-x-1-3-a.wav").startsWith("file not found"), r.toString());
    assertTrue(r.get("audio/../../outside-x-0-0-a.wav").contains("escapes the dataset root"), r.toString());
    assertEquals("meta.csv line 15: duplicate row: the file is already listed on line 2",
        r.get("audio/bus-x-0-0-a.wav"));
  }

  @Test
  void clipsHaveTheDocumentedSchemaReadWithPlainParquet() {
    Dataset<Row> clips = spark.read().parquet(firstOut.resolve("clips").toString());
    StructType s = clips.schema();
    List<String> names = Arrays.asList(s.fieldNames());
    assertEquals(List.of("clip_id", "filename", "scene_label", "device", "city", "identifier",
        "split", "in_test", "pair_key", "reference_filename", "sample_rate_hz", "num_samples",
        "duration_s", "source_sample_rate_hz", "source_channels", "source_encoding", "samples"), names);
    assertEquals(DataTypes.BinaryType, s.apply("samples").dataType());
    Map<String, Row> byId = new HashMap<>();
    for (Row r : clips.collectAsList()) {
      byId.put(r.getAs("clip_id"), r);
    }
    assertEquals(Set.of("bus-x-0-0-a", "bus-x-0-0-b", "park-x-1-0-a", "park-x-1-0-s4"), byId.keySet());
    Row b = byId.get("bus-x-0-0-b");
    assertEquals("audio/bus-x-0-0-a.wav", b.getAs("reference_filename"));
    assertEquals("bus-x-0-0", b.getAs("pair_key"));
    assertEquals(48000, (int) b.getAs("source_sample_rate_hz"));
    assertEquals(2, (int) b.getAs("source_channels"));
    assertEquals(22050, (int) b.<Integer>getAs("num_samples"), "0.5 s at 44.1 kHz after resampling");
    assertEquals(0.5, b.<Double>getAs("duration_s"), 1e-9);
    assertEquals("x", b.getAs("city"));
    assertEquals("train", b.getAs("split"));
    Row a = byId.get("bus-x-0-0-a");
    assertNull(a.getAs("reference_filename"));
    List<Float> samples = FloatColumns.list(a, "samples");
    assertEquals(22050, samples.size());
    float[] expected = tone(440, RATE / 2, RATE, 0.5);
    for (int i = 0; i < expected.length; i += 97) {
      assertEquals(Math.rint(expected[i] * 32768.0) / 32768.0, samples.get(i), 1e-9, "16-bit exact at " + i);
    }
    Row park = byId.get("park-x-1-0-a");
    assertEquals(22050, (int) park.getAs("source_sample_rate_hz"));
    assertEquals(22050, (int) park.<Integer>getAs("num_samples"), "upsampled 2x");
    assertEquals("evaluate", park.getAs("split"));
  }

  @Test
  void onePartitionGivesTheSameRowsAsMany() throws IOException {
    Path out1 = dir.resolve("out-1");
    IngestResult r = ingest(out1.toString(), 1);
    assertEquals(first.clips(), r.clips());
    assertEquals(sortedRows(firstOut.resolve("clips")), sortedRows(out1.resolve("clips")));
    assertEquals(rejectReasons(firstOut), rejectReasons(out1));
  }

  List<String> sortedRows(Path p) {
    List<String> rows = new ArrayList<>();
    for (Row r : spark.read().parquet(p.toString()).collectAsList()) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        Object v = r.get(i);
        sb.append(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : String.valueOf(v)).append('|');
      }
      rows.add(sb.toString());
    }
    rows.sort(null);
    return rows;
  }

  @Test
  void aFailedAndRetriedTaskGivesTheSameOutput() throws IOException {
    spark.sparkContext().hadoopConfiguration().set("fs.flaky.impl", FlakyFileSystem.class.getName());
    FlakyFileSystem.failName = "bus-x-0-0-b.wav";
    Path out = dir.resolve("out-retried");
    JobConfig c = config("dataset=flaky://" + root, "out=" + out, "partitions=3");
    IngestResult r = Ingest.run(spark, IngestConfig.from(c), c);
    assertTrue(FlakyFileSystem.FAILED.contains("bus-x-0-0-b.wav"), "the failure was injected");
    assertEquals(first.clips(), r.clips());
    assertEquals(first.rejects(), r.rejects());
    assertEquals(sortedRows(firstOut.resolve("clips")), sortedRows(out.resolve("clips")));
    assertEquals(rejectReasons(firstOut), rejectReasons(out));
  }

  @Test
  void rerunReplacesTheOutputCleanlyAndDescribesIt() throws IOException {
    Path out = dir.resolve("out-rerun");
    ingest(out.toString(), 2);
    Files.writeString(out.resolve("stale-file"), "from an older run");
    ingest(out.toString(), 2);
    assertFalse(Files.exists(out.resolve("stale-file")), "old output replaced, not merged");
    assertTrue(Files.exists(out.resolve(AtomicOutput.MANIFEST)));
    String manifest = Files.readString(out.resolve(AtomicOutput.MANIFEST));
    assertTrue(manifest.contains("\"listed\" : 14") && manifest.contains("\"config_hash\""), manifest);
    assertTrue(Files.readString(out.resolve(AtomicOutput.CONFIG)).contains("sample-rate-hz=44100"));
    try (Stream<Path> s = Files.list(dir)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".out-rerun.")),
          "no staging or replaced folders left behind");
    }
  }

  @Test
  void missingMetaCsvIsAClearErrorAndLeavesNoOutput() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("no-meta"));
    JobConfig c = config("dataset=" + empty, "out=" + dir.resolve("out-none"));
    DatasetLayoutException e = assertThrows(DatasetLayoutException.class,
        () -> Ingest.run(spark, IngestConfig.from(c), c));
    assertTrue(e.getMessage().startsWith("missing meta.csv: "), e.getMessage());
    assertFalse(Files.exists(dir.resolve("out-none")));
  }

  @Test
  void aFailedWriteKeepsThePreviousOutput() throws IOException {
    Path out = dir.resolve("kept");
    Files.createDirectories(out);
    Files.writeString(out.resolve("previous"), "v1");
    try (AtomicOutput o = AtomicOutput.begin(out.toString(), spark.sparkContext().hadoopConfiguration())) {
      o.writeText("partial", "half-written");
      // no commit: the job failed
    }
    assertEquals("v1", Files.readString(out.resolve("previous")));
    try (Stream<Path> s = Files.list(dir)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".kept.staging")));
    }
  }
}
