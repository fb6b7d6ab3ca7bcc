package org.ascspark.features.spectral;

import java.io.Serializable;

/**
 * Deltas and stacking. Deltas are local slopes along time computed as librosa.feature.delta
 * (Savitzky-Golay derivative of window {@code width}, polynomial order = delta order, edges
 * {@code mode='interp'}: the polynomial fitted to the first/last window is evaluated there).
 * Delta-deltas are the second-order Savitzky-Golay derivative of the static features (as librosa's
 * {@code order=2}), not the delta of the delta.
 *
 * @param order 0 = static only, 1 = static + delta, 2 = static + delta + delta-delta
 * @param width window in frames, odd, at least 3
 * @param stacking how static and delta features are combined
 */
public record DeltaParams(int order, int width, Stacking stacking) implements Serializable {

  /** Combination of static and delta features (Clova's two options). */
  public enum Stacking {
    /** As channels: [order + 1][bins][frames]. */
    CHANNELS,
    /** Along frequency: [1][(order + 1) * bins][frames], static bins first. */
    FREQUENCY
  }

  /** No deltas. */
  public static final DeltaParams NONE = new DeltaParams(0, 9, Stacking.CHANNELS);

  /** @return output channels: order + 1 when stacked as channels, else 1 */
  public int channels() {
    return stacking == Stacking.CHANNELS ? order + 1 : 1;
  }

  /**
   * @param staticBins bins of the static features
   * @return bins per output channel: staticBins, or (order + 1) * staticBins stacked along frequency
   */
  public int bins(int staticBins) {
    return stacking == Stacking.CHANNELS ? staticBins : (order + 1) * staticBins;
  }

  /**
   * @param staticFrames frames of the static features
   * @return the frames an extractor can return: 0 when deltas need more frames than there are
   */
  public int usableFrames(int staticFrames) {
    return order > 0 && staticFrames < width ? 0 : staticFrames;
  }

  /**
   * @param numSamples signal length, for the message
   * @param staticFrames frames of the static features
   * @throws IllegalArgumentException when deltas need more frames than the signal gives
   */
  public void requireFrames(int numSamples, int staticFrames) {
    if (order > 0 && staticFrames > 0 && staticFrames < width) {
      throw new IllegalArgumentException("signal of " + numSamples + " samples gives " + staticFrames
          + " frames; needs at least " + width + " frames for delta-width " + width);
    }
  }

  /** Validates; messages name the config key. */
  public DeltaParams {
    if (stacking == null) {
      throw new IllegalArgumentException("stacking is required");
    }
    if (order < 0 || order > 2) {
      throw new IllegalArgumentException("order must be 0, 1 or 2, got " + order);
    }
    if (width < 3 || width % 2 == 0) {
      throw new IllegalArgumentException("width must be odd and at least 3, got " + width);
    }
  }
}
