package org.ascspark.features.augment;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.ascspark.features.audio.Resampler;

/**
 * Speed change: pitch and duration change together, like playing a tape faster or slower (SCUT,
 * seed 002 section 2.3: "resample the original audio recordings at different sampling
 * frequencies"). Name {@code speed}; params {@code {"factor": f, "ratio": r}}.
 *
 * <p><b>Conventions.</b> Factor f &gt; 1 is faster: duration / f, every frequency x f. The signal
 * is read as if sampled at r x sampleRateHz and resampled to sampleRateHz by {@link Resampler}
 * (band-limited: content that would land above 0.95 x Nyquist is removed, not aliased). Because
 * the resampler takes an integer rate pair, r = p / q is a continued-fraction approximation of f
 * with {@code q <= }{@link #MAX_DENOMINATOR} and relative error at most
 * {@link #RATIO_TOLERANCE} (2e-5) where such a denominator reaches it (see {@link #ratePair});
 * {@code ratio} in the params is that effective r (exactly f for factors such as 0.9 = 9/10). The
 * resampled length is {@code ceil(n q / p)}; {@link TempoChange.LengthMode} then keeps it or
 * restores n (default {@link TempoChange#DEFAULT_LENGTH_MODE}, repeat; see {@link TempoChange}).
 *
 * <p><b>Drawing.</b> Uniformly from a list ({@link #ofFactors}, config key {@code factors}) or a
 * continuous range ({@link #ofFactorRange}, {@code factor-range}); one draw per application, as in
 * {@link TempoChange}. Allowed factors: [{@link #MIN_FACTOR}, {@link #MAX_FACTOR}]. A range draw
 * is resampled at the ratio rounded to a multiple of 1 / {@link #RANGE_RATIO_GRID} (see there);
 * the params record the drawn factor and that ratio.
 */
public final class SpeedChange implements WaveformAugmentation {

  private static final long serialVersionUID = 1L;

  /** Smallest accepted speed factor. */
  public static final double MIN_FACTOR = 0.25;

  /** Largest accepted speed factor. */
  public static final double MAX_FACTOR = 4.0;

  /**
   * Largest denominator of the rational rate pair; keeps the resampler's polyphase table small
   * (at most 1000 phases: about 1 MB for ratios near 1, 4 MB at the extreme factor 4) and cached
   * once per pair.
   */
  public static final int MAX_DENOMINATOR = 1000;

  /**
   * Relative error |p/q - ratio| / ratio at which {@link #ratePair} stops refining: 2e-5 is 0.035
   * cents of pitch and 0.2 ms over 10 s, far below what an augmentation needs, and keeps the
   * fractions small (one semitone: 196/185). Every ratio on a quarter-semitone grid is within
   * 1.54e-5 (worst: 2^(-10.75/12) as 122/227). Ratios whose convergents need a denominator above
   * {@link #MAX_DENOMINATOR} before reaching the tolerance stay coarser: at worst, for a ratio
   * within 1e-3 of a simple fraction (e.g. 1.0005 gives 1/1), up to about 6e-4 (1 cent). The params
   * always record the ratio actually used.
   */
  public static final double RATIO_TOLERANCE = 2e-5;

  /**
   * Ratios drawn from a range ({@code factor-range}, {@code semitone-range}) are rounded to
   * multiples of 1/200 (steps of 0.5%, 8.6 cents near 1) before resampling. {@link Resampler}
   * caches one polyphase table per rate pair for the life of the JVM, so a continuous draw would
   * add a table (up to 1 MB) for nearly every clip; on this grid a range of width w uses at most
   * 200 w + 1 pairs of at most 200 phases (about 0.2 MB each near ratio 1), e.g. 81 pairs and
   * 16 MB for [0.8, 1.2]. Lists are used as given.
   */
  public static final int RANGE_RATIO_GRID = 200;

  /** The list of factors to draw from, or [min, max] when {@link #range}. */
  private final double[] values;

  /** Whether {@link #values} is a continuous range rather than a list. */
  private final boolean range;

  /** What happens to the output length. */
  private final TempoChange.LengthMode lengthMode;

  private SpeedChange(double[] values, boolean range, TempoChange.LengthMode lengthMode) {
    this.values = values;
    this.range = range;
    this.lengthMode = Objects.requireNonNull(lengthMode, "length");
  }

  /**
   * Factors drawn uniformly from a list, with {@link TempoChange#DEFAULT_LENGTH_MODE}.
   *
   * @param factors config key {@code factors}, as in
   *     {@link #ofFactors(List, TempoChange.LengthMode)}
   * @return the augmentation
   */
  public static SpeedChange ofFactors(List<Double> factors) {
    return ofFactors(factors, TempoChange.DEFAULT_LENGTH_MODE);
  }

  /**
   * Factors drawn uniformly from a list.
   *
   * @param factors config key {@code factors}: non-empty, each in [{@link #MIN_FACTOR},
   *     {@link #MAX_FACTOR}]
   * @param lengthMode config key {@code length}
   * @return the augmentation
   */
  public static SpeedChange ofFactors(List<Double> factors, TempoChange.LengthMode lengthMode) {
    if (factors == null || factors.isEmpty()) {
      throw new IllegalArgumentException("factors must list at least one speed factor");
    }
    double[] v = new double[factors.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = checkFactor("factors", factors.get(i));
    }
    return new SpeedChange(v, false, lengthMode);
  }

  /**
   * Factors drawn uniformly from [min, max].
   *
   * @param minFactor config key {@code factor-range}[0], in [{@link #MIN_FACTOR},
   *     {@link #MAX_FACTOR}]
   * @param maxFactor config key {@code factor-range}[1], in [minFactor, {@link #MAX_FACTOR}]
   * @param lengthMode config key {@code length}
   * @return the augmentation
   */
  public static SpeedChange ofFactorRange(double minFactor, double maxFactor,
      TempoChange.LengthMode lengthMode) {
    checkFactor("factor-range", minFactor);
    checkFactor("factor-range", maxFactor);
    if (maxFactor < minFactor) {
      throw new IllegalArgumentException(
          "factor-range must be [min, max] with min <= max, got [" + minFactor + ", " + maxFactor
              + "]");
    }
    return new SpeedChange(new double[] {minFactor, maxFactor}, true, lengthMode);
  }

  private static double checkFactor(String key, Double f) {
    if (f == null || !(f >= MIN_FACTOR && f <= MAX_FACTOR)) {
      throw new IllegalArgumentException(key + " must be speed factors in [" + MIN_FACTOR + ", "
          + MAX_FACTOR + "], got " + f);
    }
    return f;
  }

  /**
   * Changes speed by a given factor (no drawing); the pure function behind {@link #apply}.
   *
   * @param x mono samples; not modified
   * @param speedFactor f &gt; 1 faster and higher, positive
   * @return new array of {@code ceil(n q / p)} samples, p / q = {@link #ratePair}(f); a copy when
   *     p == q
   */
  public static float[] changeSpeed(float[] x, double speedFactor) {
    int[] pq = ratePair(speedFactor);
    return Resampler.resample(x, pq[0], pq[1]);
  }

  /**
   * The integer rate pair the resampler uses for a ratio: the first continued-fraction convergent
   * p / q of {@code ratio} within {@link #RATIO_TOLERANCE} (relative), or else the last convergent
   * with {@code q <= }{@link #MAX_DENOMINATOR}. Convergents are the best approximations for their
   * denominator size. Examples: 0.85 gives 17/20 (exact), 2^(1/12) gives 196/185 (relative error
   * -3.4e-6), 2^(2/12) gives 55/49 (-1.2e-5), 2^(-9/12) gives 22/37 (+1.5e-5, the next
   * convergent's denominator exceeds the cap). Callers record p / q.
   *
   * @param ratio positive, finite
   * @return {p, q}, both positive, gcd 1
   */
  public static int[] ratePair(double ratio) {
    if (!(ratio > 0) || Double.isInfinite(ratio)) {
      throw new IllegalArgumentException("ratio must be positive and finite, got " + ratio);
    }
    // Convergents h_k / k_k of the continued fraction [a0; a1, a2, ...].
    long hPrev = 1;
    long kPrev = 0;
    long h = (long) Math.floor(ratio);
    long k = 1;
    double rest = ratio - Math.floor(ratio);
    long bestP = Math.max(h, 1);
    long bestQ = 1;
    while (true) {
      if (h > 0 && Math.abs((double) h / k - ratio) <= RATIO_TOLERANCE * ratio) {
        bestP = h;
        bestQ = k;
        break;
      }
      if (h > 0) {
        bestP = h;
        bestQ = k;
      }
      if (rest < 1e-12) {
        break;
      }
      double inv = 1.0 / rest;
      long a = (long) Math.floor(inv);
      rest = inv - a;
      long hNext = a * h + hPrev;
      long kNext = a * k + kPrev;
      if (kNext > MAX_DENOMINATOR || hNext > Integer.MAX_VALUE) {
        break;
      }
      hPrev = h;
      kPrev = k;
      h = hNext;
      k = kNext;
    }
    return new int[] {(int) bestP, (int) bestQ};
  }

  /**
   * The rate pair for a ratio drawn from a range: {@code round(ratio x RANGE_RATIO_GRID)} over
   * {@link #RANGE_RATIO_GRID}, reduced.
   *
   * @param ratio positive, at least 1 / (2 x RANGE_RATIO_GRID)
   * @return {p, q}, gcd 1
   */
  static int[] gridPair(double ratio) {
    long p = Math.round(ratio * RANGE_RATIO_GRID);
    if (p < 1) {
      throw new IllegalArgumentException("ratio too small for the range grid: " + ratio);
    }
    long q = RANGE_RATIO_GRID;
    long a = p;
    long b = q;
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return new int[] {(int) (p / a), (int) (q / a)};
  }

  /** @return {@code speed} */
  @Override
  public String name() {
    return "speed";
  }

  /**
   * Draws a factor and changes the speed.
   *
   * @param samples mono samples, not modified
   * @param sampleRateHz their sample rate in Hz (used only for the repeat cross-fade length)
   * @param rng the record's stream; one draw
   * @return the changed samples and {@code {"factor": f, "ratio": p / q}}
   */
  @Override
  public Applied apply(float[] samples, int sampleRateHz, SplittableRandom rng) {
    double f = range
        ? values[0] + (values[1] - values[0]) * rng.nextDouble()
        : values[rng.nextInt(values.length)];
    int[] pq = range ? gridPair(f) : ratePair(f);
    float[] y = Resampler.resample(samples, pq[0], pq[1]);
    return new Applied(lengthMode.fit(y, samples.length, sampleRateHz),
        Map.of("factor", f, "ratio", (double) pq[0] / pq[1]));
  }

  /** @return the configured length mode */
  public TempoChange.LengthMode lengthMode() {
    return lengthMode;
  }

  /** @return a readable summary of the configuration */
  @Override
  public String toString() {
    return "speed{" + (range ? "factor-range=" : "factors=") + Arrays.toString(values)
        + ", length=" + lengthMode + "}";
  }
}
