package org.ascspark.features.spectral;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Triangular mel filterbank over the bins of an nFft-point spectrum, stored sparsely (per filter,
 * its first non-zero bin and the non-zero weights only). Immutable and thread-safe.
 *
 * <p>Weights are those of {@code librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm)}
 * (librosa 0.10): n_mels + 2 points f_0..f_{n_mels+1} equally spaced in mel between fMinHz and
 * fMaxHz (HTK: mel = 2595 log10(1 + f / 700); Slaney: f / (200/3) below 1 kHz, 15 + ln(f / 1000) /
 * (ln 6.4 / 27) above), bin frequencies f(k) = k sr / nFft, k = 0..nFft/2, and filter m's weight
 * at bin k is max(0, min((f(k) - f_m) / (f_{m+1} - f_m), (f_{m+2} - f(k)) / (f_{m+2} - f_{m+1}))).
 * Slaney normalisation multiplies filter m by 2 / (f_{m+2} - f_m). Computed in double, stored as
 * float (as librosa's default float32 output). With HTK scale, no normalisation and fMaxHz =
 * sr / 2 this is also torchaudio's {@code melscale_fbanks} (up to its float32 arithmetic).
 *
 * <p>Validation (constructor): fMaxHz at most sr / 2; no filter may be empty (all weights zero,
 * which happens when filters are narrower than the bin spacing). librosa and torchaudio only warn
 * about empty filters; here they are a configuration error.
 */
public final class MelFilterbank implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final Map<Key, MelFilterbank> CACHE = new ConcurrentHashMap<>();

  /** Slaney scale: Hz per mel in the linear part. */
  private static final double SLANEY_F_SP = 200.0 / 3.0;
  /** Slaney scale: start of the log part, Hz. */
  private static final double SLANEY_MIN_LOG_HZ = 1000.0;
  /** Slaney scale: mel value at the start of the log part (15). */
  private static final double SLANEY_MIN_LOG_MEL = SLANEY_MIN_LOG_HZ / SLANEY_F_SP;
  /** Slaney scale: ln(6.4) / 27, natural-log step per mel in the log part. */
  private static final double SLANEY_LOG_STEP = Math.log(6.4) / 27.0;

  private final MelParams params;
  private final int sampleRateHz;
  private final int nFft;
  private final int[] firstBin;
  private final float[][] weights;
  private final double[] edgesHz;

  /**
   * Builds and validates a filterbank. Prefer {@link #of}, which caches.
   *
   * @param params mel settings
   * @param sampleRateHz sample rate in Hz, positive
   * @param nFft FFT length in samples (the spectrum has nFft / 2 + 1 bins), at least 2
   * @throws IllegalArgumentException naming the config key: f-max-hz above Nyquist, or n-mels giving
   *     empty filters
   */
  public MelFilterbank(MelParams params, int sampleRateHz, int nFft) {
    if (params == null) {
      throw new IllegalArgumentException("mel settings are required");
    }
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, got " + sampleRateHz);
    }
    if (nFft < 2) {
      throw new IllegalArgumentException("n-fft must be at least 2, got " + nFft);
    }
    double nyquist = sampleRateHz / 2.0;
    if (params.fMaxHz() > nyquist) {
      throw new IllegalArgumentException("f-max-hz (" + params.fMaxHz()
          + ") is above the Nyquist frequency (" + nyquist + " Hz at " + sampleRateHz + " Hz)");
    }
    this.params = params;
    this.sampleRateHz = sampleRateHz;
    this.nFft = nFft;
    int nMels = params.nMels();
    int bins = nFft / 2 + 1;
    double melLo = hzToMel(params.fMinHz(), params.scale());
    double melHi = hzToMel(params.fMaxHz(), params.scale());
    double[] f = new double[nMels + 2];
    for (int i = 0; i < f.length; i++) {
      // numpy.linspace: lo + i * step, with the last point exactly hi
      double mel = i == f.length - 1 ? melHi : melLo + i * ((melHi - melLo) / (nMels + 1));
      f[i] = melToHz(mel, params.scale());
    }
    this.edgesHz = f;
    this.firstBin = new int[nMels];
    this.weights = new float[nMels][];
    List<Integer> empty = new ArrayList<>();
    double[] dense = new double[bins];
    for (int m = 0; m < nMels; m++) {
      double lowerWidth = f[m + 1] - f[m];
      double upperWidth = f[m + 2] - f[m + 1];
      double enorm = params.norm() == MelParams.Norm.SLANEY ? 2.0 / (f[m + 2] - f[m]) : 1.0;
      int first = -1;
      int last = -1;
      for (int k = 0; k < bins; k++) {
        double fk = (double) k * sampleRateHz / nFft;
        double lower = (fk - f[m]) / lowerWidth;
        double upper = (f[m + 2] - fk) / upperWidth;
        double w = Math.max(0.0, Math.min(lower, upper)) * enorm;
        dense[k] = w;
        if ((float) w != 0f) {
          if (first < 0) {
            first = k;
          }
          last = k;
        }
      }
      if (first < 0) {
        empty.add(m);
        firstBin[m] = 0;
        weights[m] = new float[0];
        continue;
      }
      firstBin[m] = first;
      float[] w = new float[last - first + 1];
      for (int k = first; k <= last; k++) {
        w[k - first] = (float) dense[k];
      }
      weights[m] = w;
    }
    if (!empty.isEmpty()) {
      StringBuilder list = new StringBuilder();
      for (int i = 0; i < empty.size() && i < 10; i++) {
        list.append(i == 0 ? "" : ", ").append(empty.get(i));
      }
      if (empty.size() > 10) {
        list.append(", … (").append(empty.size()).append(" in all)");
      }
      throw new IllegalArgumentException("n-mels = " + nMels + " gives empty filters (" + list
          + ") with n-fft " + nFft + " at " + sampleRateHz
          + " Hz; lower n-mels, raise n-fft or narrow f-min-hz/f-max-hz");
    }
  }

  /**
   * Cached filterbank (built once per distinct settings, shared, immutable).
   *
   * @param params mel settings
   * @param sampleRateHz sample rate in Hz
   * @param nFft FFT length in samples
   * @return the filterbank
   * @throws IllegalArgumentException as the constructor
   */
  public static MelFilterbank of(MelParams params, int sampleRateHz, int nFft) {
    Key key = new Key(params, sampleRateHz, nFft);
    MelFilterbank fb = CACHE.get(key);
    if (fb == null) {
      fb = new MelFilterbank(params, sampleRateHz, nFft);
      MelFilterbank prev = CACHE.putIfAbsent(key, fb);
      if (prev != null) {
        fb = prev;
      }
    }
    return fb;
  }

  /**
   * Hz to mel.
   *
   * @param hz frequency in Hz, at least 0
   * @param scale HTK or Slaney
   * @return mel value (HTK: 2595 log10(1 + hz / 700); Slaney: hz / (200/3) below 1 kHz, 15 +
   *     ln(hz / 1000) / (ln 6.4 / 27) above)
   */
  public static double hzToMel(double hz, MelParams.Scale scale) {
    if (scale == MelParams.Scale.HTK) {
      return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }
    if (hz >= SLANEY_MIN_LOG_HZ) {
      return SLANEY_MIN_LOG_MEL + Math.log(hz / SLANEY_MIN_LOG_HZ) / SLANEY_LOG_STEP;
    }
    return hz / SLANEY_F_SP;
  }

  /**
   * Mel to Hz, the inverse of {@link #hzToMel}.
   *
   * @param mel mel value
   * @param scale HTK or Slaney
   * @return frequency in Hz
   */
  public static double melToHz(double mel, MelParams.Scale scale) {
    if (scale == MelParams.Scale.HTK) {
      return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }
    if (mel >= SLANEY_MIN_LOG_MEL) {
      return SLANEY_MIN_LOG_HZ * Math.exp(SLANEY_LOG_STEP * (mel - SLANEY_MIN_LOG_MEL));
    }
    return SLANEY_F_SP * mel;
  }

  /** @return number of filters */
  public int nMels() {
    return weights.length;
  }

  /** @return number of spectrum bins expected, nFft / 2 + 1 */
  public int bins() {
    return nFft / 2 + 1;
  }

  /** @return the settings */
  public MelParams params() {
    return params;
  }

  /** @return sample rate in Hz */
  public int sampleRateHz() {
    return sampleRateHz;
  }

  /** @return FFT length in samples */
  public int nFft() {
    return nFft;
  }

  /**
   * @param m filter index, 0..nMels-1
   * @return first bin with a non-zero weight
   */
  public int firstBin(int m) {
    return firstBin[m];
  }

  /**
   * @param m filter index, 0..nMels-1
   * @return non-zero span of filter m's weights, starting at {@link #firstBin}(m), a copy
   */
  public float[] filterWeights(int m) {
    return weights[m].clone();
  }

  /** @return number of stored (non-zero span) weights over all filters */
  public int storedWeights() {
    int n = 0;
    for (float[] w : weights) {
      n += w.length;
    }
    return n;
  }

  /**
   * Filter centres: the peak frequencies f_1..f_nMels of the triangles, in Hz.
   *
   * @return centres [nMels], a new array
   */
  public double[] centerFrequenciesHz() {
    double[] c = new double[weights.length];
    System.arraycopy(edgesHz, 1, c, 0, c.length);
    return c;
  }

  /**
   * Dense weight matrix, for inspection and tests.
   *
   * @return weights [nMels][nFft / 2 + 1], a new array
   */
  public float[][] dense() {
    float[][] d = new float[weights.length][bins()];
    for (int m = 0; m < weights.length; m++) {
      System.arraycopy(weights[m], 0, d[m], firstBin[m], weights[m].length);
    }
    return d;
  }

  /**
   * Applies the filterbank to a spectrogram.
   *
   * @param spec power or magnitude spectrogram [frames][nFft / 2 + 1], not modified
   * @return mel spectrogram [frames][nMels] (sums accumulated in double, rounded to float), a new
   *     array
   * @throws IllegalArgumentException if a row has the wrong number of bins
   */
  public float[][] apply(float[][] spec) {
    float[][] out = new float[spec.length][];
    for (int t = 0; t < spec.length; t++) {
      if (spec[t].length != bins()) {
        throw new IllegalArgumentException("spectrogram frame " + t + " has " + spec[t].length
            + " bins, the filterbank expects " + bins() + " (n-fft " + nFft + ")");
      }
      float[] row = new float[weights.length];
      for (int m = 0; m < row.length; m++) {
        row[m] = (float) band(spec[t], m);
      }
      out[t] = row;
    }
    return out;
  }

  /**
   * Energy of filter m in one spectrum frame, accumulated in double over the non-zero span.
   *
   * @param spectrum frame [nFft / 2 + 1]
   * @param m filter index
   * @return weighted sum
   */
  double band(double[] spectrum, int m) {
    float[] w = weights[m];
    int k0 = firstBin[m];
    double s = 0;
    for (int j = 0; j < w.length; j++) {
      s += w[j] * spectrum[k0 + j];
    }
    return s;
  }

  /** As {@link #band(double[], int)} for a float frame. */
  double band(float[] spectrum, int m) {
    float[] w = weights[m];
    int k0 = firstBin[m];
    double s = 0;
    for (int j = 0; j < w.length; j++) {
      s += w[j] * (double) spectrum[k0 + j];
    }
    return s;
  }

  private record Key(MelParams params, int sampleRateHz, int nFft) {}
}
