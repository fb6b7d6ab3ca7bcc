package org.ascspark.pipeline.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ascspark.features.synth.DeviceProfiles;
import org.ascspark.pipeline.FloatColumns;
import org.ascspark.pipeline.TestSpark;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.ingest.Ingest;
import org.ascspark.pipeline.ingest.IngestConfig;
import org.ascspark.pipeline.synth.SynthDataset;
import org.ascspark.pipeline.synth.SynthOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spectrum correction in the feature job: device responses estimated with Spark from the aligned
 * pairs of the synthetic set (whose device curves are known), speccorr variants, correction mode.
 */
class SpectrumCorrectionJobTest {
  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void ingest() throws Exception {
    spark = TestSpark.get();
    SynthDataset.write(SynthOptions.builder().cities(2).locationsPerCity(2).segmentsPerLocation(2)
        .seenDeviceFraction(1.0).devices(List.of("a", "b", "s1")).threads(2).build(),
        dir.resolve("synth"));
    JobConfig ic = JobConfig.load("ingest", CommandLine.parse(
        List.of("dataset=" + dir.resolve("synth"), "out=" + dir.resolve("ingest")), Set.of()));
    Ingest.run(spark, IngestConfig.from(ic), ic);
  }

  static FeaturesResult run(String out, String... extra) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("clips=" + dir.resolve("ingest"),
        "out=" + dir.resolve(out), "mel.n-mels=32"));
    args.addAll(List.of(extra));
    JobConfig fc = JobConfig.load("features", CommandLine.parse(args, Set.of()));
    FeaturesConfig c = FeaturesConfig.from(fc, spark.sparkContext().hadoopConfiguration());
    FeaturesResult r = Features.run(spark, c, fc);
    return r;
  }

  @Test
  void responsesFromAlignedPairsMatchTheSimulatedDevices() throws Exception {
    FeaturesResult r = run("f-speccorr", "augment.chains=[[speccorr]]",
        "augment.speccorr.devices=[b, s1]");
    Dataset<Row> responses = spark.read().parquet(Path.of(r.out()).resolve("responses").toString());
    // Device b's curve relative to device a, at FFT bins between 300 Hz and 8 kHz (where the
    // synthetic scenes have energy well above both devices' noise floors): within 3 dB.
    int checked = 0;
    for (Row row : responses.where("device = 'b' AND frequency_hz BETWEEN 300 AND 8000").collectAsList()) {
      double f = row.getDouble(2);
      double expected = DeviceProfiles.B.responseDb(f) - DeviceProfiles.A.responseDb(f);
      double got = 20 * Math.log10(row.getDouble(3));
      assertEquals(expected, got, 3.0, "device b at " + f + " Hz");
      checked++;
    }
    assertTrue(checked > 100);
    // s1 is band-limited to about 300 Hz - 3.8 kHz: far below device a at 8 kHz.
    double s1At8k = responses.where("device = 's1' AND frequency_hz BETWEEN 7900 AND 8100")
        .agg(org.apache.spark.sql.functions.max("response")).first().getDouble(0);
    assertTrue(20 * Math.log10(s1At8k) < -20, "s1 at 8 kHz: " + 20 * Math.log10(s1At8k) + " dB");

    Dataset<Row> f = spark.read().parquet(Path.of(r.out()).resolve("features").toString());
    assertEquals(0, f.where("variant = 1 AND device <> 'a'").count(), "imposed on device-a clips only");
    assertEquals(f.where("variant = 0 AND device = 'a' AND split = 'train'").count(),
        f.where("variant = 1").count());
    assertTrue(f.where("variant = 1").first().<String>getAs("aug_params").matches(
        "\\{\"speccorr\":\\{\"device\":\"(b|s1)\"\\}\\}"));
  }

  @Test
  void correctionModeChangesFeaturesOfDevicesWithResponsesOnly() throws Exception {
    FeaturesResult plain = run("f-plain");
    FeaturesResult corrected = run("f-corrected", "augment.correct=true");
    Map<String, List<Float>> before = values(plain.out());
    Map<String, List<Float>> after = values(corrected.out());
    assertEquals(before.keySet(), after.keySet());
    int changedB = 0;
    for (String k : before.keySet()) {
      if (k.endsWith("-b") && !before.get(k).equals(after.get(k))) {
        changedB++;
      }
    }
    assertTrue(changedB > 0, "device b clips are corrected");
  }

  static Map<String, List<Float>> values(String out) {
    Map<String, List<Float>> m = new HashMap<>();
    for (Row r : spark.read().parquet(Path.of(out).resolve("features").toString())
        .where("variant = 0").collectAsList()) {
      m.put(r.getAs("clip_id"), FloatColumns.list(r, "values"));
    }
    return m;
  }

  @Test
  void aDeviceWithoutPairsIsAClearError() {
    InvalidConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
        InvalidConfigException.class, () -> run("f-bad", "augment.chains=[[speccorr]]",
            "augment.speccorr.devices=[c]"));
    assertEquals("features.augment.speccorr.devices", e.key());
    assertTrue(e.getMessage().contains("'c' has no aligned pairs"), e.getMessage());
  }
}
