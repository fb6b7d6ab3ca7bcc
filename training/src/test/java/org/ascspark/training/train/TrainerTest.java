package org.ascspark.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.training.TrainingFixtures;
import org.ascspark.training.TrainingSpark;
import org.ascspark.training.evaluate.EvaluateConfig;
import org.ascspark.training.evaluate.Evaluator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training and evaluate jobs on the shared synthetic features, through local[2] Spark. */
class TrainerTest {
  @TempDir Path dir;

  private static JobConfig trainConfig(Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("features=" + TrainingFixtures.features(),
        "out=" + out, "model=bcresnet-asc", "width=1", "epochs=3", "batch-size=16",
        "averaging-frequency=4", "dropout=0", "learning-rate=0.01", "schedule=cosine",
        "crop-s=0.5", "spark.master=local[2]"));
    args.addAll(List.of(extra));
    return JobConfig.load("train", CommandLine.parse(args, Set.of("resume", "overwrite")));
  }

  private static Trainer.Result train(JobConfig job) throws Exception {
    return Trainer.run(TrainingSpark.get(), TrainConfig.from(job), job);
  }

  @Test
  void trainsBeyondChanceAndEvaluates() throws Exception {
    // sp4asc learns this small set fastest (bcresnet-asc's input ResNorm removes most of the
    // spectral envelope the synthetic scenes differ by, so it needs more data and epochs).
    JobConfig job = trainConfig(dir, "run-name=r1", "model=sp4asc", "width=0.5", "epochs=5",
        "learning-rate=0.003", "mixup-alpha=0.3", "specaugment.time-masks=1",
        "specaugment.max-time-width=4");
    Trainer.Result r = train(job);
    Path run = dir.resolve("r1");
    assertEquals(5, r.history().size());
    for (String f : List.of("best.zip", "last.zip", "model.json", "history.csv", "state.json",
        "config.conf")) {
      assertTrue(Files.exists(run.resolve(f)), f);
    }
    assertEquals(6, Files.readAllLines(run.resolve("history.csv")).size());
    ModelInfo info = ModelInfo.readFrom(run.resolve("best.zip").toFile());
    assertEquals(10, info.classes().size());
    // 10 classes: chance is 0.1.
    assertTrue(r.bestAccuracy() > 0.3, "validation accuracy " + r.bestAccuracy());

    JobConfig ej = JobConfig.load("evaluate", CommandLine.parse(List.of("model=" + run), Set.of()));
    Evaluator.Result e = Evaluator.run(TrainingSpark.get(), EvaluateConfig.from(ej), ej);
    Path out = Path.of(e.out());
    for (String f : List.of("metrics.json", "submission.csv", "report.html", "_manifest.json",
        "confusion_matrix.png", "device_accuracy.png", "training_curves.png", "complexity.json")) {
      assertTrue(Files.exists(out.resolve(f)), f);
    }
    // The evaluate job sees the best model exactly as the per-epoch validation did.
    assertEquals(r.bestAccuracy(), e.metrics().accuracyMicro(), 1e-9);
    assertTrue(Files.readString(out.resolve("report.html")).contains("id=\"results\""));
    List<String> sub = Files.readAllLines(out.resolve("submission.csv"));
    assertEquals(e.clips() + 1, sub.size());
    assertTrue(sub.get(0).startsWith("filename\tscene_label\t"));
    SparkSession spark = TrainingSpark.get();
    assertEquals(e.clips(), spark.read().parquet(out.resolve("predictions").toString()).count());

    // Test-time augmentation: the plain pass plus two masked passes per window.
    JobConfig tj = JobConfig.load("evaluate", CommandLine.parse(List.of("model=" + run,
        "out=" + dir.resolve("tta"), "tta-passes=2", "tta.max-time-width=2",
        "tta.max-freq-width=2"), Set.of()));
    Evaluator.Result t = Evaluator.run(spark, EvaluateConfig.from(tj), tj);
    assertEquals(e.clips(), t.clips());
    assertTrue(t.metrics().accuracyMicro() > 0.25, "TTA accuracy " + t.metrics().accuracyMicro());

    // Late fusion of a model with itself: mean changes nothing, prod keeps every decision
    for (String method : List.of("mean", "prod")) {
      JobConfig fj = JobConfig.load("evaluate", CommandLine.parse(List.of("model=" + run,
          "out=" + dir.resolve("fused-" + method), "fuse-with=[" + run + "]", "fusion=" + method), Set.of()));
      Evaluator.Result f = Evaluator.run(spark, EvaluateConfig.from(fj), fj);
      assertEquals(e.metrics().accuracyMicro(), f.metrics().accuracyMicro(), 1e-12, method);
      assertTrue(Files.readString(Path.of(f.out(), "fusion.json")).contains("\"members\""), method);
      if (method.equals("mean")) {
        assertEquals(e.metrics().logLoss(), f.metrics().logLoss(), 1e-9);
      }
    }
  }

  @Test
  void aKilledRunResumesToTheSameModel() throws Exception {
    // with stochastic weight averaging over both epochs, so its running mean resumes too
    Trainer.Result whole = train(trainConfig(dir, "run-name=whole", "epochs=2", "swa-epochs=2"));
    assertNotNull(whole.swaValidation());
    Trainer.stopAfterEpochs = 1;
    try {
      assertThrows(IllegalStateException.class, () -> train(trainConfig(dir, "run-name=cut", "epochs=2",
          "swa-epochs=2")));
    } finally {
      Trainer.stopAfterEpochs = -1;
    }
    assertTrue(Files.exists(dir.resolve("cut/checkpoints/epoch-0001.zip")));
    // Without resume the existing run is refused.
    TrainingException refused = assertThrows(TrainingException.class,
        () -> train(trainConfig(dir, "run-name=cut", "epochs=2", "swa-epochs=2")));
    assertTrue(refused.getMessage().contains("resume=true"), refused.getMessage());
    Trainer.Result resumed = train(trainConfig(dir, "run-name=cut", "epochs=2", "swa-epochs=2", "resume=true"));
    assertEquals(2, resumed.history().size());
    for (String model : List.of("last.zip", "swa.zip")) {
      ComputationGraph a = ModelSerializer.restoreComputationGraph(dir.resolve("whole").resolve(model).toFile(), false);
      ComputationGraph b = ModelSerializer.restoreComputationGraph(dir.resolve("cut").resolve(model).toFile(), false);
      assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector(), 1e-6f, model);
    }
    // SWA: the weights are the mean of the two epochs' weights; BatchNorm running statistics were
    // re-estimated, not averaged
    ComputationGraph swa = ModelSerializer.restoreComputationGraph(dir.resolve("whole/swa.zip").toFile(), false);
    ComputationGraph e1 = ModelSerializer.restoreComputationGraph(
        dir.resolve("whole/checkpoints/epoch-0001.zip").toFile(), false);
    ComputationGraph e2 = ModelSerializer.restoreComputationGraph(
        dir.resolve("whole/checkpoints/epoch-0002.zip").toFile(), false);
    int weights = 0;
    boolean statsMoved = false;
    for (Map.Entry<String, INDArray> p : swa.paramTable().entrySet()) {
      INDArray mean = e1.getParam(p.getKey()).add(e2.getParam(p.getKey())).divi(2);
      if (p.getKey().endsWith("_mean") || p.getKey().endsWith("_var") || p.getKey().endsWith("_log10stdev")) {
        statsMoved |= !p.getValue().equalsWithEps(mean, 1e-6);
      } else {
        assertTrue(p.getValue().equalsWithEps(mean, 1e-5), p.getKey());
        weights++;
      }
    }
    assertTrue(weights > 5 && statsMoved, weights + " weight arrays; BN statistics re-estimated: " + statsMoved);
    // Resuming with other settings is refused.
    TrainingException other = assertThrows(TrainingException.class,
        () -> train(trainConfig(dir, "run-name=cut", "epochs=2", "swa-epochs=2", "resume=true",
            "learning-rate=0.5")));
    assertTrue(other.getMessage().contains("other settings"), other.getMessage());
  }

  @Test
  void trainsClovasGroupHeadAndRemovesItFromTheSavedModels() throws Exception {
    Trainer.Result r = train(trainConfig(dir, "run-name=mtl", "model=clova-amfm", "width=0.5", "epochs=1",
        "group-head=true"));
    ComputationGraph trained = ModelSerializer.restoreComputationGraph(
        dir.resolve("mtl/checkpoints/epoch-0001.zip").toFile(), false);
    assertEquals(List.of("output", "output_group"), trained.getConfiguration().getNetworkOutputs());
    ComputationGraph saved = ModelSerializer.restoreComputationGraph(dir.resolve("mtl/last.zip").toFile(), false);
    assertEquals(List.of("output"), saved.getConfiguration().getNetworkOutputs());
    INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2,
        r.info().channels(), r.info().bins(), r.info().cropFrames());
    assertTrue(trained.output(x)[0].equalsWithEps(saved.output(x)[0], 1e-6));
    // every label must be in a group; only clova-amfm has the head
    TrainingException ungrouped = assertThrows(TrainingException.class, () -> train(trainConfig(dir,
        "run-name=mtl2", "model=clova-amfm", "width=0.5", "epochs=1", "group-head=true",
        "scene-groups.transportation=[tram]")));
    assertTrue(ungrouped.getMessage().contains("in no group"), ungrouped.getMessage());
    org.ascspark.pipeline.config.InvalidConfigException other = assertThrows(
        org.ascspark.pipeline.config.InvalidConfigException.class,
        () -> TrainConfig.from(trainConfig(dir, "model=sp4asc", "group-head=true")));
    assertTrue(other.getMessage().contains("group-head"), other.getMessage());
  }

  @Test
  void crossGradientTrainingTrainsADeviceClassifierBeside() throws Exception {
    Trainer.Result r = train(trainConfig(dir, "run-name=cgt", "epochs=1", "cross-gradient.enabled=true"));
    assertTrue(Double.isFinite(r.history().get(0).trainLoss()));
    ComputationGraph device = ModelSerializer.restoreComputationGraph(
        dir.resolve("cgt/checkpoints/device/epoch-0001.zip").toFile(), false);
    // the fixture's training devices: a, b, s1
    assertEquals(3, device.outputSingle(org.nd4j.linalg.factory.Nd4j.zeros(1, r.info().channels(),
        r.info().bins(), r.info().cropFrames())).size(1));
    assertEquals(List.of("output"), ModelSerializer.restoreComputationGraph(dir.resolve("cgt/last.zip").toFile(),
        false).getConfiguration().getNetworkOutputs());
  }

  @Test
  void badInputGetsClearErrors() throws Exception {
    TrainingException empty = assertThrows(TrainingException.class,
        () -> train(trainConfig(dir, "train-split=unassigned")));
    assertTrue(empty.getMessage().contains("nothing to train on"), empty.getMessage());
    TrainingException shape = assertThrows(TrainingException.class,
        () -> train(trainConfig(dir, "run-name=shape", "crop-s=0.01")));
    assertTrue(shape.getMessage().contains("cannot take features of shape"), shape.getMessage());
    String noPark = derived("features-no-park", "NOT (split = 'train' AND scene_label = 'park')", "values");
    TrainingException unseen = assertThrows(TrainingException.class,
        () -> train(trainConfig(dir, "features=" + noPark)));
    assertTrue(unseen.getMessage().contains("label 'park'"), unseen.getMessage());
    String nan = derived("features-nan", "true",
        // 0000C07F: a float32 NaN, little-endian
        "CASE WHEN split = 'train' THEN unhex(repeat('0000C07F', octet_length(values) DIV 4)) ELSE values END");
    TrainingException diverged = assertThrows(TrainingException.class,
        () -> train(trainConfig(dir, "features=" + nan, "run-name=nan")));
    assertTrue(diverged.getMessage().contains("became NaN"), diverged.getMessage());
    String arrays = derived("features-array", "true", "array(CAST(0 AS FLOAT))");
    IllegalArgumentException layout = assertThrows(IllegalArgumentException.class,
        () -> train(trainConfig(dir, "features=" + arrays, "run-name=array")));
    assertTrue(layout.getMessage().contains("stores values as array<float>"), layout.getMessage());
    File missing = dir.resolve("nope").toFile();
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> train(trainConfig(dir, "features=" + missing)));
    assertTrue(none.getMessage().contains("no features at"), none.getMessage());
  }

  /** A copy of the fixture's features with rows filtered and the values column rewritten. */
  private String derived(String name, String filter, String valuesExpr) throws Exception {
    Path src = Path.of(TrainingFixtures.features());
    Path dst = dir.resolve(name);
    Files.createDirectories(dst);
    for (String f : List.of("_manifest.json", "stats.json", "config.conf")) {
      Files.copy(src.resolve(f), dst.resolve(f));
    }
    SparkSession spark = TrainingSpark.get();
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows =
        spark.read().parquet(src.resolve("features").toString()).filter(filter);
    rows.withColumn("values", org.apache.spark.sql.functions.expr(valuesExpr))
        .write().parquet(dst.resolve("features").toString());
    return dst.toString();
  }
}
