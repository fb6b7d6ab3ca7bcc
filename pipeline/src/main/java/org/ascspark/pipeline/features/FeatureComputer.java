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
import org.ascspark.features.augment.DeviceResponses;
import org.ascspark.features.augment.SpectrumAugmentation;
import org.ascspark.features.augment.SpectrumCorrection;
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
  private final AugmentSettings augment;

  /**
   * @param extractor the front end
   * @param segmentSamples segment length, 0 = whole clip
   * @param segmentHopSamples hop between segment starts (ignored without segmentation)
   */
  public FeatureComputer(FeatureExtractor extractor, int segmentSamples, int segmentHopSamples) {
    this(extractor, segmentSamples, segmentHopSamples, AugmentSettings.NONE);
  }

  /**
   * @param extractor the front end
   * @param segmentSamples segment length, 0 = whole clip
   * @param segmentHopSamples hop between segment starts (ignored without segmentation)
   * @param augment chains (chain k - 1 makes variant k of each training clip), seed and spectrum
   *     correction (with its estimated responses)
   */
  public FeatureComputer(FeatureExtractor extractor, int segmentSamples, int segmentHopSamples,
      AugmentSettings augment) {
    this.extractor = extractor;
    this.segmentSamples = segmentSamples;
    this.segmentHopSamples = segmentHopSamples;
    this.augment = augment;
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
    UnaryOperator<float[][]> correction = correction(clip.getDevice());
    List<FeatureRow> rows = new ArrayList<>();
    try {
      rows.addAll(segments(clip, x, 0, "none", correction));
    } catch (IllegalArgumentException e) {
      rejects.accept(new FeatureReject(clip.getClipId(), clip.getFilename(), 0, e.getMessage()));
      return List.of();
    }
    List<AugmentationChain> chains = augment.chains();
    if (clip.getSplit().equals(AUGMENTED_SPLIT)) {
      for (int k = 1; k <= chains.size(); k++) {
        if (chains.get(k - 1).spectrum() instanceof SpectrumCorrection
            && !clip.getDevice().equals(augment.referenceDevice())) {
          continue; // speccorr imposes a device's response on reference-device clips only
        }
        try {
          rows.addAll(variant(clip, k, chains.get(k - 1), correction));
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
  private List<FeatureRow> variant(ClipSamples clip, int k, AugmentationChain chain,
      UnaryOperator<float[][]> correction) throws JsonProcessingException {
    SplittableRandom rng = RecordSeeds.rng(augment.seed(), "aug/" + clip.getClipId() + "/" + k);
    Map<String, Object> params = new LinkedHashMap<>();
    float[] x = clip.getSamples();
    for (WaveformAugmentation step : chain.steps()) {
      WaveformAugmentation.Applied a = step.apply(x, extractor.sampleRateHz(), rng);
      x = a.samples();
      params.put(step.name(), a.params());
    }
    UnaryOperator<float[][]> transform = correction;
    SpectrumAugmentation spectrum = chain.spectrum();
    if (spectrum != null) {
      long spectrumSeed = rng.nextLong();
      StftParams stft = extractor.stftParams();
      transform = spec -> {
        float[][] in = correction == null ? spec : correction.apply(spec);
        SpectrumAugmentation.Applied a = spectrum.apply(in, extractor.sampleRateHz(), stft.nFft(),
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

  /**
   * Spectrum correction of a device (SCUT section 2.2): its spectrum times reference response over
   * device response; null when correction is off or the device has no estimated response (it is
   * then left as recorded, e.g. devices seen only in the evaluate split).
   */
  private UnaryOperator<float[][]> correction(String device) {
    DeviceResponses responses = augment.responses();
    if (!augment.correct() || responses == null || !responses.devices().contains(device)) {
      return null;
    }
    double[] gain = responses.correction(device);
    boolean power = extractor.stftParams().power() == 2.0;
    return spec -> DeviceResponses.applyGain(spec, gain, power);
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
    r.copyClipColumns(clip);
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
