package org.ascspark.jobs;

import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.spark.SparkSessions;
import org.ascspark.training.distill.TeacherOutputs;
import org.ascspark.training.distill.TeacherOutputsConfig;

/**
 * {@code ./asc teacher-outputs}: trained teachers over the training features to soft labels,
 * log-probabilities and embeddings per row, for distillation. Also the main class for
 * {@code spark-submit --class org.ascspark.jobs.TeacherOutputsJob}.
 */
public final class TeacherOutputsJob implements Command {

  /** @param args config overrides, e.g. {@code features=work/features/<hash> teachers=[work/runs/t]} */
  public static void main(String[] args) {
    System.exit(Asc.execute(new TeacherOutputsJob(), args));
  }

  @Override
  public String name() {
    return "teacher-outputs";
  }

  @Override
  public String summary() {
    return "Spark + DL4J job: teacher model(s) -> soft labels, logits and embeddings per row";
  }

  @Override
  public String section() {
    return "teacher-outputs";
  }

  @Override
  public Set<String> flags() {
    return Set.of("overwrite");
  }

  @Override
  public int run(JobConfig config) throws Exception {
    TeacherOutputsConfig cfg = TeacherOutputsConfig.from(config);
    SparkSession spark = SparkSessions.open(config, name());
    try {
      Asc.logConfig(config);
      TeacherOutputs.Result r = TeacherOutputs.run(spark, cfg, config);
      System.out.printf("teacher-outputs: %d rows, %d classes, %d-value embeddings -> %s%n", r.rows(),
          r.classes().size(), r.embeddingSize(), r.out());
      return 0;
    } finally {
      spark.stop();
    }
  }
}
