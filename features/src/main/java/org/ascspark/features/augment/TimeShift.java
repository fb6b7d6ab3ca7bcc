package org.ascspark.features.augment;

import java.util.SplittableRandom;

/**
 * Random time roll and random time crop for training time, on features [channels][bins][frames]
 * (Clova crops every training clip to a fixed duration; a circular roll is a common companion).
 *
 * <p>Conventions:
 *
 * <ul>
 *   <li>Roll: {@code out[c][b][t] = in[c][b][(t - shift) mod T]} (numpy {@code roll} along the
 *       last axis): a positive shift moves content later, frames leaving the end re-enter at the
 *       start. Random roll draws the shift uniformly from the integers [-maxShiftFrames,
 *       maxShiftFrames] (one {@link SplittableRandom#nextLong(long, long)}).
 *   <li>Crop to L frames: {@code out[c][b][t] = in[c][b][start + t]}, t = 0..L-1. When the input
 *       has T >= L frames, start is uniform in [0, T - L], so the crop is always inside the
 *       input. When T &lt; L the input is padded: start is uniform in [T - L, 0] (negative: the
 *       input begins at output frame -start) and output frames that fall outside the input are
 *       filled per {@link PadMode}: {@link PadMode#WRAP} (the default) repeats the input
 *       circularly, {@code in[(start + t) mod T]}, which keeps the level and spectral content
 *       whatever the normalisation; {@link PadMode#ZERO} writes 0 (the mean of normalised
 *       features; note that in unnormalised log features 0 is not silence). One {@link
 *       SplittableRandom#nextInt(int)} is drawn per random crop, also when T = L.
 *   <li>The same shift or crop applies to every channel and bin.
 * </ul>
 *
 * <p>Pure static functions; inputs are never modified, outputs are new arrays.
 */
public final class TimeShift {

  /** How {@link #crop} fills frames outside a too-short input. */
  public enum PadMode {
    /** Repeat the input circularly. */
    WRAP,
    /** Zeros. */
    ZERO
  }

  /**
   * A rolled feature map.
   *
   * @param features rolled features [channels][bins][frames], new
   * @param shiftFrames the shift applied, in frames (positive: later)
   */
  public record Shifted(float[][][] features, int shiftFrames) {}

  /**
   * A cropped feature map.
   *
   * @param features cropped features [channels][bins][frames requested], new
   * @param startFrame input frame at output frame 0; negative when the input was padded
   */
  public record Cropped(float[][][] features, int startFrame) {}

  private TimeShift() {}

  /**
   * Circular roll along time.
   *
   * @param features [channels][bins][frames], rectangular, not modified
   * @param shiftFrames shift in frames, any value (taken modulo the number of frames)
   * @return rolled features [channels][bins][frames], new
   */
  public static float[][][] roll(float[][][] features, int shiftFrames) {
    int frames = frames(features);
    int s = frames == 0 ? 0 : Math.floorMod(shiftFrames, frames);
    float[][][] out = new float[features.length][][];
    for (int c = 0; c < features.length; c++) {
      out[c] = new float[features[c].length][];
      for (int b = 0; b < features[c].length; b++) {
        float[] in = features[c][b];
        float[] row = new float[frames];
        // out[t] = in[t - s] for t >= s; out[t] = in[t - s + frames] for t < s
        System.arraycopy(in, 0, row, s, frames - s);
        System.arraycopy(in, frames - s, row, 0, s);
        out[c][b] = row;
      }
    }
    return out;
  }

  /**
   * Circular roll by a random shift.
   *
   * @param features [channels][bins][frames], rectangular, not modified
   * @param maxShiftFrames largest |shift| in frames, at least 0 (0 gives a copy)
   * @param rng the record's random stream; one long is drawn
   * @return rolled features (new) and the shift drawn, uniform in [-maxShiftFrames,
   *     maxShiftFrames]
   * @throws IllegalArgumentException naming {@code max-shift-frames} when it is negative
   */
  public static Shifted randomRoll(float[][][] features, int maxShiftFrames,
      SplittableRandom rng) {
    if (maxShiftFrames < 0) {
      throw new IllegalArgumentException(
          "max-shift-frames must be at least 0, got " + maxShiftFrames);
    }
    frames(features);
    int shift = (int) rng.nextLong(-(long) maxShiftFrames, maxShiftFrames + 1L);
    return new Shifted(roll(features, shift), shift);
  }

  /**
   * Random crop to a fixed number of frames, padding a too-short input by wrapping it ({@link
   * PadMode#WRAP}).
   *
   * @param features [channels][bins][frames], rectangular, at least one frame, not modified
   * @param frames requested number of frames, at least 1
   * @param rng the record's random stream; one int is drawn
   * @return cropped features [channels][bins][frames] (new) and the start frame drawn
   * @throws IllegalArgumentException naming {@code frames} when it is not positive, or if the
   *     input has no frames
   */
  public static Cropped crop(float[][][] features, int frames, SplittableRandom rng) {
    return crop(features, frames, PadMode.WRAP, rng);
  }

  /**
   * Random crop to a fixed number of frames.
   *
   * @param features [channels][bins][frames], rectangular, at least one frame, not modified
   * @param frames requested number of frames L, at least 1
   * @param pad how to fill frames outside a too-short input
   * @param rng the record's random stream; one int is drawn
   * @return cropped features [channels][bins][L] (new) and the start frame drawn: uniform in
   *     [0, T - L] when the input has T >= L frames, in [T - L, 0] otherwise
   * @throws IllegalArgumentException naming {@code frames} when it is not positive, or if the
   *     input has no frames
   */
  public static Cropped crop(float[][][] features, int frames, PadMode pad,
      SplittableRandom rng) {
    int available = requireCroppable(features, frames, pad);
    int span = Math.abs(available - frames);
    int offset = rng.nextInt(span + 1);
    int start = available >= frames ? offset : -offset;
    return new Cropped(cropAt(features, start, frames, pad), start);
  }

  /**
   * Crop at a given start (deterministic; e.g. for test-time segments).
   *
   * @param features [channels][bins][frames], rectangular, at least one frame, not modified
   * @param startFrame input frame that becomes output frame 0, any value
   * @param frames requested number of frames, at least 1
   * @param pad how to fill output frames outside the input
   * @return features [channels][bins][frames], new
   * @throws IllegalArgumentException naming {@code frames} when it is not positive, or if the
   *     input has no frames
   */
  public static float[][][] cropAt(float[][][] features, int startFrame, int frames,
      PadMode pad) {
    int available = requireCroppable(features, frames, pad);
    float[][][] out = new float[features.length][][];
    for (int c = 0; c < features.length; c++) {
      out[c] = new float[features[c].length][];
      for (int b = 0; b < features[c].length; b++) {
        float[] in = features[c][b];
        float[] row = new float[frames];
        for (int t = 0; t < frames; t++) {
          long src = (long) startFrame + t;
          if (src >= 0 && src < available) {
            row[t] = in[(int) src];
          } else if (pad == PadMode.WRAP) {
            row[t] = in[(int) Math.floorMod(src, (long) available)];
          }
        }
        out[c][b] = row;
      }
    }
    return out;
  }

  private static int requireCroppable(float[][][] features, int frames, PadMode pad) {
    if (frames < 1) {
      throw new IllegalArgumentException("frames must be at least 1, got " + frames);
    }
    if (pad == null) {
      throw new IllegalArgumentException("pad mode is required (wrap or zero)");
    }
    int available = frames(features);
    if (available == 0) {
      throw new IllegalArgumentException("cannot crop features with no frames");
    }
    return available;
  }

  /** @return the number of frames, after checking the array is rectangular */
  private static int frames(float[][][] features) {
    if (features == null) {
      throw new IllegalArgumentException("features are required");
    }
    int frames = -1;
    for (int c = 0; c < features.length; c++) {
      for (int b = 0; b < features[c].length; b++) {
        int n = features[c][b].length;
        if (frames < 0) {
          frames = n;
        } else if (n != frames) {
          throw new IllegalArgumentException("features [" + c + "][" + b + "] has " + n
              + " frames, expected " + frames);
        }
      }
    }
    return Math.max(frames, 0);
  }
}
