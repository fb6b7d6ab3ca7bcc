package org.ascspark.pipeline.features;

import java.util.List;
import java.util.SplittableRandom;
import org.ascspark.features.augment.DeviceResponses;
import org.ascspark.features.augment.SpectrumAugmentation;
import org.ascspark.features.augment.SpectrumCorrection;
import org.ascspark.pipeline.config.InvalidConfigException;

/**
 * A configured {@code speccorr} step whose device responses are not estimated yet: the feature job
 * estimates them from aligned pairs with Spark ({@link DeviceResponseEstimation}) and replaces this
 * with a {@link SpectrumCorrection} before any extraction.
 *
 * @param devices devices whose responses the variants impose
 */
record PendingSpectrumCorrection(List<String> devices) implements SpectrumAugmentation {

  @Override
  public String name() {
    return "speccorr";
  }

  @Override
  public Applied apply(float[][] spectrum, int sampleRateHz, int nFft, boolean power,
      SplittableRandom rng) {
    throw new IllegalStateException("speccorr used before the device responses were estimated");
  }

  /** @return the real augmentation over the estimated responses */
  SpectrumCorrection resolve(DeviceResponses responses) {
    for (String d : devices) {
      if (!responses.devices().contains(d)) {
        throw new InvalidConfigException("features.augment.speccorr.devices", "device '" + d
            + "' has no aligned pairs with reference '" + responses.referenceDevice()
            + "' in the training split (devices with pairs: " + responses.devices() + ")");
      }
    }
    try {
      return new SpectrumCorrection(responses, devices);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("features.augment.speccorr.devices", e.getMessage());
    }
  }
}
