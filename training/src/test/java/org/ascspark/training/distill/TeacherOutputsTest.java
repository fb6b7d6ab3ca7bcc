package org.ascspark.training.distill;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.training.TrainingFixtures;
import org.ascspark.training.TrainingSpark;
import org.ascspark.training.data.FeatureSet;
import org.ascspark.training.train.TrainingException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TeacherOutputs} on the shared fixture with a teacher trained for one epoch: one row per
 * training row, soft labels that are the softmax of the log-probabilities at T, two identical
 * teachers averaging to one, Clova's segment averaging, and the bad-input errors.
 */
class TeacherOutputsTest {
  @TempDir static Path dir;
  private static String teacher;

  @BeforeAll
  static void trainTeacher() throws Exception {
    teacher = TrainingFixtures.trainSmallModel(dir, "teacher", 1).toString();
  }

  private static JobConfig config(String... overrides) {
    List<String> args = new ArrayList<>(List.of("features=" + TrainingFixtures.features(),
        "spark.master=local[2]"));
    args.addAll(List.of(overrides));
    return JobConfig.load("teacher-outputs", CommandLine.parse(args, Set.of("overwrite")));
  }

  private static TeacherOutputs.Result run(JobConfig job) throws Exception {
    return TeacherOutputs.run(TrainingSpark.get(), TeacherOutputsConfig.from(job), job);
  }

  private static Map<String, float[]> column(String out, String name) {
    Map<String, float[]> m = new HashMap<>();
    for (Row r : TrainingSpark.get().read().parquet(out + "/" + TeacherOutputs.ROWS).collectAsList()) {
      List<Float> v = r.getList(r.fieldIndex(name));
      float[] a = new float[v.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = v.get(i);
      }
      m.put(r.getString(0) + "/" + r.getInt(1) + "/" + r.getInt(2), a);
    }
    return m;
  }

  @Test
  void writesSoftLabelsAtTheTemperatureForEveryTrainingRow() throws Exception {
    SparkSession spark = TrainingSpark.get();
    String one = dir.resolve("one").toString();
    TeacherOutputs.Result r = run(config("teachers=[" + teacher + "]", "out=" + one, "temperature=3"));
    FeatureSet fs = FeatureSet.open(TrainingFixtures.features(), spark.sparkContext().hadoopConfiguration());
    long trainRows = fs.rows(spark).filter(col("split").equalTo("train")).count();
    assertEquals(trainRows, r.rows());
    assertEquals(10, r.classes().size());
    assertTrue(r.embeddingSize() > 0);
    assertTrue(Files.exists(Path.of(one, "_manifest.json")));
    Map<String, float[]> logits = column(one, "logits");
    Map<String, float[]> soft = column(one, "soft_labels");
    Map<String, float[]> emb = column(one, "embedding");
    assertEquals(trainRows, soft.size());
    double entropySoft = 0;
    double entropyT1 = 0;
    for (Map.Entry<String, float[]> e : soft.entrySet()) {
      float[] z = logits.get(e.getKey());
      double lse = 0;
      double qs = 0;
      for (float v : z) {
        lse += Math.exp(v);
        qs += Math.exp(v / 3.0);
      }
      assertEquals(1.0, lse, 1e-4, "log-probabilities of " + e.getKey());
      double sum = 0;
      for (int c = 0; c < z.length; c++) {
        assertEquals(Math.exp(z[c] / 3.0) / qs, e.getValue()[c], 1e-5, "soft label " + e.getKey());
        sum += e.getValue()[c];
        entropySoft -= e.getValue()[c] * Math.log(Math.max(e.getValue()[c], 1e-12));
        entropyT1 -= Math.exp(z[c]) * z[c];
      }
      assertEquals(1.0, sum, 1e-5);
      assertEquals(r.embeddingSize(), emb.get(e.getKey()).length);
    }
    assertTrue(entropySoft > entropyT1, "T = 3 flattens: " + entropySoft + " vs " + entropyT1);

    // two copies of the same teacher average to the same outputs
    String two = dir.resolve("two").toString();
    run(config("teachers=[" + teacher + ", " + teacher + "]", "out=" + two, "temperature=3"));
    Map<String, float[]> soft2 = column(two, "soft_labels");
    for (Map.Entry<String, float[]> e : soft.entrySet()) {
      for (int c = 0; c < e.getValue().length; c++) {
        assertEquals(e.getValue()[c], soft2.get(e.getKey())[c], 1e-6);
      }
    }

    // Clova: soft labels averaged over 3 rows of the same scene from other locations
    String avg = dir.resolve("avg").toString();
    run(config("teachers=[" + teacher + "]", "out=" + avg, "temperature=3", "average-segments=3"));
    Map<String, float[]> soft3 = column(avg, "soft_labels");
    int changed = 0;
    for (Map.Entry<String, float[]> e : soft3.entrySet()) {
      double sum = 0;
      double diff = 0;
      for (int c = 0; c < e.getValue().length; c++) {
        sum += e.getValue()[c];
        diff += Math.abs(e.getValue()[c] - soft.get(e.getKey())[c]);
      }
      assertEquals(1.0, sum, 1e-5);
      changed += diff > 1e-6 ? 1 : 0;
    }
    assertTrue(changed > soft3.size() / 2, changed + " of " + soft3.size() + " rows averaged");

    // an existing output is kept unless overwrite
    TrainingException exists = assertThrows(TrainingException.class,
        () -> run(config("teachers=[" + teacher + "]", "out=" + one)));
    assertTrue(exists.getMessage().contains("overwrite=true"), exists.getMessage());
  }

  @Test
  void badSettingsAreRefusedNamingTheKey() {
    InvalidConfigException t = assertThrows(InvalidConfigException.class,
        () -> TeacherOutputsConfig.from(config("teachers=[" + teacher + "]", "temperature=0")));
    assertTrue(t.getMessage().contains("teacher-outputs.temperature"), t.getMessage());
    InvalidConfigException none = assertThrows(InvalidConfigException.class,
        () -> TeacherOutputsConfig.from(config("teachers=[]")));
    assertTrue(none.getMessage().contains("teacher-outputs.teachers"), none.getMessage());
    InvalidConfigException missing = assertThrows(InvalidConfigException.class,
        () -> TeacherOutputsConfig.from(config("teachers=[" + dir.resolve("nope") + "]")));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
  }
}
