package org.ascspark.features.spectral;

import java.util.Objects;

/**
 * A front end whose output is a static representation [bins][frames] with optional deltas stacked
 * by {@link DeltaParams}: the shape rules ({@link #channels}, {@link #bins}, {@link #frames}) follow
 * from the static bin count and frame count that each front end states.
 */
public abstract class StackedExtractor implements FeatureExtractor {
  private static final long serialVersionUID = 1L;

  private final String name;
  /** Sample rate of the input in Hz. */
  protected final int sampleRateHz;
  /** Deltas and their stacking. */
  protected final DeltaParams deltas;

  /**
   * @param name front-end name, e.g. {@code logmel}
   * @param sampleRateHz sample rate of the input in Hz
   * @param deltas deltas and stacking ({@link DeltaParams#NONE} for none)
   */
  protected StackedExtractor(String name, int sampleRateHz, DeltaParams deltas) {
    this.name = Objects.requireNonNull(name, "name");
    this.deltas = Objects.requireNonNull(deltas, "delta settings are required");
    this.sampleRateHz = sampleRateHz;
  }

  /** @return bins of the static representation (one channel, no deltas) */
  protected abstract int staticBins();

  /**
   * @param numSamples signal length in samples
   * @return frames of the static representation (0 when too short)
   */
  protected abstract int staticFrames(int numSamples);

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int sampleRateHz() {
    return sampleRateHz;
  }

  @Override
  public final int channels() {
    return deltas.channels();
  }

  @Override
  public final int bins() {
    return deltas.bins(staticBins());
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@link #staticFrames}, or 0 when that is below the delta width (with deltas).
   */
  @Override
  public final int frames(int numSamples) {
    return deltas.usableFrames(staticFrames(numSamples));
  }
}
