package org.ascspark.pipeline.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.ascspark.features.spectral.FeatureExtractor;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.io.AtomicOutput;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Feature settings are validated before any work, naming the key; presets resolve. */
class FrontEndsTest {
  @TempDir static Path dir;
  static Path clips;

  @BeforeAll
  static void fakeIngestOutput() throws IOException {
    clips = Files.createDirectories(dir.resolve("ingest"));
    Files.writeString(clips.resolve(AtomicOutput.MANIFEST),
        "{\"sample_rate_hz\": 44100, \"config_hash\": \"in1\"}");
  }

  static FeaturesConfig config(String... args) {
    List<String> all = new ArrayList<>(List.of("clips=" + clips));
    all.addAll(List.of(args));
    return FeaturesConfig.from(JobConfig.load("features", CommandLine.parse(all, Set.of())),
        new Configuration());
  }

  static InvalidConfigException invalid(String... args) {
    return assertThrows(InvalidConfigException.class, () -> config(args));
  }

  @Test
  void defaultsGiveLogMelWithTimeLengthsConverted() {
    FeatureExtractor e = config().extractor();
    assertEquals("logmel", e.name());
    assertEquals(128, e.bins());
    assertEquals(1, e.channels());
    assertEquals(44, e.frames(44100), "centred frames: 1 + 44100 / 1024");
    FeatureExtractor clova = config("--config", "frontends/clova").extractor();
    assertEquals(3, clova.channels());
    assertEquals(51, clova.frames(44100), "20 ms hop = 882 samples: 1 + 44100 / 882");
  }

  @ParameterizedTest
  @ValueSource(strings = {"clova", "valeo-sp4asc", "qti-bcresnet", "ait-mel", "ait-gammatone",
      "ait-cqt", "dcase2022-baseline"})
  void everyPresetBuildsAtTauRate(String preset) {
    FeatureExtractor e = config("--config", "frontends/" + preset).extractor();
    assertTrue(e.frames(44100) > 0, preset);
    assertTrue(e.bins() >= 40, preset);
  }

  @Test
  void invalidValuesFailNamingTheKey() {
    assertEquals("features.stft.n-fft", invalid("stft.n-fft=1024", "stft.window-length=2048").key());
    assertEquals("features.stft.hop", invalid("stft.hop=0").key());
    assertTrue(invalid("stft.hop=-5ms").getMessage().contains("features.stft.hop"));
    assertEquals("features.mel.f-max-hz", invalid("mel.f-max-hz=30000").key());
    InvalidConfigException empty = invalid("mel.n-mels=256", "mel.scale=htk");
    assertEquals("features.mel.n-mels", empty.key());
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    assertEquals("features.frontend", invalid("frontend=mfcc").key());
    assertEquals("features.cqt.n-bins", invalid("frontend=cqt", "cqt.n-bins=300").key());
    assertEquals("features.gammatone.f-max-hz", invalid("frontend=gammatone",
        "gammatone.f-max-hz=40000").key());
    assertEquals("features.deltas.width", invalid("deltas.width=4").key());
    assertEquals("features.stats-split", invalid("splits=[evaluate]").key());
    assertEquals("features.stft.window-length", invalid("stft.window-length=40xs").key());
  }

  @Test
  void missingIngestOutputIsAClearError() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> FeaturesConfig.from(JobConfig.load("features", CommandLine.parse(
            List.of("clips=" + dir.resolve("nothing")), Set.of())), new Configuration()));
    assertEquals("features.clips", e.key());
    assertTrue(e.getMessage().contains("run ./asc ingest first"), e.getMessage());
  }

  @Test
  void hashCoversResultsOnly() {
    String base = config().hash();
    assertEquals(16, base.length());
    assertEquals(base, config("partitions=7", "overwrite=true", "out=/elsewhere").hash());
    assertEquals(base, config("gammatone.n-bands=64").hash(), "sections of other front ends");
    assertNotEquals(base, config("mel.n-mels=64").hash());
    assertNotEquals(base, config("deltas.order=2").hash());
    assertNotEquals(base, config("segment-s=0.5").hash());
    assertEquals(config("stft.hop=1024").hash(), base);
  }

  @Test
  void augmentationSettingsAreValidatedBeforeWork() {
    assertTrue(invalid("augment.chains=[[fftbin, wow]]").getMessage()
        .contains("unknown augmentation 'wow' in chain 1"));
    assertEquals("features.augment.chains", invalid("frontend=cqt", "augment.chains=[[fftbin]]").key());
    assertEquals("features.augment.dir.ir-dir", invalid("augment.chains=[[dir]]").key());
    assertEquals("features.augment.dir.ir-dir",
        invalid("augment.chains=[[dir]]", "augment.dir.ir-dir=" + dir.resolve("no-such")).key());
    assertTrue(invalid("augment.chains=[[mp3]]", "augment.mp3.bitrates-kbps=[33]").key()
        .startsWith("features.augment.mp3"));
    assertTrue(invalid("augment.chains=[[fftbin]]", "augment.fftbin.max-db=-1").key()
        .startsWith("features.augment.fftbin"));
    assertEquals("features.augment.chains", invalid("augment.chains=[[]]").key());
  }

  @Test
  void augmentationEntersTheHashOnlyWithChains() {
    String base = config().hash();
    assertEquals(base, config("augment.seed=1", "augment.fftbin.max-db=3").hash());
    String withChain = config("augment.chains=[[fftbin]]").hash();
    assertNotEquals(base, withChain);
    assertNotEquals(withChain, config("augment.chains=[[fftbin]]", "augment.seed=1").hash());
    FeaturesConfig c = config("augment.chains=[[fftbin], [mp3, tempo], gain, [aac]]");
    assertEquals(List.of("fftbin", "mp3+tempo", "gain", "aac"),
        c.augment().chains().stream().map(AugmentationChain::name).toList());
  }
}
