package org.ascspark.features.augment;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Tempo change without pitch change (Clova, seed 000 section 5: "0.75 or 0.85 times slower or 1.15
 * or 1.25 times faster using the sox library"), by our {@link Wsola} (same algorithm family as sox
 * {@code tempo}). Name {@code tempo}; params {@code {"factor": f}}.
 *
 * <p><b>Drawing.</b> Either uniformly from a list ({@link #ofFactors}, config key
 * {@code factors}; a list matches Clova, e.g. {@link #CLOVA_FACTORS}) or uniformly from a
 * continuous range ({@link #ofFactorRange}, config key {@code factor-range} = [min, max]). A draw
 * takes one value from the record's stream: {@code nextInt(list size)} or
 * {@code min + (max - min) nextDouble()}. Factor f &gt; 1 is faster (shorter), f &lt; 1 slower
 * (longer); allowed range [{@link #MIN_FACTOR}, {@link #MAX_FACTOR}].
 *
 * <p><b>Length.</b> WSOLA gives {@code round(n / f)} samples; {@link LengthMode} then either keeps
 * that ({@code natural}) or restores the input length n by keeping the first n samples, or padding
 * the end with zeros ({@code zero-pad}) or with repeats of the stretched signal ({@code repeat}).
 * Default ({@link #DEFAULT_LENGTH_MODE}) {@link LengthMode#REPEAT}: the variant keeps the clip's
 * duration (features of equal shape) without a stretch of digital silence, which would be a
 * give-away in log-mel features.
 */
public final class TempoChange implements WaveformAugmentation {

  private static final long serialVersionUID = 1L;

  /** Clova's tempo factors (seed 000 section 5). */
  public static final List<Double> CLOVA_FACTORS = List.of(0.75, 0.85, 1.15, 1.25);

  /** Smallest accepted tempo factor. */
  public static final double MIN_FACTOR = 0.25;

  /** Largest accepted tempo factor. */
  public static final double MAX_FACTOR = 4.0;

  /** Length mode when the config gives none (key {@code length}). */
  public static final LengthMode DEFAULT_LENGTH_MODE = LengthMode.REPEAT;

  /** Cross-fade at each seam of {@link LengthMode#REPEAT} padding, in ms. */
  public static final double REPEAT_CROSSFADE_MS = 12.0;

  /** What happens to the length of a time-scaled signal (config key {@code length}). */
  public enum LengthMode {
    /** {@code natural}: keep the changed length. */
    NATURAL,
    /**
     * {@code zero-pad}: back to the input length: keep the first n samples, or pad the end with
     * zeros.
     */
    ZERO_PAD,
    /**
     * {@code repeat}: back to the input length: keep the first n samples, or continue with copies
     * of the changed signal from its start, each seam a raised-cosine cross-fade of
     * {@link #REPEAT_CROSSFADE_MS} (at most half the signal).
     */
    REPEAT;

    /**
     * Brings a signal to the length this mode asks for.
     *
     * @param y changed signal; not modified
     * @param inputSamples length n of the original input
     * @param sampleRateHz sample rate in Hz (for the cross-fade length)
     * @return y itself for {@link #NATURAL} or when the length already matches, else a new array
     *     of n samples
     */
    public float[] fit(float[] y, int inputSamples, int sampleRateHz) {
      if (this == NATURAL || y.length == inputSamples) {
        return y;
      }
      if (y.length > inputSamples || this == ZERO_PAD || y.length == 0) {
        return Arrays.copyOf(y, inputSamples);
      }
      int m = y.length;
      int fade = (int) Math.min(Math.round(REPEAT_CROSSFADE_MS * sampleRateHz / 1000.0), m / 2);
      float[] out = Arrays.copyOf(y, inputSamples);
      int end = m;
      while (end < inputSamples) {
        int start = end - fade;
        int stop = Math.min(m, inputSamples - start);
        for (int i = 0; i < stop; i++) {
          if (i < fade) {
            double s = Math.sin(Math.PI * (i + 0.5) / (2.0 * fade));
            float in = (float) (s * s);
            out[start + i] = out[start + i] * (1f - in) + y[i] * in;
          } else {
            out[start + i] = y[i];
          }
        }
        end = start + m;
      }
      return out;
    }
  }

  /** The list of factors to draw from, or [min, max] when {@link #range}. */
  private final double[] values;

  /** Whether {@link #values} is a continuous range rather than a list. */
  private final boolean range;

  /** What happens to the output length. */
  private final LengthMode lengthMode;

  /** WSOLA parameters. */
  private final Wsola.Params wsola;

  private TempoChange(double[] values, boolean range, LengthMode lengthMode, Wsola.Params wsola) {
    this.values = values;
    this.range = range;
    this.lengthMode = Objects.requireNonNull(lengthMode, "length");
    this.wsola = Objects.requireNonNull(wsola, "wsola");
  }

  /**
   * Factors drawn uniformly from a list, with {@link #DEFAULT_LENGTH_MODE} and sox's WSOLA
   * defaults ({@link Wsola.Params#SOX_DEFAULT}); e.g. {@code ofFactors(CLOVA_FACTORS)}.
   *
   * @param factors config key {@code factors}, as in {@link #ofFactors(List, LengthMode,
   *     Wsola.Params)}
   * @return the augmentation
   */
  public static TempoChange ofFactors(List<Double> factors) {
    return ofFactors(factors, DEFAULT_LENGTH_MODE, Wsola.Params.SOX_DEFAULT);
  }

  /**
   * Factors drawn uniformly from a list.
   *
   * @param factors config key {@code factors}: non-empty, each in [{@link #MIN_FACTOR},
   *     {@link #MAX_FACTOR}]; duplicates weigh more
   * @param lengthMode config key {@code length}
   * @param wsola WSOLA segment/search/overlap ({@code segment-ms}, {@code search-ms},
   *     {@code overlap-ms}), e.g. {@link Wsola.Params#SOX_DEFAULT}
   * @return the augmentation
   */
  public static TempoChange ofFactors(List<Double> factors, LengthMode lengthMode,
      Wsola.Params wsola) {
    if (factors == null || factors.isEmpty()) {
      throw new IllegalArgumentException("factors must list at least one tempo factor");
    }
    double[] v = new double[factors.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = checkFactor("factors", factors.get(i));
    }
    return new TempoChange(v, false, lengthMode, wsola);
  }

  /**
   * Factors drawn uniformly from [min, max].
   *
   * @param minFactor config key {@code factor-range}[0], in [{@link #MIN_FACTOR},
   *     {@link #MAX_FACTOR}]
   * @param maxFactor config key {@code factor-range}[1], in [minFactor, {@link #MAX_FACTOR}]
   * @param lengthMode config key {@code length}
   * @param wsola WSOLA segment/search/overlap
   * @return the augmentation
   */
  public static TempoChange ofFactorRange(double minFactor, double maxFactor,
      LengthMode lengthMode, Wsola.Params wsola) {
    checkFactor("factor-range", minFactor);
    checkFactor("factor-range", maxFactor);
    if (maxFactor < minFactor) {
      throw new IllegalArgumentException(
          "factor-range must be [min, max] with min <= max, got [" + minFactor + ", " + maxFactor
              + "]");
    }
    return new TempoChange(new double[] {minFactor, maxFactor}, true, lengthMode, wsola);
  }

  private static double checkFactor(String key, Double f) {
    if (f == null || !(f >= MIN_FACTOR && f <= MAX_FACTOR)) {
      throw new IllegalArgumentException(key + " must be tempo factors in [" + MIN_FACTOR + ", "
          + MAX_FACTOR + "], got " + f);
    }
    return f;
  }

  /** @return {@code tempo} */
  @Override
  public String name() {
    return "tempo";
  }

  /**
   * Draws a factor and changes the tempo.
   *
   * @param samples mono samples, not modified
   * @param sampleRateHz their sample rate in Hz
   * @param rng the record's stream; one draw
   * @return the changed samples (length per {@link LengthMode}) and {@code {"factor": f}}
   */
  @Override
  public Applied apply(float[] samples, int sampleRateHz, SplittableRandom rng) {
    double f = range
        ? values[0] + (values[1] - values[0]) * rng.nextDouble()
        : values[rng.nextInt(values.length)];
    float[] y = Wsola.stretch(samples, sampleRateHz, f, wsola);
    return new Applied(lengthMode.fit(y, samples.length, sampleRateHz), Map.of("factor", f));
  }

  /** @return the configured length mode */
  public LengthMode lengthMode() {
    return lengthMode;
  }

  /** @return the WSOLA parameters */
  public Wsola.Params wsola() {
    return wsola;
  }

  /** @return a readable summary of the configuration */
  @Override
  public String toString() {
    return "tempo{" + (range ? "factor-range=" : "factors=") + Arrays.toString(values)
        + ", length=" + lengthMode + ", wsola=" + wsola + "}";
  }
}
