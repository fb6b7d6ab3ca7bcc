package org.ascspark.features.audio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Band-limited sample-rate conversion by a rational polyphase Kaiser-windowed-sinc filter. Our own
 * implementation; no library.
 *
 * <p><b>Conventions.</b>
 * <ul>
 *   <li>The rate ratio is reduced to L/M = toHz/fromHz by their gcd. Output sample k is the
 *       band-limited interpolation of the input at input time {@code t_k = k * M / L} (in input
 *       samples): zero phase, no delay, output sample 0 coincides with input sample 0.</li>
 *   <li>Output length is {@code ceil(n * toHz / fromHz)} for an input of n samples (the same as
 *       {@code scipy.signal.resample_poly}); the last output lies at input time &lt; n.</li>
 *   <li>The signal is zero outside [0, n): outputs within the filter's half-width of either end see
 *       zero padding.</li>
 *   <li>Anti-aliasing/anti-imaging low-pass: windowed-sinc cutoff (-6 dB point) at
 *       {@link #ROLLOFF} x min(fromHz, toHz) / 2. The Kaiser window is designed for
 *       {@link #STOPBAND_ATTENUATION_DB} dB with its transition band from
 *       (2 {@code ROLLOFF} - 1) to 1 times min(fromHz, toHz) / 2, so the stopband starts exactly
 *       at the lower Nyquist frequency and the passband (ripple about 3e-5) reaches
 *       0.90 x min(fromHz, toHz) / 2 (19.8 kHz at 44.1 kHz). Kaiser beta and length follow Kaiser's
 *       formulas (Oppenheim and Schafer, Discrete-Time Signal Processing, 3rd ed., eq. 7.62-7.63).</li>
 *   <li>Each of the L polyphase sub-filters is normalised to sum to exactly 1, so DC gain is 1 away
 *       from the edges.</li>
 * </ul>
 *
 * <p><b>Cost.</b> About 115 multiply-adds per output sample when upsampling, 115 x fromHz/toHz when
 * downsampling; accumulation is in double. Phase tables ({@code L x taps} doubles) are built once
 * per (fromHz, toHz) and cached immutably in a {@link ConcurrentHashMap}, so the class is safe and
 * cheap to call from many Spark task threads. A ratio whose table would exceed 2^20 entries (e.g. 44100 to 44101 Hz, L = 44101) is not cached: its
 * coefficients are computed for each output sample instead, giving the same result more slowly.
 */
public final class Resampler {

  /** Windowed-sinc cutoff as a fraction of the lower of the two Nyquist frequencies. */
  public static final double ROLLOFF = 0.95;

  /** Kaiser window design target for the stopband attenuation, in dB. */
  public static final double STOPBAND_ATTENUATION_DB = 90.0;

  /** Largest phase table (phases x taps, doubles) that is cached; 8 MB. */
  static final int MAX_TABLE_ENTRIES = 1 << 20;

  /** Kaiser beta for {@link #STOPBAND_ATTENUATION_DB} (A &gt; 50: beta = 0.1102 (A - 8.7)). */
  private static final double KAISER_BETA = 0.1102 * (STOPBAND_ATTENUATION_DB - 8.7);

  /** Normaliser of the Kaiser window, I0(beta). */
  private static final double I0_BETA = besselI0(KAISER_BETA);

  /**
   * Half-width of the filter in samples of the lower rate: Kaiser's length estimate
   * N - 1 = (A - 7.95) / (2.285 * dOmega) for the transition width
   * dOmega = 2 pi (1 - ROLLOFF) / 2 radians per lower-rate sample, halved.
   */
  private static final double HALF_WIDTH_LOW_RATE =
      (STOPBAND_ATTENUATION_DB - 7.95) / (2.285 * 2 * Math.PI * (1 - ROLLOFF)) / 2;

  private static final Map<Long, Kernel> CACHE = new ConcurrentHashMap<>();

  private Resampler() {}

  /**
   * Resamples a signal.
   *
   * @param x input samples at {@code fromHz}; not modified
   * @param fromHz input sample rate in Hz, positive
   * @param toHz output sample rate in Hz, positive
   * @return new array of {@code ceil(x.length * toHz / fromHz)} samples at {@code toHz}; a copy of
   *     {@code x} when the rates are equal
   */
  public static float[] resample(float[] x, int fromHz, int toHz) {
    if (fromHz <= 0 || toHz <= 0) {
      throw new IllegalArgumentException(
          "sample rates must be positive, got fromHz=" + fromHz + " toHz=" + toHz);
    }
    if (fromHz == toHz) {
      return x.clone();
    }
    Kernel k = kernel(fromHz, toHz);
    int n = x.length;
    long outLen = ceilDiv((long) n * k.up, k.down);
    if (outLen > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("output of " + outLen + " samples is too long");
    }
    float[] y = new float[(int) outLen];
    if (k.table != null) {
      filterWithTable(x, y, k);
    } else {
      filterDirect(x, y, k);
    }
    return y;
  }

  /**
   * Returns the output length {@link #resample} produces.
   *
   * @param inputSamples input length in samples, non-negative
   * @param fromHz input sample rate in Hz, positive
   * @param toHz output sample rate in Hz, positive
   * @return {@code ceil(inputSamples * toHz / fromHz)}
   */
  public static long outputLength(long inputSamples, int fromHz, int toHz) {
    if (fromHz <= 0 || toHz <= 0 || inputSamples < 0) {
      throw new IllegalArgumentException("invalid arguments: inputSamples=" + inputSamples
          + " fromHz=" + fromHz + " toHz=" + toHz);
    }
    long g = gcd(fromHz, toHz);
    return ceilDiv(inputSamples * (toHz / g), fromHz / g);
  }

  /**
   * The polyphase filter for one rate pair. Output k uses input samples
   * {@code n0 - (half - 1) .. n0 + half} with {@code n0 = floor(k M / L)} and phase
   * {@code p = k M mod L}; tap j of phase p weighs input {@code n0 - (half - 1) + j}, whose
   * distance to the output time is {@code t = p / L + (half - 1) - j} input samples.
   */
  private static final class Kernel {
    final int up;
    final int down;
    /** Taps per phase, {@code 2 * half}. */
    final int taps;
    final int half;
    /** Sinc cutoff in cycles per input sample. */
    final double cutoff;
    /** Window half-width in input samples. */
    final double halfWidth;
    /** Phase-major table [up * taps], each phase summing to 1; null when too large to cache. */
    final double[] table;

    Kernel(int up, int down, boolean buildTable) {
      this.up = up;
      this.down = down;
      double lowOverInput = Math.min(1.0, (double) up / down);
      this.cutoff = ROLLOFF * 0.5 * lowOverInput;
      this.halfWidth = HALF_WIDTH_LOW_RATE / lowOverInput;
      this.half = (int) Math.ceil(halfWidth) + 1;
      this.taps = 2 * half;
      if (buildTable) {
        double[] t = new double[up * taps];
        for (int p = 0; p < up; p++) {
          fillPhase(p, t, p * taps);
        }
        this.table = t;
      } else {
        this.table = null;
      }
    }

    /** Writes the normalised taps of phase p into dst[off .. off + taps). */
    void fillPhase(int p, double[] dst, int off) {
      double frac = (double) p / up;
      double sum = 0;
      for (int j = 0; j < taps; j++) {
        double h = tap(frac + (half - 1) - j);
        dst[off + j] = h;
        sum += h;
      }
      for (int j = 0; j < taps; j++) {
        dst[off + j] /= sum;
      }
    }

    /** Kaiser-windowed sinc at a distance of t input samples (before normalisation). */
    double tap(double t) {
      double u = t / halfWidth;
      if (u <= -1.0 || u >= 1.0) {
        return 0.0;
      }
      double a = 2 * cutoff * t;
      double sinc = a == 0.0 ? 1.0 : Math.sin(Math.PI * a) / (Math.PI * a);
      return 2 * cutoff * sinc * besselI0(KAISER_BETA * Math.sqrt(1 - u * u)) / I0_BETA;
    }
  }

  private static Kernel kernel(int fromHz, int toHz) {
    long g = gcd(fromHz, toHz);
    int up = (int) (toHz / g);
    int down = (int) (fromHz / g);
    long key = ((long) fromHz << 32) | (toHz & 0xFFFFFFFFL);
    Kernel cached = CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    Kernel probe = new Kernel(up, down, false);
    if ((long) up * probe.taps > MAX_TABLE_ENTRIES) {
      return probe;
    }
    return CACHE.computeIfAbsent(key, unused -> new Kernel(up, down, true));
  }

  private static void filterWithTable(float[] x, float[] y, Kernel k) {
    int n = x.length;
    int taps = k.taps;
    int first = -(k.half - 1);
    double[] h = k.table;
    for (int i = 0; i < y.length; i++) {
      long pos = (long) i * k.down;
      int n0 = (int) (pos / k.up);
      int p = (int) (pos - (long) n0 * k.up);
      int start = n0 + first;
      int off = p * taps;
      double acc;
      if (start >= 0 && start + taps <= n) {
        acc = dot(x, start, h, off, taps);
      } else {
        acc = 0;
        int jLo = Math.max(0, -start);
        int jHi = Math.min(taps, n - start);
        for (int j = jLo; j < jHi; j++) {
          acc += x[start + j] * h[off + j];
        }
      }
      y[i] = (float) acc;
    }
  }

  /** Dot product with four independent accumulators to keep the FPU pipeline busy. */
  private static double dot(float[] x, int xOff, double[] h, int hOff, int len) {
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    int j = 0;
    for (; j + 3 < len; j += 4) {
      a0 += x[xOff + j] * h[hOff + j];
      a1 += x[xOff + j + 1] * h[hOff + j + 1];
      a2 += x[xOff + j + 2] * h[hOff + j + 2];
      a3 += x[xOff + j + 3] * h[hOff + j + 3];
    }
    for (; j < len; j++) {
      a0 += x[xOff + j] * h[hOff + j];
    }
    return (a0 + a1) + (a2 + a3);
  }

  /** Same result as {@link #filterWithTable}, computing each output's taps on the fly. */
  private static void filterDirect(float[] x, float[] y, Kernel k) {
    int n = x.length;
    int first = -(k.half - 1);
    double[] h = new double[k.taps];
    for (int i = 0; i < y.length; i++) {
      long pos = (long) i * k.down;
      int n0 = (int) (pos / k.up);
      int p = (int) (pos - (long) n0 * k.up);
      int start = n0 + first;
      k.fillPhase(p, h, 0);
      int jLo = Math.max(0, -start);
      int jHi = Math.min(k.taps, n - start);
      double acc = 0;
      for (int j = jLo; j < jHi; j++) {
        acc += x[start + j] * h[j];
      }
      y[i] = (float) acc;
    }
  }

  /** Modified Bessel function of the first kind, order 0, by its power series. */
  static double besselI0(double x) {
    double term = 1;
    double sum = 1;
    double q = x * x / 4;
    for (int m = 1; m < 500; m++) {
      term *= q / ((double) m * m);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
