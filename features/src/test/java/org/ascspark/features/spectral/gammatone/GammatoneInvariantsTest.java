package org.ascspark.features.spectral.gammatone;

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
import org.ascspark.features.spectral.DeltaParams;
import org.ascspark.features.spectral.GammatoneParams;
import org.ascspark.features.spectral.LogParams;
import org.ascspark.features.spectral.Stft;
import org.ascspark.features.spectral.StftParams;
import org.ascspark.features.spectral.WindowType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Properties of the gammatone filterbank and extractor that hold whatever the reference says. */
class GammatoneInvariantsTest {

  private static final int SR = 22050;
  private static final StftParams STFT = new StftParams(WindowType.HANN, true, 2048, 512, 4096,
      true, StftParams.PadMode.REFLECT, 0.0, 2.0);
  private static final GammatoneParams GT = new GammatoneParams(64, 100.0, 8000.0, 1.0);
  private static final LogParams NO_LOG = new LogParams(LogParams.Kind.NONE, 1e-10, 0);
  private static final LogParams DB = new LogParams(LogParams.Kind.DB, 1e-10, 80);
  private static final double ERB_OFFSET =
      GammatoneFilterbank.EAR_Q * GammatoneFilterbank.MIN_BW_HZ;

  @Test
  void erbIsGlasbergAndMoore() {
    for (double f : new double[] {0, 100, 1000, 4000, 11025}) {
      double gm = 24.7 * (4.37 * f / 1000 + 1);
      assertEquals(gm, GammatoneFilterbank.erbHz(f), 1e-6 * gm, "ERB at " + f + " Hz");
    }
  }

  @Test
  void centresRunFromFMinToFMaxEquallySpacedOnTheErbRateScale() {
    double[] cf = GammatoneFilterbank.of(GT, SR, 4096).centreFrequenciesHz();
    assertEquals(64, cf.length);
    assertEquals(100.0, cf[0], 0.0);
    assertEquals(8000.0, cf[63], 0.0);
    double step = Math.log(cf[1] + ERB_OFFSET) - Math.log(cf[0] + ERB_OFFSET);
    for (int i = 1; i < cf.length; i++) {
      assertTrue(cf[i] > cf[i - 1], "increasing at " + i);
      double s = Math.log(cf[i] + ERB_OFFSET) - Math.log(cf[i - 1] + ERB_OFFSET);
      assertEquals(step, s, 1e-12, "ERB-rate step at " + i);
    }
    double[] one = GammatoneFilterbank.centreFrequenciesHz(new GammatoneParams(1, 440, 880, 1));
    assertArrayEquals(new double[] {440.0}, one, 0.0);
  }

  @Test
  void responseIsOneAtTheCentreAndFallsOffBothSidesWiderForLargerWidth() {
    // cf = 1000 Hz sits exactly on bin 4 of a 128-point FFT at 32 kHz
    double[] narrow = new double[65];
    double[] wide = new double[65];
    GammatoneFilterbank.response(1000.0, 1.0, 32000, 128, narrow);
    GammatoneFilterbank.response(1000.0, 2.0, 32000, 128, wide);
    assertEquals(1.0, narrow[4], 1e-12);
    assertEquals(1.0, wide[4], 1e-12);
    for (int j = 0; j < 65; j++) {
      if (j != 4) {
        assertTrue(narrow[j] < 1 && wide[j] < 1, "below the centre's response at bin " + j);
        assertTrue(wide[j] > narrow[j], "width 2 passes more at bin " + j);
      }
    }
    for (int j = 5; j < 64; j++) {
      assertTrue(narrow[j + 1] < narrow[j], "falls above the centre, bin " + j);
    }
    for (int j = 1; j < 4; j++) {
      assertTrue(narrow[j - 1] < narrow[j], "rises towards the centre, bin " + j);
    }
  }

  /**
   * A tone lands in the band whose centre is nearest on the ERB-rate scale: at a centre, and 30% /
   * 70% of the way (in ERB-rate) to the next centre.
   */
  @ParameterizedTest
  @CsvSource({"10, 0.0", "10, 0.3", "10, 0.7", "25, 0.0", "25, 0.3", "25, 0.7", "40, 0.3",
      "40, 0.7", "55, 0.0", "55, 0.3", "55, 0.7", "62, 0.7"})
  void toneLandsInTheNearestBand(int band, double fraction) {
    GammatoneExtractor ex = new GammatoneExtractor(SR, STFT, GT, NO_LOG, DeltaParams.NONE);
    double[] cf = ex.filterbank().centreFrequenciesHz();
    double e0 = Math.log(cf[band] + ERB_OFFSET);
    double e1 = Math.log(cf[band + 1] + ERB_OFFSET);
    double f = Math.exp(e0 + fraction * (e1 - e0)) - ERB_OFFSET;
    int expected = fraction < 0.5 ? band : band + 1;
    float[][] g = ex.extract(tone(f, SR / 2))[0];
    assertEquals(expected, argmaxOfMean(g), String.format("tone at %.2f Hz", f));
  }

  @Test
  void shapesFollowTheDeltaStackingAndTheStaticChannelIsTheGammatonegram() {
    float[] x = noise(SR, 3);
    GammatoneExtractor plain = new GammatoneExtractor(SR, STFT, GT, DB, DeltaParams.NONE);
    GammatoneExtractor channels = new GammatoneExtractor(SR, STFT, GT, DB,
        new DeltaParams(2, 9, DeltaParams.Stacking.CHANNELS));
    GammatoneExtractor freq = new GammatoneExtractor(SR, STFT, GT, DB,
        new DeltaParams(1, 5, DeltaParams.Stacking.FREQUENCY));
    int frames = Stft.frames(x.length, STFT);
    float[][] statics = plain.gammatonegram(x);

    float[][][] a = plain.extract(x);
    assertEquals(1, plain.channels());
    assertEquals(64, plain.bins());
    assertShape(a, 1, 64, frames);
    float[][][] b = channels.extract(x);
    assertEquals(3, channels.channels());
    assertEquals(64, channels.bins());
    assertShape(b, 3, 64, frames);
    float[][][] c = freq.extract(x);
    assertEquals(1, freq.channels());
    assertEquals(128, freq.bins());
    assertShape(c, 1, 128, frames);
    for (int i = 0; i < 64; i++) {
      assertArrayEquals(statics[i], a[0][i], 0f);
      assertArrayEquals(statics[i], b[0][i], 0f);
      assertArrayEquals(statics[i], c[0][i], 0f);
    }
    assertEquals("gammatone", plain.name());
    assertEquals(SR, plain.sampleRateHz());
  }

  @Test
  void framesMatchesExtractAndShortSignalsAreRejected() {
    GammatoneExtractor ex = new GammatoneExtractor(SR, STFT, GT, DB, DeltaParams.NONE);
    GammatoneExtractor withDeltas = new GammatoneExtractor(SR, STFT, GT, DB,
        new DeltaParams(1, 9, DeltaParams.Stacking.CHANNELS));
    for (int n : new int[] {2049, 2500, 4096, 4097, 5000, 11025}) {
      float[] x = noise(n, n);
      assertEquals(ex.frames(n), ex.extract(x)[0][0].length, "frames for " + n);
      if (withDeltas.frames(n) > 0) {
        assertEquals(withDeltas.frames(n), withDeltas.extract(x)[0][0].length, "deltas " + n);
      } else {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> withDeltas.extract(x));
        assertTrue(e.getMessage().contains("delta-width"), e.getMessage());
      }
    }
    int min = Stft.minSamples(STFT);
    assertEquals(0, ex.frames(min - 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ex.extract(new float[min - 1]));
    assertTrue(e.getMessage().contains("shorter than one frame"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ex.extract(new float[0]));
  }

  @Test
  void invalidSettingsNameTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GammatoneExtractor(15000, STFT, GT, DB, DeltaParams.NONE));
    assertTrue(e.getMessage().contains("f-max-hz") && e.getMessage().contains("Nyquist"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new GammatoneFilterbank(GT, 0, 4096));
    assertTrue(e.getMessage().contains("sample-rate"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new GammatoneParams(0, 100, 8000, 1));
    assertTrue(e.getMessage().contains("n-bands"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new GammatoneParams(64, 100, 8000, 0));
    assertTrue(e.getMessage().contains("width"), e.getMessage());
    // f-max-hz exactly at Nyquist is allowed
    new GammatoneFilterbank(new GammatoneParams(8, 100, 8000, 1), 16000, 512);
  }

  @Test
  void sameOutputAcrossThreadsAndCallsAndTheInputIsUntouched() throws Exception {
    GammatoneExtractor ex = new GammatoneExtractor(SR, STFT, GT, DB,
        new DeltaParams(2, 9, DeltaParams.Stacking.CHANNELS));
    float[] x = noise(SR, 11);
    float[] copy = x.clone();
    float[][][] first = ex.extract(x);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[][][]>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
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
    GammatoneExtractor ex = new GammatoneExtractor(SR, STFT, GT, DB, DeltaParams.NONE);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(ex);
    }
    assertTrue(bytes.size() < 4096, "only settings are serialized, got " + bytes.size() + " B");
    GammatoneExtractor back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (GammatoneExtractor) in.readObject();
    }
    float[] x = noise(8000, 5);
    assertDeepEquals(ex.extract(x), back.extract(x));
  }

  /** 0.5 sin(2 pi f t) at this test's sample rate. */
  static float[] tone(double fHz, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (0.5 * Math.sin(2 * Math.PI * fHz * i / SR));
    }
    return x;
  }
}
