package org.ascspark.pipeline;

import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session shared by all tests of this module (STYLE.md rule 10): two cores, and
 * up to three attempts per task so that a test can inject a task failure and check the retry gives
 * the same output (a deterministic failure still fails all attempts).
 */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  /** @return the shared session, created on first use and stopped at JVM exit */
  public static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2,3]")
          .appName("asc-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }
}
