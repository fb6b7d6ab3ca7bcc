package org.ascspark.features.augment;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ascspark.features.spectral.Stft;
import org.ascspark.features.spectral.StftParams;

/**
 * Recording-device frequency responses estimated from time-aligned (device, reference device)
 * clip pairs, for spectrum correction (SCUT DCASE 2022 report, section 2.2, after Nguyen,
 * Pernkopf and Kosmider, ICASSP 2020): the correction coefficient of device A is "the ratio of
 * the frequency response of the reference device to the frequency response of device A", and "the
 * frequency response of the reference device is the average of the frequency responses of
 * multiple devices".
 *
 * <p><b>Conventions.</b>
 *
 * <ul>
 *   <li>Per clip, the statistic is its <b>mean magnitude spectrum</b> ({@link #meanMagnitude}):
 *       the STFT magnitude |X[k]| (power exponent forced to 1, every other STFT setting as
 *       configured) averaged over all frames, [nFft / 2 + 1].
 *   <li>The response of device d relative to the recording device of the pairs' other side (the
 *       reference device r, in TAU device {@code a}) is the <b>ratio of summed averages</b>:
 *       <pre>response_d(k) = sum_pairs meanMag_d(k) / sum_pairs meanMag_r(k)</pre>
 *       rather than the mean of per-pair ratios. Each pair weighs by its level, so a quiet pair
 *       (whose per-pair ratio is dominated by self-noise or rounding) cannot swing the estimate,
 *       and the sums are plain additions that Spark can aggregate in any order ({@link
 *       PairSums#merge}). For a linear time-invariant device whose response is smooth over a
 *       window's main lobe, both sums scale by |H(f)|, so the ratio recovers |H(f)|.
 *   <li>Floors: a bin whose mean reference magnitude per pair, {@code sum_r(k) / pairs}, is at
 *       most {@link #MIN_REFERENCE_MAGNITUDE} (1e-10, in unscaled STFT magnitude units, far below
 *       the float rounding of any audible clip) carries no information, and its response is 1
 *       (unchanged). Otherwise the response is at least {@link #MIN_RESPONSE} (1e-5, -100 dB), so
 *       {@link #correction} stays finite where a device records nothing.
 *   <li>Responses are <b>linear magnitude ratios</b> per FFT bin (bin k at k sampleRateHz / nFft
 *       Hz); the reference device's response is exactly 1 in every bin. A power spectrum is
 *       multiplied by their squares ({@link #applyGain} with {@code power = true}).
 *   <li>{@link #referenceResponse} is the arithmetic mean, per bin, of the linear magnitude
 *       responses of all {@link #devices()}, the reference device (ones) included, as in SCUT
 *       section 2.2; {@link #correction} is referenceResponse / response(d).
 * </ul>
 *
 * <p>Immutable (accessors return copies), thread-safe and serializable, so one instance can be
 * broadcast to Spark executors.
 */
public final class DeviceResponses implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * Largest mean reference magnitude per pair (unscaled STFT magnitude) treated as "no energy":
   * such bins get response 1.
   */
  public static final double MIN_REFERENCE_MAGNITUDE = 1e-10;

  /** Smallest response (linear magnitude ratio, -100 dB) so that corrections stay finite. */
  public static final double MIN_RESPONSE = 1e-5;

  private final String referenceDevice;
  private final int nFft;
  private final int sampleRateHz;
  /** All devices, reference included, by name (sorted). */
  private final TreeMap<String, double[]> responses;
  /** Pair counts of the non-reference devices. */
  private final TreeMap<String, Long> pairs;
  private final double[] referenceResponse;

  private DeviceResponses(String referenceDevice, int nFft, int sampleRateHz,
      TreeMap<String, double[]> responses, TreeMap<String, Long> pairs) {
    this.referenceDevice = referenceDevice;
    this.nFft = nFft;
    this.sampleRateHz = sampleRateHz;
    this.responses = responses;
    this.pairs = pairs;
    int bins = nFft / 2 + 1;
    double[] mean = new double[bins];
    for (double[] r : responses.values()) {
      for (int k = 0; k < bins; k++) {
        mean[k] += r[k];
      }
    }
    for (int k = 0; k < bins; k++) {
      mean[k] /= responses.size();
    }
    this.referenceResponse = mean;
  }

  /**
   * Mean magnitude spectrum of one clip: {@link Stft#spectrogram} with the settings of {@code p}
   * except that the power exponent is forced to 1 (magnitude |X[k]|, unscaled), averaged over all
   * frames in double precision.
   *
   * @param samples mono signal, not modified, at least {@link Stft#minSamples} samples
   * @param p STFT settings (window, hop, nFft, centring, pre-emphasis); its power is ignored
   * @return mean magnitude [nFft / 2 + 1], non-negative
   * @throws IllegalArgumentException if the signal is shorter than one frame
   */
  public static double[] meanMagnitude(float[] samples, StftParams p) {
    if (samples == null || p == null) {
      throw new IllegalArgumentException("samples and STFT settings are required");
    }
    StftParams magnitude = new StftParams(p.window(), p.periodic(), p.windowSamples(),
        p.hopSamples(), p.nFft(), p.center(), p.padMode(), p.preEmphasis(), 1.0);
    float[][] spec = Stft.spectrogram(samples, magnitude);
    double[] mean = new double[magnitude.bins()];
    for (float[] row : spec) {
      for (int k = 0; k < mean.length; k++) {
        mean[k] += row[k];
      }
    }
    for (int k = 0; k < mean.length; k++) {
      mean[k] /= spec.length;
    }
    return mean;
  }

  /**
   * Running sums over the aligned pairs of one device: per bin, the sum of the device clips' mean
   * magnitudes and the sum of the reference clips' mean magnitudes, and the number of pairs.
   * Mutable accumulator (for Spark's {@code aggregate}/{@code reduceByKey}); {@link #add} and
   * {@link #merge} update it in place and return it.
   */
  public static final class PairSums implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double[] deviceSum;
    private final double[] referenceSum;
    private long pairs;

    /**
     * Empty sums.
     *
     * @param bins number of FFT bins, nFft / 2 + 1, at least 2
     * @throws IllegalArgumentException if bins is below 2
     */
    public PairSums(int bins) {
      if (bins < 2) {
        throw new IllegalArgumentException("bins must be at least 2, got " + bins);
      }
      this.deviceSum = new double[bins];
      this.referenceSum = new double[bins];
    }

    /**
     * Adds one aligned pair.
     *
     * @param deviceMeanMagnitude {@link #meanMagnitude} of the device clip [bins], finite, non-
     *     negative; not kept
     * @param referenceMeanMagnitude {@link #meanMagnitude} of the reference clip [bins], finite,
     *     non-negative; not kept
     * @return this
     * @throws IllegalArgumentException on a length other than {@link #bins()} or a negative or
     *     non-finite value (nothing is added then)
     */
    public PairSums add(double[] deviceMeanMagnitude, double[] referenceMeanMagnitude) {
      check(deviceMeanMagnitude, "device");
      check(referenceMeanMagnitude, "reference");
      for (int k = 0; k < deviceSum.length; k++) {
        deviceSum[k] += deviceMeanMagnitude[k];
        referenceSum[k] += referenceMeanMagnitude[k];
      }
      pairs++;
      return this;
    }

    /**
     * Adds another device's partial sums (same device, other pairs).
     *
     * @param other sums with the same number of bins; not modified
     * @return this
     * @throws IllegalArgumentException if the bin counts differ
     */
    public PairSums merge(PairSums other) {
      if (other == null) {
        throw new IllegalArgumentException("other sums are required");
      }
      if (other.bins() != bins()) {
        throw new IllegalArgumentException("cannot merge sums over " + other.bins()
            + " bins into sums over " + bins() + " bins");
      }
      for (int k = 0; k < deviceSum.length; k++) {
        deviceSum[k] += other.deviceSum[k];
        referenceSum[k] += other.referenceSum[k];
      }
      pairs += other.pairs;
      return this;
    }

    /** @return number of pairs added (including merged ones) */
    public long pairs() {
      return pairs;
    }

    /** @return number of bins, nFft / 2 + 1 */
    public int bins() {
      return deviceSum.length;
    }

    /** @return sum over pairs of the device clips' mean magnitudes [bins] (a copy) */
    public double[] deviceSum() {
      return deviceSum.clone();
    }

    /** @return sum over pairs of the reference clips' mean magnitudes [bins] (a copy) */
    public double[] referenceSum() {
      return referenceSum.clone();
    }

    private void check(double[] v, String side) {
      if (v == null || v.length != deviceSum.length) {
        throw new IllegalArgumentException(side + " mean magnitude has "
            + (v == null ? "no" : String.valueOf(v.length)) + " bins, expected " + bins());
      }
      for (int k = 0; k < v.length; k++) {
        if (!(v[k] >= 0) || v[k] == Double.POSITIVE_INFINITY) {
          throw new IllegalArgumentException(side + " mean magnitude at bin " + k
              + " must be finite and non-negative, got " + v[k]);
        }
      }
    }

    @Override
    public String toString() {
      return "PairSums[bins=" + bins() + ", pairs=" + pairs + "]";
    }
  }

  /**
   * Estimates each device's response from its pair sums (see the class documentation for the
   * ratio of summed averages and the floors).
   *
   * @param byDevice sums per device, at least one device, never the reference device; each over
   *     nFft / 2 + 1 bins
   * @param referenceDevice the device every pair was recorded against (e.g. {@code a}), non-blank
   * @param nFft FFT length the mean magnitudes were computed with, at least 2
   * @param sampleRateHz sample rate of the clips in Hz, positive
   * @return the responses
   * @throws IllegalArgumentException if the map is empty or contains the reference device, a
   *     device has 0 pairs ("device 's2' has no aligned pairs with reference 'a'"), or the bins of
   *     a device's sums do not match nFft
   */
  public static DeviceResponses estimate(
      Map<String, PairSums> byDevice, String referenceDevice, int nFft, int sampleRateHz) {
    int bins = checkCommon(byDevice, referenceDevice, nFft, sampleRateHz);
    TreeMap<String, double[]> responses = new TreeMap<>();
    TreeMap<String, Long> pairs = new TreeMap<>();
    for (Map.Entry<String, PairSums> e : new TreeMap<>(byDevice).entrySet()) {
      String device = e.getKey();
      PairSums s = e.getValue();
      if (s == null || s.pairs() == 0) {
        throw new IllegalArgumentException("device '" + device
            + "' has no aligned pairs with reference '" + referenceDevice + "'");
      }
      if (s.bins() != bins) {
        throw new IllegalArgumentException("pair sums of device '" + device + "' have "
            + s.bins() + " bins, expected n-fft / 2 + 1 = " + bins + " for n-fft " + nFft);
      }
      double[] r = new double[bins];
      double minReferenceSum = MIN_REFERENCE_MAGNITUDE * s.pairs();
      for (int k = 0; k < bins; k++) {
        double ref = s.referenceSum[k];
        r[k] = ref <= minReferenceSum ? 1.0 : Math.max(MIN_RESPONSE, s.deviceSum[k] / ref);
      }
      responses.put(device, r);
      pairs.put(device, s.pairs());
    }
    return build(referenceDevice, nFft, sampleRateHz, responses, pairs);
  }

  /**
   * Rebuilds responses from stored values (e.g. the table the feature job writes), without
   * re-estimating.
   *
   * @param responsesByDevice linear magnitude response per device [nFft / 2 + 1], each value in
   *     [{@link #MIN_RESPONSE}, infinity), finite; at least one device, never the reference
   * @param pairsByDevice number of pairs behind each response, positive, same devices
   * @param referenceDevice the reference device, non-blank
   * @param nFft FFT length, at least 2
   * @param sampleRateHz sample rate in Hz, positive
   * @return the responses (arrays copied)
   * @throws IllegalArgumentException on inconsistent devices, bins, counts or values
   */
  public static DeviceResponses of(Map<String, double[]> responsesByDevice,
      Map<String, Long> pairsByDevice, String referenceDevice, int nFft, int sampleRateHz) {
    int bins = checkCommon(responsesByDevice, referenceDevice, nFft, sampleRateHz);
    if (pairsByDevice == null || !pairsByDevice.keySet().equals(responsesByDevice.keySet())) {
      throw new IllegalArgumentException("pair counts must be given for exactly the devices "
          + new TreeMap<>(responsesByDevice).keySet() + ", got "
          + (pairsByDevice == null ? "none" : new TreeMap<>(pairsByDevice).keySet()));
    }
    TreeMap<String, double[]> responses = new TreeMap<>();
    TreeMap<String, Long> pairs = new TreeMap<>();
    for (Map.Entry<String, double[]> e : new TreeMap<>(responsesByDevice).entrySet()) {
      String device = e.getKey();
      Long n = pairsByDevice.get(device);
      if (n == null || n < 1) {
        throw new IllegalArgumentException("device '" + device
            + "' has no aligned pairs with reference '" + referenceDevice + "'");
      }
      double[] r = e.getValue();
      if (r == null || r.length != bins) {
        throw new IllegalArgumentException("response of device '" + device + "' has "
            + (r == null ? "no" : String.valueOf(r.length)) + " bins, expected n-fft / 2 + 1 = "
            + bins + " for n-fft " + nFft);
      }
      for (int k = 0; k < bins; k++) {
        if (!(r[k] >= MIN_RESPONSE) || r[k] == Double.POSITIVE_INFINITY) {
          throw new IllegalArgumentException("response of device '" + device + "' at bin " + k
              + " must be finite and at least " + MIN_RESPONSE + ", got " + r[k]);
        }
      }
      responses.put(device, r.clone());
      pairs.put(device, n);
    }
    return build(referenceDevice, nFft, sampleRateHz, responses, pairs);
  }

  /** Shared argument checks; returns the bin count. */
  private static int checkCommon(
      Map<String, ?> byDevice, String referenceDevice, int nFft, int sampleRateHz) {
    if (referenceDevice == null || referenceDevice.isBlank()) {
      throw new IllegalArgumentException("reference device is required");
    }
    if (nFft < 2) {
      throw new IllegalArgumentException("n-fft must be at least 2, got " + nFft);
    }
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, got " + sampleRateHz);
    }
    if (byDevice == null || byDevice.isEmpty()) {
      throw new IllegalArgumentException("no devices with aligned pairs with reference '"
          + referenceDevice + "'");
    }
    for (String device : byDevice.keySet()) {
      if (device == null || device.isBlank()) {
        throw new IllegalArgumentException("device names must be non-blank, got '" + device + "'");
      }
    }
    if (byDevice.containsKey(referenceDevice)) {
      throw new IllegalArgumentException("the devices must not include the reference device '"
          + referenceDevice + "' (its response is 1 by definition)");
    }
    return nFft / 2 + 1;
  }

  private static DeviceResponses build(String referenceDevice, int nFft, int sampleRateHz,
      TreeMap<String, double[]> responses, TreeMap<String, Long> pairs) {
    double[] ones = new double[nFft / 2 + 1];
    Arrays.fill(ones, 1.0);
    responses.put(referenceDevice, ones);
    return new DeviceResponses(referenceDevice, nFft, sampleRateHz, responses, pairs);
  }

  /** @return all devices, reference included, sorted by name (unmodifiable) */
  public List<String> devices() {
    return List.copyOf(responses.keySet());
  }

  /** @return the reference device, whose response is 1 */
  public String referenceDevice() {
    return referenceDevice;
  }

  /**
   * @param device a device of {@link #devices()}
   * @return its linear magnitude response relative to the reference device [nFft / 2 + 1] (all
   *     ones for the reference device); a copy
   * @throws IllegalArgumentException for an unknown device, naming it and the known ones
   */
  public double[] response(String device) {
    return known(device).clone();
  }

  /**
   * @return the mean over {@link #devices()} (reference included) of the linear magnitude
   *     responses [nFft / 2 + 1] (a copy): the "ideal" device the corrections map to
   */
  public double[] referenceResponse() {
    return referenceResponse.clone();
  }

  /**
   * The correction coefficients of a device (SCUT section 2.2): multiplying a magnitude spectrum of
   * a clip recorded by {@code device} by them maps it to the reference response.
   *
   * @param device a device of {@link #devices()}
   * @return referenceResponse(k) / response(device)(k), linear magnitude gains [nFft / 2 + 1]
   * @throws IllegalArgumentException for an unknown device
   */
  public double[] correction(String device) {
    double[] r = known(device);
    double[] c = new double[r.length];
    for (int k = 0; k < r.length; k++) {
      c[k] = referenceResponse[k] / r[k];
    }
    return c;
  }

  /**
   * @param device a device of {@link #devices()}
   * @return number of aligned pairs behind its response; for the reference device, the total over
   *     all other devices (every pair has one reference clip)
   * @throws IllegalArgumentException for an unknown device
   */
  public long pairs(String device) {
    known(device);
    if (device.equals(referenceDevice)) {
      long total = 0;
      for (long n : pairs.values()) {
        total += n;
      }
      return total;
    }
    return pairs.get(device);
  }

  /** @return the FFT length the responses were estimated with (bins = nFft / 2 + 1) */
  public int nFft() {
    return nFft;
  }

  /** @return the sample rate of the clips the responses were estimated from, in Hz */
  public int sampleRateHz() {
    return sampleRateHz;
  }

  /**
   * Multiplies every frame of a spectrum by a per-bin magnitude gain.
   *
   * @param spectrum power or magnitude spectrum [frames][bins], not modified; may have no frames
   * @param magnitudeGain linear magnitude gain per bin [bins] (e.g. {@link #response} or {@link
   *     #correction})
   * @param power true: power spectrum, multiplied by gain^2; false: magnitude, by gain
   * @return new spectrum [frames][bins], each value rounded once to float from the double product
   * @throws IllegalArgumentException if a row's length differs from the gain's
   */
  public static float[][] applyGain(float[][] spectrum, double[] magnitudeGain, boolean power) {
    if (spectrum == null || magnitudeGain == null) {
      throw new IllegalArgumentException("spectrum and gain are required");
    }
    int bins = magnitudeGain.length;
    double[] factor = new double[bins];
    for (int k = 0; k < bins; k++) {
      factor[k] = power ? magnitudeGain[k] * magnitudeGain[k] : magnitudeGain[k];
    }
    float[][] out = new float[spectrum.length][];
    for (int t = 0; t < spectrum.length; t++) {
      float[] in = spectrum[t];
      if (in == null || in.length != bins) {
        throw new IllegalArgumentException("spectrum frame " + t + " has "
            + (in == null ? "no" : String.valueOf(in.length)) + " bins, the gain has " + bins);
      }
      float[] row = new float[bins];
      for (int k = 0; k < bins; k++) {
        row[k] = (float) (in[k] * factor[k]);
      }
      out[t] = row;
    }
    return out;
  }

  private double[] known(String device) {
    double[] r = device == null ? null : responses.get(device);
    if (r == null) {
      throw new IllegalArgumentException("unknown device '" + device + "'; known devices: "
          + Collections.unmodifiableSet(responses.keySet()));
    }
    return r;
  }

  @Override
  public String toString() {
    return "DeviceResponses[reference=" + referenceDevice + ", devices=" + responses.keySet()
        + ", n-fft=" + nFft + ", sample-rate-hz=" + sampleRateHz + "]";
  }
}
