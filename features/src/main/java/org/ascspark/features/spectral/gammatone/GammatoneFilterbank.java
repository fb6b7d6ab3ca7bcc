package org.ascspark.features.spectral.gammatone;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ascspark.features.spectral.GammatoneParams;

/**
 * Gammatone filterbank as FFT-bin weights: the "FFT-weighting" approximation of a gammatone
 * filterbank used by Ellis's gammatonegram ({@code fft2gammatonemx}, after Slaney's
 * {@code MakeERBFilters}). Each band's weight at FFT bin j is the magnitude response of a
 * 4th-order gammatone filter at that bin's frequency; a band's output is the weighted sum of one
 * STFT frame's bins. Immutable and thread-safe.
 *
 * <h2>Conventions</h2>
 *
 * <ul>
 *   <li><b>ERB</b> (Glasberg &amp; Moore 1990): ERB(f) = 24.7 (4.37 f / 1000 + 1) Hz, written as
 *       Slaney's ERB(f) = f / EarQ + minBW with EarQ = {@value #EAR_Q}, minBW = {@value
 *       #MIN_BW_HZ} Hz, order 1 (the same line: 1000 / (24.7 x 4.37) = 9.26449). The band's ERB is
 *       multiplied by {@link GammatoneParams#width()}.
 *   <li><b>Centre frequencies</b>: equally spaced on the ERB-rate scale E(f) = ln(f + EarQ minBW)
 *       (proportional to Glasberg &amp; Moore's ERB-number 21.4 log10(1 + 4.37 f / 1000)), from
 *       fMinHz (band 0) to fMaxHz (band nBands - 1) inclusive, increasing with the band index; one
 *       band sits at fMinHz. Ellis places his bands so that the lowest is at minfreq and the
 *       highest one ERB-rate step below maxfreq, and orders them high to low; here both ends are
 *       centre frequencies ({@link GammatoneParams} defines fMinHz/fMaxHz as the lowest/highest
 *       centre) and bands run low to high.
 *   <li><b>Filter</b>: Slaney's digital 4th-order gammatone (Apple TR #35, 1993, as used by
 *       Ellis), with T = 1 / sr, b = 1.019 ERB(cf) Hz, r = exp(-2 pi b T), theta = 2 pi cf T:
 *       <pre>
 *   H(z) = prod_{s in S} T (1 - r (cos theta + s sin theta) z^-1)
 *                        / (1 - 2 r cos theta z^-1 + r^2 z^-2)^4,
 *   S = {+(1 + sqrt 2), -(1 + sqrt 2), +(sqrt 2 - 1), -(sqrt 2 - 1)}
 * </pre>
 *       (four second-order sections sharing the pole pair r e^{+-i theta}; the zeros are Slaney's
 *       A11..A14 divided by -T, since sqrt(3 +- 2^1.5) = sqrt 2 +- 1). The weight of band i at
 *       bin j (frequency j sr / nFft, j = 0..nFft/2) is |H_i(e^{2 pi i j / nFft})| /
 *       |H_i(e^{i theta_i})|: unity at the centre frequency, which is what Slaney's closed-form
 *       gain does.
 *   <li><b>Output</b>: band value = sum_j weight[i][j] S[j] for one STFT frame S, whatever S is:
 *       with a magnitude STFT this is Ellis's gammatonegram without its 1 / nFft factor; with a
 *       power STFT it is the power spectrum weighted by the magnitude responses (what {@link
 *       GammatoneParams} describes). The log stage must be told which of the two it gets.
 *   <li><b>Truncation</b>: the response of a 4th-order filter decays only as (b / |f - cf|)^4
 *       and Slaney's digital filter flattens out towards Nyquist (the 2.9 kHz band of a 44.1 kHz
 *       bank still weights 19.8 kHz by 6e-7), so weights are kept on one contiguous span of bins
 *       per band, from the first to the last bin whose weight is at least {@value #TRUNCATION}
 *       (relative to the unit peak); only weights outside it are dropped. The error in a band is
 *       at most {@value #TRUNCATION} times the sum of the frame's spectrum over the dropped bins:
 *       -100 dB of their power with a power STFT, -200 dB with a magnitude STFT. In practice this
 *       drops only the far tails of the lowest bands (258,824 of 262,272 weights are kept for 128
 *       bands 50 Hz..22.05 kHz at nFft 4096). A threshold of 1e-6 was too coarse for power
 *       weighting: it moved a band sitting 60 dB below a strong 19.8 kHz component by 19 dB.
 *       {@link #dense()} returns the untruncated weights.
 * </ul>
 *
 * <p>Validation (constructor): fMaxHz at most the Nyquist frequency sr / 2, sample rate positive,
 * nFft at least 2. Weights are computed in double and stored as float.
 */
public final class GammatoneFilterbank implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Slaney's EarQ: asymptotic filter quality at high frequencies, ERB = f / EarQ + minBW. */
  public static final double EAR_Q = 9.26449;
  /** Slaney's minBW: the ERB at 0 Hz, in Hz. */
  public static final double MIN_BW_HZ = 24.7;
  /** Gammatone bandwidth per ERB: b = 1.019 ERB (Patterson et al.; Slaney). */
  public static final double BANDWIDTH_PER_ERB = 1.019;
  /** Weights below this fraction of the (unit) peak are dropped outside each band's span. */
  public static final double TRUNCATION = 1e-10;

  /** Frames per block in {@link #apply}. */
  private static final int BLOCK = 64;

  private static final Map<Key, GammatoneFilterbank> CACHE = new ConcurrentHashMap<>();

  private final GammatoneParams params;
  private final int sampleRateHz;
  private final int nFft;
  private final double[] centresHz;
  private final int[] firstBin;
  private final float[][] spans;

  /**
   * Builds and validates a filterbank. Prefer {@link #of}, which caches.
   *
   * @param params gammatone settings
   * @param sampleRateHz sample rate in Hz, positive
   * @param nFft FFT length in samples (the spectrum has nFft / 2 + 1 bins), at least 2
   * @throws IllegalArgumentException naming the config key: f-max-hz above the Nyquist frequency,
   *     a non-positive sample rate or n-fft below 2
   */
  public GammatoneFilterbank(GammatoneParams params, int sampleRateHz, int nFft) {
    if (params == null) {
      throw new IllegalArgumentException("gammatone settings are required");
    }
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sample-rate must be positive, got " + sampleRateHz);
    }
    if (nFft < 2) {
      throw new IllegalArgumentException("n-fft must be at least 2, got " + nFft);
    }
    double nyquist = sampleRateHz / 2.0;
    if (params.fMaxHz() > nyquist) {
      throw new IllegalArgumentException("f-max-hz (" + params.fMaxHz()
          + ") is above the Nyquist frequency (" + nyquist + " Hz at sample rate " + sampleRateHz
          + " Hz)");
    }
    this.params = params;
    this.sampleRateHz = sampleRateHz;
    this.nFft = nFft;
    this.centresHz = centreFrequenciesHz(params);
    int nBins = nFft / 2 + 1;
    int nBands = params.nBands();
    this.firstBin = new int[nBands];
    this.spans = new float[nBands][];
    double[] row = new double[nBins];
    for (int i = 0; i < nBands; i++) {
      response(centresHz[i], params.width(), sampleRateHz, nFft, row);
      int lo = 0;
      while (lo < nBins - 1 && row[lo] < TRUNCATION) {
        lo++;
      }
      int hi = nBins - 1;
      while (hi > lo && row[hi] < TRUNCATION) {
        hi--;
      }
      float[] w = new float[hi - lo + 1];
      for (int j = lo; j <= hi; j++) {
        w[j - lo] = (float) row[j];
      }
      firstBin[i] = lo;
      spans[i] = w;
    }
  }

  /**
   * A shared filterbank for these settings (built once per JVM and kept; filterbanks are
   * immutable).
   *
   * @param params gammatone settings
   * @param sampleRateHz sample rate in Hz
   * @param nFft FFT length
   * @return the filterbank
   * @throws IllegalArgumentException as the constructor
   */
  public static GammatoneFilterbank of(GammatoneParams params, int sampleRateHz, int nFft) {
    Key key = new Key(params, sampleRateHz, nFft);
    GammatoneFilterbank fb = CACHE.get(key);
    if (fb == null) {
      fb = new GammatoneFilterbank(params, sampleRateHz, nFft);
      CACHE.putIfAbsent(key, fb);
    }
    return fb;
  }

  /**
   * Equivalent rectangular bandwidth (Glasberg &amp; Moore 1990), unscaled.
   *
   * @param fHz frequency in Hz
   * @return ERB in Hz: fHz / {@value #EAR_Q} + {@value #MIN_BW_HZ}
   */
  public static double erbHz(double fHz) {
    return fHz / EAR_Q + MIN_BW_HZ;
  }

  /**
   * Centre frequencies equally spaced on the ERB-rate scale ln(f + EarQ minBW).
   *
   * @param params settings
   * @return centre frequencies in Hz [nBands], increasing, first = fMinHz, last = fMaxHz (a
   *     single band sits at fMinHz)
   */
  public static double[] centreFrequenciesHz(GammatoneParams params) {
    int n = params.nBands();
    double c = EAR_Q * MIN_BW_HZ;
    double lo = Math.log(params.fMinHz() + c);
    double hi = Math.log(params.fMaxHz() + c);
    double[] f = new double[n];
    for (int i = 0; i < n; i++) {
      double e = n == 1 ? lo : lo + (hi - lo) * i / (n - 1);
      f[i] = Math.exp(e) - c;
    }
    f[0] = params.fMinHz();
    if (n > 1) {
      f[n - 1] = params.fMaxHz();
    }
    return f;
  }

  /**
   * Normalised magnitude response of one gammatone filter at the nFft / 2 + 1 bin frequencies.
   *
   * @param cfHz centre frequency in Hz
   * @param width ERB multiplier
   * @param sampleRateHz sample rate in Hz
   * @param nFft FFT length
   * @param out destination [nFft / 2 + 1]: |H(bin)| / |H(cf)|
   */
  static void response(double cfHz, double width, int sampleRateHz, int nFft, double[] out) {
    double t = 1.0 / sampleRateHz;
    double b = BANDWIDTH_PER_ERB * width * erbHz(cfHz);
    double r = Math.exp(-2 * Math.PI * b * t);
    double theta = 2 * Math.PI * cfHz * t;
    double cos = Math.cos(theta);
    double sin = Math.sin(theta);
    double s1 = 1 + Math.sqrt(2);
    double s2 = Math.sqrt(2) - 1;
    double[] zeros = {
      r * (cos + s1 * sin), r * (cos - s1 * sin), r * (cos + s2 * sin), r * (cos - s2 * sin)
    };
    double gain = unnormalised(theta, zeros, r, cos);
    for (int j = 0; j < out.length; j++) {
      out[j] = unnormalised(2 * Math.PI * j / nFft, zeros, r, cos) / gain;
    }
  }

  /**
   * |H(e^{i omega})| / T^4 for the pole pair r e^{+-i theta} (4-fold) and four real zeros.
   * Evaluated as products of distances on the unit circle: |e^{i w} - z| for each zero, and
   * |1 - 2 r cos(theta) e^{-i w} + r^2 e^{-2 i w}| for the denominator.
   */
  private static double unnormalised(double omega, double[] zeros, double r, double cosTheta) {
    double c = Math.cos(omega);
    double s = Math.sin(omega);
    double num = 1;
    for (double z : zeros) {
      double re = c - z;
      num *= Math.sqrt(re * re + s * s);
    }
    // e^{2iw} - 2 r cos(theta) e^{iw} + r^2 (same modulus as the z^-1 polynomial)
    double c2 = Math.cos(2 * omega);
    double s2 = Math.sin(2 * omega);
    double dre = c2 - 2 * r * cosTheta * c + r * r;
    double dim = s2 - 2 * r * cosTheta * s;
    double den = dre * dre + dim * dim;
    return num / (den * den);
  }

  /**
   * Applies the filterbank to a spectrogram.
   *
   * @param spectrogram [frames][nFft / 2 + 1] magnitude or power (as from {@code Stft}), not
   *     modified
   * @return band values [nBands][frames], bands low to high frequency, new arrays (same kind as
   *     the input: magnitude- or power-weighted; see the class comment). Sums run over the band's
   *     span in increasing bin order in float: the terms are non-negative, so the relative
   *     rounding error is at most (span length) 2^-24 (1.2e-4 for 2049 bins; typically about
   *     sqrt(span) 2^-24, 3e-6)
   * @throws IllegalArgumentException if a frame does not have nFft / 2 + 1 bins
   */
  public float[][] apply(float[][] spectrogram) {
    int frames = spectrogram.length;
    int nBands = spans.length;
    int nBins = bins();
    for (int t = 0; t < frames; t++) {
      if (spectrogram[t].length != nBins) {
        throw new IllegalArgumentException("frame " + t + " has " + spectrogram[t].length
            + " bins, expected " + nBins + " (n-fft " + nFft + ")");
      }
    }
    float[][] out = new float[nBands][frames];
    // Blocks of BLOCK frames, transposed to [bins][BLOCK] so that the inner loop runs along
    // frames (vectorised by the JIT: no reduction); each band's sum is accumulated in float, bin
    // by bin in increasing order, so the result does not depend on the block size.
    float[][] block = new float[nBins][BLOCK];
    float[] acc = new float[BLOCK];
    for (int t0 = 0; t0 < frames; t0 += BLOCK) {
      int nb = Math.min(BLOCK, frames - t0);
      for (int b = 0; b < nb; b++) {
        float[] s = spectrogram[t0 + b];
        for (int j = 0; j < nBins; j++) {
          block[j][b] = s[j];
        }
      }
      for (int i = 0; i < nBands; i++) {
        Arrays.fill(acc, 0f);
        float[] w = spans[i];
        int off = firstBin[i];
        for (int j = 0; j < w.length; j++) {
          float wj = w[j];
          float[] row = block[off + j];
          for (int b = 0; b < nb; b++) {
            acc[b] += wj * row[b];
          }
        }
        float[] o = out[i];
        for (int b = 0; b < nb; b++) {
          o[t0 + b] = acc[b];
        }
      }
    }
    return out;
  }

  /** @return number of bands */
  public int nBands() {
    return spans.length;
  }

  /** @return number of spectrum bins the filterbank expects, nFft / 2 + 1 */
  public int bins() {
    return nFft / 2 + 1;
  }

  /** @return the settings */
  public GammatoneParams params() {
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

  /** @return centre frequencies in Hz [nBands], increasing (a copy) */
  public double[] centreFrequenciesHz() {
    return centresHz.clone();
  }

  /**
   * @param band band index
   * @return first bin of the band's stored (truncated) span
   */
  public int firstBin(int band) {
    return firstBin[band];
  }

  /**
   * @param band band index
   * @return the band's stored weights from {@link #firstBin}, a copy
   */
  public float[] spanWeights(int band) {
    return spans[band].clone();
  }

  /** @return number of stored weights over all bands */
  public int storedWeights() {
    int n = 0;
    for (float[] w : spans) {
      n += w.length;
    }
    return n;
  }

  /**
   * The untruncated weights.
   *
   * @return weights [nBands][nFft / 2 + 1], recomputed (float, from double)
   */
  public float[][] dense() {
    int nBins = bins();
    float[][] out = new float[spans.length][nBins];
    double[] row = new double[nBins];
    for (int i = 0; i < spans.length; i++) {
      response(centresHz[i], params.width(), sampleRateHz, nFft, row);
      for (int j = 0; j < nBins; j++) {
        out[i][j] = (float) row[j];
      }
    }
    return out;
  }

  private record Key(GammatoneParams params, int sampleRateHz, int nFft) {}
}
