package org.ascspark.features.synth;

/**
 * Level arithmetic for the synthesiser: RMS and peak measurements, dB conversions and scaling.
 *
 * <p>Conventions: levels in dBFS are relative to a full-scale amplitude of 1.0, so a full-scale
 * sine has an RMS of -3.01 dBFS. Scaling returns new arrays and never writes into its input.
 */
public final class Levels {

  private Levels() {}

  /**
   * @param gainDb gain in dB
   * @return the linear amplitude factor {@code 10^(gainDb/20)}
   */
  public static double dbToGain(double gainDb) {
    return StrictMath.pow(10.0, gainDb / 20.0);
  }

  /**
   * @param amplitude linear amplitude, non-negative
   * @return {@code 20 log10(amplitude)}, {@code -Infinity} for 0
   */
  public static double gainToDb(double amplitude) {
    return 20.0 * StrictMath.log10(amplitude);
  }

  /**
   * @param x samples
   * @return root mean square, 0 for an empty array
   */
  public static double rms(double[] x) {
    if (x.length == 0) {
      return 0;
    }
    double s = 0;
    for (double v : x) {
      s += v * v;
    }
    return Math.sqrt(s / x.length);
  }

  /**
   * @param x samples
   * @return root mean square, 0 for an empty array
   */
  public static double rms(float[] x) {
    if (x.length == 0) {
      return 0;
    }
    double s = 0;
    for (float v : x) {
      s += (double) v * v;
    }
    return Math.sqrt(s / x.length);
  }

  /**
   * @param x samples, full scale 1.0
   * @return RMS in dBFS
   */
  public static double rmsDbfs(float[] x) {
    return gainToDb(rms(x));
  }

  /**
   * @param x samples
   * @return the largest absolute sample value, 0 for an empty array
   */
  public static double peak(double[] x) {
    double p = 0;
    for (double v : x) {
      p = Math.max(p, Math.abs(v));
    }
    return p;
  }

  /**
   * @param x samples
   * @return the largest absolute sample value, 0 for an empty array
   */
  public static double peak(float[] x) {
    double p = 0;
    for (float v : x) {
      p = Math.max(p, Math.abs(v));
    }
    return p;
  }

  /**
   * @param x samples
   * @param gain linear factor
   * @return a new array {@code gain * x}
   */
  public static double[] scaled(double[] x, double gain) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = gain * x[i];
    }
    return y;
  }

  /**
   * @param x samples
   * @param targetRms the RMS of the result, non-negative
   * @return a new array scaled to {@code targetRms}; all zeros if {@code x} is silent
   */
  public static double[] withRms(double[] x, double targetRms) {
    double r = rms(x);
    return r > 0 ? scaled(x, targetRms / r) : new double[x.length];
  }
}
