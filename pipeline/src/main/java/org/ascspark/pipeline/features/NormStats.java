package org.ascspark.pipeline.features;

import java.io.Serializable;

/**
 * Per-(channel, frequency bin) mean and standard deviation over every frame of a set of feature
 * rows: the normalisation statistics stored with the features and applied at training and
 * inference time ({@code (x - mean) / std}). Computed from per-bin sums and sums of squares in
 * double precision ({@link StatsAccumulator}); std is the population standard deviation.
 *
 * @param channels channels
 * @param bins bins per channel
 * @param count frames aggregated per bin
 * @param mean means [channels][bins]
 * @param std standard deviations [channels][bins]
 */
public record NormStats(int channels, int bins, long count, double[][] mean, double[][] std)
    implements Serializable {

  /**
   * The part of a feature row the statistics need.
   *
   * @param clipId clip id (for messages)
   * @param channels channels
   * @param bins bins per channel
   * @param frames frames
   * @param values [channels][bins][frames] flattened
   */
  public record Shaped(String clipId, int channels, int bins, int frames, float[] values)
      implements Serializable {}

  /** Running sums over frames, per (channel, bin). */
  public static final class Sums implements Serializable {
    private static final long serialVersionUID = 1L;
    int channels;
    int bins;
    long frames;
    double[] sum;
    double[] sumSq;

    Sums add(Shaped r) {
      if (sum == null) {
        channels = r.channels();
        bins = r.bins();
        sum = new double[channels * bins];
        sumSq = new double[channels * bins];
      } else if (r.channels() != channels || r.bins() != bins) {
        throw new IllegalStateException("rows of different shapes: " + channels + "x" + bins
            + " and " + r.channels() + "x" + r.bins() + " (clip " + r.clipId() + ")");
      }
      float[] v = r.values();
      int frames = r.frames();
      for (int cb = 0; cb < channels * bins; cb++) {
        double s = 0;
        double s2 = 0;
        int base = cb * frames;
        for (int t = 0; t < frames; t++) {
          double x = v[base + t];
          s += x;
          s2 += x * x;
        }
        sum[cb] += s;
        sumSq[cb] += s2;
      }
      this.frames += frames;
      return this;
    }

    /** @return an independent copy */
    Sums copy() {
      Sums c = new Sums();
      c.channels = channels;
      c.bins = bins;
      c.frames = frames;
      c.sum = sum == null ? null : sum.clone();
      c.sumSq = sumSq == null ? null : sumSq.clone();
      return c;
    }

    Sums merge(Sums o) {
      if (o.sum == null) {
        return this;
      }
      if (sum == null) {
        return o;
      }
      if (o.channels != channels || o.bins != bins) {
        throw new IllegalStateException("partitions hold rows of different shapes");
      }
      for (int i = 0; i < sum.length; i++) {
        sum[i] += o.sum[i];
        sumSq[i] += o.sumSq[i];
      }
      frames += o.frames;
      return this;
    }
  }

  /**
   * @param s sums over the statistics split
   * @return the statistics, or null when the sums are empty
   */
  public static NormStats of(Sums s) {
    if (s.sum == null || s.frames == 0) {
      return null;
    }
    double[][] mean = new double[s.channels][s.bins];
    double[][] std = new double[s.channels][s.bins];
    for (int c = 0; c < s.channels; c++) {
      for (int b = 0; b < s.bins; b++) {
        int i = c * s.bins + b;
        double m = s.sum[i] / s.frames;
        mean[c][b] = m;
        std[c][b] = Math.sqrt(Math.max(0, s.sumSq[i] / s.frames - m * m));
      }
    }
    return new NormStats(s.channels, s.bins, s.frames, mean, std);
  }
}
