package org.ascspark.jobs;

import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.spark.SparkSessions;
import org.ascspark.training.compress.CompressConfig;
import org.ascspark.training.compress.CompressionReport;
import org.ascspark.training.compress.Compressor;

/**
 * {@code ./asc compress}: a trained model to BatchNorm-folded, fp16, int8 (post-training and
 * quantisation-aware) and pruned models, each evaluated next to the original with its size and accuracy
 * change in {@code compress-report.md}. Also the main class for
 * {@code spark-submit --class org.ascspark.jobs.CompressJob}.
 */
public final class CompressJob implements Command {

  /** @param args config overrides, e.g. {@code model=work/runs/<run> sparsity=0.7} */
  public static void main(String[] args) {
    System.exit(Asc.execute(new CompressJob(), args));
  }

  @Override
  public String name() {
    return "compress";
  }

  @Override
  public String summary() {
    return "Spark + DL4J job: model -> BN-folded, fp16, int8 (PTQ, QAT) and pruned models, each evaluated";
  }

  @Override
  public String section() {
    return "compress";
  }

  @Override
  public Set<String> flags() {
    return Set.of("overwrite");
  }

  @Override
  public int run(JobConfig config) throws Exception {
    CompressConfig cfg = CompressConfig.from(config);
    SparkSession spark = SparkSessions.open(config, name());
    try {
      Asc.logConfig(config);
      Compressor.Result r = Compressor.run(spark, cfg, config);
      CompressionReport.Row base = r.report().rows().get(0);
      for (CompressionReport.Row row : r.report().rows()) {
        System.out.println(String.format(Locale.ROOT,
            "compress: %-9s %9.2f KB (%-36s) accuracy %.4f (%+.4f), log loss %.4f (%+.4f)", row.method(),
            row.sizeKb(), row.complexity().precision(), row.metrics().accuracyMicro(),
            row.metrics().accuracyMicro() - base.metrics().accuracyMicro(), row.metrics().logLoss(),
            row.metrics().logLoss() - base.metrics().logLoss()));
      }
      System.out.println("compress: report -> " + r.out() + "/" + Compressor.REPORT_MD);
      return 0;
    } finally {
      spark.stop();
    }
  }
}
