package org.ascspark.jobs;

import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.spark.SparkSessions;
import org.ascspark.training.evaluate.EvaluateConfig;
import org.ascspark.training.evaluate.Evaluator;

/**
 * {@code ./asc evaluate}: a trained model on the evaluate (or test) split to metrics, predictions,
 * the DCASE submission file, plots and an HTML report. Also the main class for
 * {@code spark-submit --class org.ascspark.jobs.EvaluateJob}.
 */
public final class EvaluateJob implements Command {

  /** @param args config overrides, e.g. {@code model=work/runs/<run>} */
  public static void main(String[] args) {
    System.exit(Asc.execute(new EvaluateJob(), args));
  }

  @Override
  public String name() {
    return "evaluate";
  }

  @Override
  public String summary() {
    return "Spark job: model + split -> metrics.json, predictions, submission file, plots, report.html";
  }

  @Override
  public String section() {
    return "evaluate";
  }

  @Override
  public int run(JobConfig config) throws Exception {
    EvaluateConfig eval = EvaluateConfig.from(config);
    SparkSession spark = SparkSessions.open(config, name());
    try {
      Asc.logConfig(config);
      Evaluator.Result r = Evaluator.run(spark, eval, config);
      if (r.metrics() != null) {
        System.out.println(String.format(Locale.ROOT,
            "evaluate: %d clips of %s, accuracy %.4f (macro %.4f), log loss %.4f -> %s/report.html",
            r.clips(), eval.split(), r.metrics().accuracyMicro(), r.metrics().accuracyMacro(),
            r.metrics().logLoss(), r.out()));
      } else {
        System.out.println("evaluate: " + r.clips() + " unlabelled clips of " + eval.split()
            + " predicted -> " + r.out() + "/submission.csv");
      }
      return 0;
    } finally {
      spark.stop();
    }
  }
}
