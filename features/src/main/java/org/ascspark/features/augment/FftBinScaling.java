package org.ascspark.features.augment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random FFT-bin scaling (Clova, DCASE 2021 report, section 5 and Figure 1): a smooth random gain
 * curve over the FFT bins, multiplied into every frame of the STFT spectrum before the mel (or
 * gammatone) filterbank, to simulate the frequency response of an unseen recording device.
 *
 * <p>Conventions:
 *
 * <ul>
 *   <li>The curve is in dB of <b>power</b>: a curve value of g dB multiplies a power spectrum
 *       (|X|^2) by 10^(g / 10) and a magnitude spectrum (|X|) by 10^(g / 20), so both describe the
 *       same device (the squared magnitude output equals the power output).
 *   <li>{@code controlPoints} control gains g_0..g_{K-1}, each drawn independently and uniformly in
 *       [-maxDb, maxDb), are placed evenly on a <b>linear-frequency (bin-index) axis</b>: control
 *       point j sits at bin j (bins - 1) / (K - 1), so the first is at 0 Hz and the last at Nyquist
 *       (Clova's Figure 1 draws its curve on the linear bin axis). More control points give a
 *       rougher curve: the curve varies on a scale of (sampleRateHz / 2) / (K - 1) Hz.
 *   <li>Between control points the curve is the shape-preserving piecewise cubic Hermite
 *       interpolant (PCHIP; Fritsch and Carlson 1980, with the harmonic-mean interior slopes and
 *       the three-point end slopes of scipy's {@code PchipInterpolator}): continuous with a
 *       continuous first derivative, and monotone between neighbouring control points, so it never
 *       overshoots them and stays within [-maxDb, maxDb]. With K = 2 it is a straight line.
 *   <li>The same curve is applied to every frame; the K control gains are drawn from {@code rng}
 *       before anything else (K calls of {@link SplittableRandom#nextDouble()}), independently of
 *       the spectrum's size, sample rate and power/magnitude flag.
 *   <li>Neutral setting: {@code maxDb = 0} draws all-zero gains and returns a bit-for-bit copy of
 *       the input.
 * </ul>
 *
 * <p>Recorded parameters ({@link Applied#params()}): {@code max_db} (double), {@code
 * control_points} (int) and {@code gains_db} (the K drawn control gains in dB, a list of
 * doubles). {@link #curveDb(double[], int)} rebuilds the per-bin curve from them.
 *
 * <p>Immutable, thread-safe and serializable.
 */
public final class FftBinScaling implements SpectrumAugmentation {

  private static final long serialVersionUID = 1L;

  /** Largest accepted {@code max-db}: wider swings are not device-like. */
  public static final double MAX_DB_LIMIT = 60.0;

  /** Largest accepted {@code control-points}. */
  public static final int CONTROL_POINTS_LIMIT = 4096;

  private final double maxDb;
  private final int controlPoints;

  /**
   * Builds and validates the augmentation.
   *
   * @param maxDb maximum deviation of the curve from 0 dB, in dB of power, in [0, {@value
   *     #MAX_DB_LIMIT}] (e.g. 6); 0 is the identity
   * @param controlPoints number of random control points across 0 Hz..Nyquist, in [2, {@value
   *     #CONTROL_POINTS_LIMIT}] (e.g. 8 to 40)
   * @throws IllegalArgumentException naming {@code max-db} or {@code control-points} and the value
   */
  public FftBinScaling(double maxDb, int controlPoints) {
    if (!(maxDb >= 0 && maxDb <= MAX_DB_LIMIT)) {
      throw new IllegalArgumentException(
          "max-db must be in [0, " + MAX_DB_LIMIT + "] dB, got " + maxDb);
    }
    if (controlPoints < 2 || controlPoints > CONTROL_POINTS_LIMIT) {
      throw new IllegalArgumentException("control-points must be in [2, " + CONTROL_POINTS_LIMIT
          + "], got " + controlPoints);
    }
    this.maxDb = maxDb;
    this.controlPoints = controlPoints;
  }

  /** @return {@code fftbin} */
  @Override
  public String name() {
    return "fftbin";
  }

  /** @return the maximum deviation in dB of power */
  public double maxDb() {
    return maxDb;
  }

  /** @return the number of control points */
  public int controlPoints() {
    return controlPoints;
  }

  /**
   * Draws a curve and scales every frame of the spectrum by it.
   *
   * @param spectrum power or magnitude spectrum [frames][nFft / 2 + 1], not modified; may have no
   *     frames
   * @param sampleRateHz sample rate in Hz, positive (the curve lives on the bin axis, so it does
   *     not depend on it)
   * @param nFft FFT length, at least 1; every row must have nFft / 2 + 1 bins
   * @param power true: power spectrum, scaled by 10^(g / 10); false: magnitude, by 10^(g / 20)
   * @param rng the record's random stream; {@code controlPoints} doubles are drawn
   * @return new spectrum [frames][nFft / 2 + 1], each value rounded once to float from the double
   *     product, and the parameters drawn
   * @throws IllegalArgumentException if a row length does not match nFft or the sample rate is
   *     not positive
   */
  @Override
  public Applied apply(
      float[][] spectrum, int sampleRateHz, int nFft, boolean power, SplittableRandom rng) {
    if (spectrum == null || rng == null) {
      throw new IllegalArgumentException("spectrum and rng are required");
    }
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, got " + sampleRateHz);
    }
    if (nFft < 1) {
      throw new IllegalArgumentException("n-fft must be positive, got " + nFft);
    }
    int bins = nFft / 2 + 1;
    for (int t = 0; t < spectrum.length; t++) {
      if (spectrum[t] == null || spectrum[t].length != bins) {
        throw new IllegalArgumentException("spectrum frame " + t + " has "
            + (spectrum[t] == null ? "no" : String.valueOf(spectrum[t].length))
            + " bins, expected n-fft / 2 + 1 = " + bins + " for n-fft " + nFft);
      }
    }
    double[] gains = drawGainsDb(rng);
    double[] curve = curveDb(gains, bins);
    double dbToExponent = power ? 0.1 : 0.05;
    double[] factor = new double[bins];
    for (int k = 0; k < bins; k++) {
      factor[k] = Math.pow(10.0, curve[k] * dbToExponent);
    }
    float[][] out = new float[spectrum.length][];
    for (int t = 0; t < spectrum.length; t++) {
      float[] in = spectrum[t];
      float[] row = new float[bins];
      for (int k = 0; k < bins; k++) {
        row[k] = (float) (in[k] * factor[k]);
      }
      out[t] = row;
    }
    return new Applied(out, params(gains));
  }

  /**
   * Draws the control gains: g_j = maxDb (2 u_j - 1), u_j from {@link
   * SplittableRandom#nextDouble()}, so uniform in [-maxDb, maxDb); -0.0 is normalised to 0.0.
   *
   * @param rng random stream; exactly {@link #controlPoints()} doubles are drawn
   * @return control gains in dB of power [controlPoints]
   */
  public double[] drawGainsDb(SplittableRandom rng) {
    double[] g = new double[controlPoints];
    for (int j = 0; j < controlPoints; j++) {
      g[j] = maxDb * (2.0 * rng.nextDouble() - 1.0) + 0.0;
    }
    return g;
  }

  /**
   * The per-bin curve through control gains placed evenly on the bin axis (control point j at bin
   * j (bins - 1) / (K - 1)), PCHIP-interpolated (see the class documentation).
   *
   * @param controlGainsDb control gains in dB [K], K at least 2, finite
   * @param bins number of FFT bins, nFft / 2 + 1, at least 1 (a single bin takes g_0)
   * @return curve in dB [bins], within [min g, max g]
   * @throws IllegalArgumentException if fewer than 2 gains, a non-finite gain or no bins
   */
  public static double[] curveDb(double[] controlGainsDb, int bins) {
    if (controlGainsDb == null || controlGainsDb.length < 2) {
      throw new IllegalArgumentException("at least 2 control gains are required");
    }
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be positive, got " + bins);
    }
    for (double g : controlGainsDb) {
      if (!Double.isFinite(g)) {
        throw new IllegalArgumentException("control gains must be finite, got " + g);
      }
    }
    int k = controlGainsDb.length;
    double[] y = controlGainsDb;
    double[] d = pchipSlopes(y);
    double[] curve = new double[bins];
    if (bins == 1) {
      curve[0] = y[0];
      return curve;
    }
    for (int b = 0; b < bins; b++) {
      // position in control-point units; exact at control points when (bins - 1) % (K - 1) == 0
      double u = (double) b * (k - 1) / (bins - 1);
      int j = Math.min((int) u, k - 2);
      double t = u - j;
      double delta = y[j + 1] - y[j];
      double c2 = 3.0 * delta - 2.0 * d[j] - d[j + 1];
      double c3 = d[j] + d[j + 1] - 2.0 * delta;
      curve[b] = y[j] + t * (d[j] + t * (c2 + t * c3));
    }
    return curve;
  }

  /**
   * PCHIP slopes for unit-spaced knots (Fritsch and Carlson 1980 as in scipy's {@code
   * PchipInterpolator}): interior slope 0 where the neighbouring secants differ in sign or one is
   * 0, else their harmonic mean; end slopes from the three-point formula (3 s_0 - s_1) / 2,
   * set to 0 if its sign differs from s_0 and limited to 3 s_0 if s_0 and s_1 differ in sign.
   * With two knots both slopes are the secant (a straight line).
   *
   * @param y knot values [K], K at least 2
   * @return slopes per knot spacing [K]
   */
  private static double[] pchipSlopes(double[] y) {
    int k = y.length;
    double[] s = new double[k - 1];
    for (int j = 0; j < k - 1; j++) {
      s[j] = y[j + 1] - y[j];
    }
    double[] d = new double[k];
    if (k == 2) {
      d[0] = s[0];
      d[1] = s[0];
      return d;
    }
    for (int j = 1; j < k - 1; j++) {
      double a = s[j - 1];
      double b = s[j];
      d[j] = (a > 0 && b > 0) || (a < 0 && b < 0) ? 2.0 * a * b / (a + b) : 0.0;
    }
    d[0] = endSlope(s[0], s[1]);
    d[k - 1] = endSlope(s[k - 2], s[k - 3]);
    return d;
  }

  /** Shape-preserving three-point end slope for unit spacing (scipy {@code _edge_case}). */
  private static double endSlope(double s0, double s1) {
    double d = (3.0 * s0 - s1) / 2.0;
    if (Math.signum(d) != Math.signum(s0)) {
      return 0.0;
    }
    if (Math.signum(s0) != Math.signum(s1) && Math.abs(d) > Math.abs(3.0 * s0)) {
      return 3.0 * s0;
    }
    return d;
  }

  private Map<String, Object> params(double[] gains) {
    List<Double> list = new ArrayList<>(gains.length);
    for (double g : gains) {
      list.add(g);
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("max_db", maxDb);
    p.put("control_points", controlPoints);
    p.put("gains_db", Collections.unmodifiableList(list));
    return Collections.unmodifiableMap(p);
  }

  @Override
  public String toString() {
    return "FftBinScaling[max-db=" + maxDb + ", control-points=" + controlPoints + "]";
  }
}
