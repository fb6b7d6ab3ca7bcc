package org.ascspark.features.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ascspark.features.RecordSeeds;
import org.junit.jupiter.api.Test;

/** Mixup: exact weights, exact mixing, Beta(α, α) moments, reproducible draws. */
class MixupTest {

  private static float[] signal(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (2 * r.nextDouble() - 1);
    }
    return x;
  }

  private static float[][][] features(int c, int b, int t, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][][] f = new float[c][b][t];
    for (float[][] ch : f) {
      for (float[] row : ch) {
        for (int i = 0; i < t; i++) {
          row[i] = (float) (10 * r.nextDouble() - 5);
        }
      }
    }
    return f;
  }

  @Test
  void weightsSumToExactlyOne() {
    double[] lambdas = new double[2003];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 2000; i++) {
      lambdas[i] = r.nextDouble();
    }
    lambdas[2000] = 0.0;
    lambdas[2001] = 1.0;
    lambdas[2002] = 0.1;
    float[] a = signal(3, 1);
    float[] b = signal(3, 2);
    for (double lambda : lambdas) {
      Mixup.Mix<float[]> m = Mixup.mix(a, b, lambda);
      assertEquals(lambda, m.weightA());
      assertEquals(1.0, m.weightA() + m.weightB(), 0.0, "lambda " + lambda);
    }
    Mixup mixup = new Mixup(0.2, false);
    for (int i = 0; i < 1000; i++) {
      double lambda = mixup.drawLambda(r);
      Mixup.Mix<float[][][]> m = Mixup.mix(new float[1][1][1], new float[1][1][1], lambda);
      assertEquals(1.0, m.weightA() + m.weightB(), 0.0, "lambda " + lambda);
    }
  }

  @Test
  void mixIsTheWeightedSumRoundedOnce() {
    float[] a = signal(1000, 3);
    float[] b = signal(1000, 4);
    double lambda = 0.3141592653589793;
    Mixup.Mix<float[]> m = Mixup.mix(a, b, lambda);
    for (int i = 0; i < a.length; i++) {
      assertEquals((float) (lambda * a[i] + (1 - lambda) * b[i]), m.mixed()[i]);
    }
    float[][][] fa = features(2, 8, 30, 5);
    float[][][] fb = features(2, 8, 30, 6);
    Mixup.Mix<float[][][]> fm = Mixup.mix(fa, fb, lambda);
    for (int c = 0; c < 2; c++) {
      for (int k = 0; k < 8; k++) {
        // features mix row by row exactly as waveforms do
        assertArrayEquals(Mixup.mix(fa[c][k], fb[c][k], lambda).mixed(), fm.mixed()[c][k]);
      }
    }
    assertEquals(lambda, fm.weightA());
  }

  @Test
  void lambdaOneGivesAAndZeroGivesB() {
    float[] a = signal(100, 7);
    float[] b = signal(100, 8);
    b[3] = Float.NaN;
    assertArrayEquals(a, Mixup.mix(a, b, 1.0).mixed());
    b[3] = 0.5f;
    a[5] = Float.POSITIVE_INFINITY;
    assertArrayEquals(b, Mixup.mix(a, b, 0.0).mixed());
    float[][][] fa = features(1, 4, 10, 1);
    float[][][] fb = features(1, 4, 10, 2);
    float[][][] one = Mixup.mix(fa, fb, 1.0).mixed();
    for (int k = 0; k < 4; k++) {
      assertArrayEquals(fa[0][k], one[0][k]);
    }
    double[] ya = {0, 1, 0};
    double[] yb = {0.2, 0.3, 0.5};
    assertArrayEquals(ya, Mixup.mixLabels(ya, yb, 1.0));
    assertArrayEquals(yb, Mixup.mixLabels(ya, yb, 0.0));
  }

  @Test
  void mixedLabelsAreTheWeightedSumAndStayNormalised() {
    SplittableRandom r = new SplittableRandom(9);
    for (int i = 0; i < 1000; i++) {
      double lambda = r.nextDouble();
      double[] ya = new double[10];
      double[] yb = new double[10];
      ya[r.nextInt(10)] = 1;
      yb[r.nextInt(10)] = 1;
      double[] y = Mixup.mixLabels(ya, yb, lambda);
      double sum = 0;
      for (int k = 0; k < 10; k++) {
        assertEquals(lambda * ya[k] + (1 - lambda) * yb[k], y[k], 0.0);
        sum += y[k];
      }
      // one-hot labels: the sum is λ + (1 - λ) (or 1 for equal classes), exactly 1
      assertEquals(1.0, sum, 0.0);
    }
  }

  @Test
  void drawLambdaIsDeterministicPerSeed() {
    Mixup mixup = new Mixup(0.4, false);
    double a = mixup.drawLambda(RecordSeeds.rng(5, "batch/17"));
    double b = mixup.drawLambda(RecordSeeds.rng(5, "batch/17"));
    double c = mixup.drawLambda(RecordSeeds.rng(5, "batch/18"));
    assertEquals(a, b, 0.0);
    assertNotEquals(a, c);
    // exactly one long is taken from the stream
    SplittableRandom s1 = new SplittableRandom(3);
    SplittableRandom s2 = new SplittableRandom(3);
    mixup.drawLambda(s1);
    s2.nextLong();
    assertEquals(s2.nextLong(), s1.nextLong());
  }

  /**
   * Sample moments of n = 10000 draws against Beta(α, α): mean 1/2, variance σ² = 1 / (4 (2α +
   * 1)). The standard error of the mean is σ / sqrt(n) (0.0037 for α = 0.4); that of the sample
   * variance is sqrt((μ4 - σ⁴) / n), with μ4 = (3 + κ) σ⁴ and excess kurtosis κ = -6 / (2α + 3)
   * for a symmetric Beta, i.e. σ² sqrt((2 + κ) / n) (0.0009 for α = 0.4). Tolerances are 5
   * standard errors (a false failure has probability below 1e-6; the seed is fixed anyway).
   */
  @Test
  void lambdaHasTheBetaMoments() {
    int n = 10000;
    for (double alpha : new double[] {0.2, 0.4}) {
      Mixup mixup = new Mixup(alpha, false);
      SplittableRandom rng = new SplittableRandom(2024);
      double[] x = new double[n];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        x[i] = mixup.drawLambda(rng);
        double v = x[i];
        assertTrue(v >= 0 && v <= 1, () -> "lambda " + v);
        sum += x[i];
      }
      double mean = sum / n;
      double ss = 0;
      for (double v : x) {
        ss += (v - mean) * (v - mean);
      }
      double variance = ss / (n - 1);
      double sigma2 = 1.0 / (4.0 * (2.0 * alpha + 1.0));
      double kappa = -6.0 / (2.0 * alpha + 3.0);
      double seMean = Math.sqrt(sigma2 / n);
      double seVar = sigma2 * Math.sqrt((2.0 + kappa) / n);
      assertEquals(0.5, mean, 5 * seMean, "mean, alpha " + alpha);
      assertEquals(sigma2, variance, 5 * seVar, "variance, alpha " + alpha);
    }
  }

  @Test
  void keepMaxFoldsTheSameDraw() {
    Mixup plain = new Mixup(0.4, false);
    Mixup folded = new Mixup(0.4, true);
    boolean sawLow = false;
    for (int seed = 0; seed < 500; seed++) {
      double l = plain.drawLambda(new SplittableRandom(seed));
      double m = folded.drawLambda(new SplittableRandom(seed));
      assertEquals(Math.max(l, 1 - l), m, 0.0);
      assertTrue(m >= 0.5);
      sawLow |= l < 0.5;
    }
    assertTrue(sawLow);
  }

  @Test
  void inputsAreNotModified() {
    float[] a = signal(50, 1);
    float[] b = signal(50, 2);
    float[] a0 = a.clone();
    float[] b0 = b.clone();
    Mixup.mix(a, b, 0.7);
    assertArrayEquals(a0, a);
    assertArrayEquals(b0, b);
    double[] ya = {1, 0};
    double[] yb = {0, 1};
    Mixup.mixLabels(ya, yb, 0.7);
    assertArrayEquals(new double[] {1, 0}, ya);
    assertArrayEquals(new double[] {0, 1}, yb);
  }

  @Test
  void badSettingsAndInputsAreRejected() {
    for (double bad : new double[] {0.0, -0.2, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Mixup(bad, false));
      assertTrue(e.getMessage().contains("alpha") && e.getMessage().contains(String.valueOf(bad)),
          e.getMessage());
    }
    for (double bad : new double[] {-0.01, 1.01, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Mixup.mix(new float[2], new float[2], bad));
      assertTrue(e.getMessage().contains("lambda"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class,
        () -> Mixup.mix(new float[2], new float[3], 0.5));
    assertThrows(IllegalArgumentException.class,
        () -> Mixup.mix(new float[1][2][3], new float[1][2][4], 0.5));
    assertThrows(IllegalArgumentException.class,
        () -> Mixup.mix(new float[1][2][3], new float[2][2][3], 0.5));
    assertThrows(IllegalArgumentException.class,
        () -> Mixup.mixLabels(new double[2], new double[3], 0.5));
  }
}
