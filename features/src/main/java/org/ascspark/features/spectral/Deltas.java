package org.ascspark.features.spectral;

/**
 * Delta (local slope) features along time, as {@code librosa.feature.delta(data, width, order,
 * axis=-1, mode='interp')}, which is {@code scipy.signal.savgol_filter(x, window_length=width,
 * polyorder=order, deriv=order, axis=-1, mode='interp')}.
 *
 * <p>Definition (h = (width - 1) / 2, k = -h..h): a polynomial of degree {@code order} is fitted by
 * least squares to the {@code width} frames around frame t and its {@code order}-th derivative
 * (per frame) is the output. Because the degree equals the derivative order, the derivative is a
 * constant, giving the filters
 *
 * <ul>
 *   <li>order 1: d[t] = sum_k k x[t+k] / sum_k k^2 (the regression delta of HTK/Furui);
 *   <li>order 2: d[t] = sum_k 2 (S0 k^2 - S2) x[t+k] / (S0 S4 - S2^2), with S_j = sum_k k^j
 *       (twice the quadratic coefficient of the fit).
 * </ul>
 *
 * <p>Edges ({@code mode='interp'}): the polynomial fitted to the first (last) {@code width} frames is
 * used for the first (last) h frames; its derivative is constant, so those frames take the value of
 * frame h (frames - 1 - h). A signal needs at least {@code width} frames (librosa raises an error
 * otherwise; here IllegalArgumentException).
 *
 * <p>Sums are accumulated in double and rounded once to float.
 */
public final class Deltas {

  private Deltas() {}

  /**
   * Savitzky-Golay derivative along the frames axis.
   *
   * @param features features [bins][frames], rectangular, not modified
   * @param width window in frames, odd, at least 3
   * @param order derivative (and polynomial) order, 1 or 2
   * @return derivative [bins][frames], per frame (not per second), a new array
   * @throws IllegalArgumentException for an invalid width or order, ragged rows, or fewer than
   *     {@code width} frames
   */
  public static float[][] delta(float[][] features, int width, int order) {
    double[] c = coefficients(width, order);
    int h = width / 2;
    float[][] out = new float[features.length][];
    int frames = features.length == 0 ? 0 : features[0].length;
    for (int b = 0; b < features.length; b++) {
      float[] x = features[b];
      if (x.length != frames) {
        throw new IllegalArgumentException(
            "features are ragged: row " + b + " has " + x.length + " frames, row 0 has " + frames);
      }
      if (frames < width) {
        throw new IllegalArgumentException("needs at least " + width + " frames for delta-width "
            + width + ", got " + frames);
      }
      float[] y = new float[frames];
      for (int t = h; t < frames - h; t++) {
        double s = 0;
        for (int k = -h; k <= h; k++) {
          s += c[k + h] * x[t + k];
        }
        y[t] = (float) s;
      }
      for (int t = 0; t < h; t++) {
        y[t] = y[h];
        y[frames - 1 - t] = y[frames - 1 - h];
      }
      out[b] = y;
    }
    return out;
  }

  /**
   * Static features with their deltas, combined as {@link DeltaParams#stacking()} says.
   *
   * @param statics static features [bins][frames], not modified
   * @param p delta order, width and stacking
   * @return CHANNELS: [order + 1][bins][frames] (static, delta, delta-delta); FREQUENCY:
   *     [1][(order + 1) bins][frames], static bins first; order 0: [1][bins][frames]. New arrays
   *     (the statics are copied).
   * @throws IllegalArgumentException if there are fewer frames than the delta width (order &gt; 0)
   */
  public static float[][][] stack(float[][] statics, DeltaParams p) {
    float[][] copy = new float[statics.length][];
    for (int b = 0; b < statics.length; b++) {
      copy[b] = statics[b].clone();
    }
    return stackOwned(copy, statics, p);
  }

  /**
   * As {@link #stack} but uses {@code owned} (which the caller gives up) as the static part without
   * copying; deltas are computed from {@code statics} (may be the same array).
   */
  static float[][][] stackOwned(float[][] owned, float[][] statics, DeltaParams p) {
    int order = p.order();
    float[][][] parts = new float[order + 1][][];
    parts[0] = owned;
    for (int o = 1; o <= order; o++) {
      parts[o] = delta(statics, p.width(), o);
    }
    if (p.stacking() == DeltaParams.Stacking.CHANNELS || order == 0) {
      return parts;
    }
    int bins = owned.length;
    float[][] rows = new float[(order + 1) * bins][];
    for (int o = 0; o <= order; o++) {
      System.arraycopy(parts[o], 0, rows, o * bins, bins);
    }
    return new float[][][] {rows};
  }

  /**
   * Filter taps for frame offsets -h..h (correlation order: d[t] = sum_k c[k + h] x[t + k]).
   *
   * @param width odd window, at least 3
   * @param order 1 or 2
   * @return taps [width]
   */
  static double[] coefficients(int width, int order) {
    if (width < 3 || width % 2 == 0) {
      throw new IllegalArgumentException("delta-width must be odd and at least 3, got " + width);
    }
    if (order != 1 && order != 2) {
      throw new IllegalArgumentException("delta order must be 1 or 2, got " + order);
    }
    int h = width / 2;
    double s0 = width;
    double s2 = 0;
    double s4 = 0;
    for (int k = -h; k <= h; k++) {
      s2 += (double) k * k;
      s4 += (double) k * k * k * k;
    }
    double[] c = new double[width];
    for (int k = -h; k <= h; k++) {
      c[k + h] = order == 1 ? k / s2 : 2.0 * (s0 * k * k - s2) / (s0 * s4 - s2 * s2);
    }
    return c;
  }
}
