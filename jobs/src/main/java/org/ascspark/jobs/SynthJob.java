package org.ascspark.jobs;

import java.nio.file.Path;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.synth.SynthDataset;
import org.ascspark.pipeline.synth.SynthOptions;
import org.ascspark.pipeline.synth.SynthSummary;

/** {@code ./asc synth}: writes the synthetic TAU-layout dataset (no Spark needed). */
public final class SynthJob implements Command {

  /** @param args config overrides, e.g. {@code out=/tmp/synth cities=6} */
  public static void main(String[] args) {
    System.exit(Asc.execute(new SynthJob(), args));
  }

  @Override
  public String name() {
    return "synth";
  }

  @Override
  public String summary() {
    return "write the synthetic dataset (TAU 2020 Mobile layout, 10 scenes, devices a-c, s1-s6)";
  }

  @Override
  public String section() {
    return "synth";
  }

  /**
   * @param config the loaded config
   * @return validated generator options
   * @throws InvalidConfigException naming the bad key
   */
  static SynthOptions options(JobConfig config) {
    ConfigReader r = config.reader("synth");
    int threads = r.intIn("threads", 0, 1024);
    SynthOptions.Builder b = SynthOptions.builder()
        .seed(r.longIn("seed", Long.MIN_VALUE, Long.MAX_VALUE))
        .cities(r.intIn("cities", 1, 10_000))
        .locationsPerCity(r.intIn("locations-per-city", 1, 10_000))
        .segmentsPerLocation(r.intIn("segments-per-location", 1, 1_000_000))
        .clipSeconds(r.doubleAbove("clip-seconds", 0, 60))
        .sampleRateHz(r.intIn("sample-rate-hz", 8000, 192_000))
        .devices(r.stringList("devices"))
        .seenDeviceFraction(r.doubleAbove("seen-device-fraction", 0, 1))
        .evaluateLocationFraction(r.doubleAbove("evaluate-location-fraction", 0, 0.999_999))
        .crlf(r.bool("crlf"))
        .threads(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
    java.util.List<String> names = config.config().getStringList("synth.city-names");
    if (!names.isEmpty()) {
      b.cityNames(names);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("synth", e.getMessage());
    }
  }

  @Override
  public int run(JobConfig config) throws java.io.IOException {
    SynthOptions options = options(config);
    String out = config.reader("synth").string("out");
    Asc.logConfig(config);
    SynthSummary s = SynthDataset.write(options, Path.of(out));
    java.nio.file.Files.writeString(Path.of(out, "config.conf"),
        "# effective config of synth, hash " + config.hash() + "\n" + config.render());
    System.out.printf("synth: %d files (%d segments, %.0f s of audio, %.1f MB) in %.1f s -> %s%n",
        s.files(), s.segments(), s.audioSeconds(), s.audioBytes() / 1e6, s.elapsedMillis() / 1e3,
        Path.of(out).toAbsolutePath());
    System.out.println("synth: files per fold and device " + s.filesByFoldAndDevice());
    return 0;
  }
}
