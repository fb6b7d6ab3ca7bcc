package org.ascspark.features.spectral;

import java.io.Serializable;

/**
 * A front end: mono samples at a fixed sample rate to a feature array. Implementations are
 * immutable, thread-safe and serializable (they travel to Spark executors); filterbanks and windows
 * are built once in the constructor.
 */
public interface FeatureExtractor extends Serializable {

  /** @return short name of the feature, e.g. {@code logmel}, {@code gammatone}, {@code cqt} */
  String name();

  /** @return sample rate in Hz the extractor was built for */
  int sampleRateHz();

  /** @return number of output channels (1, or 3 with deltas stacked as channels) */
  int channels();

  /** @return number of frequency bins per channel (tripled with deltas stacked along frequency) */
  int bins();

  /**
   * @param numSamples signal length in samples
   * @return number of frames {@link #extract} returns for that length (0 when too short)
   */
  int frames(int numSamples);

  /**
   * @param samples mono samples at {@link #sampleRateHz()}, not modified
   * @return features [channels][bins][frames], a new array
   * @throws IllegalArgumentException when the signal is shorter than one frame
   */
  float[][][] extract(float[] samples);
}
