package org.ascspark.features.augment;

import static org.ascspark.features.augment.WsolaTest.SR;
import static org.ascspark.features.augment.WsolaTest.assertMessage;
import static org.ascspark.features.augment.WsolaTest.frequencyHz;
import static org.ascspark.features.augment.WsolaTest.noise;
import static org.ascspark.features.augment.WsolaTest.rms;
import static org.ascspark.features.augment.WsolaTest.tone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ascspark.features.RecordSeeds;
import org.ascspark.features.augment.WaveformAugmentation.Applied;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link PitchShift}: a tone moves by 2^(s/12), the length stays, zero is the identity. */
class PitchShiftTest {

  private static final Wsola.Params P = Wsola.Params.SOX_DEFAULT;

  /**
   * Issue: the tone moves by 2^(s/12) within 1% and the length is unchanged. Asserted: length
   * exactly n; frequency within 0.1% of 440 Hz x the recorded effective ratio (measured: within
   * 1.8e-5; 3.3e-5 of 440 x 2^(s/12)); recorded ratio within 1e-4 of 2^(s/12); level within 2%
   * (measured: 6.5e-5).
   */
  @ParameterizedTest
  @ValueSource(doubles = {-12, -3, -2, -1, -0.5, 0.5, 1, 2, 3, 7})
  void toneMovesBySemitonesAndLengthIsKept(double s) {
    for (int n : new int[] {3 * SR, 2 * SR + 37}) {
      float[] x = tone(440, 0.5, SR, n);
      Applied a = PitchShift.ofSemitones(List.of(s), P).apply(x, SR, RecordSeeds.rng(1, "p"));
      float[] y = a.samples();
      assertEquals(n, y.length, "length, s=" + s);
      double ratio = (Double) a.params().get("ratio");
      assertEquals(s, (Double) a.params().get("semitones"), 0.0);
      assertEquals(Math.pow(2, s / 12), ratio, 1e-4 * ratio);
      assertEquals(440 * ratio, frequencyHz(y, SR), 440 * ratio * 1e-3, "s=" + s);
      assertEquals(0.5 / Math.sqrt(2), rms(y, SR / 10, n - SR / 10), 0.007, "level, s=" + s);
    }
  }

  @Test
  void zeroSemitonesIsTheIdentity() {
    float[] x = noise(SR, 0.4, 3);
    Applied a = PitchShift.ofSemitones(List.of(0.0), P).apply(x, SR, RecordSeeds.rng(0, "z"));
    assertNotSame(x, a.samples());
    assertArrayEquals(x, a.samples(), 0f);
    assertEquals(Map.of("semitones", 0.0, "ratio", 1.0), a.params());
  }

  @Test
  void drawsFromTheListOrRangeDeterministically() {
    PitchShift list = PitchShift.ofSemitones(List.of(-2.0, -1.0, 1.0, 2.0), P);
    assertEquals("pitch", list.name());
    float[] x = noise(SR / 2, 0.4, 4);
    float[] copy = x.clone();
    Set<Double> seen = new HashSet<>();
    for (int v = 0; v < 30; v++) {
      Applied a = list.apply(x, SR, RecordSeeds.rng(3, "aug/c/" + v));
      Applied b = list.apply(x, SR, RecordSeeds.rng(3, "aug/c/" + v));
      assertArrayEquals(a.samples(), b.samples(), 0f);
      assertEquals(a.params(), b.params());
      assertEquals(x.length, a.samples().length);
      seen.add((Double) a.params().get("semitones"));
    }
    assertEquals(Set.of(-2.0, -1.0, 1.0, 2.0), seen);
    PitchShift range = PitchShift.ofSemitoneRange(-1.5, 1.5, P);
    for (int v = 0; v < 10; v++) {
      Applied a = range.apply(x, SR, RecordSeeds.rng(3, "r" + v));
      double s = (Double) a.params().get("semitones");
      assertTrue(s >= -1.5 && s <= 1.5, "drew " + s);
      // Range draws use ratios on the 1/200 grid (bounded resampler cache).
      double ratio = (Double) a.params().get("ratio");
      assertEquals(Math.pow(2, s / 12), ratio, 0.5 / SpeedChange.RANGE_RATIO_GRID + 1e-12);
      assertEquals(Math.rint(ratio * 200), ratio * 200, 1e-9);
      assertEquals(x.length, a.samples().length);
    }
    assertArrayEquals(copy, x, 0f);
  }

  @Test
  void invalidConfigNamesItsKey() {
    assertMessage("semitones", () -> PitchShift.ofSemitones(List.of(), P));
    assertMessage("semitones", () -> PitchShift.ofSemitones(List.of(1.0, 13.0), P));
    assertMessage("semitones", () -> PitchShift.ofSemitones(List.of(Double.NaN), P));
    assertMessage("semitone-range", () -> PitchShift.ofSemitoneRange(2, 1, P));
    assertMessage("semitone-range", () -> PitchShift.ofSemitoneRange(-20, 1, P));
  }
}
