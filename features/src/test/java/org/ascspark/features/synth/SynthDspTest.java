package org.ascspark.features.synth;

import org.ascspark.features.RecordSeeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Test;

/** Invariants of the synthesiser's DSP building blocks (filters, curves, oscillators, seeds). */
class SynthDspTest {

  private static final int FS = 44100;

  @Test
  void flatFilterIsTheIdentity() {
    double[] x =
        SpectralFilter.colouredNoise(10_000, FS, ResponseCurve.flat(), new SplittableRandom(1));
    double[] y = SpectralFilter.filter(x, FS, ResponseCurve.flat());
    for (int i = 0; i < x.length; i++) {
      assertEquals(x[i], y[i], 1e-12, "sample " + i);
    }
  }

  @Test
  void filterScalesAToneByTheCurveGainWithZeroPhase() {
    int n = FS;
    double[] f = new double[n];
    Arrays.fill(f, 1000.0);
    double[] tone = Oscillators.harmonicTone(f, FS, new double[] {1.0}, 0.0);
    double[] y = SpectralFilter.filter(tone, FS, ResponseCurve.peak(1000, -6.0206, 1.0));
    // away from the edges the output is the input halved, same phase (zero-phase filtering)
    for (int i = n / 4; i < 3 * n / 4; i++) {
      assertEquals(0.5 * tone[i], y[i], 2e-3, "sample " + i);
    }
  }

  @Test
  void binGainsFollowTheExactCurveWithinHundredthsOfADb() {
    List<ResponseCurve> curves = List.of(
        ResponseCurve.lowCut(300, 4).plus(ResponseCurve.highCut(3800, 8))
            .plus(ResponseCurve.peak(1800, 3, 1.0)),
        ResponseCurve.peak(150, 5, 0.3).plus(ResponseCurve.highShelf(2500, -12)),
        ResponseCurve.powerLaw(2.0).plus(ResponseCurve.lowCut(25, 2)));
    int nfft = 65536;
    for (ResponseCurve c : curves) {
      double[] g = SpectralFilter.binGains(nfft, FS, c);
      for (int k = 1; k <= nfft / 2; k++) {
        double exact = c.gainDb((double) k * FS / nfft);
        if (exact > -80) {
          assertEquals(exact, Levels.gainToDb(g[k]), 0.02, "bin " + k);
        }
      }
    }
  }

  @Test
  void colouredNoiseHasUnitRmsAndTheRequestedSpectrum() {
    int n = 1 << 17;
    double[] pink = SpectralFilter.colouredNoise(n, FS, ResponseCurve.powerLaw(1.0),
        new SplittableRandom(3));
    assertEquals(1.0, Levels.rms(pink), 1e-9);
    // pink noise: equal energy per octave (125-250 Hz ... 4-8 kHz), within 1 dB
    double[] p = power(pink);
    double ref = bandEnergy(p, n, 125, 250);
    for (double lo = 250; lo < 8000; lo *= 2) {
      assertEquals(0, 10 * Math.log10(bandEnergy(p, n, lo, 2 * lo) / ref), 1.0, "octave at " + lo);
    }
  }

  @Test
  void convolutionWithADeltaEqualsFiltering() {
    double[] x =
        SpectralFilter.colouredNoise(5000, FS, ResponseCurve.flat(), new SplittableRandom(4));
    ResponseCurve c = ResponseCurve.highCut(2000, 2);
    double[] viaConv = SpectralFilter.convolve(x, new double[] {1.0}, FS, c);
    double[] viaFilter = SpectralFilter.filter(x, FS, c);
    assertArrayEquals(viaFilter, viaConv, 1e-9);
  }

  @Test
  void tableSineIsAccurate() {
    for (int i = 0; i < 10_000; i++) {
      double ph = i * 0.001237 - 3.1;
      assertEquals(StrictMath.sin(2 * Math.PI * ph), Oscillators.sinCycles(ph), 5e-7);
    }
  }

  @Test
  void pulseTrainHasOneUnitPulsePerPeriod() {
    double[] f = new double[FS];
    Arrays.fill(f, 100.0);
    double[] p = Oscillators.pulseTrain(f, FS, 0.0, new SplittableRandom(5));
    double sum = 0;
    for (double v : p) {
      sum += v;
    }
    assertEquals(100, sum, 1.0);
  }

  @Test
  void seedsDependOnlyOnSeedAndKey() {
    long s = RecordSeeds.mix(42, "source/bus-lyon-3-0");
    assertEquals(s, RecordSeeds.mix(42, "source/bus-lyon-3-0"));
    assertNotEquals(s, RecordSeeds.mix(42, "source/bus-lyon-3-1"));
    assertNotEquals(s, RecordSeeds.mix(43, "source/bus-lyon-3-0"));
  }

  @Test
  void invalidCurveParametersAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> ResponseCurve.lowCut(0, 2));
    assertThrows(IllegalArgumentException.class, () -> ResponseCurve.peak(1000, Double.NaN, 1));
    assertThrows(IllegalArgumentException.class,
        () -> SpectralFilter.binGains(1024, FS, f -> Double.NaN));
    assertTrue(SpectralFilter.binGains(65536, FS, ResponseCurve.lowCut(100, 2))[0] < 1e-3);
  }

  /** |FFT|^2 per bin of a power-of-two-length signal, bins 0..n/2. */
  static double[] power(double[] x) {
    int n = x.length;
    double[] b = x.clone();
    new DoubleFFT_1D(n).realForward(b);
    double[] p = new double[n / 2 + 1];
    p[0] = b[0] * b[0];
    p[n / 2] = b[1] * b[1];
    for (int k = 1; k < n / 2; k++) {
      p[k] = b[2 * k] * b[2 * k] + b[2 * k + 1] * b[2 * k + 1];
    }
    return p;
  }

  /** Sum of power over bins with frequency in [loHz, hiHz). */
  static double bandEnergy(double[] p, int n, double loHz, double hiHz) {
    double s = 0;
    for (int k = 1; k < p.length; k++) {
      double f = (double) k * FS / n;
      if (f >= loHz && f < hiHz) {
        s += p[k];
      }
    }
    return s;
  }
}
