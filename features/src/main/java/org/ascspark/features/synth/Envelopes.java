package org.ascspark.features.synth;

import java.util.SplittableRandom;

/**
 * Slowly varying control signals: random modulation curves and event timing.
 *
 * <p>Conventions: every method returns a new array or value; randomness comes only from the given
 * stream.
 */
public final class Envelopes {

  private Envelopes() {}

  /**
   * A smooth random curve: independent uniform values in [-1, 1] at {@code rateHz} control points
   * per second, joined by smoothstep ({@code 3t^2 - 2t^3}) interpolation, so the curve and its
   * slope are continuous.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz, positive
   * @param rateHz control points per second, positive
   * @param rng random stream (advanced)
   * @return the curve [n], values in [-1, 1]
   */
  public static double[] smoothRandom(
      int n, int sampleRateHz, double rateHz, SplittableRandom rng) {
    if (!(rateHz > 0)) {
      throw new IllegalArgumentException("rateHz must be positive, got " + rateHz);
    }
    double step = sampleRateHz / rateHz;
    int points = (int) Math.ceil(n / step) + 2;
    double[] c = new double[points];
    for (int j = 0; j < points; j++) {
      c[j] = 2.0 * rng.nextDouble() - 1.0;
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double pos = i / step;
      int j = (int) pos;
      double t = pos - j;
      double w = t * t * (3.0 - 2.0 * t);
      out[i] = c[j] + w * (c[j + 1] - c[j]);
    }
    return out;
  }

  /**
   * The next gap of a Poisson process.
   *
   * @param ratePerSecond events per second, positive
   * @param rng random stream (advanced)
   * @return an exponentially distributed gap, in seconds
   */
  public static double exponentialGapSeconds(double ratePerSecond, SplittableRandom rng) {
    return -StrictMath.log(1.0 - rng.nextDouble()) / ratePerSecond;
  }

  /**
   * A value drawn uniformly from a range.
   *
   * @param rng random stream (advanced)
   * @param lo lower bound
   * @param hi upper bound
   * @return a value in [lo, hi)
   */
  public static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }

  /**
   * A value drawn log-uniformly from a positive range (uniform in octaves).
   *
   * @param rng random stream (advanced)
   * @param lo lower bound, positive
   * @param hi upper bound, positive
   * @return a value in [lo, hi)
   */
  public static double logUniform(SplittableRandom rng, double lo, double hi) {
    return lo * StrictMath.pow(hi / lo, rng.nextDouble());
  }

  /**
   * An integer drawn uniformly from a closed range.
   *
   * @param rng random stream (advanced)
   * @param lo lower bound, inclusive
   * @param hi upper bound, inclusive
   * @return a value in [lo, hi]
   */
  public static int uniformInt(SplittableRandom rng, int lo, int hi) {
    return lo + rng.nextInt(hi - lo + 1);
  }
}
