package org.ascspark.pipeline.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ascspark.features.spectral.FeatureExtractor;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.io.AtomicOutput;

/**
 * Settings of the feature job ({@code conf/features.conf}), validated and resolved against the
 * ingest output they read: its sample rate fixes the front end's filterbanks, and its config hash
 * enters the output hash, so features made from other clips never share a folder.
 *
 * @param clips ingest output folder
 * @param out root of feature outputs
 * @param overwrite recompute an existing output of the same hash
 * @param splits splits to extract
 * @param fraction share of the clips kept (1 = all), chosen by a hash of the device pair key (the
 *     clip id for unpaired clips), so that paired recordings stay together and reruns keep the same
 * @param statsSplit split the normalisation statistics are computed over
 * @param segmentSamples segment length in samples, 0 = whole clip
 * @param segmentHopSamples hop between segments in samples
 * @param partitions Spark partitions, 0 = automatic
 * @param sampleRateHz sample rate of the clips
 * @param extractor the front end
 * @param augment augmentation chains, seed and spectrum correction
 * @param hash 16 hex digits identifying these settings and their input
 */
public record FeaturesConfig(
    String clips, String out, boolean overwrite, List<String> splits, double fraction, String statsSplit,
    int segmentSamples, int segmentHopSamples, int partitions, int sampleRateHz,
    FeatureExtractor extractor, AugmentSettings augment, String hash) implements Serializable {

  /** @return these settings with other augmentation settings (e.g. estimated responses) */
  public FeaturesConfig withAugment(AugmentSettings a) {
    return new FeaturesConfig(clips, out, overwrite, splits, fraction, statsSplit, segmentSamples,
        segmentHopSamples, partitions, sampleRateHz, extractor, a, hash);
  }

  /** Splits the clips table can hold. */
  public static final List<String> SPLITS = List.of("train", "evaluate", "test", "unassigned");

  /** @return the output folder of this configuration: {@code <out>/<hash>} */
  public String outputDir() {
    return new Path(out, hash).toString();
  }

  /**
   * @param config job config
   * @param hadoopConf Hadoop configuration (to read the ingest manifest)
   * @return the validated settings
   * @throws InvalidConfigException naming the bad key, or {@code features.clips} when the input is
   *     not a complete ingest output
   */
  public static FeaturesConfig from(JobConfig config, Configuration hadoopConf) {
    ConfigReader r = config.reader("features");
    String clips = r.string("clips");
    List<String> splits = r.stringList("splits");
    for (String s : splits) {
      if (!SPLITS.contains(s)) {
        throw new InvalidConfigException(r.key("splits"), "'" + s + "' is not one of " + SPLITS);
      }
    }
    double fraction = r.doubleIn("fraction", 0, 1);
    if (fraction == 0) {
      throw new InvalidConfigException(r.key("fraction"), "0 keeps no clip (give a share in (0, 1])");
    }
    String statsSplit = r.oneOf("stats-split", SPLITS);
    if (!splits.contains(statsSplit)) {
      throw new InvalidConfigException(r.key("stats-split"),
          "'" + statsSplit + "' is not among features.splits " + splits);
    }
    double segmentS = r.doubleIn("segment-s", 0, 3600);
    double segmentHopS = r.doubleIn("segment-hop-s", 0, 3600);
    int partitions = r.intIn("partitions", 0, 1_000_000);
    JsonNode manifest = ingestManifest(clips, hadoopConf);
    int sampleRateHz = manifest.path("sample_rate_hz").asInt(0);
    if (sampleRateHz <= 0) {
      throw new InvalidConfigException(r.key("clips"),
          clips + "/" + AtomicOutput.MANIFEST + " has no sample_rate_hz: not an ingest output");
    }
    int segment = (int) Math.round(segmentS * sampleRateHz);
    int segmentHop = segmentHopS == 0 ? segment : (int) Math.round(segmentHopS * sampleRateHz);
    if (segmentS > 0 && segment < 1) {
      throw new InvalidConfigException(r.key("segment-s"), segmentS + " s is under one sample");
    }
    if (segmentS > 0 && segmentHop < 1) {
      throw new InvalidConfigException(r.key("segment-hop-s"), segmentHopS + " s is under one sample");
    }
    FeatureExtractor extractor = FrontEnds.build(config, sampleRateHz);
    AugmentSettings augment = Augmentations.settings(config, sampleRateHz, extractor);
    String hash = JobConfig.sha256(resultDefiningSettings(config.config(), r.string("frontend"))
        + "|input=" + manifest.path("config_hash").asText("") + "|rate=" + sampleRateHz
        // The values column became binary float32: outputs of the array<float> layout are not reused.
        + "|values=f32le")
        .substring(0, 16);
    return new FeaturesConfig(clips, r.string("out"), r.bool("overwrite"), splits, fraction, statsSplit,
        segmentS > 0 ? segment : 0, segmentS > 0 ? segmentHop : 0, partitions, sampleRateHz,
        extractor, augment, hash);
  }

  /**
   * The settings that change the output (not paths, overwrite or partitioning), as canonical JSON;
   * sections of front ends that are not selected, and augmentation settings when no chain is
   * configured, are left out.
   */
  static String resultDefiningSettings(Config all, String frontend) {
    Config f = all.getConfig("features");
    List<String> keys = new ArrayList<>(List.of("frontend", "splits", "stats-split", "segment-s",
        "segment-hop-s", "log", "deltas"));
    switch (frontend) {
      case "logmel" -> keys.addAll(List.of("stft", "mel"));
      case "gammatone" -> keys.addAll(List.of("stft", "gammatone"));
      default -> keys.add("cqt");
    }
    if (f.getDouble("fraction") < 1) {
      keys.add("fraction"); // left out at 1, so outputs made before the key existed keep their hash
    }
    if (!f.getList("augment.chains").isEmpty() || f.getBoolean("augment.correct")) {
      keys.add("augment"); // without chains or correction, augmentation settings change nothing
    }
    Config picked = ConfigFactory.empty();
    for (String k : keys) {
      picked = picked.withValue(k, f.getValue(k));
    }
    return picked.root().render(ConfigRenderOptions.concise());
  }

  private static JsonNode ingestManifest(String clips, Configuration hadoopConf) {
    Path p = new Path(clips, AtomicOutput.MANIFEST);
    try {
      FileSystem fs = p.getFileSystem(hadoopConf);
      if (!fs.exists(p)) {
        throw new InvalidConfigException("features.clips", clips + " is not a complete ingest output ("
            + AtomicOutput.MANIFEST + " missing); run ./asc ingest first");
      }
      try (InputStream in = fs.open(p)) {
        return new ObjectMapper().readTree(in);
      }
    } catch (IOException e) {
      throw new InvalidConfigException("features.clips", "cannot read " + p + ": " + e.getMessage());
    }
  }
}
