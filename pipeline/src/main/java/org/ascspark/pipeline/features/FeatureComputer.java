package org.ascspark.pipeline.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.ascspark.features.spectral.FeatureExtractor;

/**
 * Turns one clip into its feature rows (one per segment), or a reject. Runs on executors; pure
 * apart from the reject callback.
 */
public final class FeatureComputer implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final FeatureExtractor extractor;
  private final int segmentSamples;
  private final int segmentHopSamples;

  /**
   * @param extractor the front end
   * @param segmentSamples segment length, 0 = whole clip
   * @param segmentHopSamples hop between segment starts (ignored without segmentation)
   */
  public FeatureComputer(FeatureExtractor extractor, int segmentSamples, int segmentHopSamples) {
    this.extractor = extractor;
    this.segmentSamples = segmentSamples;
    this.segmentHopSamples = segmentHopSamples;
  }

  /**
   * @param clip the clip
   * @param rejects receives the reject when the clip gives no features
   * @return its feature rows (variant 0, the original), empty when rejected
   */
  public List<FeatureRow> compute(ClipSamples clip, Consumer<FeatureReject> rejects) {
    float[] x = clip.getSamples();
    int rate = extractor.sampleRateHz();
    if (clip.getSampleRateHz() != rate) {
      rejects.accept(new FeatureReject(clip.getClipId(), clip.getFilename(), 0,
          "sample rate " + clip.getSampleRateHz() + " Hz differs from the front end's " + rate + " Hz"));
      return List.of();
    }
    int segLen = segmentSamples > 0 ? segmentSamples : x.length;
    int hop = segmentSamples > 0 ? segmentHopSamples : Math.max(1, x.length);
    if (x.length < segLen || segLen == 0) {
      rejects.accept(new FeatureReject(clip.getClipId(), clip.getFilename(), 0, String.format(
          "clip of %.3f s is shorter than one segment (features.segment-s = %.3f s)",
          x.length / (double) rate, segLen / (double) rate)));
      return List.of();
    }
    if (extractor.frames(segLen) < 1) {
      rejects.accept(new FeatureReject(clip.getClipId(), clip.getFilename(), 0, String.format(
          "%s of %d samples (%.3f s) is shorter than one analysis frame of the %s front end",
          segmentSamples > 0 ? "segment" : "clip", segLen, segLen / (double) rate, extractor.name())));
      return List.of();
    }
    int nSegments = 1 + (x.length - segLen) / hop;
    List<FeatureRow> rows = new ArrayList<>(nSegments);
    for (int s = 0; s < nSegments; s++) {
      int start = s * hop;
      float[] seg = segmentSamples > 0 ? Arrays.copyOfRange(x, start, start + segLen) : x;
      float[][][] f;
      try {
        f = extractor.extract(seg);
      } catch (IllegalArgumentException e) {
        rejects.accept(new FeatureReject(clip.getClipId(), clip.getFilename(), 0,
            "segment " + s + ": " + e.getMessage()));
        return List.of();
      }
      rows.add(row(clip, s, start / (double) rate, f));
    }
    return rows;
  }

  private FeatureRow row(ClipSamples clip, int segment, double startS, float[][][] f) {
    int channels = f.length;
    int bins = f[0].length;
    int frames = f[0][0].length;
    float[] flat = new float[channels * bins * frames];
    int k = 0;
    for (float[][] ch : f) {
      for (float[] bin : ch) {
        System.arraycopy(bin, 0, flat, k, frames);
        k += frames;
      }
    }
    FeatureRow r = new FeatureRow();
    r.setClipId(clip.getClipId());
    r.setFilename(clip.getFilename());
    r.setSceneLabel(clip.getSceneLabel());
    r.setDevice(clip.getDevice());
    r.setCity(clip.getCity());
    r.setIdentifier(clip.getIdentifier());
    r.setSplit(clip.getSplit());
    r.setInTest(clip.getInTest());
    r.setPairKey(clip.getPairKey());
    r.setVariant(0);
    r.setAugmentation("none");
    r.setAugParams("{}");
    r.setSegment(segment);
    r.setSegmentStartS(startS);
    r.setFeature(extractor.name());
    r.setChannels(channels);
    r.setBins(bins);
    r.setFrames(frames);
    r.setValues(flat);
    return r;
  }
}
