package org.ascspark.features.spectral;

/**
 * Log compression of a power or magnitude (mel) spectrogram, per {@link LogParams}.
 *
 * <ul>
 *   <li>NONE: values copied unchanged.
 *   <li>NATURAL: ln(max(x, floor)).
 *   <li>DB: 10 log10(max(x, floor)) for a power spectrogram, 20 log10(max(x, floor)) for a magnitude
 *       one (reference 1.0); then, when topDb &gt; 0, every value below (maximum of the whole
 *       array) - topDb is raised to it. For power this is {@code librosa.power_to_db(x, ref=1.0,
 *       amin=floor, top_db=topDb)}; for magnitude it is {@code amplitude_to_db(x, ref=1.0,
 *       amin=floor, top_db)} except that librosa squares the floor with the input (the same
 *       thing: 20 log10(max(x, floor)) = 10 log10(max(x^2, floor^2))).
 * </ul>
 *
 * <p>Logs are taken in double and rounded once to float.
 */
public final class LogCompression {

  private LogCompression() {}

  /**
   * Applies the compression.
   *
   * @param x non-negative values, any rectangular or ragged [rows][cols], not modified
   * @param p kind, floor and top-db
   * @param power whether x is a power (true: 10 log10 in DB) or magnitude (false: 20 log10)
   *     spectrogram
   * @return compressed values, same shape, a new array; natural log or dB
   */
  public static float[][] apply(float[][] x, LogParams p, boolean power) {
    float[][] out = new float[x.length][];
    double mult = dbMultiplier(power);
    for (int i = 0; i < x.length; i++) {
      float[] row = x[i];
      float[] o = new float[row.length];
      for (int j = 0; j < row.length; j++) {
        o[j] = scalar(row[j], p, mult);
      }
      out[i] = o;
    }
    if (p.kind() == LogParams.Kind.DB && p.topDb() > 0) {
      clipTopDb(out, p.topDb());
    }
    return out;
  }

  /** @return 10 for power, 20 for magnitude */
  static double dbMultiplier(boolean power) {
    return power ? 10.0 : 20.0;
  }

  /** Element-wise part of the compression (no top-db clipping). */
  static float scalar(double v, LogParams p, double dbMultiplier) {
    switch (p.kind()) {
      case NATURAL:
        return (float) Math.log(Math.max(v, p.floor()));
      case DB:
        return (float) (dbMultiplier * Math.log10(Math.max(v, p.floor())));
      default:
        return (float) v;
    }
  }

  /** In place on an array this package owns: raises values below max - topDb to it. */
  static void clipTopDb(float[][] db, double topDb) {
    float max = Float.NEGATIVE_INFINITY;
    for (float[] row : db) {
      for (float v : row) {
        max = Math.max(max, v);
      }
    }
    float lo = (float) (max - topDb);
    for (float[] row : db) {
      for (int j = 0; j < row.length; j++) {
        if (row[j] < lo) {
          row[j] = lo;
        }
      }
    }
  }
}
