package org.ascspark.features.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Properties that hold whatever the reference implementation says. Tolerances stated per test. */
class SpectralInvariantsTest {

  private static final StftParams HANN_2048 = new StftParams(WindowType.HANN, true, 2048, 512,
      2048, true, StftParams.PadMode.REFLECT, 0.0, 2.0);

  private static float[] noise(int n, long seed, double rms) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rms * (r.nextDouble() * 2 - 1) * Math.sqrt(3));
    }
    return x;
  }

  private static float[] tone(int n, double hz, int sr, double amp) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / sr));
    }
    return x;
  }

  /** Window definitions: exact small cases; get() returns copies. Tolerance 1e-7 (float). */
  @Test
  void windowsFollowTheirDefinitions() {
    float[] hp = Windows.get(WindowType.HANN, 4, true);
    assertArrayEquals(new float[] {0f, 0.5f, 1f, 0.5f}, hp, 1e-7f);
    float[] hs = Windows.get(WindowType.HANN, 5, false);
    assertArrayEquals(new float[] {0f, 0.5f, 1f, 0.5f, 0f}, hs, 1e-7f);
    float[] mp = Windows.get(WindowType.HAMMING, 4, true);
    assertArrayEquals(new float[] {0.08f, 0.54f, 1f, 0.54f}, mp, 1e-7f);
    float[] ms = Windows.get(WindowType.HAMMING, 3, false);
    assertArrayEquals(new float[] {0.08f, 1f, 0.08f}, ms, 1e-7f);
    hp[0] = 42f;
    assertEquals(0f, Windows.get(WindowType.HANN, 4, true)[0], "cached window was modified");
    float[] padded = Windows.padded(WindowType.HANN, 4, true, 9);
    assertArrayEquals(new float[] {0, 0, 0f, 0.5f, 1f, 0.5f, 0, 0, 0}, padded, 1e-7f);
  }

  /**
   * An impulse gives a flat magnitude spectrum equal to the window value at its position in the
   * frame: frame t0 (impulse at its centre, window value 1) and frame t0 + 1 (impulse hop samples
   * before the centre). Tolerance 1e-6 relative (float32 output of a double FFT).
   */
  @Test
  void impulseGivesFlatWindowWeightedSpectrum() {
    StftParams p = new StftParams(WindowType.HANN, true, 2048, 512, 2048, true,
        StftParams.PadMode.CONSTANT, 0.0, 1.0);
    float[] x = new float[20 * 512];
    int t0 = 8;
    x[t0 * 512] = 1f;
    float[][] mag = Stft.spectrogram(x, p);
    float[] w = Windows.padded(WindowType.HANN, 2048, true, 2048);
    for (int dt = 0; dt <= 1; dt++) {
      double expected = w[1024 - dt * 512];
      for (int k = 0; k < p.bins(); k++) {
        assertEquals(expected, mag[t0 + dt][k], 1e-6 * expected, "frame " + (t0 + dt) + " bin " + k);
      }
    }
    // frames that do not reach the impulse are zero
    assertEquals(0f, mag[t0 - 4][100], 0f);
  }

  /**
   * Parseval: |X0|^2 + |X(N/2)|^2 + 2 sum_{0<k<N/2} |Xk|^2 = N sum_n (x[n] w[n])^2 for a frame of
   * noise, without centring. Tolerance 1e-6 relative (double FFT, float32 bins summed in double).
   */
  @Test
  void parsevalHoldsPerFrame() {
    int nFft = 1024;
    int hop = 300;
    StftParams p = new StftParams(WindowType.HAMMING, false, 800, hop, nFft, false,
        StftParams.PadMode.REFLECT, 0.0, 2.0);
    float[] x = noise(8000, 3, 0.2);
    float[][] s = Stft.spectrogram(x, p);
    assertEquals(1 + (8000 - nFft) / hop, s.length);
    double[] wd = new double[nFft];
    double[] exact = new double[800];
    for (int i = 0; i < 800; i++) {
      exact[i] = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / 799);
    }
    System.arraycopy(exact, 0, wd, (nFft - 800) / 2, 800);
    for (int t : new int[] {0, 5, s.length - 1}) {
      double time = 0;
      for (int n = 0; n < nFft; n++) {
        double v = x[t * hop + n] * wd[n];
        time += v * v;
      }
      double freq = s[t][0] + s[t][nFft / 2];
      for (int k = 1; k < nFft / 2; k++) {
        freq += 2.0 * s[t][k];
      }
      assertEquals(nFft * time, freq, 1e-6 * nFft * time, "frame " + t);
    }
  }

  /**
   * A 1 kHz tone's mel energy peaks in the band whose centre is nearest 1 kHz (or a direct
   * neighbour) and at least 99% of it lies within two bands of that one, for HTK and Slaney scales
   * and both normalisations. (The Hann main lobe is 4 bins = 86 Hz wide, about two 128-band HTK mel
   * spacings at 1 kHz.)
   */
  @Test
  void oneKilohertzToneLandsInTheNearestMelBand() {
    int sr = 44100;
    float[] x = tone(sr, 1000.0, sr, 0.5);
    float[][] spec = Stft.spectrogram(x, HANN_2048);
    for (MelParams.Scale scale : MelParams.Scale.values()) {
      for (MelParams.Norm norm : MelParams.Norm.values()) {
        for (int nMels : new int[] {40, 128}) {
          MelFilterbank fb = new MelFilterbank(
              new MelParams(nMels, 0.0, sr / 2.0, scale, norm), sr, 2048);
          double[] centres = fb.centerFrequenciesHz();
          int nearest = 0;
          for (int m = 1; m < nMels; m++) {
            if (Math.abs(centres[m] - 1000) < Math.abs(centres[nearest] - 1000)) {
              nearest = m;
            }
          }
          float[][] mel = fb.apply(spec);
          float[] frame = mel[mel.length / 2];
          int arg = 0;
          double total = 0;
          double near = 0;
          for (int m = 0; m < nMels; m++) {
            if (frame[m] > frame[arg]) {
              arg = m;
            }
            total += frame[m];
            if (Math.abs(m - nearest) <= 2) {
              near += frame[m];
            }
          }
          String what = scale + "/" + norm + "/" + nMels + ": nearest band " + nearest + " ("
              + centres[nearest] + " Hz), argmax " + arg;
          assertTrue(Math.abs(arg - nearest) <= 1, what);
          assertTrue(near / total > 0.99, what + ", fraction near " + near / total);
        }
      }
    }
  }

  /** Sparse application equals the dense product (1e-6 relative: double sums, float output). */
  @Test
  void sparseFilterbankEqualsDenseProduct() {
    MelFilterbank fb = new MelFilterbank(
        new MelParams(64, 30, 8000, MelParams.Scale.SLANEY, MelParams.Norm.SLANEY), 22050, 1024);
    assertTrue(fb.storedWeights() < 64 * 513 / 4, "not sparse: " + fb.storedWeights());
    float[][] dense = fb.dense();
    float[][] spec = Stft.spectrogram(noise(22050, 5, 0.1), new StftParams(WindowType.HANN, true,
        1024, 512, 1024, true, StftParams.PadMode.REFLECT, 0, 2));
    float[][] before = deepCopy(spec);
    float[][] mel = fb.apply(spec);
    assertTrue(deepEquals(before, spec), "spectrogram modified");
    for (int t = 0; t < spec.length; t++) {
      for (int m = 0; m < 64; m++) {
        double s = 0;
        for (int k = 0; k < 513; k++) {
          s += (double) dense[m][k] * spec[t][k];
        }
        assertEquals(s, mel[t][m], 1e-6 * Math.abs(s));
      }
    }
  }

  /** Log compression definitions (1e-6 absolute: one float rounding of a double log). */
  @Test
  void logCompressionFollowsItsDefinition() {
    float[][] x = {{1f, 100f, 1e-12f}, {0.5f, 0f, 10f}};
    float[][] before = deepCopy(x);
    float[][] ln = LogCompression.apply(x, new LogParams(LogParams.Kind.NATURAL, 1e-10, 0), true);
    assertEquals(Math.log(100), ln[0][1], 1e-6);
    assertEquals(Math.log(1e-10), ln[0][2], 1e-6);
    assertEquals(Math.log(1e-10), ln[1][1], 1e-6);
    float[][] dbPow = LogCompression.apply(x, new LogParams(LogParams.Kind.DB, 1e-10, 0), true);
    assertEquals(20.0, dbPow[0][1], 1e-5);
    assertEquals(-100.0, dbPow[1][1], 1e-4);
    float[][] dbMag = LogCompression.apply(x, new LogParams(LogParams.Kind.DB, 1e-10, 0), false);
    assertEquals(40.0, dbMag[0][1], 1e-5);
    float[][] top = LogCompression.apply(x, new LogParams(LogParams.Kind.DB, 1e-10, 25), true);
    assertEquals(20.0, top[0][1], 1e-5);
    assertEquals(-5.0, top[1][1], 1e-5);
    assertEquals(-3.0103, top[1][0], 1e-4);
    float[][] none = LogCompression.apply(x, new LogParams(LogParams.Kind.NONE, 1e-10, 0), true);
    assertTrue(deepEquals(x, none));
    assertNotSame(x[0], none[0]);
    assertTrue(deepEquals(before, x), "input modified");
  }

  /**
   * Deltas of a linear ramp along time equal its slope everywhere, edges included (mode interp);
   * delta-deltas of a ramp are 0 and of t^2 / 64 are 1 / 32. Inputs are exact in float; tolerance
   * 1e-5 covers the double sums and one float rounding of outputs of order 1.
   */
  @Test
  void deltasOfRampAreConstant() {
    int frames = 30;
    float[][] ramp = new float[3][frames];
    float[][] quad = new float[1][frames];
    double[] slope = {0.5, -2.0, 0.0};
    for (int t = 0; t < frames; t++) {
      for (int b = 0; b < 3; b++) {
        ramp[b][t] = (float) (1.0 + slope[b] * t);
      }
      quad[0][t] = (float) (t * t / 64.0);
    }
    float[][] before = deepCopy(ramp);
    for (int width : new int[] {3, 5, 9}) {
      float[][] d1 = Deltas.delta(ramp, width, 1);
      float[][] d2 = Deltas.delta(ramp, width, 2);
      float[][] q2 = Deltas.delta(quad, width, 2);
      for (int t = 0; t < frames; t++) {
        for (int b = 0; b < 3; b++) {
          assertEquals(slope[b], d1[b][t], 1e-5, "width " + width + " bin " + b + " frame " + t);
          assertEquals(0.0, d2[b][t], 1e-5, "width " + width + " bin " + b + " frame " + t);
        }
        assertEquals(1.0 / 32, q2[0][t], 1e-5, "width " + width + " frame " + t);
      }
    }
    assertTrue(deepEquals(before, ramp), "input modified");
    // exactly width frames is enough
    assertEquals(0.5, Deltas.delta(new float[][] {{0f, 0.5f, 1f}}, 3, 1)[0][0], 1e-7);
  }

  /** Stacking shapes and contents for both modes and order 0; statics copied, not aliased. */
  @Test
  void stackingShapes() {
    float[][] s = new float[4][12];
    for (int b = 0; b < 4; b++) {
      for (int t = 0; t < 12; t++) {
        s[b][t] = (float) Math.sin(b + 0.3 * t);
      }
    }
    float[][][] ch = Deltas.stack(s, new DeltaParams(2, 5, DeltaParams.Stacking.CHANNELS));
    assertEquals(3, ch.length);
    assertEquals(4, ch[0].length);
    assertEquals(12, ch[0][0].length);
    assertTrue(deepEquals(s, ch[0]));
    assertNotSame(s[0], ch[0][0]);
    assertTrue(deepEquals(Deltas.delta(s, 5, 1), ch[1]));
    assertTrue(deepEquals(Deltas.delta(s, 5, 2), ch[2]));
    float[][][] fr = Deltas.stack(s, new DeltaParams(2, 5, DeltaParams.Stacking.FREQUENCY));
    assertEquals(1, fr.length);
    assertEquals(12, fr[0].length);
    for (int part = 0; part < 3; part++) {
      for (int b = 0; b < 4; b++) {
        assertArrayEquals(ch[part][b], fr[0][part * 4 + b]);
      }
    }
    float[][][] one = Deltas.stack(s, new DeltaParams(1, 3, DeltaParams.Stacking.FREQUENCY));
    assertEquals(8, one[0].length);
    float[][][] none = Deltas.stack(s, DeltaParams.NONE);
    assertEquals(1, none.length);
    assertTrue(deepEquals(s, none[0]));
    assertNotSame(s[0], none[0][0]);
  }

  /** Extractor dimensions agree with what extract returns, for each stacking. */
  @Test
  void extractorDimensions() {
    float[] x = noise(22050, 9, 0.1);
    StftParams sp = new StftParams(WindowType.HAMMING, true, 882, 441, 1024, true,
        StftParams.PadMode.REFLECT, 0.97, 2);
    MelParams mp = new MelParams(40, 0, 11025, MelParams.Scale.HTK, MelParams.Norm.NONE);
    LogParams lp = new LogParams(LogParams.Kind.NATURAL, 1e-10, 0);
    for (DeltaParams dp : new DeltaParams[] {DeltaParams.NONE,
        new DeltaParams(2, 9, DeltaParams.Stacking.CHANNELS),
        new DeltaParams(2, 9, DeltaParams.Stacking.FREQUENCY),
        new DeltaParams(1, 3, DeltaParams.Stacking.CHANNELS)}) {
      LogMelExtractor ex = new LogMelExtractor(22050, sp, mp, lp, dp);
      float[][][] f = ex.extract(x);
      assertEquals("logmel", ex.name());
      assertEquals(22050, ex.sampleRateHz());
      assertEquals(ex.channels(), f.length, dp.toString());
      assertEquals(ex.bins(), f[0].length, dp.toString());
      assertEquals(ex.frames(x.length), f[0][0].length, dp.toString());
      assertEquals(1 + 22050 / 441, f[0][0].length);
    }
  }

  /**
   * Same signal twice, in parallel threads and after Java serialization: bit-identical output
   * (the front end has no hidden state). Inputs unchanged.
   */
  @Test
  void batchConsistencyAcrossCallsThreadsAndSerialization() throws Exception {
    LogMelExtractor ex = new LogMelExtractor(44100, HANN_2048,
        new MelParams(128, 0, 22050, MelParams.Scale.SLANEY, MelParams.Norm.SLANEY),
        new LogParams(LogParams.Kind.DB, 1e-10, 80), new DeltaParams(2, 9,
            DeltaParams.Stacking.CHANNELS));
    List<float[]> signals = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      float[] s = noise(44100, 100 + i, 0.05);
      float[] t = tone(44100, 300 + 200 * i, 44100, 0.3);
      for (int j = 0; j < s.length; j++) {
        s[j] += t[j];
      }
      signals.add(s);
    }
    List<float[]> copies = new ArrayList<>();
    List<float[][][]> sequential = new ArrayList<>();
    for (float[] s : signals) {
      copies.add(s.clone());
      sequential.add(ex.extract(s));
    }
    for (int i = 0; i < signals.size(); i++) {
      assertTrue(deepEquals(sequential.get(i), ex.extract(signals.get(i))), "repeat " + i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<float[][][]>> futures = new ArrayList<>();
      for (int rep = 0; rep < 3; rep++) {
        for (float[] s : signals) {
          futures.add(pool.submit(() -> ex.extract(s)));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        assertTrue(deepEquals(sequential.get(i % signals.size()), futures.get(i).get()),
            "thread result " + i);
      }
    } finally {
      pool.shutdownNow();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(ex);
    }
    FeatureExtractor back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (FeatureExtractor) in.readObject();
    }
    assertTrue(deepEquals(sequential.get(0), back.extract(signals.get(0))), "after serialization");
    for (int i = 0; i < signals.size(); i++) {
      assertArrayEquals(copies.get(i), signals.get(i), "input " + i + " modified");
    }
  }

  /** Pre-emphasis is applied before padding: reflect-padded edge frames agree with a manual one. */
  @Test
  void preEmphasisThenPadding() {
    StftParams p = new StftParams(WindowType.HANN, true, 16, 8, 16, true,
        StftParams.PadMode.REFLECT, 0.9, 2);
    float[] x = noise(64, 11, 0.3);
    StftParams plain = new StftParams(WindowType.HANN, true, 16, 8, 16, true,
        StftParams.PadMode.REFLECT, 0.0, 2);
    float[] y = new float[x.length];
    y[0] = x[0];
    for (int i = 1; i < x.length; i++) {
      y[i] = (float) (x[i] - 0.9 * x[i - 1]);
    }
    float[][] a = Stft.spectrogram(x, p);
    float[][] b = Stft.spectrogram(y, plain);
    for (int t = 0; t < a.length; t++) {
      for (int k = 0; k < a[t].length; k++) {
        assertEquals(b[t][k], a[t][k], 1e-5 * (1 + b[t][k]), "frame " + t + " bin " + k);
      }
    }
  }

  static float[][] deepCopy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  static boolean deepEquals(Object a, Object b) {
    return java.util.Arrays.deepEquals(new Object[] {a}, new Object[] {b});
  }
}
