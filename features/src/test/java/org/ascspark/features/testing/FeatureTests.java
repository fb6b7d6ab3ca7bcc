package org.ascspark.features.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

/** Test signals and feature-array assertions shared by the front ends' invariant tests. */
public final class FeatureTests {
  private FeatureTests() {}

  /** @return amplitude · cos(2π f t) sampled at sampleRateHz, n samples */
  public static float[] tone(double fHz, int n, double amplitude, int sampleRateHz) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (amplitude * Math.cos(2 * Math.PI * fHz * i / sampleRateHz));
    }
    return x;
  }

  /** @return n uniform samples in [-0.5, 0.5) from the seed */
  public static float[] noise(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextDouble() - 0.5);
    }
    return x;
  }

  /** @return the bin with the largest mean over frames of a [bins][frames] array */
  public static int argmaxOfMean(float[][] binsByFrame) {
    int best = -1;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < binsByFrame.length; k++) {
      double s = 0;
      for (float v : binsByFrame[k]) {
        s += v;
      }
      if (s > bestValue) {
        bestValue = s;
        best = k;
      }
    }
    return best;
  }

  /** Asserts a [channels][bins][frames] array has exactly that shape. */
  public static void assertShape(float[][][] a, int channels, int bins, int frames) {
    assertEquals(channels, a.length, "channels");
    for (float[][] ch : a) {
      assertEquals(bins, ch.length, "bins");
      for (float[] row : ch) {
        assertEquals(frames, row.length, "frames");
      }
    }
  }

  /** Asserts two [channels][bins][frames] arrays are equal value for value. */
  public static void assertDeepEquals(float[][][] a, float[][][] b) {
    assertEquals(a.length, b.length);
    for (int c = 0; c < a.length; c++) {
      assertEquals(a[c].length, b[c].length);
      for (int i = 0; i < a[c].length; i++) {
        assertArrayEquals(a[c][i], b[c][i], 0f);
      }
    }
  }
}
