package org.ascspark.training.data;

import java.io.Serializable;

/**
 * One normalised feature row ready for a network: a (clip, variant, segment) with its label.
 *
 * @param clipId clip id
 * @param filename the clip's file name as listed by the dataset (for the submission file)
 * @param device recording device
 * @param label class index in the run's class list, or -1 when the row has no (known) label
 * @param variant 0 = original, k = k-th augmentation chain
 * @param segment segment index within the clip
 * @param channels channels
 * @param bins bins per channel
 * @param frames frames
 * @param values normalised features [channels][bins][frames], flattened in that order
 * @param targets what a student is distilled towards for this row, or null (no teacher outputs)
 */
public record Example(String clipId, String filename, String device, int label, int variant,
    int segment, int channels, int bins, int frames, float[] values, Targets targets)
    implements Serializable {

  /**
   * A teacher's outputs for one row.
   *
   * @param soft soft label over the run's classes (sums to 1)
   * @param embedding the teacher's embedding vector, or null when none is used
   */
  public record Targets(float[] soft, float[] embedding) implements Serializable {}

  /** A row without teacher outputs. */
  public Example(String clipId, String filename, String device, int label, int variant,
      int segment, int channels, int bins, int frames, float[] values) {
    this(clipId, filename, device, label, variant, segment, channels, bins, frames, values, null);
  }

  /**
   * @param t the row's teacher outputs, or null
   * @return this row with those outputs
   */
  public Example withTargets(Targets t) {
    return new Example(clipId, filename, device, label, variant, segment, channels, bins, frames,
        values, t);
  }

  /** @return a key unique per row, used to derive the row's random streams */
  public String key() {
    return clipId + "/" + variant + "/" + segment;
  }

  /**
   * Copies frames [start, start + length) of every (channel, bin) into {@code out} at {@code offset};
   * frames past the end of the row are zero (the normalised mean).
   *
   * @param start first frame, at least 0
   * @param length frames to copy, at least 1
   * @param out destination laid out [channels][bins][length]
   * @param offset where this row starts in {@code out}
   */
  public void cropInto(int start, int length, float[] out, int offset) {
    int available = Math.max(0, Math.min(length, frames - start));
    int rows = channels * bins;
    for (int r = 0; r < rows; r++) {
      System.arraycopy(values, r * frames + start, out, offset + r * length, available);
    }
  }
}
