package org.ascspark.features.synth;

import java.util.Objects;

/**
 * A magnitude response as a function of frequency, in dB (0 dB = unity gain), used for spectral
 * colouring of noise, for room and location colouring, and for the simulated recording devices.
 *
 * <p>Conventions: only the magnitude is described; {@link SpectralFilter} applies a curve with zero
 * phase. Curves compose by adding their dB values ({@link #plus}). All building blocks are smooth
 * functions of log-frequency, so the corresponding zero-phase impulse responses are short. They use
 * {@link StrictMath} so that the same curve gives the same bits on every platform. A curve may
 * return {@code -Infinity} (total rejection, e.g. a low cut at 0 Hz), never NaN for positive
 * frequencies.
 */
@FunctionalInterface
public interface ResponseCurve {

  /** Full width at half maximum of a Gaussian, in standard deviations: 2 sqrt(2 ln 2). */
  double FWHM_SIGMAS = 2.3548200450309493;

  /**
   * The gain at a frequency.
   *
   * @param freqHz frequency in Hz, positive
   * @return gain in dB
   */
  double gainDb(double freqHz);

  /**
   * The sum (in dB, i.e. the product of linear gains) of this curve and another.
   *
   * @param other the curve to add
   * @return a new curve
   */
  default ResponseCurve plus(ResponseCurve other) {
    Objects.requireNonNull(other, "other");
    return f -> gainDb(f) + other.gainDb(f);
  }

  /** @return the 0 dB curve */
  static ResponseCurve flat() {
    return f -> 0.0;
  }

  /**
   * A frequency-independent gain.
   *
   * @param gainDb gain in dB, finite
   * @return the curve
   */
  static ResponseCurve constant(double gainDb) {
    requireFinite(gainDb, "gainDb");
    return f -> gainDb;
  }

  /**
   * The magnitude of a Butterworth high-pass: {@code -10 log10(1 + (fc/f)^(2 order))}, so -3 dB at
   * the corner and {@code 6 * order} dB per octave below it.
   *
   * @param cornerHz -3 dB frequency in Hz, positive
   * @param order filter order, positive (fractional orders give intermediate slopes)
   * @return the curve
   */
  static ResponseCurve lowCut(double cornerHz, double order) {
    requirePositive(cornerHz, "cornerHz");
    requirePositive(order, "order");
    return f -> -10.0 * StrictMath.log10(1.0 + StrictMath.pow(cornerHz / f, 2.0 * order));
  }

  /**
   * The magnitude of a Butterworth low-pass: {@code -10 log10(1 + (f/fc)^(2 order))}.
   *
   * @param cornerHz -3 dB frequency in Hz, positive
   * @param order filter order, positive
   * @return the curve
   */
  static ResponseCurve highCut(double cornerHz, double order) {
    requirePositive(cornerHz, "cornerHz");
    requirePositive(order, "order");
    return f -> -10.0 * StrictMath.log10(1.0 + StrictMath.pow(f / cornerHz, 2.0 * order));
  }

  /**
   * A resonance or dip: a Gaussian bump in log-frequency,
   * {@code gainDb * exp(-0.5 (log2(f/fc) / sigma)^2)} with {@code sigma = bandwidthOct / 2.355}.
   *
   * @param centreHz centre frequency in Hz, positive
   * @param gainDb gain at the centre in dB (negative for a dip)
   * @param bandwidthOct full width at half the dB gain, in octaves, positive
   * @return the curve
   */
  static ResponseCurve peak(double centreHz, double gainDb, double bandwidthOct) {
    requirePositive(centreHz, "centreHz");
    requireFinite(gainDb, "gainDb");
    requirePositive(bandwidthOct, "bandwidthOct");
    double sigma = bandwidthOct / FWHM_SIGMAS;
    return f -> {
      double z = log2(f / centreHz) / sigma;
      return gainDb * StrictMath.exp(-0.5 * z * z);
    };
  }

  /**
   * A high shelf: {@code gainDb / (1 + (fc/f)^2)}, half the gain at the corner, 10 % to 90 % of the
   * gain within about 1.6 octaves either side.
   *
   * @param cornerHz corner frequency in Hz, positive
   * @param gainDb gain far above the corner, in dB
   * @return the curve
   */
  static ResponseCurve highShelf(double cornerHz, double gainDb) {
    requirePositive(cornerHz, "cornerHz");
    requireFinite(gainDb, "gainDb");
    return f -> gainDb / (1.0 + (cornerHz / f) * (cornerHz / f));
  }

  /**
   * A low shelf: {@code gainDb / (1 + (f/fc)^2)}.
   *
   * @param cornerHz corner frequency in Hz, positive
   * @param gainDb gain far below the corner, in dB
   * @return the curve
   */
  static ResponseCurve lowShelf(double cornerHz, double gainDb) {
    requirePositive(cornerHz, "cornerHz");
    requireFinite(gainDb, "gainDb");
    return f -> gainDb / (1.0 + (f / cornerHz) * (f / cornerHz));
  }

  /**
   * A straight line in dB over log-frequency: {@code dbPerOct * log2(f / pivotHz)}. A power
   * spectrum {@code ∝ f^-beta} is {@code tilt(-10 log10(2) beta, pivot)}.
   *
   * @param dbPerOct slope in dB per octave
   * @param pivotHz frequency of 0 dB, positive
   * @return the curve
   */
  static ResponseCurve tilt(double dbPerOct, double pivotHz) {
    requireFinite(dbPerOct, "dbPerOct");
    requirePositive(pivotHz, "pivotHz");
    return f -> dbPerOct * log2(f / pivotHz);
  }

  /**
   * The tilt of a power spectrum proportional to {@code f^-exponent}, 0 dB at 1 kHz (0 = white,
   * 1 = pink, 2 = brown).
   *
   * @param exponent power-law exponent, finite
   * @return the curve
   */
  static ResponseCurve powerLaw(double exponent) {
    requireFinite(exponent, "exponent");
    return tilt(-10.0 * StrictMath.log10(2.0) * exponent, 1000.0);
  }

  /** log2 via {@link StrictMath}. */
  private static double log2(double x) {
    return StrictMath.log(x) / StrictMath.log(2.0);
  }

  private static void requirePositive(double v, String name) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be positive and finite, got " + v);
    }
  }

  private static void requireFinite(double v, String name) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be finite, got " + v);
    }
  }
}
