package org.ascspark.features.augment;

import static org.ascspark.features.augment.WsolaTest.SR;
import static org.ascspark.features.augment.WsolaTest.assertMessage;
import static org.ascspark.features.augment.WsolaTest.frequencyHz;
import static org.ascspark.features.augment.WsolaTest.noise;
import static org.ascspark.features.augment.WsolaTest.tone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ascspark.features.RecordSeeds;
import org.ascspark.features.augment.TempoChange.LengthMode;
import org.ascspark.features.augment.WaveformAugmentation.Applied;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SpeedChange}: tone and duration scale together; rate pairs; identity; validation. */
class SpeedChangeTest {

  /** Tone x f and duration / f (issue: within 1%; asserted 0.1% and +-1 sample). */
  @ParameterizedTest
  @ValueSource(doubles = {0.75, 0.85, 0.9, 1.15, 1.25, 1.0594630943592953})
  void toneAndDurationScaleTogether(double f) {
    int n = 3 * SR;
    float[] x = tone(440, 0.5, SR, n);
    Applied a = SpeedChange.ofFactors(List.of(f), LengthMode.NATURAL)
        .apply(x, SR, RecordSeeds.rng(0, "s"));
    double ratio = (Double) a.params().get("ratio");
    assertEquals(f, (Double) a.params().get("factor"), 0.0);
    assertEquals(f, ratio, 2e-5 * f);
    float[] y = a.samples();
    assertEquals(n / ratio, y.length, 1.0, "length, f=" + f);
    assertEquals(n / f, y.length, 0.01 * n / f);
    assertEquals(440 * ratio, frequencyHz(y, SR), 440 * ratio * 1e-3, "f=" + f);
  }

  @Test
  void keepLengthModesRestoreTheInputLength() {
    float[] x = tone(440, 0.5, SR, 2 * SR);
    for (double f : WsolaTest.CLOVA) {
      float[] natural = SpeedChange.changeSpeed(x, f);
      for (LengthMode m : new LengthMode[] {LengthMode.ZERO_PAD, LengthMode.REPEAT}) {
        float[] y = SpeedChange.ofFactors(List.of(f), m).apply(x, SR, RecordSeeds.rng(0, "k"))
            .samples();
        assertEquals(x.length, y.length);
        int common = Math.min(x.length, natural.length) - (f > 1 ? SR / 50 : 0);
        assertArrayEquals(Arrays.copyOf(natural, common), Arrays.copyOf(y, common), 0f);
      }
    }
  }

  @Test
  void ratePairsAreExactForSimpleFactorsAndCloseForSemitones() {
    assertArrayEquals(new int[] {3, 4}, SpeedChange.ratePair(0.75));
    assertArrayEquals(new int[] {17, 20}, SpeedChange.ratePair(0.85));
    assertArrayEquals(new int[] {23, 20}, SpeedChange.ratePair(1.15));
    assertArrayEquals(new int[] {5, 4}, SpeedChange.ratePair(1.25));
    assertArrayEquals(new int[] {1, 1}, SpeedChange.ratePair(1.0));
    assertArrayEquals(new int[] {355, 113}, SpeedChange.ratePair(Math.PI));
    assertArrayEquals(new int[] {196, 185}, SpeedChange.ratePair(Math.pow(2, 1 / 12.0)));
    for (int quarter = -48; quarter <= 48; quarter++) {
      double r = Math.pow(2, quarter / 48.0);
      int[] pq = SpeedChange.ratePair(r);
      assertTrue(pq[1] <= SpeedChange.MAX_DENOMINATOR);
      assertEquals(r, (double) pq[0] / pq[1], 1.6e-5 * r, quarter / 4.0 + " semitones");
    }
    // Documented limit: within 1e-3 of a simple fraction the cap on q snaps to it.
    assertArrayEquals(new int[] {1, 1}, SpeedChange.ratePair(1.0005));
    assertMessage("ratio", () -> SpeedChange.ratePair(0));
    assertArrayEquals(new int[] {21, 20}, SpeedChange.gridPair(1.0512));
    assertArrayEquals(new int[] {1, 1}, SpeedChange.gridPair(0.9976));
    assertArrayEquals(new int[] {191, 200}, SpeedChange.gridPair(0.955));
  }

  @Test
  void factorOneIsTheIdentityAndInputsAreUnchanged() {
    float[] x = noise(SR, 0.4, 3);
    float[] copy = x.clone();
    Applied a = SpeedChange.ofFactors(List.of(1.0), LengthMode.REPEAT)
        .apply(x, SR, RecordSeeds.rng(0, "i"));
    assertNotSame(x, a.samples());
    assertArrayEquals(x, a.samples(), 0f);
    assertEquals(Map.of("factor", 1.0, "ratio", 1.0), a.params());
    SpeedChange s = SpeedChange.ofFactorRange(0.9, 1.1, LengthMode.NATURAL);
    assertEquals("speed", s.name());
    for (int v = 0; v < 5; v++) {
      Applied b = s.apply(x, SR, RecordSeeds.rng(5, "aug/c/" + v));
      Applied c = s.apply(x, SR, RecordSeeds.rng(5, "aug/c/" + v));
      assertArrayEquals(b.samples(), c.samples(), 0f);
      assertEquals(b.params(), c.params());
      double f = (Double) b.params().get("factor");
      assertTrue(f >= 0.9 && f <= 1.1);
      double ratio = (Double) b.params().get("ratio");
      assertEquals(f, ratio, 0.5 / SpeedChange.RANGE_RATIO_GRID + 1e-12, "ratio on the grid");
      assertEquals(Math.rint(ratio * 200), ratio * 200, 1e-9);
      assertEquals(x.length / (Double) b.params().get("ratio"), b.samples().length, 1.0);
    }
    assertArrayEquals(copy, x, 0f);
  }

  @Test
  void invalidConfigNamesItsKey() {
    assertMessage("factors", () -> SpeedChange.ofFactors(List.of(), LengthMode.NATURAL));
    assertMessage("factors", () -> SpeedChange.ofFactors(List.of(0.1), LengthMode.NATURAL));
    assertMessage("factor-range", () -> SpeedChange.ofFactorRange(1.1, 0.9, LengthMode.NATURAL));
    assertMessage("factor-range",
        () -> SpeedChange.ofFactorRange(0.9, Double.POSITIVE_INFINITY, LengthMode.NATURAL));
  }
}
