package org.ascspark.jobs;

import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.spark.SparkSessions;
import org.ascspark.training.flow.Ablation;
import org.ascspark.training.flow.AblationConfig;

/**
 * {@code ./asc ablate}: features, training and evaluation for each set of device augmentations, into
 * one results table. Also the main class for {@code spark-submit --class org.ascspark.jobs.AblateJob}.
 */
public final class AblateJob implements Command {

  /** @param args config overrides, e.g. {@code clips=work/ingest train.epochs=3} */
  public static void main(String[] args) {
    System.exit(Asc.execute(new AblateJob(), args));
  }

  @Override
  public String name() {
    return "ablate";
  }

  @Override
  public String summary() {
    return "augmentation ablation: features -> train -> evaluate per augmentation set, one results table";
  }

  @Override
  public String section() {
    return "ablate";
  }

  @Override
  public Map<String, String> extraSections() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String s : java.util.List.of("features", "train", "evaluate")) {
      m.put(s, s);
    }
    return m;
  }

  @Override
  public int run(JobConfig config) throws Exception {
    AblationConfig cfg = AblationConfig.from(config);
    SparkSession spark = SparkSessions.open(config, name());
    Ablation.Result r;
    try {
      Asc.logConfig(config);
      r = Ablation.run(spark, cfg, config);
    } finally {
      spark.stop();
    }
    System.out.printf(Locale.ROOT, "ablate: %d runs (%d computed now, %d reused)%n", r.rows().size(),
        r.computed(), r.rows().size() - r.computed());
    for (Ablation.Row row : r.rows()) {
      StringBuilder groups = new StringBuilder();
      row.groups().forEach((g, s) -> groups.append(String.format(Locale.ROOT, "  %s %.1f%%", g, 100 * s.accuracy())));
      System.out.printf(Locale.ROOT, "  %-24s accuracy %5.1f%%%s  log loss %.3f%n", row.set(), 100 * row.accuracy(),
          groups, row.logLoss());
    }
    System.out.println("Results: " + r.table().markdown().toAbsolutePath() + ", " + r.table().csv().getFileName()
        + ", " + r.table().html().getFileName());
    return 0;
  }
}
