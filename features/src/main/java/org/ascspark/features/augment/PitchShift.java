package org.ascspark.features.augment;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.ascspark.features.audio.Resampler;

/**
 * Pitch shift with the duration unchanged (SCUT, seed 002 section 2.3, pitch shift by resampling;
 * Cao): resample by r = 2^(s/12) (every frequency x r, duration / r), then time-scale back to the
 * input length with {@link Wsola}. Name {@code pitch}; params {@code {"semitones": s, "ratio": r}}.
 *
 * <p><b>Conventions.</b> Positive semitones raise the pitch. The resampling step is
 * {@link SpeedChange#changeSpeed}(2^(s/12)): a rational rate pair p / q close to 2^(s/12)
 * (relative error at most 1.54e-5 on a quarter-semitone grid, e.g. 196/185 for one semitone; see
 * {@link SpeedChange#RATIO_TOLERANCE}); {@code ratio} in the params is that effective p / q.
 * The WSOLA step is {@link Wsola#stretchToLength} to exactly n samples, so the output has the
 * input's length n exactly. Raising the pitch removes content that would land above
 * 0.95 x Nyquist (band-limited resampling). Zero semitones return an identical copy.
 *
 * <p><b>Drawing.</b> Uniformly from a list ({@link #ofSemitones}, config key {@code semitones},
 * e.g. [-2, -1, 1, 2]) or a continuous range ({@link #ofSemitoneRange}, {@code semitone-range});
 * one draw per application ({@code nextInt(size)} or {@code min + (max - min) nextDouble()}). A
 * range draw's ratio 2^(s/12) is rounded to a multiple of 1 / {@link SpeedChange#RANGE_RATIO_GRID}
 * (at most 0.0025 off: 4.3 cents near ratio 1, 8.6 cents an octave down; this bounds the
 * resampler's table cache, see there); the params record the
 * drawn s and the ratio used.
 * Allowed shifts: [-{@link #MAX_SEMITONES}, {@link #MAX_SEMITONES}].
 */
public final class PitchShift implements WaveformAugmentation {

  private static final long serialVersionUID = 1L;

  /** Largest accepted shift in semitones, either way (an octave). */
  public static final double MAX_SEMITONES = 12.0;

  /** The list of semitones to draw from, or [min, max] when {@link #range}. */
  private final double[] values;

  /** Whether {@link #values} is a continuous range rather than a list. */
  private final boolean range;

  /** WSOLA parameters. */
  private final Wsola.Params wsola;

  private PitchShift(double[] values, boolean range, Wsola.Params wsola) {
    this.values = values;
    this.range = range;
    this.wsola = Objects.requireNonNull(wsola, "wsola");
  }

  /**
   * Shifts drawn uniformly from a list, with sox's WSOLA defaults
   * ({@link Wsola.Params#SOX_DEFAULT}).
   *
   * @param semitones config key {@code semitones}, as in {@link #ofSemitones(List, Wsola.Params)}
   * @return the augmentation
   */
  public static PitchShift ofSemitones(List<Double> semitones) {
    return ofSemitones(semitones, Wsola.Params.SOX_DEFAULT);
  }

  /**
   * Shifts drawn uniformly from a list.
   *
   * @param semitones config key {@code semitones}: non-empty, each in [-{@link #MAX_SEMITONES},
   *     {@link #MAX_SEMITONES}]
   * @param wsola WSOLA segment/search/overlap for the duration restore
   * @return the augmentation
   */
  public static PitchShift ofSemitones(List<Double> semitones, Wsola.Params wsola) {
    if (semitones == null || semitones.isEmpty()) {
      throw new IllegalArgumentException("semitones must list at least one shift");
    }
    double[] v = new double[semitones.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = checkShift("semitones", semitones.get(i));
    }
    return new PitchShift(v, false, wsola);
  }

  /**
   * Shifts drawn uniformly from [min, max] semitones.
   *
   * @param minSemitones config key {@code semitone-range}[0]
   * @param maxSemitones config key {@code semitone-range}[1], at least minSemitones
   * @param wsola WSOLA segment/search/overlap for the duration restore
   * @return the augmentation
   */
  public static PitchShift ofSemitoneRange(double minSemitones, double maxSemitones,
      Wsola.Params wsola) {
    checkShift("semitone-range", minSemitones);
    checkShift("semitone-range", maxSemitones);
    if (maxSemitones < minSemitones) {
      throw new IllegalArgumentException("semitone-range must be [min, max] with min <= max, got ["
          + minSemitones + ", " + maxSemitones + "]");
    }
    return new PitchShift(new double[] {minSemitones, maxSemitones}, true, wsola);
  }

  private static double checkShift(String key, Double s) {
    if (s == null || !(s >= -MAX_SEMITONES && s <= MAX_SEMITONES)) {
      throw new IllegalArgumentException(key + " must be shifts in [" + -MAX_SEMITONES + ", "
          + MAX_SEMITONES + "] semitones, got " + s);
    }
    return s;
  }

  /**
   * Shifts the pitch by a given number of semitones (no drawing); the pure function behind
   * {@link #apply}.
   *
   * @param x mono samples; not modified
   * @param sampleRateHz their sample rate in Hz, positive
   * @param semitones shift, positive = higher
   * @param wsola WSOLA parameters of the duration restore
   * @return new array of exactly x.length samples
   */
  public static float[] shift(float[] x, int sampleRateHz, double semitones, Wsola.Params wsola) {
    int[] pq = SpeedChange.ratePair(Math.pow(2.0, semitones / 12.0));
    return shift(x, sampleRateHz, pq, wsola);
  }

  private static float[] shift(float[] x, int sampleRateHz, int[] pq, Wsola.Params wsola) {
    if (pq[0] == pq[1] || x.length == 0) {
      return x.clone();
    }
    float[] resampled = Resampler.resample(x, pq[0], pq[1]);
    return Wsola.stretchToLength(resampled, sampleRateHz, x.length, wsola);
  }

  /** @return {@code pitch} */
  @Override
  public String name() {
    return "pitch";
  }

  /**
   * Draws a shift and applies it.
   *
   * @param samples mono samples, not modified
   * @param sampleRateHz their sample rate in Hz
   * @param rng the record's stream; one draw
   * @return samples of the input's length and {@code {"semitones": s, "ratio": p / q}}
   */
  @Override
  public Applied apply(float[] samples, int sampleRateHz, SplittableRandom rng) {
    double s = range
        ? values[0] + (values[1] - values[0]) * rng.nextDouble()
        : values[rng.nextInt(values.length)];
    double r = Math.pow(2.0, s / 12.0);
    int[] pq = range ? SpeedChange.gridPair(r) : SpeedChange.ratePair(r);
    float[] y = shift(samples, sampleRateHz, pq, wsola);
    return new Applied(y, Map.of("semitones", s, "ratio", (double) pq[0] / pq[1]));
  }

  /** @return the WSOLA parameters */
  public Wsola.Params wsola() {
    return wsola;
  }

  /** @return a readable summary of the configuration */
  @Override
  public String toString() {
    return "pitch{" + (range ? "semitone-range=" : "semitones=") + Arrays.toString(values)
        + ", wsola=" + wsola + "}";
  }
}
