package org.ascspark.features.augment;

import java.io.Serializable;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A device augmentation on an STFT spectrum, applied before the mel (or gammatone) filterbank, e.g.
 * Clova's random FFT-bin scaling. Same contract as {@link WaveformAugmentation}: pure, immutable,
 * seeded by the caller per record, inputs never modified.
 */
public interface SpectrumAugmentation extends Serializable {

  /** @return short name used in configs and in the {@code augmentation} column */
  String name();

  /**
   * @param spectrum power or magnitude spectrum [frames][nFft / 2 + 1], not modified
   * @param sampleRateHz sample rate of the analysed signal
   * @param nFft FFT length of the spectrum
   * @param power whether the spectrum is power (|X|^2) rather than magnitude
   * @param rng the record's random stream
   * @return the new spectrum and the parameters drawn
   */
  Applied apply(float[][] spectrum, int sampleRateHz, int nFft, boolean power, SplittableRandom rng);

  /**
   * Result of one application.
   *
   * @param spectrum new spectrum [frames][bins] (a new array)
   * @param params parameters drawn, JSON-friendly
   */
  record Applied(float[][] spectrum, Map<String, Object> params) {}
}
