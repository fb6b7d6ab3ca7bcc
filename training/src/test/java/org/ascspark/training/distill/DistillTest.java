package org.ascspark.training.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.training.TrainingFixtures;
import org.ascspark.training.TrainingSpark;
import org.ascspark.training.data.Example;
import org.ascspark.training.data.FeatureSet;
import org.ascspark.training.models.Models;
import org.ascspark.training.train.ModelInfo;
import org.ascspark.training.train.TrainConfig;
import org.ascspark.training.train.TrainingException;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * {@link Distiller} on the shared fixture: a one-epoch sp4asc teacher, its outputs, and students
 * distilled from them (a different architecture through an embedding projection; the teacher's own
 * architecture initialised from it with Clova's teacher replacement), the side-by-side report, the
 * replacement's targets, and the bad-input errors.
 */
class DistillTest {
  @TempDir static Path dir;
  private static String teacher;
  private static String outputs;

  @BeforeAll
  static void teacherAndOutputs() throws Exception {
    teacher = TrainingFixtures.trainSmallModel(dir, "teacher", 1).toString();
    outputs = dir.resolve("outputs").toString();
    JobConfig t = JobConfig.load("teacher-outputs", CommandLine.parse(List.of("features="
        + TrainingFixtures.features(), "teachers=[" + teacher + "]", "out=" + outputs, "temperature=2",
        "spark.master=local[2]"), Set.of()));
    TeacherOutputs.run(TrainingSpark.get(), TeacherOutputsConfig.from(t), t);
  }

  private static JobConfig config(String... overrides) {
    List<String> args = new ArrayList<>(List.of("train.features=" + TrainingFixtures.features(),
        "train.out=" + dir.resolve("runs"), "teacher-outputs=" + outputs, "train.epochs=1",
        "train.batch-size=16", "train.crop-s=0.5", "train.dropout=0", "spark.master=local[2]"));
    args.addAll(List.of(overrides));
    return JobConfig.load("distill", CommandLine.parse(args, Set.of()));
  }

  private static Distiller.Result run(JobConfig job) throws Exception {
    return Distiller.run(TrainingSpark.get(), DistillConfig.from(job), job);
  }

  @Test
  void distilsAStudentAndReportsItBesideTeacherAndPlainStudent() throws Exception {
    JobConfig job = config("train.model=bcresnet-asc", "train.width=1", "loss.mse=1");
    DistillConfig cfg = DistillConfig.from(job);
    Distiller.Result r = run(job);

    List<String> roles = r.entries().stream().map(Distiller.Entry::role).toList();
    assertEquals(List.of("teacher", Distiller.STUDENT_LAST, Distiller.STUDENT_BEST, Distiller.PLAIN_LAST,
        Distiller.PLAIN_BEST), roles);
    for (Distiller.Entry e : r.entries()) {
      assertTrue(e.metrics().accuracyMicro() >= 0 && e.metrics().accuracyMicro() <= 1, e.role());
      assertTrue(Double.isFinite(e.metrics().logLoss()), e.role());
      assertTrue(e.parameters() > 0 && e.macsPer1s() > 0, e.role());
    }
    assertTrue(r.entry("teacher").model().startsWith("sp4asc"));
    assertTrue(r.entry(Distiller.STUDENT_LAST).model().startsWith("bcresnet-asc"));
    // the plain student is the run ./asc train would make with the same train settings
    assertEquals(Path.of(TrainConfig.from(job).runDir()), r.baseline().runDir());
    assertEquals(Path.of(cfg.student().runDir()), r.runDir());
    assertTrue(r.runDir().getFileName().toString().startsWith("bcresnet-asc-kd-"));
    String md = Files.readString(r.runDir().resolve("distill-report.md"));
    assertTrue(md.contains("| teacher |") && md.contains("Last epoch: distillation"), md);
    assertTrue(Files.readString(r.runDir().resolve("distill-report.json")).contains("\"accuracy\""));

    // the checkpoint is the training network: distillation loss on the output, the projected embedding head
    ComputationGraph trained = ModelSerializer.restoreComputationGraph(
        r.runDir().resolve("checkpoints/epoch-0001.zip").toFile(), false);
    assertEquals(List.of(Models.OUTPUT, Models.OUTPUT_EMBEDDING), trained.getConfiguration().getNetworkOutputs());
    assertTrue(trained.getConfiguration().getVertices().containsKey(Models.EMBEDDING_PROJECTION));
    assertInstanceOf(org.ascspark.training.nn.DistillationLoss.class, outputLayer(trained).getLossFn());
    // the saved model is the deployable student: same outputs, one output, the plain loss
    ComputationGraph last = ModelSerializer.restoreComputationGraph(r.runDir().resolve("last.zip").toFile(), false);
    assertEquals(List.of(Models.OUTPUT), last.getConfiguration().getNetworkOutputs());
    assertInstanceOf(LossMCXENT.class, outputLayer(last).getLossFn());
    ModelInfo info = ModelInfo.readFrom(r.runDir().resolve("last.zip").toFile());
    Nd4j.getRandom().setSeed(4);
    INDArray x = Nd4j.rand(DataType.FLOAT, 3, info.channels(), info.bins(), info.cropFrames());
    assertTrue(trained.output(x)[0].equalsWithEps(last.output(x)[0], 1e-6));
  }

  private static BaseOutputLayer outputLayer(ComputationGraph g) {
    return (BaseOutputLayer) ((LayerVertex) g.getConfiguration().getVertices().get(Models.OUTPUT)).getLayerConf()
        .getLayer();
  }

  @Test
  void clovaStyleStudentStartsFromTheTeacherAndReplacesIt() throws Exception {
    JobConfig job = config("train.model=sp4asc", "train.width=0.25", "train.epochs=2", "loss.cosine=1",
        "replace-teacher=true", "init-from=" + teacher, "baseline=false", "evaluate-teachers=false",
        "train.run-name=clova");
    Distiller.Result r = run(job);
    assertEquals(List.of(Distiller.STUDENT_LAST, Distiller.STUDENT_BEST),
        r.entries().stream().map(Distiller.Entry::role).toList());
    assertEquals(2, r.student().history().size());
    // no projection: the student's embedding has the teacher's size, as replacement needs
    ComputationGraph trained = ModelSerializer.restoreComputationGraph(
        r.runDir().resolve("checkpoints/epoch-0002.zip").toFile(), false);
    assertTrue(!trained.getConfiguration().getVertices().containsKey(Models.EMBEDDING_PROJECTION));

    // replacing the teacher by itself gives back its own outputs
    SparkSession spark = TrainingSpark.get();
    DistillConfig cfg = DistillConfig.from(job);
    Distillation d = Distillation.open(cfg, spark.sparkContext().hadoopConfiguration());
    FeatureSet fs = FeatureSet.open(TrainingFixtures.features(), spark.sparkContext().hadoopConfiguration());
    List<String> classes = d.manifest().classes();
    JavaRDD<Example> rows = d.trainRows(spark, fs, "train", classes);
    ComputationGraph t = ModelSerializer.restoreComputationGraph(new File(teacher, "best.zip"), false);
    int crop = ModelInfo.readFrom(new File(teacher, "best.zip")).cropFrames();
    Map<String, Example.Targets> before = new HashMap<>();
    for (Example e : rows.collect()) {
      before.put(e.key(), e.targets());
    }
    List<Example> after = d.replaceTargets(spark, fs, "train", rows, t, crop, 64).collect();
    assertEquals(before.size(), after.size());
    for (Example e : after) {
      Example.Targets b = before.get(e.key());
      assertNotNull(e.targets(), e.key());
      assertArrayEquals(b.soft(), e.targets().soft(), 1e-5f, e.key());
      assertArrayEquals(b.embedding(), e.targets().embedding(), 1e-4f, e.key());
    }
  }

  @Test
  void badInputGetsClearErrors() throws Exception {
    // an unknown loss term is an unknown key of the section, refused when the config is loaded
    InvalidConfigException unknown = assertThrows(InvalidConfigException.class, () -> config("loss.hint=1"));
    assertTrue(unknown.getMessage().contains("loss.hint") && unknown.getMessage().contains("loss.cosine"),
        unknown.getMessage());
    assertThrows(InvalidConfigException.class, () -> DistillConfig.from(config("loss.ce=0", "loss.kl=0")));
    assertThrows(InvalidConfigException.class, () -> DistillConfig.from(config("loss.kl=-1")));

    // teacher outputs of another split: every training row is missing
    String other = dir.resolve("outputs-evaluate").toString();
    JobConfig t = JobConfig.load("teacher-outputs", CommandLine.parse(List.of("features="
        + TrainingFixtures.features(), "teachers=[" + teacher + "]", "out=" + other, "split=evaluate",
        "spark.master=local[2]"), Set.of()));
    TeacherOutputs.run(TrainingSpark.get(), TeacherOutputsConfig.from(t), t);
    TrainingException missing = assertThrows(TrainingException.class,
        () -> run(config("teacher-outputs=" + other, "train.run-name=missing")));
    assertTrue(missing.getMessage().matches("(?s)\\d+ of \\d+ rows of split 'train' have no teacher outputs.*"
        + "allow-missing=true.*"), missing.getMessage());

    // another feature hash, a bad temperature: edited copies of the manifest
    TrainingException hash = assertThrows(TrainingException.class, () -> run(config(
        "teacher-outputs=" + editedCopy("hash", "\"feature_hash\" : \"", "\"feature_hash\" : \"0000"),
        "train.run-name=hash")));
    assertTrue(hash.getMessage().contains("feature-hash mismatch"), hash.getMessage());
    TrainingException temp = assertThrows(TrainingException.class, () -> run(config(
        "teacher-outputs=" + editedCopy("temp", "\"temperature\" : 2.0", "\"temperature\" : 0.0"),
        "train.run-name=temp")));
    assertTrue(temp.getMessage().contains("temperature 0.0"), temp.getMessage());
    TrainingException none = assertThrows(TrainingException.class, () -> run(config(
        "teacher-outputs=" + dir.resolve("nothing"), "train.run-name=none")));
    assertTrue(none.getMessage().contains("run ./asc teacher-outputs first"), none.getMessage());
  }

  /** A copy of the teacher outputs with one edit of the manifest text. */
  private static String editedCopy(String name, String from, String to) throws Exception {
    Path copy = dir.resolve("edited-" + name);
    Files.createDirectories(copy);
    String manifest = Files.readString(Path.of(outputs, "_manifest.json"));
    assertTrue(manifest.contains(from), manifest);
    Files.writeString(copy.resolve("_manifest.json"), manifest.replace(from, to));
    Files.createSymbolicLink(copy.resolve(TeacherOutputs.ROWS), Path.of(outputs, TeacherOutputs.ROWS));
    return copy.toString();
  }
}
