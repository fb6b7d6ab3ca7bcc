package org.ascspark.features.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.ascspark.features.RecordSeeds;
import org.junit.jupiter.api.Test;

/** Random gain: exact scaling by the recorded gain, range, clipping, reproducibility. */
class RandomGainTest {

  private static final int SR = 16000;

  private static float[] signal(int n, double amplitude, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (amplitude * (2 * r.nextDouble() - 1));
    }
    return x;
  }

  @Test
  void outputIsInputTimesTheRecordedGain() {
    RandomGain aug = new RandomGain(-12, 6, false);
    float[] in = signal(4000, 0.4, 1);
    for (int seed = 0; seed < 20; seed++) {
      WaveformAugmentation.Applied out = aug.apply(in, SR, RecordSeeds.rng(seed, "aug/c/0"));
      double g = (Double) out.params().get("gain_db");
      assertTrue(g >= -12 && g <= 6, "gain " + g);
      double factor = Math.pow(10, g / 20);
      assertEquals(in.length, out.samples().length);
      for (int i = 0; i < in.length; i++) {
        assertEquals((float) (in[i] * factor), out.samples()[i]);
        if (in[i] != 0) {
          // float rounding only: 6e-8 relative
          assertEquals(factor, out.samples()[i] / (double) in[i], factor * 1e-7);
        }
      }
    }
  }

  @Test
  void neutralRangeIsTheIdentityAndAFixedRangeGivesThatGain() {
    float[] in = signal(1000, 0.9, 2);
    WaveformAugmentation.Applied out = new RandomGain(0, 0, true).apply(in, SR,
        new SplittableRandom(5));
    assertNotSame(in, out.samples());
    assertArrayEquals(in, out.samples());
    assertEquals(Map.of("gain_db", 0.0), out.params());
    WaveformAugmentation.Applied fixed = new RandomGain(-6, -6, false).apply(in, SR,
        new SplittableRandom(5));
    assertEquals(-6.0, fixed.params().get("gain_db"));
    assertArrayEquals(RandomGain.scale(in, -6, false), fixed.samples());
  }

  @Test
  void clipLimitsToFullScaleOnlyWhenAsked() {
    float[] in = signal(2000, 0.9, 3);
    float[] clipped = RandomGain.scale(in, 12, true);
    float[] free = RandomGain.scale(in, 12, false);
    double factor = Math.pow(10, 12 / 20.0);
    int over = 0;
    for (int i = 0; i < in.length; i++) {
      float scaled = (float) (in[i] * factor);
      assertEquals(scaled, free[i]);
      assertEquals(Math.max(-1f, Math.min(1f, scaled)), clipped[i]);
      over += Math.abs(scaled) > 1 ? 1 : 0;
    }
    assertTrue(over > 100, "test signal should exceed full scale after +12 dB");
  }

  @Test
  void gainsAreUniformOverTheRange() {
    RandomGain aug = new RandomGain(-10, 10, false);
    SplittableRandom rng = new SplittableRandom(11);
    int n = 4000;
    double sum = 0;
    double lo = 10;
    double hi = -10;
    for (int i = 0; i < n; i++) {
      double g = (Double) aug.apply(new float[1], SR, rng).params().get("gain_db");
      sum += g;
      lo = Math.min(lo, g);
      hi = Math.max(hi, g);
    }
    // uniform on [-10, 10]: sd 20 / sqrt(12) = 5.77, standard error of the mean 0.091; 5 se
    assertEquals(0.0, sum / n, 0.46);
    assertTrue(lo < -9.9 && hi > 9.9, "range [" + lo + ", " + hi + "]");
  }

  @Test
  void deterministicPerSeedAndInputUnchanged() {
    RandomGain aug = new RandomGain(-6, 6, true);
    float[] in = signal(500, 0.5, 4);
    float[] before = in.clone();
    WaveformAugmentation.Applied a = aug.apply(in, SR, RecordSeeds.rng(9, "aug/clip/1"));
    WaveformAugmentation.Applied b = aug.apply(in, SR, RecordSeeds.rng(9, "aug/clip/1"));
    WaveformAugmentation.Applied c = aug.apply(in, SR, RecordSeeds.rng(9, "aug/clip/2"));
    assertEquals(a.params(), b.params());
    assertArrayEquals(a.samples(), b.samples());
    assertNotEquals(a.params(), c.params());
    assertArrayEquals(before, in);
    assertEquals("gain", aug.name());
  }

  @Test
  void badRangesAreRejected() {
    IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
        () -> new RandomGain(3, -3, false));
    assertTrue(order.getMessage().contains("max-db") && order.getMessage().contains("min-db"),
        order.getMessage());
    IllegalArgumentException min = assertThrows(IllegalArgumentException.class,
        () -> new RandomGain(Double.NaN, 0, false));
    assertTrue(min.getMessage().contains("min-db") && min.getMessage().contains("NaN"));
    IllegalArgumentException max = assertThrows(IllegalArgumentException.class,
        () -> new RandomGain(0, 80, false));
    assertTrue(max.getMessage().contains("max-db") && max.getMessage().contains("80"));
  }
}
