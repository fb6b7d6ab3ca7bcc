package org.ascspark.features.spectral;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Short-time Fourier transform to a power or magnitude spectrogram.
 *
 * <p>Conventions (all fixed by {@link StftParams}):
 *
 * <ul>
 *   <li>Pre-emphasis y[0] = x[0], y[n] = x[n] - c x[n-1] on the whole signal before padding and
 *       framing (when c &gt; 0; computed on the fly, the input is neither copied nor written).
 *   <li>Window from {@link Windows} (periodic or symmetric), centred in {@code nFft} samples with
 *       left padding (nFft - windowSamples) / 2 (librosa {@code pad_center}, torch.stft).
 *   <li>With {@code center}, the signal is padded by nFft / 2 samples on both sides ('reflect':
 *       mirror without repeating the edge sample; 'constant': zeros), so frame t covers padded
 *       samples [t hop, t hop + nFft) and is centred on original sample t hop. Frames:
 *       1 + numSamples / hop (integer division) for even nFft, as librosa and torch.stft (see
 *       {@link #frames}).
 *   <li>Without {@code center}, frame t covers samples [t hop, t hop + nFft); frames:
 *       1 + (numSamples - nFft) / hop, full frames only.
 *   <li>Spectrum bins k = 0..nFft/2 at k sr / nFft Hz; value |X[k]|^2 (power 2) or |X[k]|
 *       (power 1), X[k] = sum_n frame[n] w[n] e^{-2 pi i k n / nFft}, unscaled.
 * </ul>
 *
 * <p>Shortest signal accepted ({@link #minSamples}): at least one window ({@code windowSamples})
 * and, with {@code center}, more than nFft / 2 samples (reflect padding needs it; the same rule is
 * applied to constant padding so that both modes reject the same clips); without {@code center},
 * at least nFft samples. Shorter signals give {@link #frames} = 0 and an IllegalArgumentException
 * from {@link #spectrogram}.
 *
 * <p>Precision: pre-emphasis, windowing, FFT (JTransforms {@link DoubleFFT_1D}) and |X|^2 run in
 * double precision (with JTransforms the double transform costs the same as the float one at these
 * sizes) and results are rounded once to float. A float FFT would leave a rounding floor about
 * 140 dB below the frame's peak power, which puts log errors above 1e-3 into bands more than about
 * 75 dB below the frame's loudest band.
 *
 * <p>Thread safety: stateless. FFT plans are cached per thread and per nFft (JTransforms instances
 * are not shared between threads); working buffers are allocated once per call. For nFft of 8192
 * and more JTransforms may use its own worker threads (its global setting, left alone here).
 */
public final class Stft {

  /** Per-thread FFT plans keyed by nFft. */
  private static final ThreadLocal<Map<Integer, DoubleFFT_1D>> FFTS =
      ThreadLocal.withInitial(HashMap::new);

  private Stft() {}

  /**
   * Number of frames for a signal length.
   *
   * @param numSamples signal length in samples
   * @param p STFT settings
   * @return centre: 1 + (numSamples + 2 (nFft / 2) - nFft) / hop, which is 1 + numSamples / hop
   *     for even nFft (librosa, torch.stft); no centre: 1 + (numSamples - nFft) / hop; 0 when the
   *     signal is shorter than {@link #minSamples}
   */
  public static int frames(int numSamples, StftParams p) {
    if (numSamples < minSamples(p)) {
      return 0;
    }
    int padded = p.center() ? numSamples + 2 * (p.nFft() / 2) : numSamples;
    return 1 + (padded - p.nFft()) / p.hopSamples();
  }

  /**
   * Shortest signal {@link #spectrogram} accepts.
   *
   * @param p STFT settings
   * @return max(windowSamples, nFft / 2 + 1) with centre, nFft without, in samples
   */
  public static int minSamples(StftParams p) {
    if (p.center()) {
      return Math.max(p.windowSamples(), p.nFft() / 2 + 1);
    }
    return p.nFft();
  }

  /**
   * Power or magnitude spectrogram.
   *
   * @param samples mono signal, not modified
   * @param p STFT settings
   * @return spectrogram [frames][nFft / 2 + 1], |X|^2 when {@code p.power() == 2}, |X| when 1; new
   *     arrays
   * @throws IllegalArgumentException if the signal is shorter than {@link #minSamples}
   */
  public static float[][] spectrogram(float[] samples, StftParams p) {
    Framer f = new Framer(samples, p);
    float[][] out = new float[f.frames()][];
    double[] spectrum = new double[p.bins()];
    for (int t = 0; t < out.length; t++) {
      f.spectrum(t, spectrum);
      float[] row = new float[spectrum.length];
      for (int k = 0; k < row.length; k++) {
        row[k] = (float) spectrum[k];
      }
      out[t] = row;
    }
    return out;
  }

  /** The calling thread's FFT plan for a length. */
  static DoubleFFT_1D fft(int nFft) {
    return FFTS.get().computeIfAbsent(nFft, DoubleFFT_1D::new);
  }

  /**
   * Frame-by-frame spectrum computation over one signal, for fused front ends. Holds per-call
   * working buffers: use from one thread, one signal. Never writes the input.
   */
  static final class Framer {
    private final float[] x;
    private final double preEmphasis;
    private final boolean reflect;
    private final boolean power;
    private final int nFft;
    private final int hop;
    private final double[] window;
    private final int winLo;
    private final int winHi;
    private final int pad;
    private final int frames;
    private final double[] buf;
    private final DoubleFFT_1D fft;

    /**
     * @param samples signal, not modified
     * @param p settings
     * @throws IllegalArgumentException if the signal is too short
     */
    Framer(float[] samples, StftParams p) {
      int n = samples.length;
      this.frames = Stft.frames(n, p);
      if (frames == 0) {
        throw new IllegalArgumentException(tooShortMessage(n, p));
      }
      this.x = samples;
      this.preEmphasis = p.preEmphasis();
      this.reflect = p.padMode() == StftParams.PadMode.REFLECT;
      this.power = p.power() == 2.0;
      this.nFft = p.nFft();
      this.hop = p.hopSamples();
      this.window = Windows.shared(p.window(), p.windowSamples(), p.periodic());
      this.winLo = (nFft - p.windowSamples()) / 2;
      this.winHi = winLo + p.windowSamples();
      this.pad = p.center() ? nFft / 2 : 0;
      this.buf = new double[nFft];
      this.fft = fft(nFft);
    }

    /** @return number of frames */
    int frames() {
      return frames;
    }

    /**
     * Computes frame t's spectrum (power or magnitude per the settings) in double precision.
     *
     * @param t frame index, 0..frames-1
     * @param out destination [nFft / 2 + 1]
     */
    void spectrum(int t, double[] out) {
      double[] b = buf;
      fill(t, b);
      fft.realForward(b);
      int half = nFft / 2;
      // JTransforms realForward layout: a[0] = Re X0; even n: a[1] = Re X(n/2), a[2k], a[2k+1] =
      // Re, Im Xk for 0 < k < n/2; odd n: a[2k], a[2k+1] = Re, Im Xk for 0 < k < (n-1)/2 and
      // a[n-1], a[1] = Re, Im X((n-1)/2).
      out[0] = b[0] * b[0];
      if ((nFft & 1) == 0) {
        out[half] = b[1] * b[1];
      } else {
        out[half] = b[nFft - 1] * b[nFft - 1] + b[1] * b[1];
      }
      for (int k = 1; k < half; k++) {
        double re = b[2 * k];
        double im = b[2 * k + 1];
        out[k] = re * re + im * im;
      }
      if (!power) {
        for (int k = 0; k <= half; k++) {
          out[k] = Math.sqrt(out[k]);
        }
      }
    }

    /** Windowed frame t (pre-emphasised, padded) into b[0..nFft). */
    private void fill(int t, double[] b) {
      int start = t * hop - pad;
      Arrays.fill(b, 0, winLo, 0.0);
      Arrays.fill(b, winHi, nFft, 0.0);
      double[] w = window;
      float[] s = x;
      int lo = start + winLo;
      int hi = start + winHi;
      int len = winHi - winLo;
      double c = preEmphasis;
      if (c == 0 && lo >= 0 && hi <= s.length) {
        for (int j = 0; j < len; j++) {
          b[winLo + j] = s[lo + j] * w[j];
        }
      } else if (lo >= 1 && hi <= s.length) {
        for (int j = 0; j < len; j++) {
          int i = lo + j;
          b[winLo + j] = (s[i] - c * s[i - 1]) * w[j];
        }
      } else {
        for (int j = 0; j < len; j++) {
          b[winLo + j] = padded(lo + j) * w[j];
        }
      }
    }

    /** Pre-emphasised sample i of the padded signal, i relative to the original start. */
    private double padded(int i) {
      int n = x.length;
      if (i < 0 || i >= n) {
        if (!reflect) {
          return 0.0;
        }
        // reflect without repeating the edge; |i| < n holds because n > nFft / 2 >= pad
        i = i < 0 ? -i : 2 * (n - 1) - i;
      }
      return i == 0 || preEmphasis == 0 ? x[i] : x[i] - preEmphasis * x[i - 1];
    }
  }

  private static String tooShortMessage(int n, StftParams p) {
    String need = p.center()
        ? "at least " + minSamples(p) + " samples (one window of " + p.windowSamples()
            + " and more than n-fft / 2 = " + p.nFft() / 2 + " for centred "
            + p.padMode().name().toLowerCase() + " padding)"
        : "at least n-fft = " + p.nFft() + " samples (center = false)";
    return "signal of " + n + " samples is shorter than one frame: the STFT needs " + need;
  }
}
