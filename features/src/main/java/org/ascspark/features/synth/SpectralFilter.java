package org.ascspark.features.synth;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Frequency-domain filtering with JTransforms: zero-phase application of a {@link ResponseCurve},
 * spectrally shaped noise, and FFT convolution.
 *
 * <p>Conventions: FFT sizes are powers of two. The gain of bin {@code k} of an {@code nfft}-point
 * FFT is the curve evaluated at {@code k * sampleRateHz / nfft}, with the DC bin evaluated at half
 * a bin width (so power laws stay finite); {@code -Infinity} dB means gain 0. Filtering is
 * zero-phase (a real, symmetric frequency response): no group delay, and pre-ringing as long as the
 * ringing. To make the circular convolution linear for the short responses of smooth curves, the
 * signal is zero-padded by at least {@link #PAD_SAMPLES}; a response longer than that (a resonance
 * narrower than about 10 Hz) would wrap around the clip edges. Inputs are never modified.
 */
public final class SpectralFilter {

  /** Minimum zero padding in samples for {@link #filter}: 8192 samples, 186 ms at 44.1 kHz. */
  public static final int PAD_SAMPLES = 8192;

  /** Density of the log-frequency grid on which curves are evaluated, points per octave. */
  public static final int GRID_POINTS_PER_OCTAVE = 48;

  /** FFT plans by size, per thread (reused; the plans' thread safety is not documented). */
  private static final ThreadLocal<Map<Integer, DoubleFFT_1D>> PLANS =
      ThreadLocal.withInitial(HashMap::new);

  private SpectralFilter() {}

  /**
   * Applies a curve with zero phase.
   *
   * @param x signal [n]
   * @param sampleRateHz sample rate in Hz, positive
   * @param curve magnitude response
   * @return the filtered signal [n]
   */
  public static double[] filter(double[] x, int sampleRateHz, ResponseCurve curve) {
    requireRate(sampleRateHz);
    Objects.requireNonNull(curve, "curve");
    if (x.length == 0) {
      return new double[0];
    }
    int nfft = nextPowerOfTwo(x.length + PAD_SAMPLES);
    double[] buf = Arrays.copyOf(x, nfft);
    DoubleFFT_1D fft = plan(nfft);
    fft.realForward(buf);
    multiplyReal(buf, binGains(nfft, sampleRateHz, curve));
    fft.realInverse(buf, true);
    return Arrays.copyOf(buf, x.length);
  }

  /**
   * Applies a curve with zero phase, scaled so that white noise keeps its power: the result is
   * divided by the RMS of the linear gains over the bins. Used for events whose level is set before
   * their spectral colouring.
   *
   * @param x signal [n]
   * @param sampleRateHz sample rate in Hz, positive
   * @param curve magnitude response, not zero everywhere
   * @return the filtered signal [n]
   */
  public static double[] filterUnitPower(double[] x, int sampleRateHz, ResponseCurve curve) {
    requireRate(sampleRateHz);
    if (x.length == 0) {
      return new double[0];
    }
    int nfft = nextPowerOfTwo(x.length + PAD_SAMPLES);
    double[] g = binGains(nfft, sampleRateHz, curve);
    double s = 0;
    for (double v : g) {
      s += v * v;
    }
    double norm = Math.sqrt(s / g.length);
    if (!(norm > 0)) {
      throw new IllegalArgumentException("curve rejects every frequency");
    }
    return Levels.scaled(filter(x, sampleRateHz, curve), 1.0 / norm);
  }

  /**
   * Stationary Gaussian-like noise with the given magnitude response: uniform white noise of the
   * next power-of-two length is coloured circularly in the frequency domain (so there are no edge
   * effects) and the first {@code n} samples are kept.
   *
   * @param n number of samples, non-negative
   * @param sampleRateHz sample rate in Hz, positive
   * @param curve magnitude response of the noise
   * @param rng random stream (advanced)
   * @return noise [n] with an RMS of 1 (all zeros if the curve rejects everything)
   */
  public static double[] colouredNoise(
      int n, int sampleRateHz, ResponseCurve curve, SplittableRandom rng) {
    requireRate(sampleRateHz);
    if (n < 0) {
      throw new IllegalArgumentException("n must be non-negative, got " + n);
    }
    if (n == 0) {
      return new double[0];
    }
    int nfft = nextPowerOfTwo(Math.max(n, 2));
    double[] buf = new double[nfft];
    for (int i = 0; i < nfft; i++) {
      buf[i] = 2.0 * rng.nextDouble() - 1.0;
    }
    DoubleFFT_1D fft = plan(nfft);
    fft.realForward(buf);
    multiplyReal(buf, binGains(nfft, sampleRateHz, curve));
    fft.realInverse(buf, true);
    return Levels.withRms(Arrays.copyOf(buf, n), 1.0);
  }

  /**
   * Linear convolution {@code y = (x * h)[0, n)} followed by a zero-phase curve, via one FFT
   * product.
   *
   * @param x signal [n]
   * @param h impulse response [m], causal
   * @param sampleRateHz sample rate in Hz, positive
   * @param curve magnitude response applied to the result
   * @return the first n samples of the convolution [n]
   */
  public static double[] convolve(double[] x, double[] h, int sampleRateHz, ResponseCurve curve) {
    requireRate(sampleRateHz);
    if (x.length == 0 || h.length == 0) {
      return new double[x.length];
    }
    int nfft = nextPowerOfTwo(x.length + h.length + PAD_SAMPLES);
    double[] a = Arrays.copyOf(x, nfft);
    double[] b = Arrays.copyOf(h, nfft);
    DoubleFFT_1D fft = plan(nfft);
    fft.realForward(a);
    fft.realForward(b);
    double[] g = binGains(nfft, sampleRateHz, curve);
    a[0] *= b[0] * g[0];
    a[1] *= b[1] * g[nfft / 2];
    for (int k = 1; k < nfft / 2; k++) {
      double re = a[2 * k] * b[2 * k] - a[2 * k + 1] * b[2 * k + 1];
      double im = a[2 * k] * b[2 * k + 1] + a[2 * k + 1] * b[2 * k];
      a[2 * k] = re * g[k];
      a[2 * k + 1] = im * g[k];
    }
    fft.realInverse(a, true);
    return Arrays.copyOf(a, x.length);
  }

  /**
   * The linear gains of a curve at the bins of a real FFT.
   *
   * <p>The curve is evaluated exactly on a log-frequency grid of {@link #GRID_POINTS_PER_OCTAVE}
   * points per octave, from the DC evaluation frequency (half a bin) to Nyquist, and the linear
   * gain is interpolated linearly in frequency between grid points (error below 0.02 dB for the
   * curves of {@link ResponseCurve}, whose narrowest feature is a few tenths of an octave wide).
   * This keeps the number of transcendental calls independent of the FFT size; it is pure
   * arithmetic between grid points, so the result is bit-identical on every platform.
   *
   * @param nfft FFT size, even, at least 2
   * @param sampleRateHz sample rate in Hz, positive
   * @param curve magnitude response
   * @return gains [nfft / 2 + 1] for bins 0 (DC) to nfft / 2 (Nyquist)
   */
  public static double[] binGains(int nfft, int sampleRateHz, ResponseCurve curve) {
    if (nfft < 2 || nfft % 2 != 0) {
      throw new IllegalArgumentException("nfft must be even and at least 2, got " + nfft);
    }
    requireRate(sampleRateHz);
    double binHz = (double) sampleRateHz / nfft;
    double fLo = 0.5 * binHz;
    double fHi = 0.5 * sampleRateHz;
    int points = (int) Math.ceil(
        GRID_POINTS_PER_OCTAVE * StrictMath.log(fHi / fLo) / StrictMath.log(2.0)) + 1;
    double[] gridHz = new double[points + 1];
    double[] gridGain = new double[points + 1];
    double ratio = StrictMath.pow(2.0, 1.0 / GRID_POINTS_PER_OCTAVE);
    for (int j = 0; j <= points; j++) {
      gridHz[j] = j == 0 ? fLo : Math.min(fHi, gridHz[j - 1] * ratio);
      gridGain[j] = gainOf(curve, gridHz[j]);
    }
    gridHz[points] = fHi;
    gridGain[points] = gainOf(curve, fHi);
    double[] g = new double[nfft / 2 + 1];
    int j = 0;
    for (int k = 0; k <= nfft / 2; k++) {
      double f = k == 0 ? fLo : k * binHz;
      while (j < points - 1 && gridHz[j + 1] < f) {
        j++;
      }
      double span = gridHz[j + 1] - gridHz[j];
      double w = span > 0 ? Math.max(0.0, Math.min(1.0, (f - gridHz[j]) / span)) : 0.0;
      g[k] = gridGain[j] + w * (gridGain[j + 1] - gridGain[j]);
    }
    return g;
  }

  /** The linear gain of a curve at one frequency; -Infinity dB is 0, NaN or +Infinity fail. */
  private static double gainOf(ResponseCurve curve, double freqHz) {
    double db = curve.gainDb(freqHz);
    if (Double.isNaN(db) || db == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("curve gives " + db + " dB at " + freqHz + " Hz");
    }
    return db == Double.NEGATIVE_INFINITY ? 0.0 : Levels.dbToGain(db);
  }

  /**
   * @param n a positive size
   * @return the smallest power of two {@code >= n}
   */
  public static int nextPowerOfTwo(int n) {
    if (n <= 1) {
      return 1;
    }
    int p = Integer.highestOneBit(n - 1) << 1;
    if (p <= 0) {
      throw new IllegalArgumentException("size too large for an FFT: " + n);
    }
    return p;
  }

  /** Multiplies a JTransforms packed real spectrum by real gains (bins 0..nfft/2). */
  private static void multiplyReal(double[] packed, double[] gains) {
    int nfft = packed.length;
    packed[0] *= gains[0];
    packed[1] *= gains[nfft / 2];
    for (int k = 1; k < nfft / 2; k++) {
      packed[2 * k] *= gains[k];
      packed[2 * k + 1] *= gains[k];
    }
  }

  private static DoubleFFT_1D plan(int nfft) {
    return PLANS.get().computeIfAbsent(nfft, DoubleFFT_1D::new);
  }

  private static void requireRate(int sampleRateHz) {
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sampleRateHz must be positive, got " + sampleRateHz);
    }
  }
}
