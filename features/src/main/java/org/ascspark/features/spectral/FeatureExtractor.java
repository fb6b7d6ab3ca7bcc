package org.ascspark.features.spectral;

import java.io.Serializable;
import java.util.function.UnaryOperator;

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

  /**
   * @return the STFT settings when the front end starts from an STFT (log-mel, gammatone), so a
   *     spectrum augmentation can be applied; null otherwise (constant-Q)
   */
  default StftParams stftParams() {
    return null;
  }

  /**
   * Extracts with a transform of the STFT spectrum applied before the filterbank, e.g. a device
   * augmentation such as random FFT-bin scaling.
   *
   * @param samples mono samples at {@link #sampleRateHz()}, not modified
   * @param spectrumTransform maps the spectrum [frames][nFft / 2 + 1] (power or magnitude per
   *     {@link StftParams#power()}) to a new one of the same shape; null = plain {@link #extract}
   * @return features [channels][bins][frames]
   * @throws UnsupportedOperationException when the front end has no STFT ({@link #stftParams()}
   *     is null)
   */
  default float[][][] extract(float[] samples, UnaryOperator<float[][]> spectrumTransform) {
    if (spectrumTransform == null) {
      return extract(samples);
    }
    throw new UnsupportedOperationException(
        "the " + name() + " front end has no STFT spectrum to transform");
  }
}
