package org.ascspark.features.augment;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random gain on the waveform: every sample is multiplied by 10^(g / 20) with g drawn uniformly
 * in [minDb, maxDb] (amplitude dB, so g = 6 roughly doubles the amplitude).
 *
 * <p>Conventions:
 *
 * <ul>
 *   <li>g = minDb + (maxDb - minDb) u with u from one {@link SplittableRandom#nextDouble()}
 *       (uniform in [minDb, maxDb); exactly minDb when minDb = maxDb). Exactly one double is drawn.
 *   <li>Each output sample is the input times 10^(g / 20), evaluated in double and rounded once
 *       to float.
 *   <li>Clipping: with {@code clip}, outputs are limited to full scale [-1, 1] after scaling
 *       (as a real recorder would clip); without, values beyond full scale are kept (float
 *       features have the headroom; a later WAV writer may clip). NaN passes through either way.
 *   <li>Neutral setting: minDb = maxDb = 0 returns a bit-for-bit copy.
 * </ul>
 *
 * <p>Recorded parameters: {@code {"gain_db": g}}. Immutable, thread-safe and serializable.
 */
public final class RandomGain implements WaveformAugmentation {

  private static final long serialVersionUID = 1L;

  /** Largest accepted |min-db| and |max-db|. */
  public static final double DB_LIMIT = 60.0;

  private final double minDb;
  private final double maxDb;
  private final boolean clip;

  /**
   * Builds and validates the gain range.
   *
   * @param minDb lowest gain in dB (amplitude), within ±{@value #DB_LIMIT}
   * @param maxDb highest gain in dB, at least minDb, within ±{@value #DB_LIMIT}
   * @param clip whether to clip the output to [-1, 1]
   * @throws IllegalArgumentException naming {@code min-db} or {@code max-db} and the value
   */
  public RandomGain(double minDb, double maxDb, boolean clip) {
    if (!(Math.abs(minDb) <= DB_LIMIT)) {
      throw new IllegalArgumentException(
          "min-db must be within ±" + DB_LIMIT + " dB, got " + minDb);
    }
    if (!(Math.abs(maxDb) <= DB_LIMIT)) {
      throw new IllegalArgumentException(
          "max-db must be within ±" + DB_LIMIT + " dB, got " + maxDb);
    }
    if (maxDb < minDb) {
      throw new IllegalArgumentException(
          "max-db (" + maxDb + ") must be at least min-db (" + minDb + ")");
    }
    this.minDb = minDb;
    this.maxDb = maxDb;
    this.clip = clip;
  }

  /** @return {@code gain} */
  @Override
  public String name() {
    return "gain";
  }

  /** @return lowest gain in dB */
  public double minDb() {
    return minDb;
  }

  /** @return highest gain in dB */
  public double maxDb() {
    return maxDb;
  }

  /** @return whether outputs are clipped to [-1, 1] */
  public boolean clip() {
    return clip;
  }

  /**
   * Draws a gain and applies it.
   *
   * @param samples mono samples, full scale, not modified
   * @param sampleRateHz their sample rate in Hz (not used: a gain is rate-independent)
   * @param rng the record's random stream; one double is drawn
   * @return scaled samples (new, same length) and {@code {"gain_db": g}}
   */
  @Override
  public Applied apply(float[] samples, int sampleRateHz, SplittableRandom rng) {
    if (samples == null || rng == null) {
      throw new IllegalArgumentException("samples and rng are required");
    }
    double gainDb = minDb + (maxDb - minDb) * rng.nextDouble();
    return new Applied(scale(samples, gainDb, clip), Map.of("gain_db", gainDb));
  }

  /**
   * Applies a fixed gain (the deterministic half of {@link #apply}).
   *
   * @param samples samples, not modified
   * @param gainDb gain in dB (amplitude), finite
   * @param clip whether to clip the output to [-1, 1]
   * @return samples times 10^(gainDb / 20), each rounded once to float, optionally clipped; new
   */
  public static float[] scale(float[] samples, double gainDb, boolean clip) {
    if (!Double.isFinite(gainDb)) {
      throw new IllegalArgumentException("gain must be finite, got " + gainDb + " dB");
    }
    double factor = Math.pow(10.0, gainDb / 20.0);
    float[] out = new float[samples.length];
    for (int i = 0; i < out.length; i++) {
      float v = (float) (samples[i] * factor);
      if (clip) {
        v = v > 1f ? 1f : (v < -1f ? -1f : v);
      }
      out[i] = v;
    }
    return out;
  }

  @Override
  public String toString() {
    return "RandomGain[min-db=" + minDb + ", max-db=" + maxDb + ", clip=" + clip + "]";
  }
}
