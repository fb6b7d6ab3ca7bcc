package org.ascspark.features.spectral;

import java.io.Serializable;

/**
 * Log compression of a (power or magnitude) spectrogram.
 *
 * <p>NATURAL: ln(max(x, floor)). DB: 10 log10(max(x, floor)) for power spectra (20 log10 for
 * magnitude, chosen by the caller through {@code dbMultiplier}), then, when {@code topDb} is
 * positive, clipped from below at (maximum over the whole array) - topDb, as librosa's
 * {@code power_to_db(ref=1.0)}. NONE leaves values linear.
 *
 * @param kind compression
 * @param floor smallest value before the log, positive (e.g. 1e-10)
 * @param topDb dynamic range kept in dB, 0 = unlimited (DB only)
 */
public record LogParams(Kind kind, double floor, double topDb) implements Serializable {

  /** Compression kind. */
  public enum Kind { NONE, NATURAL, DB }

  /** Validates; messages name the config key. */
  public LogParams {
    if (kind == null) {
      throw new IllegalArgumentException("log is required");
    }
    if (!(floor > 0)) {
      throw new IllegalArgumentException("floor must be positive, got " + floor);
    }
    if (!(topDb >= 0)) {
      throw new IllegalArgumentException("top-db must be >= 0 (0 = off), got " + topDb);
    }
  }
}
