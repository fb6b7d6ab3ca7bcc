package org.ascspark.training;

import org.apache.spark.sql.SparkSession;

/**
 * The one local[2] Spark session of this module's tests (STYLE.md rule 10), with one attempt per
 * task so a failing training round fails the test at once.
 */
public final class TrainingSpark {
  private static SparkSession session;

  private TrainingSpark() {}

  /** @return the shared session, created on first use and stopped at JVM exit */
  public static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSession.builder().master("local[2]").appName("asc-training-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "2")
          .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }
}
