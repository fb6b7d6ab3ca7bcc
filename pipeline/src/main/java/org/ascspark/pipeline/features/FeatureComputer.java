package org.ascspark.pipeline.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.ascspark.features.RecordSeeds;
import org.ascspark.features.augment.SpectrumAugmentation;
import org.ascspark.features.augment.WaveformAugmentation;
import org.ascspark.features.spectral.FeatureExtractor;
import org.ascspark.features.spectral.StftParams;

/**
 * Turns one clip into its feature rows: the original (variant 0) and, for training clips, one
 * variant per augmentation chain, each cut into segments; or rejects (the clip, or one variant).
 * Runs on executors; deterministic for (seed, clip, variant); pure apart from the reject callback.
 */
public final class FeatureComputer implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** The only split whose clips are augmented. */
  public static final String AUGMENTED_SPLIT = "train";

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final FeatureExtractor extractor;
  private final int segmentSamples;
  private final int segmentHopSamples;
  private final List<AugmentationChain> chains;
  private final long augmentSeed;

  /**
   * @param extractor the front end
   * @param segmentSamples segment length, 0 = whole clip
   * @param segmentHopSamples hop between segment starts (ignored without segmentation)
   */
  public FeatureComputer(FeatureExtractor extractor, int segmentSamples, int segmentHopSamples) {
    this(extractor, segmentSamples, segmentHopSamples, List.of(), 0);
  }

  /**
   * @param extractor the front end
   * @param segmentSamples segment length, 0 = whole clip
   * @param segmentHopSamples hop between segment starts (ignored without segmentation)
   * @param chains augmentation chains; chain k - 1 makes variant k of each training clip
   * @param augmentSeed global seed of the augmentation streams
   */
  public FeatureComputer(FeatureExtractor extractor, int segmentSamples, int segmentHopSamples,
      List<AugmentationChain> chains, long augmentSeed) {
    this.extractor = extractor;
    this.segmentSamples = segmentSamples;
    this.segmentHopSamples = segmentHopSamples;
    this.chains = List.copyOf(chains);
    this.augmentSeed = augmentSeed;
  }

  /**
   * @param clip the clip
   * @param rejects receives the reject when the clip gives no features
   * @return its feature rows (original first, then variants), empty when the original is rejected
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
    if (x.length < segLen || segLen == 0) {
      rejects.accept(new FeatureReject(clip.getClipId(), clip.getFilename(), 0, String.format(
          "clip of %.3f s is shorter than one segment (features.segment-s = %.3f s)",
          x.length / (double) rate, segLen / (double) rate)));
      return List.of();
    }
    List<FeatureRow> rows = new ArrayList<>();
    try {
      rows.addAll(segments(clip, x, 0, "none", null));
    } catch (IllegalArgumentException e) {
      rejects.accept(new FeatureReject(clip.getClipId(), clip.getFilename(), 0, e.getMessage()));
      return List.of();
    }
    if (clip.getSplit().equals(AUGMENTED_SPLIT)) {
      for (int k = 1; k <= chains.size(); k++) {
        try {
          rows.addAll(variant(clip, k, chains.get(k - 1)));
        } catch (RuntimeException | JsonProcessingException e) {
          rejects.accept(new FeatureReject(clip.getClipId(), clip.getFilename(), k,
              "augmentation " + chains.get(k - 1).name() + ": " + e));
        }
      }
    }
    return rows;
  }

  /**
   * Variant k: the chain's waveform steps in order, then extraction with its spectrum step. The
   * random stream is {@code RecordSeeds.rng(seed, "aug/<clip id>/<k>")}; the spectrum step gets one
   * seed from it, reused for every segment so the whole clip sees the same device.
   */
  private List<FeatureRow> variant(ClipSamples clip, int k, AugmentationChain chain)
      throws JsonProcessingException {
    SplittableRandom rng = RecordSeeds.rng(augmentSeed, "aug/" + clip.getClipId() + "/" + k);
    Map<String, Object> params = new LinkedHashMap<>();
    float[] x = clip.getSamples();
    for (WaveformAugmentation step : chain.steps()) {
      WaveformAugmentation.Applied a = step.apply(x, extractor.sampleRateHz(), rng);
      x = a.samples();
      params.put(step.name(), a.params());
    }
    UnaryOperator<float[][]> transform = null;
    SpectrumAugmentation spectrum = chain.spectrum();
    if (spectrum != null) {
      long spectrumSeed = rng.nextLong();
      StftParams stft = extractor.stftParams();
      transform = spec -> {
        SpectrumAugmentation.Applied a = spectrum.apply(spec, extractor.sampleRateHz(), stft.nFft(),
            stft.power() == 2.0, new SplittableRandom(spectrumSeed));
        params.put(spectrum.name(), a.params());
        return a.spectrum();
      };
    }
    List<FeatureRow> rows = segments(clip, x, k, chain.name(), transform);
    String json = JSON.writeValueAsString(params);
    for (FeatureRow r : rows) {
      r.setAugParams(json);
    }
    return rows;
  }

  /** Feature rows of every segment of x; IllegalArgumentException when x gives none. */
  private List<FeatureRow> segments(ClipSamples clip, float[] x, int variant, String augmentation,
      UnaryOperator<float[][]> transform) {
    int rate = extractor.sampleRateHz();
    int segLen = segmentSamples > 0 ? segmentSamples : x.length;
    int hop = segmentSamples > 0 ? segmentHopSamples : Math.max(1, x.length);
    if (x.length < segLen) {
      throw new IllegalArgumentException(String.format(
          "%.3f s is shorter than one segment (features.segment-s = %.3f s)",
          x.length / (double) rate, segLen / (double) rate));
    }
    if (extractor.frames(segLen) < 1) {
      throw new IllegalArgumentException(String.format(
          "%s of %d samples (%.3f s) is shorter than one analysis frame of the %s front end",
          segmentSamples > 0 ? "segment" : "clip", segLen, segLen / (double) rate,
          extractor.name()));
    }
    int nSegments = 1 + (x.length - segLen) / hop;
    List<FeatureRow> rows = new ArrayList<>(nSegments);
    for (int s = 0; s < nSegments; s++) {
      int start = s * hop;
      float[] seg = segmentSamples > 0 ? Arrays.copyOfRange(x, start, start + segLen) : x;
      float[][][] f;
      try {
        f = extractor.extract(seg, transform);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("segment " + s + ": " + e.getMessage(), e);
      }
      FeatureRow r = row(clip, s, start / (double) rate, f);
      r.setVariant(variant);
      r.setAugmentation(augmentation);
      rows.add(r);
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
