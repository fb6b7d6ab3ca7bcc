package org.ascspark.features.augment;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * SpecAugment time and frequency masking (Park et al. 2019, without time warping) for training
 * time, on features [channels][bins][frames] (e.g. log-mel [1][nMels][frames] or with deltas as
 * channels). valeo's DCASE 2021 system uses two time masks of at most 128 frames and two
 * frequency masks of at most ΔF = 16 or 32 bands; the same masks also serve test-time
 * augmentation there.
 *
 * <p>Conventions:
 *
 * <ul>
 *   <li>Draw order: the {@code numTimeMasks} time masks first, then the {@code numFreqMasks}
 *       frequency masks; for each mask the width w is drawn uniformly from the integers
 *       [0, min(maxWidth, axis length)] (both ends included), then the start uniformly from
 *       [0, axis length - w], so a mask never leaves the array. Two draws of {@link
 *       SplittableRandom#nextInt(int)} per mask, whatever the content of the features.
 *   <li>A mask covers [start, start + width) along its axis (frames for time, bins for frequency)
 *       and all of the other axis. Masks may overlap (as in SpecAugment); a zero-width mask
 *       changes nothing.
 *   <li>The same masks apply to every channel (so deltas and statics stay aligned).
 *   <li>Mask value: {@link MaskValue#ZERO} (torchaudio's default and valeo's choice, on
 *       normalised features where 0 is the mean) or {@link MaskValue#MEAN}, the mean of that
 *       channel's whole input map [bins][frames] computed before masking (a "neutral" value for
 *       unnormalised log features).
 * </ul>
 *
 * <p>Zero masks, or zero maximum widths, return a copy equal to the input. Inputs are never
 * modified; outputs are new arrays. Immutable, thread-safe and serializable.
 */
public final class SpecAugment implements Serializable {

  private static final long serialVersionUID = 1L;

  /** What masked cells are set to. */
  public enum MaskValue {
    /** 0 (for normalised features: the mean). */
    ZERO,
    /** The mean of the channel's whole input map, computed in double before masking. */
    MEAN
  }

  /**
   * One mask along one axis.
   *
   * @param start first masked index (frame or bin), at least 0
   * @param width number of masked indices, at least 0
   */
  public record Mask(int start, int width) implements Serializable {

    /** Validates. */
    public Mask {
      if (start < 0 || width < 0) {
        throw new IllegalArgumentException(
            "mask start and width must be non-negative, got " + start + ", " + width);
      }
    }

    /** @return one past the last masked index, start + width */
    public int end() {
      return start + width;
    }

    /**
     * @param i index along the mask's axis
     * @return whether the mask covers it
     */
    public boolean covers(int i) {
      return i >= start && i < start + width;
    }
  }

  /**
   * The masks drawn for one application.
   *
   * @param time time masks (indices are frames), in draw order
   * @param freq frequency masks (indices are bins), in draw order
   */
  public record Masks(List<Mask> time, List<Mask> freq) implements Serializable {

    /** Copies the lists (unmodifiable). */
    public Masks {
      time = List.copyOf(time);
      freq = List.copyOf(freq);
    }

    /**
     * @param frames number of frames
     * @return per frame, whether any time mask covers it [frames]
     */
    public boolean[] maskedFrames(int frames) {
      return union(time, frames);
    }

    /**
     * @param bins number of bins
     * @return per bin, whether any frequency mask covers it [bins]
     */
    public boolean[] maskedBins(int bins) {
      return union(freq, bins);
    }

    private static boolean[] union(List<Mask> masks, int n) {
      boolean[] out = new boolean[n];
      for (Mask m : masks) {
        for (int i = m.start(); i < Math.min(m.end(), n); i++) {
          out[i] = true;
        }
      }
      return out;
    }
  }

  /**
   * Result of one application.
   *
   * @param features masked features [channels][bins][frames], a new array
   * @param masks the masks drawn
   */
  public record Applied(float[][][] features, Masks masks) {}

  private final int numTimeMasks;
  private final int maxTimeWidth;
  private final int numFreqMasks;
  private final int maxFreqWidth;
  private final MaskValue maskValue;

  /**
   * Builds and validates the masking settings.
   *
   * @param numTimeMasks number of time masks, at least 0 (valeo: 2)
   * @param maxTimeWidth largest time-mask width in frames, at least 0 (valeo: 128)
   * @param numFreqMasks number of frequency masks, at least 0 (valeo: 2)
   * @param maxFreqWidth largest frequency-mask width in bins, at least 0 (valeo: 16 or 32)
   * @param maskValue what masked cells are set to
   * @throws IllegalArgumentException naming {@code time-masks}, {@code max-time-width}, {@code
   *     freq-masks}, {@code max-freq-width} or {@code mask-value} and the value
   */
  public SpecAugment(int numTimeMasks, int maxTimeWidth, int numFreqMasks, int maxFreqWidth,
      MaskValue maskValue) {
    requireNonNegative(numTimeMasks, "time-masks");
    requireNonNegative(maxTimeWidth, "max-time-width");
    requireNonNegative(numFreqMasks, "freq-masks");
    requireNonNegative(maxFreqWidth, "max-freq-width");
    if (maskValue == null) {
      throw new IllegalArgumentException("mask-value is required (zero or mean)");
    }
    this.numTimeMasks = numTimeMasks;
    this.maxTimeWidth = maxTimeWidth;
    this.numFreqMasks = numFreqMasks;
    this.maxFreqWidth = maxFreqWidth;
    this.maskValue = maskValue;
  }

  /**
   * Masks the features.
   *
   * @param features [channels][bins][frames], rectangular, at least one channel; not modified
   * @param rng the record's random stream (2 (numTimeMasks + numFreqMasks) ints are drawn)
   * @return masked features [channels][bins][frames], a new array
   * @throws IllegalArgumentException if the features are not rectangular
   */
  public float[][][] apply(float[][][] features, SplittableRandom rng) {
    return applyWithMasks(features, rng).features();
  }

  /**
   * Masks the features and reports the masks; consumes {@code rng} exactly as {@link #apply}.
   *
   * @param features [channels][bins][frames], rectangular, at least one channel; not modified
   * @param rng the record's random stream
   * @return masked features (a new array) and the masks drawn
   * @throws IllegalArgumentException if the features are not rectangular
   */
  public Applied applyWithMasks(float[][][] features, SplittableRandom rng) {
    int[] shape = shape(features);
    Masks masks = draw(shape[1], shape[2], rng);
    return new Applied(mask(features, masks), masks);
  }

  /**
   * Draws masks for a feature map of the given size without touching any features (e.g. to apply
   * the same masks to several inputs).
   *
   * @param bins number of bins (frequency axis length), at least 0
   * @param frames number of frames (time axis length), at least 0
   * @param rng random stream (2 (numTimeMasks + numFreqMasks) ints are drawn)
   * @return the masks, all within [0, frames) and [0, bins)
   */
  public Masks draw(int bins, int frames, SplittableRandom rng) {
    if (bins < 0 || frames < 0) {
      throw new IllegalArgumentException(
          "bins and frames must be non-negative, got " + bins + ", " + frames);
    }
    if (rng == null) {
      throw new IllegalArgumentException("rng is required");
    }
    List<Mask> time = drawAxis(numTimeMasks, maxTimeWidth, frames, rng);
    List<Mask> freq = drawAxis(numFreqMasks, maxFreqWidth, bins, rng);
    return new Masks(time, freq);
  }

  /**
   * Applies given masks (deterministic; the masking half of {@link #applyWithMasks}).
   *
   * @param features [channels][bins][frames], rectangular, at least one channel; not modified
   * @param masks masks to apply; parts beyond the array are ignored
   * @return masked features [channels][bins][frames], a new array
   */
  public float[][][] mask(float[][][] features, Masks masks) {
    int[] shape = shape(features);
    int bins = shape[1];
    int frames = shape[2];
    boolean[] maskedFrames = masks.maskedFrames(frames);
    boolean[] maskedBins = masks.maskedBins(bins);
    float[][][] out = new float[shape[0]][bins][];
    for (int c = 0; c < shape[0]; c++) {
      float value = maskValue == MaskValue.ZERO ? 0f : mean(features[c]);
      for (int b = 0; b < bins; b++) {
        float[] row = features[c][b].clone();
        if (maskedBins[b]) {
          Arrays.fill(row, value);
        } else {
          for (int t = 0; t < frames; t++) {
            if (maskedFrames[t]) {
              row[t] = value;
            }
          }
        }
        out[c][b] = row;
      }
    }
    return out;
  }

  /** @return number of time masks */
  public int numTimeMasks() {
    return numTimeMasks;
  }

  /** @return largest time-mask width in frames */
  public int maxTimeWidth() {
    return maxTimeWidth;
  }

  /** @return number of frequency masks */
  public int numFreqMasks() {
    return numFreqMasks;
  }

  /** @return largest frequency-mask width in bins */
  public int maxFreqWidth() {
    return maxFreqWidth;
  }

  /** @return the mask value convention */
  public MaskValue maskValue() {
    return maskValue;
  }

  @Override
  public String toString() {
    return "SpecAugment[time-masks=" + numTimeMasks + ", max-time-width=" + maxTimeWidth
        + ", freq-masks=" + numFreqMasks + ", max-freq-width=" + maxFreqWidth + ", mask-value="
        + maskValue.name().toLowerCase() + "]";
  }

  private static List<Mask> drawAxis(int count, int maxWidth, int length, SplittableRandom rng) {
    List<Mask> masks = new ArrayList<>(count);
    int widest = Math.min(maxWidth, length);
    for (int i = 0; i < count; i++) {
      int width = rng.nextInt(widest + 1);
      int start = rng.nextInt(length - width + 1);
      masks.add(new Mask(start, width));
    }
    return Collections.unmodifiableList(masks);
  }

  private static float mean(float[][] map) {
    double sum = 0;
    long n = 0;
    for (float[] row : map) {
      for (float v : row) {
        sum += v;
      }
      n += row.length;
    }
    return n == 0 ? 0f : (float) (sum / n);
  }

  /** @return {channels, bins, frames} after checking the array is rectangular */
  private static int[] shape(float[][][] features) {
    if (features == null || features.length == 0) {
      throw new IllegalArgumentException("features [channels][bins][frames] need a channel");
    }
    int bins = -1;
    int frames = -1;
    for (int c = 0; c < features.length; c++) {
      if (features[c] == null) {
        throw new IllegalArgumentException("features channel " + c + " is null");
      }
      if (bins < 0) {
        bins = features[c].length;
      } else if (features[c].length != bins) {
        throw new IllegalArgumentException("features channel " + c + " has " + features[c].length
            + " bins, channel 0 has " + bins);
      }
      for (int b = 0; b < features[c].length; b++) {
        float[] row = features[c][b];
        if (row == null) {
          throw new IllegalArgumentException("features [" + c + "][" + b + "] is null");
        }
        if (frames < 0) {
          frames = row.length;
        } else if (row.length != frames) {
          throw new IllegalArgumentException("features [" + c + "][" + b + "] has " + row.length
              + " frames, expected " + frames);
        }
      }
    }
    return new int[] {features.length, bins, Math.max(frames, 0)};
  }

  private static void requireNonNegative(int value, String key) {
    if (value < 0) {
      throw new IllegalArgumentException(key + " must be at least 0, got " + value);
    }
  }
}
