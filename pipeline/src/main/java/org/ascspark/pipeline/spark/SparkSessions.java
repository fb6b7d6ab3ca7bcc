package org.ascspark.pipeline.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.JobConfig;

/**
 * Opens the Spark session of a job. Settings given by spark-submit (system properties
 * {@code spark.*}) win over the {@code spark} section of the job config, so the same jar runs on
 * a cluster and, through {@code ./asc}, on an embedded {@code local[*]} master. It also selects
 * ND4J's oneDNN build for this JVM and, on a cluster, for the executors ({@link NativeLibraries}).
 */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * @param config the job's config (uses {@code spark.master}, {@code spark.app-name},
   *     {@code spark.conf})
   * @param command command name, appended to the application name
   * @return a new or the already running session
   */
  public static SparkSession open(JobConfig config, String command) {
    ConfigReader spark = config.reader("spark");
    SparkConf conf = new SparkConf(true);
    if (!conf.contains("spark.master")) {
      conf.setMaster(spark.string("master"));
    }
    conf.setIfMissing("spark.app.name", spark.string("app-name") + " " + command);
    for (Map.Entry<String, String> e : spark.stringMap("conf").entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    if (conf.get("spark.master").startsWith("local")) {
      // An embedded run serves nobody else: no UI port, and bind to loopback only.
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    NativeLibraries.configureThisJvm();
    if (!conf.get("spark.master").startsWith("local")) {
      // executors in their own JVMs: the same ND4J build and DL4J helper settings as here, unless given
      String options = conf.get("spark.executor.extraJavaOptions", "");
      StringBuilder all = new StringBuilder(options);
      for (String option : NativeLibraries.executorJavaOptions()) {
        String key = option.substring(0, option.indexOf('=') + 1);
        if (!options.contains(key)) {
          all.append(all.length() == 0 ? "" : " ").append(option);
        }
      }
      conf.set("spark.executor.extraJavaOptions", all.toString());
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
