package org.ascspark.features.augment;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.Well19937c;

/**
 * Mixup (Zhang et al., ICLR 2018) for training time: x = λ x_a + (1 - λ) x_b and y = λ y_a +
 * (1 - λ) y_b with λ ~ Beta(α, α), on waveforms [samples] or features [channels][bins][frames]
 * (valeo uses α = 0.2, SCUT 0.4).
 *
 * <p>Conventions:
 *
 * <ul>
 *   <li>λ is the weight of the <b>first</b> input (a) and 1 - λ, computed as {@code 1.0 - lambda}
 *       in double, the weight of the second (b); the two weights sum to exactly 1.0 in double
 *       arithmetic for every λ in [0, 1].
 *   <li>Each mixed value is λ a + (1 - λ) b evaluated in double and rounded once to float; λ = 1
 *       returns a bit-for-bit copy of a and λ = 0 of b (so NaN or infinity in the unused input
 *       does not leak).
 *   <li>Inputs must have the same shape (crop or pad them first); nothing is broadcast.
 *   <li>{@link #drawLambda} seeds a {@link Well19937c} from one {@link SplittableRandom#nextLong()}
 *       and samples commons-math3's {@link BetaDistribution} (Cheng's algorithms BB/BC), so λ is a
 *       deterministic function of the caller's stream and advances it by exactly one long.
 *   <li>With {@code keepMax}, λ is replaced by max(λ, 1 - λ), so the first input always dominates
 *       (some implementations do this so that the first input's identity, e.g. its device, is
 *       kept); the distribution is then Beta(α, α) folded onto [0.5, 1].
 * </ul>
 *
 * <p>Immutable, thread-safe and serializable; the static mixing functions never modify their
 * inputs.
 */
public final class Mixup implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * A mix and its weights.
   *
   * @param <T> the mixed array type ({@code float[]} or {@code float[][][]})
   * @param mixed the mixed array, same shape as the inputs, new
   * @param weightA weight of the first input, λ
   * @param weightB weight of the second input, 1 - λ
   */
  public record Mix<T>(T mixed, double weightA, double weightB) {}

  private final double alpha;
  private final boolean keepMax;

  /**
   * Builds and validates the mixup settings.
   *
   * @param alpha both Beta shape parameters, positive and finite (e.g. 0.2 or 0.4; small α puts λ
   *     near 0 or 1, α = 1 is uniform)
   * @param keepMax whether to use max(λ, 1 - λ) instead of λ
   * @throws IllegalArgumentException naming {@code alpha} and the value
   */
  public Mixup(double alpha, boolean keepMax) {
    if (!(alpha > 0 && Double.isFinite(alpha))) {
      throw new IllegalArgumentException("alpha must be positive and finite, got " + alpha);
    }
    this.alpha = alpha;
    this.keepMax = keepMax;
  }

  /** @return the Beta shape parameter α */
  public double alpha() {
    return alpha;
  }

  /** @return whether λ is folded to max(λ, 1 - λ) */
  public boolean keepMax() {
    return keepMax;
  }

  /**
   * Draws a mixing weight.
   *
   * @param rng the record's (or batch's) random stream; advanced by exactly one long
   * @return λ in [0, 1] from Beta(α, α), or max(λ, 1 - λ) in [0.5, 1] with {@code keepMax}
   */
  public double drawLambda(SplittableRandom rng) {
    if (rng == null) {
      throw new IllegalArgumentException("rng is required");
    }
    BetaDistribution beta = new BetaDistribution(new Well19937c(rng.nextLong()), alpha, alpha);
    double lambda = beta.sample();
    return keepMax ? Math.max(lambda, 1.0 - lambda) : lambda;
  }

  /**
   * Mixes two waveforms (or any flat arrays).
   *
   * @param a first input [n], weight λ, not modified
   * @param b second input [n], weight 1 - λ, not modified
   * @param lambda weight of a, in [0, 1]
   * @return λ a + (1 - λ) b [n] (new) and the weights
   * @throws IllegalArgumentException if the lengths differ or λ is outside [0, 1]
   */
  public static Mix<float[]> mix(float[] a, float[] b, double lambda) {
    requireLambda(lambda);
    if (a == null || b == null) {
      throw new IllegalArgumentException("both inputs are required");
    }
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "mixup inputs differ in length: " + a.length + " and " + b.length);
    }
    return new Mix<>(mixRow(a, b, lambda), lambda, 1.0 - lambda);
  }

  /**
   * Mixes two feature maps.
   *
   * @param a first input [channels][bins][frames], weight λ, not modified
   * @param b second input of the same shape, weight 1 - λ, not modified
   * @param lambda weight of a, in [0, 1]
   * @return λ a + (1 - λ) b [channels][bins][frames] (new) and the weights
   * @throws IllegalArgumentException if the shapes differ or λ is outside [0, 1]
   */
  public static Mix<float[][][]> mix(float[][][] a, float[][][] b, double lambda) {
    requireLambda(lambda);
    if (a == null || b == null) {
      throw new IllegalArgumentException("both inputs are required");
    }
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "mixup inputs differ in channels: " + a.length + " and " + b.length);
    }
    float[][][] out = new float[a.length][][];
    for (int c = 0; c < a.length; c++) {
      if (a[c].length != b[c].length) {
        throw new IllegalArgumentException("mixup inputs differ in bins at channel " + c + ": "
            + a[c].length + " and " + b[c].length);
      }
      out[c] = new float[a[c].length][];
      for (int k = 0; k < a[c].length; k++) {
        if (a[c][k].length != b[c][k].length) {
          throw new IllegalArgumentException("mixup inputs differ in frames at [" + c + "][" + k
              + "]: " + a[c][k].length + " and " + b[c][k].length);
        }
        out[c][k] = mixRow(a[c][k], b[c][k], lambda);
      }
    }
    return new Mix<>(out, lambda, 1.0 - lambda);
  }

  /**
   * Mixes two label vectors (one-hot or soft, e.g. teacher outputs).
   *
   * @param ya labels of the first input [classes], not modified
   * @param yb labels of the second input [classes], not modified
   * @param lambda weight of ya, in [0, 1]
   * @return λ ya + (1 - λ) yb [classes], new; λ = 1 gives a copy of ya, λ = 0 of yb
   * @throws IllegalArgumentException if the lengths differ or λ is outside [0, 1]
   */
  public static double[] mixLabels(double[] ya, double[] yb, double lambda) {
    requireLambda(lambda);
    if (ya == null || yb == null) {
      throw new IllegalArgumentException("both label vectors are required");
    }
    if (ya.length != yb.length) {
      throw new IllegalArgumentException(
          "mixup labels differ in length: " + ya.length + " and " + yb.length);
    }
    if (lambda == 1.0) {
      return ya.clone();
    }
    if (lambda == 0.0) {
      return yb.clone();
    }
    double wb = 1.0 - lambda;
    double[] out = new double[ya.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = lambda * ya[i] + wb * yb[i];
    }
    return out;
  }

  @Override
  public String toString() {
    return "Mixup[alpha=" + alpha + ", keep-max=" + keepMax + "]";
  }

  private static float[] mixRow(float[] a, float[] b, double lambda) {
    if (lambda == 1.0) {
      return a.clone();
    }
    if (lambda == 0.0) {
      return b.clone();
    }
    double wb = 1.0 - lambda;
    float[] out = new float[a.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (lambda * a[i] + wb * b[i]);
    }
    return out;
  }

  private static void requireLambda(double lambda) {
    if (!(lambda >= 0 && lambda <= 1)) {
      throw new IllegalArgumentException("lambda must be in [0, 1], got " + lambda);
    }
  }
}
