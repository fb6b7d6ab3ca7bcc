package org.ascspark.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.ascspark.pipeline.ingest.IngestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

  static JobConfig load(String... args) {
    return JobConfig.load("ingest", CommandLine.parse(List.of(args), Set.of()));
  }

  @Test
  void defaultsComeFromConfIngest() {
    IngestConfig c = IngestConfig.from(load());
    assertEquals(44100, c.sampleRateHz());
    assertEquals("a", c.referenceDevice());
    assertEquals(256L << 20, c.maxFileBytes());
    assertEquals("local[*]", load().reader("spark").string("master"));
  }

  @Test
  void overridesRelativeFullAndDashDashFormsAreTyped(@TempDir Path dir) throws Exception {
    IngestConfig c = IngestConfig.from(load("sample-rate-hz=22050", "ingest.fold=2",
        "--out", "s3a://bucket/x//y", "--dataset=hdfs:///data/tau"));
    assertEquals(22050, c.sampleRateHz());
    assertEquals(2, c.fold());
    assertEquals("s3a://bucket/x//y", c.out(), "a string value is taken verbatim, '//' included");
    assertEquals("hdfs:///data/tau", c.dataset());
    assertEquals("local[2]", load("spark.master=local[2]").reader("spark").string("master"));
    assertEquals("8", load("spark.conf.spark.sql.shuffle.partitions=8").reader("spark")
        .stringMap("conf").get("spark.sql.shuffle.partitions"));
  }

  @Test
  void configFilesLayerAndCommandLineWins(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("my.conf");
    Files.writeString(f, "ingest { fold = 3, out = \"from-file\" }\n");
    JobConfig c = JobConfig.load("ingest",
        CommandLine.parse(List.of("--config", f.toString(), "out=from-cli"), Set.of()));
    assertEquals(3, IngestConfig.from(c).fold());
    assertEquals("from-cli", IngestConfig.from(c).out());
  }

  @Test
  void unknownKeysAreErrorsNamingTheKey(@TempDir Path dir) throws Exception {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load("sample-rate=1"));
    assertEquals("sample-rate", e.key());
    assertTrue(e.getMessage().contains("sample-rate-hz"), "lists the known keys: " + e.getMessage());
    Path f = dir.resolve("typo.conf");
    Files.writeString(f, "ingest.foldd = 3\n");
    InvalidConfigException fe = assertThrows(InvalidConfigException.class, () -> JobConfig.load(
        "ingest", CommandLine.parse(List.of("--config", f.toString()), Set.of())));
    assertEquals("ingest.foldd", fe.key());
    assertTrue(fe.getMessage().contains(f.toString()));
  }

  @Test
  void aSharedConfigFileMayHoldOtherJobsSectionsButTheirKeysAreStillChecked(@TempDir Path dir)
      throws Exception {
    Path shared = dir.resolve("shared.conf");
    Files.writeString(shared, "ingest { fold = 2 }\nfeatures { mel.n-mels = 64 }\n"
        + "teacher { model = cp-resnet, epochs = 3 }\npreset { system = \"x\" }\n");
    JobConfig c = load("--config", shared.toString());
    assertEquals(2, IngestConfig.from(c).fold());
    assertEquals(64, c.config().getInt("features.mel.n-mels"), "other sections are kept for jobs that run jobs");

    Path typo = dir.resolve("typo.conf");
    Files.writeString(typo, "teacher { epochz = 3 }\n");
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load("--config", typo.toString()));
    assertTrue(e.getMessage().contains("teacher.epochz") && e.getMessage().contains("./asc train"), e.getMessage());
    Path unknown = dir.resolve("unknown.conf");
    Files.writeString(unknown, "trian { epochs = 3 }\n");
    e = assertThrows(InvalidConfigException.class, () -> load("--config", unknown.toString()));
    assertTrue(e.getMessage().contains("trian.epochs"), e.getMessage());

    // on the command line, another job's keys are errors unless the job reads that section
    e = assertThrows(InvalidConfigException.class, () -> load("features.mel.n-mels=64"));
    assertTrue(e.getMessage().contains("features.mel.n-mels"), e.getMessage());
    JobConfig extra = JobConfig.load("ingest", CommandLine.parse(List.of("teacher.epochs=3"), Set.of()),
        java.util.Map.of("teacher", "train"));
    assertEquals(3, extra.config().getInt("teacher.epochs"), "typed by the train default");
    e = assertThrows(InvalidConfigException.class, () -> JobConfig.load("ingest",
        CommandLine.parse(List.of("teacher.epochz=3"), Set.of()), java.util.Map.of("teacher", "train")));
    assertTrue(e.getMessage().contains("teacher.epochz"), e.getMessage());
  }

  @Test
  void everyShippedPresetLoadsForEachJobItConfigures() throws Exception {
    List<String> presets;
    try (var s = Files.list(Path.of("..", "conf", "presets"))) {
      presets = s.map(p -> p.getFileName().toString().replace(".conf", "")).sorted().toList();
    }
    assertEquals(List.of("ait-kd", "clova-amfm", "clova-resnet-se", "qti-bcresnet", "scut-bcresnet-mod",
        "valeo-sp4asc"), presets);
    for (String p : presets) {
      for (String job : List.of("features", "train", "distill", "teacher-outputs", "evaluate", "compress",
          "preset")) {
        JobConfig c = JobConfig.load(job, CommandLine.parse(List.of("--config", "presets/" + p), Set.of()));
        assertTrue(c.config().hasPath("preset.system") && !c.config().getString("preset.system").isEmpty(),
            p + " names its system");
      }
    }
    JobConfig qti = JobConfig.load("train", CommandLine.parse(List.of("--config", "presets/qti-bcresnet"), Set.of()));
    assertEquals("bcresnet-asc", qti.config().getString("train.model"));
    assertEquals(256, qti.config().getInt("features.mel.n-mels"), "the front end comes in by include");
  }

  @Test
  void badValuesFailNamingKeyAndValue() {
    InvalidConfigException notNumber = assertThrows(InvalidConfigException.class,
        () -> IngestConfig.from(load("sample-rate-hz=fast")));
    assertEquals("invalid config ingest.sample-rate-hz: 'fast' is not an integer", notNumber.getMessage());
    InvalidConfigException range = assertThrows(InvalidConfigException.class,
        () -> IngestConfig.from(load("sample-rate-hz=-5")));
    assertEquals("invalid config ingest.sample-rate-hz: -5 is outside [1000, 768000]",
        range.getMessage());
    InvalidConfigException empty =
        assertThrows(InvalidConfigException.class, () -> IngestConfig.from(load("out=")));
    assertEquals("ingest.out", empty.key());
    InvalidConfigException dur = assertThrows(InvalidConfigException.class,
        () -> IngestConfig.from(load("max-duration-s=0")));
    assertEquals("ingest.max-duration-s", dur.key());
  }

  @Test
  void badCommandLineSyntaxIsExplained() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CommandLine.parse(List.of("dataset"), Set.of()));
    assertTrue(e.getMessage().contains("expected key=value"), e.getMessage());
    assertEquals("true", CommandLine.parse(List.of("--overwrite"), Set.of("overwrite"))
        .overrides().get("overwrite"));
  }

  @Test
  void renderAndHashDescribeTheEffectiveConfig() {
    JobConfig a = load();
    assertEquals(a.hash(), load().hash(), "same settings, same hash");
    assertNotEquals(a.hash(), load("fold=2").hash());
    assertEquals(a.hash(), load("spark.master=local[1]").hash(), "Spark settings do not change results");
    assertTrue(a.render().contains("sample-rate-hz=44100"), a.render());
    assertTrue(a.render().contains("master=\"local[*]\""), a.render());
  }

  @Test
  void helpListsEveryKeyWithDefaultAndComment() {
    String help = JobConfig.help("ingest");
    assertTrue(help.contains("ingest.sample-rate-hz = 44100"), help);
    assertTrue(help.contains("resampled"), "comment text shown: " + help);
    assertTrue(help.indexOf("ingest.dataset") < help.indexOf("ingest.out"), "file order");
    assertTrue(help.contains("spark.master = \"local[*]\""), help);
  }
}
