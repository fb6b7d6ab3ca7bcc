package org.ascspark.jobs;

import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.features.Features;
import org.ascspark.pipeline.features.FeaturesConfig;
import org.ascspark.pipeline.features.FeaturesResult;
import org.ascspark.pipeline.spark.SparkSessions;

/**
 * {@code ./asc features}: clips to features Parquet plus normalisation statistics. Also the main
 * class for {@code spark-submit --class org.ascspark.jobs.FeaturesJob asc-jobs.jar key=value...}.
 */
public final class FeaturesJob implements Command {

  /** @param args config overrides, e.g. {@code --config frontends/clova mel.n-mels=64} */
  public static void main(String[] args) {
    System.exit(Asc.execute(new FeaturesJob(), args));
  }

  @Override
  public String name() {
    return "features";
  }

  @Override
  public String summary() {
    return "Spark job: clips -> features Parquet (log-mel, gammatone, CQT, deltas) + normalisation stats";
  }

  @Override
  public String section() {
    return "features";
  }

  @Override
  public Set<String> flags() {
    return Set.of("overwrite");
  }

  @Override
  public int run(JobConfig config) throws Exception {
    SparkSession spark = SparkSessions.open(config, name());
    try {
      FeaturesConfig features = FeaturesConfig.from(config, spark.sparkContext().hadoopConfiguration());
      Asc.logConfig(config);
      FeaturesResult r = Features.run(spark, features, config);
      System.out.println("features: " + r.summary());
      return 0;
    } finally {
      spark.stop();
    }
  }
}
