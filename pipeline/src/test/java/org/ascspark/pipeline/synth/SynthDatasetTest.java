package org.ascspark.pipeline.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes a tiny dataset (2 cities, 2 locations, 1 segment, 1 s clips) and checks the TAU layout,
 * the WAV format, the fold design and determinism.
 */
class SynthDatasetTest {

  private static final List<String> SEEN = List.of("a", "b", "c", "s1", "s2", "s3");

  @TempDir
  static Path tmp;

  private static SynthOptions tiny;
  private static Path first;
  private static SynthSummary summary;

  @BeforeAll
  static void writeTiny() {
    tiny = SynthOptions.builder().cities(2).locationsPerCity(2).segmentsPerLocation(1)
        .clipSeconds(1.0).threads(2).build();
    first = tmp.resolve("first");
    summary = SynthDataset.write(tiny, first);
  }

  /** The lines of an LF-terminated text file, without their terminators. */
  private static List<String> lines(Path p) throws IOException {
    String text = Files.readString(p, StandardCharsets.UTF_8);
    assertFalse(text.contains("\r"), p + " has CR characters");
    assertTrue(text.endsWith("\n"), p + " does not end with a newline");
    return List.of(text.substring(0, text.length() - 1).split("\n", -1));
  }

  /** meta.csv rows by file name. */
  private static Map<String, String[]> meta() throws IOException {
    Map<String, String[]> m = new HashMap<>();
    List<String> rows = lines(first.resolve("meta.csv"));
    for (String line : rows.subList(1, rows.size())) {
      String[] f = line.split("\t", -1);
      m.put(f[0], f);
    }
    return m;
  }

  @Test
  void csvFilesHaveTheExactTauFormat() throws IOException {
    List<String> meta = lines(first.resolve("meta.csv"));
    assertEquals("filename\tscene_label\tidentifier\tsource_label", meta.get(0));
    for (String line : meta.subList(1, meta.size())) {
      String[] f = line.split("\t", -1);
      assertEquals(4, f.length, line);
      assertTrue(f[0].matches("audio/[a-z_]+-[a-z]+-\\d+-\\d+-(a|b|c|s[1-6])\\.wav"), line);
      String stem = f[0].substring(6, f[0].length() - 4);
      assertTrue(stem.startsWith(f[1] + "-" + f[2] + "-"), "scene and identifier in " + line);
      assertTrue(stem.endsWith("-" + f[3]), "device in " + line);
      assertTrue(f[2].matches("(barcelona|helsinki)-\\d+"), line);
    }
    Path setup = first.resolve("evaluation_setup");
    List<String> train = lines(setup.resolve("fold1_train.csv"));
    List<String> evaluate = lines(setup.resolve("fold1_evaluate.csv"));
    List<String> test = lines(setup.resolve("fold1_test.csv"));
    assertEquals("filename\tscene_label", train.get(0));
    assertEquals("filename\tscene_label", evaluate.get(0));
    assertEquals("filename", test.get(0));
    for (String line : train.subList(1, train.size())) {
      assertEquals(2, line.split("\t", -1).length, line);
    }
    for (String line : test.subList(1, test.size())) {
      assertEquals(1, line.split("\t", -1).length, line);
    }
    assertEquals(meta.size() - 1, train.size() - 1 + evaluate.size() - 1);
    assertEquals(summary.files(), meta.size() - 1);
  }

  @Test
  void everyListedFileIsA24BitMonoWavOfTheRightLength() throws IOException {
    int samples = tiny.clipSamples();
    for (String name : meta().keySet()) {
      Path p = first.resolve(name);
      assertTrue(Files.isRegularFile(p), "missing " + name);
      byte[] b = Files.readAllBytes(p);
      ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals("RIFF", new String(b, 0, 4, StandardCharsets.US_ASCII));
      assertEquals(b.length - 8, h.getInt(4));
      assertEquals("WAVE", new String(b, 8, 4, StandardCharsets.US_ASCII));
      assertEquals("fmt ", new String(b, 12, 4, StandardCharsets.US_ASCII));
      assertEquals(16, h.getInt(16));
      assertEquals(1, h.getShort(20), "PCM");
      assertEquals(1, h.getShort(22), "mono");
      assertEquals(44100, h.getInt(24));
      assertEquals(44100 * 3, h.getInt(28), "byte rate");
      assertEquals(3, h.getShort(32), "block align");
      assertEquals(24, h.getShort(34), "bits");
      assertEquals("data", new String(b, 36, 4, StandardCharsets.US_ASCII));
      assertEquals(samples * 3, h.getInt(40));
      assertEquals(44 + samples * 3, b.length, name);
    }
    long bytes = 0;
    try (Stream<Path> files = Files.list(first.resolve("audio"))) {
      for (Path p : files.toList()) {
        bytes += Files.size(p);
      }
    }
    assertEquals(summary.audioBytes(), bytes);
  }

  @Test
  void foldsAreSplitByLocationWithUnseenDevicesOnlyInEvaluate() throws IOException {
    Map<String, String[]> meta = meta();
    Path setup = first.resolve("evaluation_setup");
    Map<String, String> train = foldLabels(setup.resolve("fold1_train.csv"));
    Map<String, String> evaluate = foldLabels(setup.resolve("fold1_evaluate.csv"));
    List<String> testLines = lines(setup.resolve("fold1_test.csv"));
    assertEquals(evaluate.keySet(), new HashSet<>(testLines.subList(1, testLines.size())));
    Set<String> all = new HashSet<>(train.keySet());
    all.addAll(evaluate.keySet());
    assertEquals(meta.keySet(), all);
    for (Map.Entry<String, String> e : train.entrySet()) {
      assertEquals(meta.get(e.getKey())[1], e.getValue(), "label of " + e.getKey());
    }
    for (Map.Entry<String, String> e : evaluate.entrySet()) {
      assertEquals(meta.get(e.getKey())[1], e.getValue(), "label of " + e.getKey());
    }
    Set<String> trainIds =
        train.keySet().stream().map(f -> meta.get(f)[2]).collect(Collectors.toSet());
    Set<String> evalIds =
        evaluate.keySet().stream().map(f -> meta.get(f)[2]).collect(Collectors.toSet());
    Set<String> both = new TreeSet<>(trainIds);
    both.retainAll(evalIds);
    assertTrue(both.isEmpty(), "locations in both folds: " + both);
    for (String f : train.keySet()) {
      assertFalse(SynthOptions.UNSEEN_DEVICES.contains(meta.get(f)[3]), "unseen in train: " + f);
    }
    Set<String> labels = meta.values().stream().map(r -> r[1]).collect(Collectors.toSet());
    assertEquals(10, labels.size());
    for (String label : labels) {
      for (String device : SEEN) {
        assertTrue(has(train, meta, label, device), label + "/" + device + " missing in train");
        assertTrue(has(evaluate, meta, label, device), label + "/" + device + " not in evaluate");
      }
      for (String device : SynthOptions.UNSEEN_DEVICES) {
        assertTrue(has(evaluate, meta, label, device), label + "/" + device + " not in evaluate");
      }
    }
    // every recording of a segment has the device-a recording with the same pairing key
    Set<String> pairsWithA = meta.keySet().stream().filter(f -> f.endsWith("-a.wav"))
        .map(f -> f.substring(0, f.length() - "-a.wav".length())).collect(Collectors.toSet());
    for (String f : meta.keySet()) {
      assertTrue(pairsWithA.contains(f.substring(0, f.lastIndexOf('-'))), "no device a for " + f);
    }
    assertEquals(summary.files(SynthPlan.TRAIN), train.size());
    assertEquals(summary.files(SynthPlan.EVALUATE), evaluate.size());
    assertEquals(0, summary.files(SynthPlan.TRAIN, "s4"));
  }

  @Test
  void sameSeedGivesIdenticalBytesForAnyThreadCountAndAnotherSeedDiffers() throws IOException {
    Path again = tmp.resolve("again");
    SynthDataset.write(tiny.toBuilder().threads(1).build(), again);
    assertEquals(listing(first), listing(again));
    for (String rel : listing(first)) {
      assertArrayEquals(
          Files.readAllBytes(first.resolve(rel)), Files.readAllBytes(again.resolve(rel)), rel);
    }
    Path other = tmp.resolve("other");
    SynthDataset.write(tiny.toBuilder().seed(43).build(), other);
    int differing = 0;
    int common = 0;
    for (String rel : listing(first)) {
      if (rel.startsWith("audio/") && Files.exists(other.resolve(rel))) {
        common++;
        if (!Arrays.equals(Files.readAllBytes(first.resolve(rel)),
            Files.readAllBytes(other.resolve(rel)))) {
          differing++;
        }
      }
    }
    assertTrue(common > 0);
    assertEquals(common, differing, "files identical across seeds");
  }

  @Test
  void crlfOptionEndsEveryCsvLineWithCrlf() throws IOException {
    Path crlf = tmp.resolve("crlf");
    SynthDataset.write(tiny.toBuilder().crlf(true).clipSeconds(0.05).build(), crlf);
    for (String rel : List.of("meta.csv", "evaluation_setup/fold1_train.csv",
        "evaluation_setup/fold1_evaluate.csv", "evaluation_setup/fold1_test.csv")) {
      String lf = Files.readString(first.resolve(rel));
      String text = Files.readString(crlf.resolve(rel));
      assertEquals(lf.replace("\n", "\r\n"), text, rel);
    }
  }

  @Test
  void summaryCountsMatchThePlan() {
    assertEquals(40, summary.segments());
    assertEquals(summary.files(),
        summary.files(SynthPlan.TRAIN) + summary.files(SynthPlan.EVALUATE));
    assertEquals(summary.files(), summary.audioSeconds(), 1e-9);
    for (String d : List.of("a", "b", "c", "s1", "s2", "s3", "s4", "s5", "s6")) {
      assertEquals(10, summary.files(SynthPlan.EVALUATE, d), d);
    }
    assertEquals(30, summary.files(SynthPlan.TRAIN, "a"));
  }

  private static boolean has(Map<String, String> fold, Map<String, String[]> meta, String label,
      String device) {
    return fold.keySet().stream().anyMatch(f -> meta.get(f)[1].equals(label)
        && meta.get(f)[3].equals(device));
  }

  private static Map<String, String> foldLabels(Path p) throws IOException {
    Map<String, String> m = new HashMap<>();
    List<String> l = lines(p);
    for (String line : l.subList(1, l.size())) {
      String[] f = line.split("\t", -1);
      assertTrue(m.put(f[0], f[1]) == null, "repeated " + f[0]);
    }
    return m;
  }

  private static List<String> listing(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.add(root.relativize(p).toString().replace('\\', '/'));
      }
    }
    out.sort(null);
    return out;
  }
}
