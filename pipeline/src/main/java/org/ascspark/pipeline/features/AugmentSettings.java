package org.ascspark.pipeline.features;

import java.io.Serializable;
import java.util.List;
import org.ascspark.features.augment.DeviceResponses;

/**
 * The augmentation part of the feature job's settings ({@code features.augment}).
 *
 * @param chains chains for training clips (empty = originals only); chain k - 1 makes variant k
 * @param seed global seed of the augmentation streams
 * @param correct map every clip of a device with an estimated response to the reference response
 * @param referenceDevice device the others are aligned with
 * @param maxPairsPerDevice aligned pairs per device used to estimate responses, 0 = all
 * @param responses estimated device responses, or null until {@link Features} estimates them
 */
public record AugmentSettings(List<AugmentationChain> chains, long seed, boolean correct,
    String referenceDevice, int maxPairsPerDevice, DeviceResponses responses)
    implements Serializable {

  /** No augmentation. */
  public static final AugmentSettings NONE = new AugmentSettings(List.of(), 0, false, "a", 0, null);

  /** Copies the chain list. */
  public AugmentSettings {
    chains = List.copyOf(chains);
  }

  /** @return whether device responses must be estimated before extraction */
  public boolean needsResponses() {
    return correct || chains.stream().anyMatch(c -> c.spectrum() instanceof PendingSpectrumCorrection);
  }

  /**
   * @param estimated the device responses
   * @return these settings with the responses, and speccorr steps made real
   */
  public AugmentSettings withResponses(DeviceResponses estimated) {
    List<AugmentationChain> resolved = chains.stream().map(c ->
        c.spectrum() instanceof PendingSpectrumCorrection p
            ? new AugmentationChain(c.name(), c.steps(), p.resolve(estimated))
            : c).toList();
    return new AugmentSettings(resolved, seed, correct, referenceDevice, maxPairsPerDevice, estimated);
  }
}
