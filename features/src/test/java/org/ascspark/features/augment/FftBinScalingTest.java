package org.ascspark.features.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ascspark.features.RecordSeeds;
import org.junit.jupiter.api.Test;

/**
 * FFT-bin scaling (Clova section 5): the output is the input times exactly the recorded curve,
 * which is bounded, smooth and reproducible.
 */
class FftBinScalingTest {

  private static final int SR = 44100;
  private static final int N_FFT = 1024;
  private static final int BINS = N_FFT / 2 + 1;

  /** Positive spectrum [frames][bins] spanning about 8 decades, like a real power spectrogram. */
  private static float[][] spectrum(int frames, int bins, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] s = new float[frames][bins];
    for (float[] row : s) {
      for (int k = 0; k < bins; k++) {
        row[k] = (float) Math.pow(10.0, -8.0 * r.nextDouble());
      }
    }
    return s;
  }

  private static float[][] deepCopy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  @SuppressWarnings("unchecked")
  private static double[] gains(Map<String, Object> params) {
    List<Double> g = (List<Double>) params.get("gains_db");
    return g.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Independent PCHIP (scipy {@code PchipInterpolator} formulas for general knot spacing, knots at
   * bin positions x_j = j (bins - 1) / (K - 1), evaluated with the cubic Hermite basis in bin
   * units), written from scratch for the test.
   */
  private static double[] referenceCurve(double[] y, int bins) {
    int k = y.length;
    double[] x = new double[k];
    for (int j = 0; j < k; j++) {
      x[j] = j * (bins - 1.0) / (k - 1.0);
    }
    double[] h = new double[k - 1];
    double[] m = new double[k - 1];
    for (int j = 0; j < k - 1; j++) {
      h[j] = x[j + 1] - x[j];
      m[j] = (y[j + 1] - y[j]) / h[j];
    }
    double[] d = new double[k];
    if (k == 2) {
      d[0] = m[0];
      d[1] = m[0];
    } else {
      for (int j = 1; j < k - 1; j++) {
        if (m[j - 1] * m[j] <= 0) {
          d[j] = 0;
        } else {
          double w1 = 2 * h[j] + h[j - 1];
          double w2 = h[j] + 2 * h[j - 1];
          d[j] = (w1 + w2) / (w1 / m[j - 1] + w2 / m[j]);
        }
      }
      d[0] = edge(h[0], h[1], m[0], m[1]);
      d[k - 1] = edge(h[k - 2], h[k - 3], m[k - 2], m[k - 3]);
    }
    double[] out = new double[bins];
    for (int b = 0; b < bins; b++) {
      int j = 0;
      while (j < k - 2 && b > x[j + 1]) {
        j++;
      }
      double t = (b - x[j]) / h[j];
      double t2 = t * t;
      double t3 = t2 * t;
      double h00 = 2 * t3 - 3 * t2 + 1;
      double h10 = t3 - 2 * t2 + t;
      double h01 = -2 * t3 + 3 * t2;
      double h11 = t3 - t2;
      out[b] = h00 * y[j] + h10 * h[j] * d[j] + h01 * y[j + 1] + h11 * h[j] * d[j + 1];
    }
    return out;
  }

  private static double edge(double h0, double h1, double m0, double m1) {
    double d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1);
    if (Math.signum(d) != Math.signum(m0)) {
      return 0;
    }
    if (Math.signum(m0) != Math.signum(m1) && Math.abs(d) > 3 * Math.abs(m0)) {
      return 3 * m0;
    }
    return d;
  }

  @Test
  void powerOutputIsInputTimesTheRecordedCurve() {
    for (int k : new int[] {2, 3, 8, 17, 40}) {
      FftBinScaling aug = new FftBinScaling(6.0, k);
      float[][] in = spectrum(12, BINS, 11);
      SpectrumAugmentation.Applied out = aug.apply(in, SR, N_FFT, true,
          RecordSeeds.rng(7, "aug/clip-" + k + "/0"));
      double[] g = gains(out.params());
      assertEquals(k, g.length);
      double[] expected = referenceCurve(g, BINS);
      for (int t = 0; t < in.length; t++) {
        for (int b = 0; b < BINS; b++) {
          // float rounding of the output is 6e-8 relative, 2.6e-7 dB: well inside 1e-5 dB
          double recoveredDb = 10.0 * Math.log10((double) out.spectrum()[t][b] / in[t][b]);
          int frame = t;
          int bin = b;
          assertEquals(expected[b], recoveredDb, 1e-5, () -> "K " + k + " frame " + frame
              + " bin " + bin);
        }
      }
    }
  }

  @Test
  void magnitudeUsesHalfTheDbSoBothDescribeTheSameDevice() {
    FftBinScaling aug = new FftBinScaling(9.0, 12);
    float[][] power = spectrum(6, BINS, 3);
    float[][] magnitude = new float[power.length][BINS];
    for (int t = 0; t < power.length; t++) {
      for (int b = 0; b < BINS; b++) {
        magnitude[t][b] = (float) Math.sqrt(power[t][b]);
      }
    }
    SpectrumAugmentation.Applied p = aug.apply(power, SR, N_FFT, true, new SplittableRandom(5));
    SpectrumAugmentation.Applied m = aug.apply(magnitude, SR, N_FFT, false,
        new SplittableRandom(5));
    assertEquals(p.params(), m.params());
    double[] curve = referenceCurve(gains(m.params()), BINS);
    for (int t = 0; t < power.length; t++) {
      for (int b = 0; b < BINS; b++) {
        double recoveredDb = 20.0 * Math.log10((double) m.spectrum()[t][b] / magnitude[t][b]);
        assertEquals(curve[b], recoveredDb, 1e-5);
        double squared = (double) m.spectrum()[t][b] * m.spectrum()[t][b];
        // magnitude rounded to float twice (input sqrt, output): relative error below 5e-7
        assertEquals(1.0, squared / p.spectrum()[t][b], 1e-6);
      }
    }
  }

  @Test
  void curvePassesThroughControlGainsAtTheirBins() {
    // 513 bins, 17 control points: spacing exactly 32 bins
    FftBinScaling aug = new FftBinScaling(6.0, 17);
    double[] g = aug.drawGainsDb(new SplittableRandom(99));
    double[] curve = FftBinScaling.curveDb(g, BINS);
    for (int j = 0; j < g.length; j++) {
      assertEquals(g[j], curve[32 * j], 1e-12, "control point " + j);
    }
    // two control points: a straight line from g0 to g1
    double[] line = FftBinScaling.curveDb(new double[] {-3.0, 5.0}, 9);
    for (int b = 0; b < 9; b++) {
      assertEquals(-3.0 + b, line[b], 1e-12);
    }
  }

  @Test
  void zeroMaxDbIsTheIdentity() {
    FftBinScaling aug = new FftBinScaling(0.0, 16);
    float[][] in = spectrum(8, BINS, 21);
    for (boolean power : new boolean[] {true, false}) {
      SpectrumAugmentation.Applied out = aug.apply(in, SR, N_FFT, power, new SplittableRandom(1));
      assertNotSame(in, out.spectrum());
      for (int t = 0; t < in.length; t++) {
        assertNotSame(in[t], out.spectrum()[t]);
        assertArrayEquals(in[t], out.spectrum()[t]);
      }
      for (double g : gains(out.params())) {
        assertEquals(0.0, g);
      }
    }
  }

  @Test
  void curveStaysWithinMaxDbAndIsSmooth() {
    double maxDb = 6.0;
    for (int bins : new int[] {257, 513, 1025}) {
      for (int k : new int[] {2, 8, 20, 40}) {
        FftBinScaling aug = new FftBinScaling(maxDb, k);
        // PCHIP on knots h = (bins - 1) / (K - 1) bins apart: secants are at most 2 maxDb / h and
        // the Fritsch-Carlson slopes at most 3 secants, so |p''| <= (6 * 2 + 4 * 6 + 2 * 6) maxDb
        // / h^2 = 48 maxDb / h^2, and a second difference is a weighted mean of p''.
        double h = (bins - 1.0) / (k - 1.0);
        double bound = 48.0 * maxDb / (h * h);
        // (a per-bin random curve would give second differences of about 2 maxDb: for 513
        // bins and 8 control points the bound is 0.054 dB)
        for (int seed = 0; seed < 50; seed++) {
          double[] curve = FftBinScaling.curveDb(aug.drawGainsDb(new SplittableRandom(seed)),
              bins);
          double lo = Double.POSITIVE_INFINITY;
          double hi = Double.NEGATIVE_INFINITY;
          for (int b = 0; b < bins; b++) {
            double v = curve[b];
            assertTrue(Math.abs(v) <= maxDb, () -> "curve " + v + " beyond ±" + maxDb);
            lo = Math.min(lo, curve[b]);
            hi = Math.max(hi, curve[b]);
          }
          assertTrue(hi > lo, "flat curve");
          for (int b = 1; b < bins - 1; b++) {
            double d2 = curve[b + 1] - 2 * curve[b] + curve[b - 1];
            assertTrue(Math.abs(d2) <= bound * (1 + 1e-9),
                () -> "second difference " + d2 + " above " + bound + " (bins " + bins + ", K "
                    + k + ")");
          }
        }
      }
    }
  }

  @Test
  void controlGainsCoverTheRange() {
    FftBinScaling aug = new FftBinScaling(6.0, 40);
    double lo = 0;
    double hi = 0;
    for (int seed = 0; seed < 20; seed++) {
      for (double g : aug.drawGainsDb(new SplittableRandom(seed))) {
        assertTrue(g >= -6.0 && g < 6.0);
        lo = Math.min(lo, g);
        hi = Math.max(hi, g);
      }
    }
    // 800 uniform draws: the extremes lie within 0.1 dB of the ends with probability > 1 - 1e-8
    assertTrue(lo < -5.9 && hi > 5.9, "range [" + lo + ", " + hi + "]");
  }

  @Test
  void sameSeedSameCurveDifferentSeedDifferentCurve() {
    FftBinScaling aug = new FftBinScaling(6.0, 16);
    float[][] in = spectrum(4, BINS, 2);
    SpectrumAugmentation.Applied a = aug.apply(in, SR, N_FFT, true,
        RecordSeeds.rng(42, "aug/clip-a/1"));
    SpectrumAugmentation.Applied b = aug.apply(in, SR, N_FFT, true,
        RecordSeeds.rng(42, "aug/clip-a/1"));
    SpectrumAugmentation.Applied c = aug.apply(in, SR, N_FFT, true,
        RecordSeeds.rng(42, "aug/clip-a/2"));
    assertEquals(a.params(), b.params());
    for (int t = 0; t < in.length; t++) {
      assertArrayEquals(a.spectrum()[t], b.spectrum()[t]);
    }
    assertNotEquals(a.params().get("gains_db"), c.params().get("gains_db"));
  }

  @Test
  void inputIsNotModified() {
    float[][] in = spectrum(5, BINS, 8);
    float[][] before = deepCopy(in);
    new FftBinScaling(12.0, 24).apply(in, SR, N_FFT, true, new SplittableRandom(4));
    new FftBinScaling(12.0, 24).apply(in, SR, N_FFT, false, new SplittableRandom(4));
    for (int t = 0; t < in.length; t++) {
      assertArrayEquals(before[t], in[t]);
    }
  }

  @Test
  void paramsRecordSettingsAndGains() {
    SpectrumAugmentation aug = new FftBinScaling(4.5, 10);
    assertEquals("fftbin", aug.name());
    SpectrumAugmentation.Applied out = aug.apply(new float[0][], SR, N_FFT, true,
        new SplittableRandom(3));
    assertEquals(0, out.spectrum().length);
    assertEquals(List.of("max_db", "control_points", "gains_db"),
        List.copyOf(out.params().keySet()));
    assertEquals(4.5, out.params().get("max_db"));
    assertEquals(10, out.params().get("control_points"));
    double[] g = gains(out.params());
    assertArrayEquals(new FftBinScaling(4.5, 10).drawGainsDb(new SplittableRandom(3)), g);
  }

  @Test
  void badSettingsAndShapesAreRejected() {
    for (double bad : new double[] {-0.5, Double.NaN, 61.0, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new FftBinScaling(bad, 8));
      assertTrue(e.getMessage().contains("max-db") && e.getMessage().contains(String.valueOf(bad)),
          e.getMessage());
    }
    for (int bad : new int[] {-1, 0, 1, 4097}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new FftBinScaling(6, bad));
      assertTrue(e.getMessage().contains("control-points")
          && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
    }
    FftBinScaling aug = new FftBinScaling(6, 8);
    IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
        () -> aug.apply(new float[3][256], SR, N_FFT, true, new SplittableRandom(1)));
    assertTrue(rows.getMessage().contains("513") && rows.getMessage().contains("256"),
        rows.getMessage());
  }
}
