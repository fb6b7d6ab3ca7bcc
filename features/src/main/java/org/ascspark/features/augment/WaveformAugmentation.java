package org.ascspark.features.augment;

import java.io.Serializable;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A device augmentation on the waveform (SPEC.md section 3): a pure function of the samples, its
 * configured parameters (fixed at construction, validated there) and a random stream that the
 * caller seeds per (global seed, clip, variant) with {@link org.ascspark.features.RecordSeeds}.
 * Implementations are immutable, thread-safe and serializable; inputs are never modified.
 */
public interface WaveformAugmentation extends Serializable {

  /** @return short name used in configs and in the {@code augmentation} column, e.g. {@code tempo} */
  String name();

  /**
   * @param samples mono samples, full scale, not modified
   * @param sampleRateHz their sample rate
   * @param rng the record's random stream (draws advance it)
   * @return the new samples and the parameters actually drawn (JSON-friendly: numbers, strings,
   *     lists), recorded with the variant
   */
  Applied apply(float[] samples, int sampleRateHz, SplittableRandom rng);

  /**
   * Result of one application.
   *
   * @param samples new samples (a new array)
   * @param params parameters drawn for this application, e.g. {@code {"factor": 0.85}}
   */
  record Applied(float[] samples, Map<String, Object> params) {}
}
