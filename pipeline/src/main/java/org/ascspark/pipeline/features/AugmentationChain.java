package org.ascspark.pipeline.features;

import java.io.Serializable;
import java.util.List;
import org.ascspark.features.augment.SpectrumAugmentation;
import org.ascspark.features.augment.WaveformAugmentation;

/**
 * One configured augmentation chain ({@code features.augment.chains} entry): waveform steps applied
 * in order, and at most one spectrum step applied to the STFT before the filterbank.
 *
 * @param name the chain as written in the {@code augmentation} column, e.g. {@code mp3+tempo}
 * @param steps waveform augmentations, in order
 * @param spectrum spectrum augmentation, or null
 */
public record AugmentationChain(String name, List<WaveformAugmentation> steps,
    SpectrumAugmentation spectrum) implements Serializable {

  /** Copies the step list. */
  public AugmentationChain {
    steps = List.copyOf(steps);
  }
}
