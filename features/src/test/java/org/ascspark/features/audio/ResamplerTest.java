package org.ascspark.features.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invariants of {@link Resampler}: length, alignment, DC gain, passband, stopband, threads. */
class ResamplerTest {

  /** Outputs this close to either end see zero padding; 300 covers the widest filter used here. */
  private static final int EDGE = 300;

  private static float[] sine(double freqHz, double amplitude, int rateHz, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (amplitude * Math.sin(2 * Math.PI * freqHz * i / rateHz));
    }
    return x;
  }

  private static double rms(float[] x, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += (double) x[i] * x[i];
    }
    return Math.sqrt(s / (to - from));
  }

  @Test
  void identicalRatesReturnAnEqualCopy() {
    float[] x = sine(440, 0.5, 16000, 1000);
    float[] y = Resampler.resample(x, 16000, 16000);
    assertNotSame(x, y);
    assertArrayEquals(x, y, 0f);
  }

  @Test
  void inputIsNotModified() {
    float[] x = sine(440, 0.5, 48000, 4800);
    float[] copy = x.clone();
    Resampler.resample(x, 48000, 44100);
    assertArrayEquals(copy, x, 0f);
  }

  @ParameterizedTest
  @CsvSource({
    "48000,44100,0,0", "48000,44100,1,1", "48000,44100,160,147", "48000,44100,161,148",
    "48000,44100,480000,441000", "44100,48000,441000,480000", "44100,48000,1,2",
    "22050,44100,7,14", "44100,32000,100,73", "96000,44100,1000,460", "16000,44100,3,9",
    "8000,44101,5,28"
  })
  void outputLengthIsCeilOfNTimesToOverFrom(int fromHz, int toHz, int n, int expected) {
    assertEquals(expected, (int) Math.ceil((double) n * toHz / fromHz));
    assertEquals(expected, Resampler.outputLength(n, fromHz, toHz));
    assertEquals(expected, Resampler.resample(new float[n], fromHz, toHz).length);
  }

  @ParameterizedTest
  @CsvSource({"48000,44100", "44100,48000", "22050,44100", "16000,44100", "44100,32000",
      "96000,44100", "44100,16000", "44100,44101"})
  void dcGainIsOne(int fromHz, int toHz) {
    float[] x = new float[fromHz / 10];
    java.util.Arrays.fill(x, 0.5f);
    float[] y = Resampler.resample(x, fromHz, toHz);
    for (int i = EDGE; i < y.length - EDGE; i++) {
      assertEquals(0.5, y[i], 1e-6, "sample " + i);
    }
  }

  /**
   * A 1 kHz sine comes out as the same sine sampled at the new rate: same amplitude (within
   * 0.05 dB), frequency and phase (output k at input time k * fromHz / toHz, no delay).
   */
  @ParameterizedTest
  @CsvSource({"48000,44100", "44100,48000", "22050,44100", "16000,44100", "44100,32000",
      "96000,44100", "44100,16000", "44100,44101"})
  void oneKilohertzSineKeepsAmplitudeFrequencyAndPhase(int fromHz, int toHz) {
    double amplitude = 0.5;
    float[] x = sine(1000, amplitude, fromHz, fromHz / 4);
    float[] y = Resampler.resample(x, fromHz, toHz);
    float[] ideal = sine(1000, amplitude, toHz, y.length);
    double maxErr = 0;
    for (int i = EDGE; i < y.length - EDGE; i++) {
      maxErr = Math.max(maxErr, Math.abs(y[i] - ideal[i]));
    }
    assertTrue(maxErr < 1e-4 * amplitude, "max deviation from the ideal sine " + maxErr);
    double gainDb = 20 * Math.log10(rms(y, EDGE, y.length - EDGE) / rms(ideal, EDGE,
        y.length - EDGE));
    assertEquals(0, gainDb, 0.05, "amplitude change in dB");
  }

  /** Tones above the output Nyquist frequency must not alias into the output. */
  @ParameterizedTest
  @CsvSource({"44100,32000,20000", "48000,44100,23000", "96000,44100,30000", "44100,16000,9000",
      "44100,32000,16500"})
  void toneAboveOutputNyquistIsAttenuatedBy60Db(int fromHz, int toHz, double freqHz) {
    float[] x = sine(freqHz, 0.5, fromHz, fromHz / 4);
    float[] y = Resampler.resample(x, fromHz, toHz);
    double attenuationDb = 20 * Math.log10(rms(y, EDGE, y.length - EDGE)
        / rms(x, EDGE, x.length - EDGE));
    assertTrue(attenuationDb < -60, "only " + attenuationDb + " dB");
  }

  /**
   * Upsampling must not create images of the input spectrum above the input Nyquist frequency: a
   * 9 kHz tone (0.82 x Nyquist, inside the passband) at 22.05 kHz would image at 13.05 kHz.
   */
  @Test
  void upsamplingCreatesNoImages() {
    float[] x = sine(9000, 0.5, 22050, 22050 / 4);
    float[] y = Resampler.resample(x, 22050, 44100);
    float[] ideal = sine(9000, 0.5, 44100, y.length);
    float[] residual = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      residual[i] = y[i] - ideal[i];
    }
    double residualDb = 20 * Math.log10(rms(residual, EDGE, y.length - EDGE) / rms(ideal, EDGE,
        y.length - EDGE));
    assertTrue(residualDb < -80, "image/residual level " + residualDb + " dB");
  }

  @Test
  void sameResultFromManyThreads() throws Exception {
    float[] x = sine(1234, 0.3, 48000, 48000);
    float[] expected = Resampler.resample(x, 48000, 22050);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> Resampler.resample(x, 48000, 22050)));
      }
      for (Future<float[]> f : results) {
        assertArrayEquals(expected, f.get(), 0f);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * 10 s at 48 kHz to 44.1 kHz in one thread. About 25 ms on the development machine; the bound is
   * loose because tests share two cores with other builds.
   */
  @Test
  void tenSecondsOf48kHzIsFast() {
    float[] x = sine(1000, 0.5, 48000, 480000);
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      float[] y = Resampler.resample(x, 48000, 44100);
      best = Math.min(best, System.nanoTime() - t0);
      assertEquals(441000, y.length);
    }
    assertTrue(best < 500_000_000L, "best of 5 took " + best / 1e6 + " ms");
  }

  @Test
  void invalidRatesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Resampler.resample(new float[4], 0, 16000));
    assertThrows(IllegalArgumentException.class,
        () -> Resampler.resample(new float[4], 16000, -1));
  }

  /**
   * The real TAU clip (44.1 kHz) up to 48 kHz and back: the round trip loses only what lies in the
   * transition band above 0.90 x 22.05 kHz, which is little in a real recording (measured 82 dB SNR).
   */
  @Test
  void realTauClipSurvivesARoundTripThrough48kHz() {
    Optional<Path> data = AudioTestData.sharedDataDir();
    assumeTrue(data.isPresent(), "shared data folder ../shared/data is absent: skipping");
    float[] x = WavDecoder.decode(AudioTestData.readAll(
        data.get().resolve("real/metro_station-paris-a.wav"))).mono();
    float[] up = Resampler.resample(x, 44100, 48000);
    assertEquals(480000, up.length);
    float[] back = Resampler.resample(up, 48000, 44100);
    assertEquals(x.length, back.length);
    float[] diff = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      diff[i] = back[i] - x[i];
    }
    double snrDb = 20 * Math.log10(rms(x, EDGE, x.length - EDGE) / rms(diff, EDGE,
        x.length - EDGE));
    assertTrue(snrDb > 60, "round-trip SNR " + snrDb + " dB");
  }
}
