package org.ascspark.jobs;

import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.ingest.Ingest;
import org.ascspark.pipeline.ingest.IngestConfig;
import org.ascspark.pipeline.ingest.IngestResult;
import org.ascspark.pipeline.spark.SparkSessions;

/**
 * {@code ./asc ingest}: TAU-layout dataset to {@code clips} and {@code rejects} Parquet. Also the
 * main class for {@code spark-submit --class org.ascspark.jobs.IngestJob asc-jobs.jar key=value...}.
 */
public final class IngestJob implements Command {

  /** @param args config overrides, e.g. {@code dataset=hdfs:///tau out=hdfs:///asc/ingest} */
  public static void main(String[] args) {
    System.exit(Asc.execute(new IngestJob(), args));
  }

  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public String summary() {
    return "Spark job: TAU-layout dataset -> clips + rejects Parquet (decode, validate, resample)";
  }

  @Override
  public String section() {
    return "ingest";
  }

  @Override
  public int run(JobConfig config) throws Exception {
    IngestConfig ingest = IngestConfig.from(config);
    Asc.logConfig(config);
    SparkSession spark = SparkSessions.open(config, name());
    try {
      IngestResult r = Ingest.run(spark, ingest, config);
      System.out.println("ingest: " + r.summary());
      return 0;
    } finally {
      spark.stop();
    }
  }
}
