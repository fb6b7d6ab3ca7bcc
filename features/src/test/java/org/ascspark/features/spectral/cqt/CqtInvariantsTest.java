package org.ascspark.features.spectral.cqt;

import static org.ascspark.features.testing.FeatureTests.argmaxOfMean;
import static org.ascspark.features.testing.FeatureTests.assertDeepEquals;
import static org.ascspark.features.testing.FeatureTests.assertShape;
import static org.ascspark.features.testing.FeatureTests.noise;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ascspark.features.spectral.CqtParams;
import org.ascspark.features.spectral.DeltaParams;
import org.ascspark.features.spectral.LogParams;
import org.ascspark.features.testing.FeatureTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Properties of the constant-Q transform and extractor that hold whatever the reference says. */
class CqtInvariantsTest {

  private static final int SR = 22050;
  private static final CqtParams CQT = new CqtParams(24, 110.0, 96, 512, 1.0);
  private static final LogParams NO_LOG = new LogParams(LogParams.Kind.NONE, 1e-10, 0);
  private static final LogParams DB = new LogParams(LogParams.Kind.DB, 1e-10, 80);

  @Test
  void binsAreGeometricWithWindowsOfQCycles() {
    ConstantQ cq = ConstantQ.of(CQT, SR);
    double[] f = cq.frequenciesHz();
    int[] n = cq.windowLengths();
    double q = 1.0 / (Math.pow(2, 1.0 / 24) - 1);
    assertEquals(q, cq.q(), 1e-12);
    assertEquals(110.0, f[0], 0.0);
    for (int k = 1; k < f.length; k++) {
      assertEquals(Math.pow(2, 1.0 / 24), f[k] / f[k - 1], 1e-12, "ratio at " + k);
      assertTrue(n[k] <= n[k - 1], "windows shrink with frequency at " + k);
    }
    for (int k = 0; k < f.length; k++) {
      assertEquals(q * SR / f[k], n[k], 0.5, "N_k = round(Q sr / f_k) at " + k);
    }
    assertTrue(2 * cq.halfSupport() + 1 <= cq.fftLength());
    assertEquals(1, Integer.bitCount(cq.fftLength()), "power of two");
    assertTrue(cq.fftLength() < 2 * n[0], "next power of two");
  }

  /**
   * A tone lands in the nearest bin (on the log-frequency axis): at a bin, and 30% / 70% of the way
   * to the next one.
   */
  @ParameterizedTest
  @CsvSource({"0, 0.0", "0, 0.3", "0, 0.7", "5, 0.0", "30, 0.3", "30, 0.7", "47, 0.0", "60, 0.3",
      "60, 0.7", "90, 0.0", "94, 0.7"})
  void toneLandsInTheNearestBin(int bin, double fraction) {
    ConstantQ cq = ConstantQ.of(CQT, SR);
    double f = cq.frequenciesHz()[bin] * Math.pow(2, fraction / 24);
    int expected = fraction < 0.5 ? bin : bin + 1;
    assertEquals(expected, argmaxOfMean(cq.magnitude(tone(f, SR, 0.5))),
        String.format("tone at %.3f Hz", f));
  }

  @ParameterizedTest
  @CsvSource({"3, 0.2", "20, 0.45", "40, 0.0", "60, 0.8"})
  void anOctaveUpMovesThePeakByBinsPerOctave(int bin, double fraction) {
    ConstantQ cq = ConstantQ.of(CQT, SR);
    double f = cq.frequenciesHz()[bin] * Math.pow(2, fraction / 24);
    int low = argmaxOfMean(cq.magnitude(tone(f, SR, 0.5)));
    int high = argmaxOfMean(cq.magnitude(tone(2 * f, SR, 0.5)));
    assertEquals(24, high - low, String.format("tone at %.3f Hz and its octave", f));
  }

  /** A sinusoid of amplitude A at f_k reads A / 4 in bin k (1 / N_k normalisation, Hann mean). */
  @Test
  void sinusoidAtABinReadsAQuarterOfItsAmplitude() {
    ConstantQ cq = ConstantQ.of(CQT, SR);
    for (int k : new int[] {0, 37, 95}) {
      float[][] m = cq.magnitude(tone(cq.frequenciesHz()[k], 2 * SR, 0.5));
      int t = m[k].length / 2;
      // the negative-frequency image and the sparsity leave well under 1e-3 of it
      assertEquals(0.125, m[k][t], 0.125e-3, "bin " + k);
    }
  }

  /** An impulse at sample n0 reads w_k(n0 - t hop) / N_k: checks centring and normalisation. */
  @Test
  void impulseReadsTheCentredWindow() {
    ConstantQ cq = ConstantQ.of(CQT, SR);
    int n0 = 5000;
    float[] x = new float[3 * SR / 2];
    x[n0] = 1f;
    float[][] m = cq.magnitude(x);
    int[] len = cq.windowLengths();
    double[] eps = cq.sparsityErrorBound();
    double[] norm = CqtReferenceTest.kernelNorms(len);
    for (int k : new int[] {0, 20, 50, 95}) {
      for (int t = 0; t < m[k].length; t++) {
        int d = n0 - t * CQT.hopSamples();
        double w = Math.abs(d) <= (len[k] - 1) / 2
            ? (0.5 + 0.5 * Math.cos(2 * Math.PI * d / len[k])) / len[k]
            : 0.0;
        assertEquals(w, m[k][t], eps[k] + 1e-5 * norm[k], "bin " + k + " frame " + t);
      }
    }
  }

  @Test
  void shapesFollowTheDeltaStackingAndFramesMatchesExtract() {
    CqtExtractor plain = new CqtExtractor(SR, CQT, DB, DeltaParams.NONE);
    CqtExtractor channels = new CqtExtractor(SR, CQT, DB,
        new DeltaParams(2, 9, DeltaParams.Stacking.CHANNELS));
    CqtExtractor freq = new CqtExtractor(SR, CQT, DB,
        new DeltaParams(1, 3, DeltaParams.Stacking.FREQUENCY));
    float[] x = noise(SR, 1);
    float[][] statics = plain.constantQGram(x);
    int frames = 1 + SR / 512;
    assertShape(plain.extract(x), 1, 96, frames);
    assertShape(channels.extract(x), 3, 96, frames);
    assertShape(freq.extract(x), 1, 192, frames);
    assertEquals(3, channels.channels());
    assertEquals(192, freq.bins());
    for (int k = 0; k < 96; k++) {
      assertArrayEquals(statics[k], channels.extract(x)[0][k], 0f);
      assertArrayEquals(statics[k], freq.extract(x)[0][k], 0f);
    }
    assertEquals("cqt", plain.name());
    assertEquals(SR, plain.sampleRateHz());
    int min = plain.transform().minSamples();
    for (int n : new int[] {min, min + 1, 512, 1024, 4095, 4096, 10000}) {
      if (n < min) {
        continue;
      }
      float[] y = noise(n, n);
      assertEquals(plain.frames(n), plain.extract(y)[0][0].length, "frames for " + n);
      assertEquals(1 + n / 512, plain.frames(n), "1 + n / hop for " + n);
      if (channels.frames(n) > 0) {
        assertEquals(channels.frames(n), channels.extract(y)[0][0].length, "deltas " + n);
      } else {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> channels.extract(y));
        assertTrue(e.getMessage().contains("delta-width"), e.getMessage());
      }
    }
  }

  @Test
  void signalsShorterThanOneFrameAreRejected() {
    CqtExtractor ex = new CqtExtractor(SR, CQT, DB, DeltaParams.NONE);
    int min = ex.transform().minSamples();
    assertEquals(ex.transform().windowLengths()[95], min);
    assertEquals(0, ex.frames(min - 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ex.extract(new float[min - 1]));
    assertTrue(e.getMessage().contains("shorter than one frame"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ex.extract(new float[0]));
  }

  @Test
  void invalidSettingsNameTheKeys() {
    // 96 bins from 110 Hz at 24 per octave reach 1.7 kHz: above Nyquist at 3 kHz
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CqtExtractor(3000, CQT, DB, DeltaParams.NONE));
    String m = e.getMessage();
    assertTrue(m.contains("n-bins") && m.contains("bins-per-octave") && m.contains("f-min-hz")
        && m.contains("Nyquist") && m.contains("3000"), m);
    // C0 at 96 bins per octave: a window of about 9 s
    e = assertThrows(IllegalArgumentException.class,
        () -> new ConstantQ(new CqtParams(96, 16.35, 12, 512, 1.0), 44100));
    assertTrue(e.getMessage().contains("f-min-hz") && e.getMessage().contains("filter-scale"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new ConstantQ(new CqtParams(1, 1000, 3, 512, 0.01), 22050));
    assertTrue(e.getMessage().contains("filter-scale"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ConstantQ(CQT, 0));
    assertTrue(e.getMessage().contains("sample-rate"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CqtParams(0, 110, 96, 512, 1));
    assertTrue(e.getMessage().contains("bins-per-octave"), e.getMessage());
  }

  @Test
  void sameOutputAcrossThreadsAndCallsAndTheInputIsUntouched() throws Exception {
    CqtExtractor ex = new CqtExtractor(SR, CQT, DB,
        new DeltaParams(2, 9, DeltaParams.Stacking.CHANNELS));
    float[] x = noise(SR, 7);
    float[] copy = x.clone();
    float[][][] first = ex.extract(x);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[][][]>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        results.add(pool.submit(() -> ex.extract(x)));
      }
      for (Future<float[][][]> r : results) {
        assertDeepEquals(first, r.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertDeepEquals(first, ex.extract(x));
    assertArrayEquals(copy, x, 0f);
  }

  @Test
  void serializedExtractorGivesTheSameOutput() throws Exception {
    CqtExtractor ex = new CqtExtractor(SR, CQT, NO_LOG, DeltaParams.NONE);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(ex);
    }
    assertTrue(bytes.size() < 4096, "only settings are serialized, got " + bytes.size() + " B");
    CqtExtractor back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (CqtExtractor) in.readObject();
    }
    float[] x = noise(6000, 5);
    assertDeepEquals(ex.extract(x), back.extract(x));
  }

  /** A tone at this test's sample rate. */
  private static float[] tone(double fHz, int n, double amplitude) {
    return FeatureTests.tone(fHz, n, amplitude, SR);
  }
}
