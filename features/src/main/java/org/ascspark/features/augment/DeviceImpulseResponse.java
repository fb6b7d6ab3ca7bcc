package org.ascspark.features.augment;

import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Device impulse response (DIR) convolution (SPEC.md section 3): convolves the clip with a
 * microphone impulse response drawn uniformly from an {@link ImpulseResponses} set, as in the
 * DIR augmentation of Morocutti et al. (DCASE 2023, CP-JKU), keeping the clip's length, alignment
 * and level.
 *
 * <p><b>Conventions.</b>
 * <ul>
 *   <li>Draw: one {@code rng.nextInt(size)} picks the IR (index order of the set, i.e. file-name
 *       order).</li>
 *   <li>Alignment: the IR's main peak {@code p} ({@link ImpulseResponses#peakIndex}) is time zero:
 *       {@code y[t] = sum_k h[k] x[t + p - k]} for {@code t} in [0, n), i.e. samples
 *       {@code p .. p + n - 1} of the full linear convolution. The pre-peak taps act as look-ahead,
 *       the convolution tail beyond the clip's end is dropped, the output has the input's length,
 *       and an IR that is a delayed impulse returns the input unchanged.</li>
 *   <li>Level: the output is rescaled so its RMS equals the input's (gain computed in double over
 *       the whole clip; a silent input gives a silent output). The IRs' unit energy alone would
 *       keep only white noise at its level; real scenes, whose energy sits where the responses
 *       differ most, would change level from IR to IR.</li>
 *   <li>Computation: one real FFT convolution in double precision (JTransforms), FFT length the
 *       next power of two at or above {@code n + L - 1}, no wrap-around; about 10 ms for a 10 s
 *       44.1 kHz clip and a 0.5 s IR on one core (2^19-point FFTs). FFTs of 8192 points or more
 *       use JTransforms' thread pool unless
 *       {@link org.ascspark.features.spectral.FftThreads#oneThreadPerTask()} was called.</li>
 * </ul>
 *
 * <p>The clip's sample rate must equal the set's ({@link ImpulseResponses#sampleRateHz()}); load
 * the set at the rate the clips have. Parameters recorded: {@code {"ir": "<name>"}}. Immutable,
 * thread-safe, serializable (the IRs travel with it: 40 micirp responses are about 3.5 MB).
 */
public final class DeviceImpulseResponse implements WaveformAugmentation {

  private static final long serialVersionUID = 1L;

  /** Name in configs and in the {@code augmentation} column. */
  public static final String NAME = "dir";

  /** Key of the drawn IR's name in {@link Applied#params()}. */
  public static final String PARAM_IR = "ir";

  /** The last FFT plan each thread used (clip lengths repeat, so one is enough). */
  private static final ThreadLocal<Plan> PLAN = new ThreadLocal<>();

  /** A JTransforms plan and its length. */
  private record Plan(int nFft, DoubleFFT_1D fft) {}

  /** The responses drawn from. */
  private final ImpulseResponses irs;

  /**
   * Creates the augmentation.
   *
   * @param irs the impulse responses to draw from, at the clips' sample rate
   */
  public DeviceImpulseResponse(ImpulseResponses irs) {
    this.irs = Objects.requireNonNull(irs, "irs");
  }

  /** @return the impulse-response set */
  public ImpulseResponses impulseResponses() {
    return irs;
  }

  /** @return {@value #NAME} */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Draws an IR and convolves the clip with it.
   *
   * @param samples mono samples, full scale, not modified; may be empty
   * @param sampleRateHz their sample rate in Hz; must equal the set's rate
   * @param rng the record's random stream (one draw)
   * @return the convolved samples (same length, aligned, same RMS) and {@code {"ir": name}}
   * @throws IllegalArgumentException if the sample rate differs from the set's
   */
  @Override
  public Applied apply(float[] samples, int sampleRateHz, SplittableRandom rng) {
    Objects.requireNonNull(samples, "samples");
    Objects.requireNonNull(rng, "rng");
    if (sampleRateHz != irs.sampleRateHz()) {
      throw new IllegalArgumentException("clip sample rate " + sampleRateHz
          + " Hz differs from the impulse responses' " + irs.sampleRateHz()
          + " Hz; load them at the clips' rate");
    }
    int i = rng.nextInt(irs.size());
    float[] y = convolveAligned(samples, irs.irShared(i), irs.peakIndex(i));
    return new Applied(matchRms(samples, y), Map.of(PARAM_IR, irs.name(i)));
  }

  /**
   * Linear convolution re-referenced to a peak: {@code y[t] = sum_k h[k] x[t + peakIndex - k]}
   * for {@code t} in [0, x.length), with x zero outside its range. No level change.
   *
   * @param x signal, not modified
   * @param h impulse response, non-empty, not modified
   * @param peakIndex index in h taken as time zero, in [0, h.length)
   * @return new array of {@code x.length} samples
   */
  public static float[] convolveAligned(float[] x, float[] h, int peakIndex) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(h, "h");
    if (h.length == 0 || peakIndex < 0 || peakIndex >= h.length) {
      throw new IllegalArgumentException("need a non-empty IR and a peak index inside it, got "
          + "length " + h.length + " and peak " + peakIndex);
    }
    int n = x.length;
    if (n == 0) {
      return new float[0];
    }
    long needed = (long) n + h.length - 1;
    if (needed > (1 << 30)) {
      throw new IllegalArgumentException("signal plus IR too long for one FFT: " + needed);
    }
    int nFft = Integer.highestOneBit((int) needed);
    if (nFft < needed) {
      nFft <<= 1;
    }
    nFft = Math.max(nFft, 2);
    DoubleFFT_1D fft = plan(nFft);
    double[] a = new double[nFft];
    double[] b = new double[nFft];
    for (int j = 0; j < n; j++) {
      a[j] = x[j];
    }
    for (int j = 0; j < h.length; j++) {
      b[j] = h[j];
    }
    fft.realForward(a);
    fft.realForward(b);
    // JTransforms' packed real spectrum: a[0] = Re X[0], a[1] = Re X[nFft/2], then (Re, Im) pairs.
    a[0] *= b[0];
    a[1] *= b[1];
    for (int k = 2; k < nFft; k += 2) {
      double re = a[k] * b[k] - a[k + 1] * b[k + 1];
      double im = a[k] * b[k + 1] + a[k + 1] * b[k];
      a[k] = re;
      a[k + 1] = im;
    }
    fft.realInverse(a, true);
    float[] y = new float[n];
    for (int t = 0; t < n; t++) {
      y[t] = (float) a[t + peakIndex];
    }
    return y;
  }

  /**
   * Scales y in place so its RMS equals x's and returns it; returns zeros (+0.0) when either is
   * all zeros (a silent input stays exactly silent, without FFT-signed -0.0).
   */
  private static float[] matchRms(float[] x, float[] y) {
    double ex = 0;
    double ey = 0;
    for (int i = 0; i < x.length; i++) {
      ex += (double) x[i] * x[i];
      ey += (double) y[i] * y[i];
    }
    if (ex == 0 || ey == 0) {
      return new float[y.length];
    }
    double g = Math.sqrt(ex / ey);
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) (y[i] * g);
    }
    return y;
  }

  private static DoubleFFT_1D plan(int nFft) {
    Plan p = PLAN.get();
    if (p == null || p.nFft() != nFft) {
      p = new Plan(nFft, new DoubleFFT_1D(nFft));
      PLAN.set(p);
    }
    return p.fft();
  }

  @Override
  public String toString() {
    return "DeviceImpulseResponse[" + irs + "]";
  }
}
