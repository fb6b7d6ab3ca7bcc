package org.ascspark.features.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ascspark.features.testing.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Decodes every WAV file of the shared data folder and compares it with the independent scipy/stdlib
 * decoding stored by tools/reference/make_audio_refs.py. Skipped when ../shared is absent.
 */
class WavSharedDataTest {

  private static final String[] DECODE_REFERENCES = {
    "decode-real.json", "decode-wav-edge-cases.json", "decode-micirp.json"
  };

  private static List<Map<String, Object>> entries() {
    List<Map<String, Object>> all = new ArrayList<>();
    for (String name : DECODE_REFERENCES) {
      for (Object o : Json.list(AudioTestData.reference(name).get("files"))) {
        all.add(Json.obj(o));
      }
    }
    return all;
  }

  private static Path sharedOrSkip() {
    Optional<Path> dir = AudioTestData.sharedDataDir();
    assumeTrue(dir.isPresent(), "shared data folder ../shared/data is absent: skipping");
    return dir.get();
  }

  @TestFactory
  Stream<DynamicTest> everySharedFileMatchesItsReference() {
    Path data = sharedOrSkip();
    return entries().stream().map(e -> DynamicTest.dynamicTest((String) e.get("path"),
        () -> check(data.resolve((String) e.get("path")), e)));
  }

  @Test
  void everySharedWavHasAReference() throws IOException {
    Path data = sharedOrSkip();
    Set<String> referenced = entries().stream().map(e -> (String) e.get("path"))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> present = new TreeSet<>();
    for (String folder : List.of("real", "wav-edge-cases", "micirp")) {
      try (Stream<Path> files = Files.list(data.resolve(folder))) {
        files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
            .forEach(p -> present.add(folder + "/" + p.getFileName()));
      }
    }
    assertEquals(present, referenced, "rerun python3 tools/reference/make_audio_refs.py");
  }

  private static void check(Path file, Map<String, Object> ref) {
    byte[] bytes = AudioTestData.readAll(file);
    if (Boolean.TRUE.equals(ref.get("expect_reject"))) {
      WavFormatException e =
          assertThrows(WavFormatException.class, () -> WavDecoder.decode(bytes));
      String name = (String) ref.get("encoding_name");
      assertTrue(e.reason().contains(name), "reason '" + e.reason() + "' should name " + name);
      return;
    }
    WavAudio a = WavDecoder.decode(bytes);
    assertEquals(num(ref, "sample_rate_hz"), a.sampleRateHz(), "sample rate");
    assertEquals(num(ref, "channels"), a.channelCount(), "channels");
    assertEquals(num(ref, "frames"), a.frames(), "frames");
    assertEquals(num(ref, "bits_per_sample"), a.bitsPerSample(), "bits");
    assertEquals(ref.get("encoding"), a.encoding(), "encoding");
    List<Object> hashes = Json.list(ref.get("sha256_f32le"));
    List<Object> first = Json.list(ref.get("first_samples"));
    List<Object> positions = Json.list(ref.get("positions"));
    List<Object> atPositions = Json.list(ref.get("samples_at_positions"));
    for (int c = 0; c < a.channelCount(); c++) {
      float[] x = a.channel(c);
      // Sample comparisons first: they say where a mismatch is, the hash only that there is one.
      List<Object> f = Json.list(first.get(c));
      for (int i = 0; i < f.size(); i++) {
        assertEquals((float) (double) (Double) f.get(i), x[i], 0f, "channel " + c + " frame " + i);
      }
      List<Object> v = Json.list(atPositions.get(c));
      for (int i = 0; i < positions.size(); i++) {
        int p = (int) (double) (Double) positions.get(i);
        assertEquals((float) (double) (Double) v.get(i), x[p], 0f, "channel " + c + " frame " + p);
      }
      assertEquals(hashes.get(c), sha256(x), "SHA-256 of channel " + c);
    }
  }

  private static int num(Map<String, Object> m, String key) {
    return (int) (double) (Double) m.get(key);
  }

  /** SHA-256 of the float32 little-endian bytes, as the reference script computes it. */
  static String sha256(float[] x) {
    ByteBuffer b = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(x);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
