package org.ascspark.training.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.training.TrainingFixtures;
import org.ascspark.training.TrainingSpark;
import org.ascspark.training.compress.Compressor;
import org.ascspark.training.train.ModelInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every shipped preset end to end at small scale on the shared fixture's clips (one epoch, a tenth
 * of the widths, about a third of the clips, 0.5 s crops, 2 TTA passes): features, teacher and distillation where the recipe has them,
 * evaluation (fused for AIT's three front ends) and compression.
 */
class PresetsTest {
  static JobConfig job(String preset, Path work, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("name=" + preset, "clips=" + TrainingFixtures.root().resolve("ingest"),
        "work=" + work, "scale.epochs=0.001", "scale.width=0.1", "scale.data-fraction=0.35",
        "train.batch-size=16", "teacher.batch-size=16", "train.crop-s=0.5", "teacher.crop-s=0.5",
        "evaluate.tta-passes=2", "spark.master=local[2]"));
    args.addAll(List.of(more));
    CommandLine cl = CommandLine.parse(args, Set.of());
    return JobConfig.load("preset", new CommandLine(List.of("presets/" + preset), cl.overrides(), false),
        PresetConfig.SECTIONS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"clova-resnet-se", "clova-amfm", "qti-bcresnet", "valeo-sp4asc", "scut-bcresnet-mod",
      "ait-kd"})
  void runsEndToEndAtSmallScale(String preset, @org.junit.jupiter.api.io.TempDir Path work) throws Exception {
    JobConfig job = job(preset, work);
    PresetConfig cfg = PresetConfig.from(job);
    PresetRun.Result r = PresetRun.run(TrainingSpark.get(), cfg, job);

    assertEquals(cfg.branches().size(), r.branches().size());
    ObjectMapper json = new ObjectMapper();
    for (PresetRun.BranchResult b : r.branches()) {
      assertTrue(Files.exists(b.model()), b.model().toString());
      ModelInfo info = ModelInfo.readFrom(b.model().toFile());
      assertEquals(job.config().getString("train.model"), info.model());
      assertEquals(job.config().getDouble("train.width") * 0.1, info.width(), 1e-9, "scaled width");
      assertEquals(1, json.readTree(b.run().resolve("state.json").toFile()).path("epochsDone").asInt(),
          "scaled to one epoch");
      assertEquals(cfg.teacher(), b.teacherRun() != null);
      if (cfg.teacher()) {
        assertTrue(Files.exists(b.teacherRun().resolve("last.zip")));
        assertTrue(Files.exists(b.run().resolve("distill-report.json")), "distilled");
        assertEquals(job.config().getString("teacher.model"), ModelInfo.readFrom(
            b.teacherRun().resolve("last.zip").toFile()).model());
      }
    }
    assertNotNull(r.evaluation().metrics(), "the evaluate split is labelled");
    assertTrue(r.evaluation().clips() > 0);
    assertTrue(Files.exists(Path.of(r.evaluation().out(), "report.html")));
    if (cfg.branches().size() > 1) {
      assertTrue(Files.exists(Path.of(r.evaluation().out(), "fusion.json")), "branches are fused");
    }
    assertEquals(cfg.compress().isEmpty() ? 0 : cfg.branches().size(), r.compressed().size());
    for (Compressor.Result c : r.compressed()) {
      assertTrue(Files.exists(Path.of(c.out(), Compressor.REPORT_JSON)));
    }
    String report = Files.readString(r.report());
    assertTrue(report.contains(cfg.system()) && report.contains("accuracy"), report);
  }

  @Test
  void aSecondRunReusesEveryFinishedStage(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
    JobConfig job = job("valeo-sp4asc", work, "preset.compress=[]", "evaluate.tta-passes=0");
    PresetRun.Result first = PresetRun.run(TrainingSpark.get(), PresetConfig.from(job), job);
    long trained = Files.getLastModifiedTime(first.branches().get(0).model()).toMillis();
    PresetRun.Result second = PresetRun.run(TrainingSpark.get(), PresetConfig.from(job), job);
    assertEquals(trained, Files.getLastModifiedTime(second.branches().get(0).model()).toMillis(), "not retrained");
    assertEquals(first.evaluation().metrics().accuracyMicro(), second.evaluation().metrics().accuracyMicro());
    JobConfig changed = job("valeo-sp4asc", work, "preset.compress=[]", "evaluate.tta-passes=0", "train.dropout=0");
    PresetRun.Result third = PresetRun.run(TrainingSpark.get(), PresetConfig.from(changed), changed);
    assertTrue(!third.branches().get(0).run().equals(first.branches().get(0).run())
        && Files.exists(first.branches().get(0).model()), "changed settings train a new run beside the old one");
    assertTrue(third.branches().get(0).run().getFileName().toString().matches("valeo-sp4asc-[0-9a-f]{8}"));
    Map<String, String> scaled = PresetRun.scaled(job.config().getConfig("train")
        .withFallback(JobConfig.defaults("train").getConfig("train")), 0.5, 2);
    assertEquals("100", scaled.get("train.epochs"), "valeo's 200 epochs halved");
  }
}
