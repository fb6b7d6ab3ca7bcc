package org.ascspark.jobs;

import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.spark.SparkSessions;
import org.ascspark.training.train.TrainConfig;
import org.ascspark.training.train.Trainer;

/**
 * {@code ./asc train}: features Parquet to a trained model through DL4J on Spark (parameter
 * averaging). Also the main class for {@code spark-submit --class org.ascspark.jobs.TrainJob}.
 */
public final class TrainJob implements Command {

  /** @param args config overrides, e.g. {@code features=work/features/<hash> model=sp4asc} */
  public static void main(String[] args) {
    System.exit(Asc.execute(new TrainJob(), args));
  }

  @Override
  public String name() {
    return "train";
  }

  @Override
  public String summary() {
    return "Spark + DL4J job: features -> trained model (checkpoints, history, best/last zip)";
  }

  @Override
  public String section() {
    return "train";
  }

  @Override
  public Set<String> flags() {
    return Set.of("resume", "overwrite");
  }

  @Override
  public int run(JobConfig config) throws Exception {
    TrainConfig train = TrainConfig.from(config);
    SparkSession spark = SparkSessions.open(config, name());
    try {
      Asc.logConfig(config);
      Trainer.Result r = Trainer.run(spark, train, config);
      System.out.println(String.format(Locale.ROOT,
          "train: %s, %d epochs, best %s accuracy %.4f at epoch %d -> %s", train.model(),
          r.info().epoch(), train.validationSplit(), r.bestAccuracy(), r.bestEpoch(), r.runDir()));
      return 0;
    } finally {
      spark.stop();
    }
  }
}
