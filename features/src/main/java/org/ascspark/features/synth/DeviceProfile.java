package org.ascspark.features.synth;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A simulated recording device: a deterministic transform from the sound at the microphone (the
 * output of {@link SceneRecipes#render}) to the recorded signal.
 *
 * <p>Processing chain, in order: (1) the frequency response {@code eq} plus the frequency-
 * independent {@code gainDb}, applied with zero phase in the frequency domain
 * ({@link SpectralFilter#filter}: no group delay, so recordings stay time-aligned with device A);
 * (2) a fixed delay of {@code delayMs} (rounded to whole samples; the first samples become 0 and
 * the last ones drop out, the length is kept); (3) additive self-noise: stationary noise with power
 * {@code ∝ f^-noiseExponent} at an RMS of {@code noiseDbfs}; (4) for clipping devices
 * ({@code softClipKnee > 0}) a soft clipper that is linear up to the knee and saturates smoothly
 * towards full scale ({@code t + (1 - t) tanh((|x| - t) / (1 - t))}); for the others, if the result
 * would exceed {@link #MAX_PEAK} it is scaled down linearly (an automatic gain control, never
 * clipping). Only the noise is random, from the stream given to {@link #record}.
 *
 * <p>The configured response of the device is {@link #responseDb}: {@code eq(f) + gainDb}.
 *
 * @param name device label as in TAU's {@code source_label}: {@code a}, {@code b}, ..., {@code s6}
 * @param group TAU role of the device
 * @param description what the device imitates
 * @param eq frequency response, 0 dB = unchanged
 * @param gainDb broadband gain in dB
 * @param noiseDbfs RMS of the self-noise in dBFS
 * @param noiseExponent power-law exponent of the self-noise spectrum (0 white, 1 pink, 2 brown)
 * @param softClipKnee knee of the soft clipper as a linear amplitude in (0, 1), or 0 for none
 * @param delayMs fixed delay in milliseconds, in [0, 1]
 */
public record DeviceProfile(
    String name, DeviceGroup group, String description, ResponseCurve eq, double gainDb,
    double noiseDbfs, double noiseExponent, double softClipKnee, double delayMs) {

  /** Largest peak a non-clipping device outputs; above it the recording is scaled down. */
  public static final double MAX_PEAK = 0.98;

  /** Validates the fields. */
  public DeviceProfile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(eq, "eq");
    if (!Double.isFinite(gainDb) || !Double.isFinite(noiseDbfs)
        || !Double.isFinite(noiseExponent)) {
      throw new IllegalArgumentException("gainDb, noiseDbfs and noiseExponent must be finite");
    }
    if (!(softClipKnee == 0 || (softClipKnee > 0 && softClipKnee < 1))) {
      throw new IllegalArgumentException(
          "softClipKnee must be 0 or in (0, 1), got " + softClipKnee);
    }
    if (!(delayMs >= 0 && delayMs <= 1)) {
      throw new IllegalArgumentException("delayMs must be in [0, 1], got " + delayMs);
    }
  }

  /**
   * The configured magnitude response of the linear part of the device.
   *
   * @param freqHz frequency in Hz, positive
   * @return {@code eq(freqHz) + gainDb}, in dB
   */
  public double responseDb(double freqHz) {
    return eq.gainDb(freqHz) + gainDb;
  }

  /**
   * @param sampleRateHz sample rate in Hz
   * @return the delay in whole samples
   */
  public int delaySamples(int sampleRateHz) {
    return (int) Math.round(delayMs * sampleRateHz / 1000.0);
  }

  /**
   * Records a source through this device.
   *
   * @param source sound at the microphone [n], full scale 1.0 (not modified)
   * @param sampleRateHz sample rate in Hz, positive
   * @param rng stream for the self-noise (advanced); derive it from the file identity
   * @return the recording [n], full scale 1.0, peak below 1
   */
  public float[] record(float[] source, int sampleRateHz, SplittableRandom rng) {
    int n = source.length;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = source[i];
    }
    double[] y = SpectralFilter.filter(x, sampleRateHz, eq.plus(ResponseCurve.constant(gainDb)));
    int d = delaySamples(sampleRateHz);
    double[] noise = SpectralFilter.colouredNoise(n, sampleRateHz,
        ResponseCurve.powerLaw(noiseExponent).plus(ResponseCurve.lowCut(20, 1)), rng);
    double noiseGain = Levels.dbToGain(noiseDbfs);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double s = i >= d ? y[i - d] : 0.0;
      out[i] = s + noiseGain * noise[i];
    }
    if (softClipKnee > 0) {
      for (int i = 0; i < n; i++) {
        out[i] = softClip(out[i], softClipKnee);
      }
    } else {
      double peak = Levels.peak(out);
      if (peak > MAX_PEAK) {
        out = Levels.scaled(out, MAX_PEAK / peak);
      }
    }
    float[] rec = new float[n];
    for (int i = 0; i < n; i++) {
      rec[i] = (float) out[i];
    }
    return rec;
  }

  /**
   * The soft clipper: identity up to the knee, then {@code t + (1 - t) tanh((|x| - t) / (1 - t))}
   * with the sign of x; continuous with slope 1 at the knee, approaching 1 in magnitude.
   *
   * @param x sample
   * @param knee knee amplitude in (0, 1)
   * @return the clipped sample, magnitude below 1
   */
  public static double softClip(double x, double knee) {
    double a = Math.abs(x);
    if (a <= knee) {
      return x;
    }
    double y = knee + (1.0 - knee) * StrictMath.tanh((a - knee) / (1.0 - knee));
    return Math.copySign(Math.min(y, 0.999999), x);
  }
}
