package org.ascspark.features.spectral.cqt;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ascspark.features.spectral.CqtParams;
import org.jtransforms.fft.DoubleFFT_1D;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Constant-Q transform by the spectral-kernel method of Brown &amp; Puckette (1992, "An efficient
 * algorithm for the calculation of a constant Q transform", JASA 92(5)): the kernels are
 * transformed once to the frequency domain, kept sparse, and each frame is FFT'd once and
 * multiplied by the sparse kernel matrix. Immutable and thread-safe.
 *
 * <h2>Definition</h2>
 *
 * For bins k = 0..nBins-1 and frames t = 0..frames-1:
 *
 * <pre>
 *   f_k = fMinHz 2^(k / binsPerOctave),   Q = filterScale / (2^(1 / binsPerOctave) - 1),
 *   N_k = round(Q sr / f_k)  (round half up),   M_k = floor((N_k - 1) / 2),
 *   X_k(t) = (1 / N_k) sum_{m = -M_k}^{M_k} x[t hop + m] w_k(m) exp(-2 pi i f_k m / sr),
 *   w_k(m) = 0.5 + 0.5 cos(2 pi m / N_k)
 * </pre>
 *
 * <ul>
 *   <li>Window: Hann of length N_k centred on the frame centre (the periodic Hann of length N_k
 *       shifted so that its peak is at m = 0; its zero end point is left out, so the support has
 *       2 M_k + 1 samples, symmetric). sum_m w_k(m) = N_k / 2 exactly.
 *   <li>Normalisation 1 / N_k (Brown &amp; Puckette): a sinusoid A cos(2 pi f_k t) reads
 *       |X_k| = A / 4 (A / 2 from the real cosine, times the Hann mean 1 / 2) in every bin. This is
 *       not librosa's scaling: librosa's {@code cqt(scale=True)} makes the kernels' L2 norms equal
 *       (white noise flat across bins), which differs from ours by a per-bin factor proportional
 *       to sqrt(N_k), i.e. a per-bin offset after the log, removed by per-bin normalisation.
 *   <li>Frames are centred on sample t hop, t = 0..(1 + n / hop) - 1 (librosa's frame count);
 *       samples outside the signal are zeros (librosa's {@code pad_mode='constant'}). No tuning
 *       estimation, no resampling: one sample rate throughout.
 *   <li>Output: magnitudes |X_k(t)| (the log stage must use 20 log10 for dB); the phase
 *       convention above (phase referenced to the frame centre) is irrelevant to the magnitude.
 * </ul>
 *
 * <h2>Method and accuracy</h2>
 *
 * The kernel h_k(m) = w_k(m) exp(2 pi i f_k m / sr) / N_k is laid out circularly (m mod L) in
 * L samples, L the next power of two above 2 M_0 + 1 (at least 4), and transformed once in double
 * precision: K_k[j]. By Parseval, X_k(t) = (1 / L) sum_j B_t[j] conj(K_k[j]) with B_t the L-point
 * DFT of the frame b_t(m) = x[t hop + m] for |m| &lt;= M_0 (zero elsewhere in the buffer),
 * computed per frame with a float real FFT; since b_t is real, B_t[L - j] = conj(B_t[j]) and only
 * the half spectrum j = 0..L/2 is read. K_k is concentrated around bin f_k L / sr (main lobe
 * 4 L / N_k bins wide, side lobes decaying as the cube of the distance). Per bin, two contiguous
 * spans are kept: the positive-frequency bins from the first to the last with |K_k[j]| at least
 * {@value #SPARSITY} times max_j |K_k[j]|, and likewise for the negative frequencies (non-empty
 * only for low-Q kernels near DC); everything outside is dropped. By Cauchy-Schwarz the error this
 * makes is at most
 *
 * <pre>
 *   |dX_k(t)| &lt;= eps_k ||b_t||_2,   eps_k = sqrt(sum_{dropped j} |K_k[j]|^2 / L)
 * </pre>
 *
 * where eps_k is computed exactly at construction ({@link #sparsityErrorBound}); for the default
 * threshold it is about 2.1e-5 of the kernel's own norm ||h_k||_2 = sqrt(sum_m |h_k(m)|^2) in
 * every bin. What this means for features: a strong component elsewhere in the spectrum leaks
 * into a bin through the dropped coefficients at roughly the threshold's level, where the exact
 * Hann response keeps falling, so only bins far below the strongest component change. In the
 * reference tests (make_spectral_refs.py, direct time-domain sums), the largest change of a dB
 * value was 0.4 dB, for values 80 dB below the clip's maximum (at the edge of a top-db of 80);
 * with a threshold of 1e-4 it was 5 dB at 74 dB below, hence 1e-5. (Brown &amp; Puckette used
 * 0.0054; librosa's default {@code sparsity=0.01} drops the smallest coefficients holding 1% of
 * each kernel's L1 mass.) Float FFT rounding adds about 1e-6 ||b_t|| ||h_k|| at most; products
 * are accumulated in double.
 *
 * <p>Cost: per frame one real float FFT of L points (JTransforms) plus one complex multiply-add per
 * stored coefficient. For 128 bins, 24 per octave from 32.7 Hz at 44.1 kHz (L = 65536, 120,409
 * coefficients), a 10 s clip at hop 326 (1353 frames) takes about 0.5 s on one core here, 0.32 s
 * of it in the FFTs (0.39 s in all with a threshold of 1e-4); building the kernels takes about
 * 0.3 s, once per JVM ({@link #of}).
 *
 * <h2>Validation</h2>
 *
 * The highest bin f_{nBins-1} must be below the Nyquist frequency; the longest window N_0 must be
 * at most {@value #MAX_KERNEL_SECONDS} s (lower f-min-hz, more bins per octave and a larger filter
 * scale all lengthen it); the shortest, N_{nBins-1}, at least 2 samples. A signal shorter than the
 * shortest window ({@link #minSamples}) has no frames.
 */
public final class ConstantQ implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * Kernel spectrum coefficients below this fraction of the kernel's peak, outside each bin's
   * spans, are dropped (see the class comment for the error it makes and the choice).
   */
  public static final double SPARSITY = 1e-5;

  /** Longest accepted analysis window, in seconds. */
  public static final double MAX_KERNEL_SECONDS = 4.0;

  private static final Map<Key, ConstantQ> CACHE = new ConcurrentHashMap<>();

  /** Per-thread FFT plans keyed by length (JTransforms instances are not shared across threads). */
  private static final ThreadLocal<Map<Integer, FloatFFT_1D>> FFTS =
      ThreadLocal.withInitial(HashMap::new);

  private final CqtParams params;
  private final int sampleRateHz;
  private final double q;
  private final double[] freqsHz;
  private final int[] lengths;
  private final int halfSupport;
  private final int fftLength;
  // Kernel spectra per bin, as two contiguous spans of the half spectrum X[0..L/2]: the positive
  // frequencies K[j] / L, j in [posStart, posStart + length), and the negative frequencies
  // K[L - j] / L mirrored onto j in [negStart, negStart + length) (X[L - j] = conj(X[j])).
  private final int[] posStart;
  private final float[][] posRe;
  private final float[][] posIm;
  private final int[] negStart;
  private final float[][] negRe;
  private final float[][] negIm;
  private final double[] errorBound;

  /**
   * Builds and validates the transform (kernel spectra computed here). Prefer {@link #of}, which
   * caches.
   *
   * @param params CQT settings
   * @param sampleRateHz sample rate in Hz, positive
   * @throws IllegalArgumentException naming the config keys: highest bin at or above the Nyquist
   *     frequency, windows longer than {@value #MAX_KERNEL_SECONDS} s or shorter than 2 samples
   */
  public ConstantQ(CqtParams params, int sampleRateHz) {
    if (params == null) {
      throw new IllegalArgumentException("cqt settings are required");
    }
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sample-rate must be positive, got " + sampleRateHz);
    }
    this.params = params;
    this.sampleRateHz = sampleRateHz;
    int nBins = params.nBins();
    int bpo = params.binsPerOctave();
    this.q = params.filterScale() / (Math.pow(2.0, 1.0 / bpo) - 1.0);
    this.freqsHz = frequenciesHz(params);
    double top = freqsHz[nBins - 1];
    double nyquist = sampleRateHz / 2.0;
    if (!(top < nyquist)) {
      throw new IllegalArgumentException(String.format(
          "n-bins (%d) at bins-per-octave (%d) from f-min-hz (%s) puts the highest bin at %.1f Hz,"
              + " not below the Nyquist frequency (%s Hz at sample rate %d Hz)",
          nBins, bpo, params.fMinHz(), top, nyquist, sampleRateHz));
    }
    this.lengths = new int[nBins];
    for (int k = 0; k < nBins; k++) {
      double len = q * sampleRateHz / freqsHz[k];
      if (len > MAX_KERNEL_SECONDS * sampleRateHz) {
        throw new IllegalArgumentException(String.format(
            "the window of the lowest bin (f-min-hz %s, bins-per-octave %d, filter-scale %s) is "
                + "%.2f s long, more than %s s; raise f-min-hz or lower bins-per-octave or "
                + "filter-scale", params.fMinHz(), bpo, params.filterScale(), len / sampleRateHz,
            MAX_KERNEL_SECONDS));
      }
      lengths[k] = (int) Math.floor(len + 0.5);
    }
    if (lengths[nBins - 1] < 2) {
      throw new IllegalArgumentException("the window of the highest bin is " + lengths[nBins - 1]
          + " samples (filter-scale " + params.filterScale() + ", bins-per-octave " + bpo
          + "); it must be at least 2: raise filter-scale");
    }
    this.halfSupport = (lengths[0] - 1) / 2;
    // 2 M_0 + 1 is odd, so the next power of two is twice its highest one bit (at least 4)
    this.fftLength = Math.max(4, Integer.highestOneBit(2 * halfSupport + 1) << 1);
    Sparse s = kernels();
    this.posStart = s.posStart;
    this.posRe = s.posRe;
    this.posIm = s.posIm;
    this.negStart = s.negStart;
    this.negRe = s.negRe;
    this.negIm = s.negIm;
    this.errorBound = s.errorBound;
  }

  /**
   * A shared transform for these settings (built once per JVM and kept; transforms are immutable).
   *
   * @param params CQT settings
   * @param sampleRateHz sample rate in Hz
   * @return the transform
   * @throws IllegalArgumentException as the constructor
   */
  public static ConstantQ of(CqtParams params, int sampleRateHz) {
    Key key = new Key(params, sampleRateHz);
    ConstantQ cq = CACHE.get(key);
    if (cq == null) {
      cq = new ConstantQ(params, sampleRateHz);
      CACHE.putIfAbsent(key, cq);
    }
    return cq;
  }

  /**
   * Bin frequencies.
   *
   * @param params settings
   * @return f_k = fMinHz 2^(k / binsPerOctave) in Hz [nBins], increasing
   */
  public static double[] frequenciesHz(CqtParams params) {
    double[] f = new double[params.nBins()];
    for (int k = 0; k < f.length; k++) {
      f[k] = params.fMinHz() * Math.pow(2.0, (double) k / params.binsPerOctave());
    }
    return f;
  }

  private record Sparse(int[] posStart, float[][] posRe, float[][] posIm, int[] negStart,
      float[][] negRe, float[][] negIm, double[] errorBound) {}

  /** Kernel spectra, thresholded to spans, in the form used by {@link #magnitude}. */
  private Sparse kernels() {
    int n = fftLength;
    int half = n / 2;
    int nBins = freqsHz.length;
    DoubleFFT_1D fft = new DoubleFFT_1D(n);
    double[] buf = new double[2 * n];
    double[] mag = new double[n];
    int[] posStart = new int[nBins];
    int[] negStart = new int[nBins];
    float[][] posRe = new float[nBins][];
    float[][] posIm = new float[nBins][];
    float[][] negRe = new float[nBins][];
    float[][] negIm = new float[nBins][];
    double[] bound = new double[nBins];
    for (int k = 0; k < nBins; k++) {
      Arrays.fill(buf, 0.0);
      int len = lengths[k];
      int m2 = (len - 1) / 2;
      double omega = 2 * Math.PI * freqsHz[k] / sampleRateHz;
      for (int m = -m2; m <= m2; m++) {
        double w = (0.5 + 0.5 * Math.cos(2 * Math.PI * m / len)) / len;
        int i = m >= 0 ? m : n + m;
        buf[2 * i] = w * Math.cos(omega * m);
        buf[2 * i + 1] = w * Math.sin(omega * m);
      }
      fft.complexForward(buf);
      double peak = 0;
      for (int j = 0; j < n; j++) {
        mag[j] = Math.sqrt(buf[2 * j] * buf[2 * j] + buf[2 * j + 1] * buf[2 * j + 1]);
        peak = Math.max(peak, mag[j]);
      }
      double keep = SPARSITY * peak;
      // positive frequencies j = 0..L/2
      int p0 = 0;
      while (p0 <= half && mag[p0] < keep) {
        p0++;
      }
      int p1 = half;
      while (p1 >= p0 && mag[p1] < keep) {
        p1--;
      }
      // negative frequencies j = L/2+1..L-1, mirrored to L - j = 1..L/2-1
      int q0 = 1;
      while (q0 < half && mag[n - q0] < keep) {
        q0++;
      }
      int q1 = half - 1;
      while (q1 >= q0 && mag[n - q1] < keep) {
        q1--;
      }
      double dropped = 0;
      for (int j = 0; j <= half; j++) {
        if (j < p0 || j > p1) {
          dropped += mag[j] * mag[j];
        }
      }
      for (int j = 1; j < half; j++) {
        if (j < q0 || j > q1) {
          dropped += mag[n - j] * mag[n - j];
        }
      }
      posStart[k] = p0;
      posRe[k] = new float[Math.max(0, p1 - p0 + 1)];
      posIm[k] = new float[posRe[k].length];
      for (int j = p0; j <= p1; j++) {
        posRe[k][j - p0] = (float) (buf[2 * j] / n);
        posIm[k][j - p0] = (float) (buf[2 * j + 1] / n);
      }
      negStart[k] = q0;
      negRe[k] = new float[Math.max(0, q1 - q0 + 1)];
      negIm[k] = new float[negRe[k].length];
      for (int j = q0; j <= q1; j++) {
        negRe[k][j - q0] = (float) (buf[2 * (n - j)] / n);
        negIm[k][j - q0] = (float) (buf[2 * (n - j) + 1] / n);
      }
      bound[k] = Math.sqrt(dropped / n);
    }
    return new Sparse(posStart, posRe, posIm, negStart, negRe, negIm, bound);
  }

  /**
   * Shortest signal with frames: the shortest window, N_{nBins-1} samples.
   *
   * @return minimum signal length in samples
   */
  public int minSamples() {
    return lengths[lengths.length - 1];
  }

  /**
   * Number of frames for a signal length.
   *
   * @param numSamples signal length in samples
   * @return 1 + numSamples / hop (integer division), or 0 below {@link #minSamples}
   */
  public int frames(int numSamples) {
    if (numSamples < minSamples()) {
      return 0;
    }
    return 1 + numSamples / params.hopSamples();
  }

  /**
   * Constant-Q magnitude spectrogram.
   *
   * @param samples mono signal at {@link #sampleRateHz()}, not modified
   * @return |X_k(t)| [nBins][frames], bins low to high, linear magnitude (see the class comment
   *     for the scale), a new array
   * @throws IllegalArgumentException when the signal is shorter than {@link #minSamples}
   */
  public float[][] magnitude(float[] samples) {
    if (samples == null) {
      throw new IllegalArgumentException("samples are required");
    }
    int frames = frames(samples.length);
    if (frames == 0) {
      throw new IllegalArgumentException(tooShortMessage(samples.length));
    }
    int n = fftLength;
    int nBins = freqsHz.length;
    int hop = params.hopSamples();
    int len = samples.length;
    int h = halfSupport;
    float[] buf = new float[n + 2];
    FloatFFT_1D fft = FFTS.get().computeIfAbsent(n, FloatFFT_1D::new);
    float[][] out = new float[nBins][frames];
    for (int t = 0; t < frames; t++) {
      int c = t * hop;
      Arrays.fill(buf, 0f);
      // m = 0..h at buffer 0..h, m = -h..-1 at buffer n-h..n-1; zeros outside the signal
      int hiEnd = Math.min(c + h, len - 1);
      if (hiEnd >= c && c < len) {
        System.arraycopy(samples, c, buf, 0, hiEnd - c + 1);
      }
      int loStart = Math.max(c - h, 0);
      int loEnd = Math.min(c - 1, len - 1);
      if (loEnd >= loStart) {
        System.arraycopy(samples, loStart, buf, n - (c - loStart), loEnd - loStart + 1);
      }
      fft.realForward(buf);
      // JTransforms packs Re X(L/2) into slot 1; unpack to X[j] = (buf[2j], buf[2j+1]), j = 0..L/2
      buf[n] = buf[1];
      buf[n + 1] = 0f;
      buf[1] = 0f;
      for (int k = 0; k < nBins; k++) {
        // positive frequencies: sum X[j] conj(K[j]) / L
        float[] cr = posRe[k];
        float[] ci = posIm[k];
        double re = 0;
        double im = 0;
        for (int i = 0, j = 2 * posStart[k]; i < cr.length; i++, j += 2) {
          float xr = buf[j];
          float xi = buf[j + 1];
          re += xr * cr[i] + xi * ci[i];
          im += xi * cr[i] - xr * ci[i];
        }
        // negative frequencies: sum conj(X[j]) conj(K[L - j]) / L = conj(sum X[j] K[L - j] / L)
        cr = negRe[k];
        ci = negIm[k];
        double nre = 0;
        double nim = 0;
        for (int i = 0, j = 2 * negStart[k]; i < cr.length; i++, j += 2) {
          float xr = buf[j];
          float xi = buf[j + 1];
          nre += xr * cr[i] - xi * ci[i];
          nim += xr * ci[i] + xi * cr[i];
        }
        re += nre;
        im -= nim;
        out[k][t] = (float) Math.sqrt(re * re + im * im);
      }
    }
    return out;
  }

  private String tooShortMessage(int n) {
    return "signal of " + n + " samples is shorter than one frame: the constant-Q transform needs"
        + " at least the highest bin's window, " + minSamples() + " samples";
  }

  /** @return the settings */
  public CqtParams params() {
    return params;
  }

  /** @return sample rate in Hz */
  public int sampleRateHz() {
    return sampleRateHz;
  }

  /** @return number of bins */
  public int nBins() {
    return freqsHz.length;
  }

  /** @return Q = filterScale / (2^(1 / binsPerOctave) - 1) */
  public double q() {
    return q;
  }

  /** @return bin frequencies in Hz [nBins], increasing (a copy) */
  public double[] frequenciesHz() {
    return freqsHz.clone();
  }

  /** @return window lengths N_k in samples [nBins], decreasing (a copy) */
  public int[] windowLengths() {
    return lengths.clone();
  }

  /** @return FFT length L used per frame, the next power of two above 2 M_0 + 1 (at least 4) */
  public int fftLength() {
    return fftLength;
  }

  /** @return M_0: each frame uses samples t hop - M_0 .. t hop + M_0 */
  public int halfSupport() {
    return halfSupport;
  }

  /** @return number of stored kernel coefficients over all bins */
  public int storedCoefficients() {
    int count = 0;
    for (int k = 0; k < posRe.length; k++) {
      count += posRe[k].length + negRe[k].length;
    }
    return count;
  }

  /**
   * Bound on the sparsification error per unit frame norm (see the class comment).
   *
   * @return eps_k [nBins]: |dX_k(t)| &lt;= eps_k ||x[t hop - M_0 .. t hop + M_0]||_2 (a copy)
   */
  public double[] sparsityErrorBound() {
    return errorBound.clone();
  }

  private record Key(CqtParams params, int sampleRateHz) {}
}
