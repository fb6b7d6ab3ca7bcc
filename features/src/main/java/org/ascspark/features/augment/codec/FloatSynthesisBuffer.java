package org.ascspark.features.augment.codec;

import java.util.Arrays;
import javazoom.jl.decoder.Obuffer;

/**
 * A JLayer output buffer that keeps the synthesis filterbank's float output of channel 0 instead
 * of clipping it to 16-bit integers (what JLayer's own {@code SampleBuffer} does).
 *
 * <p>JLayer's {@code Decoder} builds its synthesis filters with a scale factor of 32700 (not
 * 32768), so a full-scale sample arrives as 32700; {@link #samples()} divides by
 * {@link #JLAYER_SCALE} to give unity gain. Samples of other channels are ignored (the encoder is
 * run in mono mode, so there are none). Not thread-safe: one instance per decode.
 */
final class FloatSynthesisBuffer extends Obuffer {

  /** The scale factor JLayer's {@code Decoder.initialize} passes to its synthesis filters. */
  static final float JLAYER_SCALE = 32700.0f;

  private float[] data = new float[1 << 16];
  private int size;

  /** Called by JLayer's synthesis filter with 32 new samples of one channel. */
  @Override
  public void appendSamples(int channel, float[] f) {
    if (channel != 0) {
      return;
    }
    if (size + f.length > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, size + f.length));
    }
    for (int i = 0; i < f.length; i++) {
      data[size + i] = f[i] / JLAYER_SCALE;
    }
    size += f.length;
  }

  /** Single-sample path of {@link Obuffer}; JLayer's synthesis filter does not use it. */
  @Override
  public void append(int channel, short value) {
    appendSamples(channel, new float[] {value * (JLAYER_SCALE / 32768.0f)});
  }

  @Override
  public void write_buffer(int val) {
    // Samples are kept as they arrive; nothing to flush per frame.
  }

  @Override
  public void close() {
    // Nothing to release.
  }

  @Override
  public void clear_buffer() {
    // Called by JLayer before each frame; samples accumulate over the whole stream, so no-op.
  }

  @Override
  public void set_stop_flag() {
    // Not used by the decoder.
  }

  /** @return the decoded samples so far, full scale, as a new array */
  float[] samples() {
    return Arrays.copyOf(data, size);
  }
}
