package org.ascspark.jobs;

import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.spark.SparkSessions;
import org.ascspark.training.distill.DistillConfig;
import org.ascspark.training.distill.Distiller;

/**
 * {@code ./asc distill}: a student trained from teacher outputs, the same student without
 * distillation, and the side-by-side report. Also the main class for
 * {@code spark-submit --class org.ascspark.jobs.DistillJob}.
 */
public final class DistillJob implements Command {

  /** @param args config overrides, e.g. {@code teacher-outputs=work/t train.model=ait-student} */
  public static void main(String[] args) {
    System.exit(Asc.execute(new DistillJob(), args));
  }

  @Override
  public String name() {
    return "distill";
  }

  @Override
  public String summary() {
    return "Spark + DL4J job: teacher outputs -> distilled student, plain student, comparison report";
  }

  @Override
  public String section() {
    return "distill";
  }

  @Override
  public Set<String> flags() {
    // resume / overwrite are train.resume=true / train.overwrite=true (the student's run folder)
    return Set.of();
  }

  @Override
  public int run(JobConfig config) throws Exception {
    DistillConfig cfg = DistillConfig.from(config);
    SparkSession spark = SparkSessions.open(config, name());
    try {
      Asc.logConfig(config);
      Distiller.Result r = Distiller.run(spark, cfg, config);
      Distiller.Entry kd = r.entry(Distiller.STUDENT_LAST);
      Distiller.Entry plain = r.entry(Distiller.PLAIN_LAST);
      System.out.printf(Locale.ROOT, "distill: student accuracy %.4f%s -> %s%n",
          kd.metrics().accuracyMicro(), plain == null ? ""
              : String.format(Locale.ROOT, " (without KD %.4f)", plain.metrics().accuracyMicro()),
          r.runDir().resolve("distill-report.md"));
      return 0;
    } finally {
      spark.stop();
    }
  }
}
