package org.ascspark.features.augment;

import static org.ascspark.features.augment.WsolaTest.SR;
import static org.ascspark.features.augment.WsolaTest.assertMessage;
import static org.ascspark.features.augment.WsolaTest.frequencyHz;
import static org.ascspark.features.augment.WsolaTest.noise;
import static org.ascspark.features.augment.WsolaTest.rms;
import static org.ascspark.features.augment.WsolaTest.tone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ascspark.features.RecordSeeds;
import org.ascspark.features.augment.TempoChange.LengthMode;
import org.ascspark.features.augment.WaveformAugmentation.Applied;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link TempoChange}: drawing, length modes, pitch kept, determinism, validation. */
class TempoChangeTest {

  private static final Wsola.Params P = Wsola.Params.SOX_DEFAULT;

  @Test
  void defaultsAreRepeatAndSoxParameters() {
    TempoChange t = TempoChange.ofFactors(TempoChange.CLOVA_FACTORS);
    assertEquals(LengthMode.REPEAT, t.lengthMode());
    assertEquals(new Wsola.Params(82, 14.68, 12), t.wsola());
    assertEquals(LengthMode.REPEAT, SpeedChange.ofFactors(List.of(0.9)).lengthMode());
    assertEquals(Wsola.Params.SOX_DEFAULT, PitchShift.ofSemitones(List.of(1.0)).wsola());
  }

  private static TempoChange clova(LengthMode mode) {
    return TempoChange.ofFactors(TempoChange.CLOVA_FACTORS, mode, P);
  }

  @Test
  void drawsEveryListedFactorAndRecordsIt() {
    TempoChange t = clova(LengthMode.NATURAL);
    assertEquals("tempo", t.name());
    float[] x = noise(SR / 2, 0.3, 1);
    Set<Double> seen = new HashSet<>();
    for (int v = 0; v < 40; v++) {
      Applied a = t.apply(x, SR, RecordSeeds.rng(42, "aug/clip-1/" + v));
      assertEquals(Set.of("factor"), a.params().keySet());
      double f = (Double) a.params().get("factor");
      assertTrue(TempoChange.CLOVA_FACTORS.contains(f), "drew " + f);
      assertEquals(Math.round(x.length / f), a.samples().length);
      seen.add(f);
    }
    assertEquals(new HashSet<>(TempoChange.CLOVA_FACTORS), seen);
  }

  @Test
  void rangeDrawsStayInTheRange() {
    TempoChange t = TempoChange.ofFactorRange(0.8, 1.2, LengthMode.NATURAL, P);
    float[] x = noise(SR / 4, 0.3, 2);
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (int v = 0; v < 50; v++) {
      double f = (Double) t.apply(x, SR, RecordSeeds.rng(1, "v" + v)).params().get("factor");
      assertTrue(f >= 0.8 && f <= 1.2, "drew " + f);
      lo = Math.min(lo, f);
      hi = Math.max(hi, f);
    }
    assertTrue(lo < 0.9 && hi > 1.1, "draws cover the range: [" + lo + ", " + hi + "]");
  }

  @Test
  void keepsThePitchOfATone() {
    float[] x = tone(440, 0.5, SR, 2 * SR);
    for (double f : WsolaTest.CLOVA) {
      TempoChange t = TempoChange.ofFactors(List.of(f), LengthMode.REPEAT, P);
      Applied a = t.apply(x, SR, RecordSeeds.rng(0, "x"));
      assertEquals(x.length, a.samples().length);
      // Only the stretched part: with f > 1 the repeat padding after it has a phase seam.
      int stretched = (int) Math.min(x.length, Math.round(x.length / f));
      assertEquals(440, frequencyHz(Arrays.copyOf(a.samples(), stretched), SR), 440 * 1e-3,
          "f=" + f);
    }
  }

  @Test
  void lengthModes() {
    float[] x = tone(440, 0.5, SR, 2 * SR);
    int n = x.length;
    float[] natural = Wsola.stretch(x, SR, 1.25, P);
    // Faster: shorter, then padded back to n.
    float[] zero = one(1.25, LengthMode.ZERO_PAD).apply(x, SR, RecordSeeds.rng(0, "a")).samples();
    assertEquals(n, zero.length);
    assertArrayEquals(natural, Arrays.copyOf(zero, natural.length), 0f);
    assertEquals(0.0, rms(zero, natural.length, n), 0.0);
    float[] rep = one(1.25, LengthMode.REPEAT).apply(x, SR, RecordSeeds.rng(0, "a")).samples();
    assertEquals(n, rep.length);
    int fade = (int) Math.round(TempoChange.REPEAT_CROSSFADE_MS * SR / 1000);
    assertArrayEquals(Arrays.copyOf(natural, natural.length - fade),
        Arrays.copyOf(rep, natural.length - fade), 0f);
    // After the seam the stretched signal starts over.
    assertArrayEquals(Arrays.copyOfRange(natural, fade, fade + n - natural.length),
        Arrays.copyOfRange(rep, natural.length, n), 0f);
    assertEquals(0.5 / Math.sqrt(2), rms(rep, natural.length - 2 * fade, n), 0.02);
    // Slower: longer, cropped to the first n samples in both keep modes.
    float[] slow = Wsola.stretch(x, SR, 0.75, P);
    for (LengthMode m : new LengthMode[] {LengthMode.ZERO_PAD, LengthMode.REPEAT}) {
      float[] y = one(0.75, m).apply(x, SR, RecordSeeds.rng(0, "b")).samples();
      assertArrayEquals(Arrays.copyOf(slow, n), y, 0f);
    }
    assertEquals(slow.length,
        one(0.75, LengthMode.NATURAL).apply(x, SR, RecordSeeds.rng(0, "b")).samples().length);
  }

  @Test
  void repeatPaddingWorksWhenTheSignalMustRepeatSeveralTimes() {
    float[] y = {1, 2, 3, 4, 5};
    float[] out = LengthMode.REPEAT.fit(y, 23, 1000);
    assertEquals(23, out.length);
    // fade = min(12 ms at 1 kHz = 12, 5 / 2) = 2 samples; the copies start every 3 samples.
    for (int i = 0; i < 3; i++) {
      assertEquals(y[i], out[i], 0f);
    }
    for (int start = 3; start + 5 <= 23; start += 3) {
      assertEquals(y[2], out[start + 2], 0f, "copy at " + start);
    }
    assertEquals(0, LengthMode.REPEAT.fit(new float[0], 7, SR)[3], 0f);
  }

  @Test
  void factorOneIsTheIdentity() {
    float[] x = noise(SR, 0.4, 3);
    for (LengthMode m : LengthMode.values()) {
      Applied a = TempoChange.ofFactors(List.of(1.0), m, P).apply(x, SR, RecordSeeds.rng(0, "c"));
      assertNotSame(x, a.samples());
      assertArrayEquals(x, a.samples(), 0f);
      assertEquals(Map.of("factor", 1.0), a.params());
    }
  }

  @Test
  void deterministicPerSeedAndInputsUnchanged() {
    float[] x = noise(SR, 0.4, 4);
    float[] copy = x.clone();
    TempoChange t = clova(LengthMode.REPEAT);
    List<Object> first = new ArrayList<>();
    List<Object> second = new ArrayList<>();
    for (int v = 0; v < 6; v++) {
      Applied a = t.apply(x, SR, RecordSeeds.rng(7, "aug/c/" + v));
      Applied b = t.apply(x, SR, RecordSeeds.rng(7, "aug/c/" + v));
      assertArrayEquals(a.samples(), b.samples(), 0f);
      assertEquals(a.params(), b.params());
      first.add(a.params().get("factor"));
      second.add(t.apply(x, SR, RecordSeeds.rng(8, "aug/c/" + v)).params().get("factor"));
    }
    assertArrayEquals(copy, x, 0f);
    assertFalse(first.equals(second), "another global seed draws other factors");
  }

  @Test
  void serializableAndStillEqualInBehaviour() throws IOException, ClassNotFoundException {
    TempoChange t = clova(LengthMode.REPEAT);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(t);
    }
    TempoChange back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (TempoChange) in.readObject();
    }
    float[] x = noise(SR / 2, 0.4, 5);
    assertArrayEquals(t.apply(x, SR, RecordSeeds.rng(1, "s")).samples(),
        back.apply(x, SR, RecordSeeds.rng(1, "s")).samples(), 0f);
    assertEquals(t.toString(), back.toString());
  }

  @Test
  void invalidConfigNamesItsKey() {
    assertMessage("factors", () -> TempoChange.ofFactors(List.of(), LengthMode.REPEAT, P));
    assertMessage("factors", () -> TempoChange.ofFactors(null, LengthMode.REPEAT, P));
    assertMessage("factors", () -> TempoChange.ofFactors(List.of(0.75, 0.0), LengthMode.REPEAT, P));
    assertMessage("factors",
        () -> TempoChange.ofFactors(List.of(Double.NaN), LengthMode.REPEAT, P));
    assertMessage("factors", () -> TempoChange.ofFactors(List.of(5.0), LengthMode.REPEAT, P));
    assertMessage("factor-range", () -> TempoChange.ofFactorRange(1.2, 0.8, LengthMode.REPEAT, P));
    assertMessage("factor-range", () -> TempoChange.ofFactorRange(0.1, 0.8, LengthMode.REPEAT, P));
    assertThrowsNpe(() -> TempoChange.ofFactors(List.of(1.1), null, P), "length");
    assertThrowsNpe(() -> TempoChange.ofFactors(List.of(1.1), LengthMode.REPEAT, null), "wsola");
  }

  private static void assertThrowsNpe(Executable call, String key) {
    NullPointerException e = assertThrows(NullPointerException.class, call);
    assertEquals(key, e.getMessage());
  }

  private static TempoChange one(double f, LengthMode mode) {
    return TempoChange.ofFactors(List.of(f), mode, P);
  }
}
