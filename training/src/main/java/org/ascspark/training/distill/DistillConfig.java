package org.ascspark.training.distill;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.training.evaluate.EvaluateConfig;
import org.ascspark.training.train.TrainConfig;

/**
 * The {@code distill} section, typed and validated before any work (conf/distill.conf documents
 * every key), with the student's training settings from the {@code train} section.
 *
 * @param teacherOutputs folder written by {@code ./asc teacher-outputs}
 * @param ce weight of the cross-entropy to the hard label
 * @param kl weight of the T²-scaled KL divergence to the teacher's soft label
 * @param cosine weight of the cosine distance between the student's and the teacher's embedding
 * @param mse weight of the mean squared error between them
 * @param allowMissing train rows without teacher outputs on the hard label alone instead of refusing
 * @param replaceTeacher recompute the targets with the student after every new best validation
 *     accuracy (Clova)
 * @param initFrom model zip whose parameters initialise the student ("" = fresh initialisation)
 * @param baseline also train the same student without distillation for the side-by-side report
 * @param evaluateTeachers evaluate the teachers for the side-by-side report
 * @param deviceGroups device groups of the report
 * @param student the student's training settings (run folder and hash include the distillation)
 * @param baselineRun the same settings for the run without distillation
 */
public record DistillConfig(String teacherOutputs, double ce, double kl, double cosine, double mse,
    boolean allowMissing, boolean replaceTeacher, String initFrom, boolean baseline,
    boolean evaluateTeachers, Map<String, Set<String>> deviceGroups, TrainConfig student,
    TrainConfig baselineRun) implements Serializable {

  /** The loss terms {@code distill.loss} may weight. */
  public static final List<String> LOSS_TERMS = List.of("ce", "kl", "cosine", "mse");
  /** Keys of the section that do not change the distilled student. */
  static final List<String> NON_RESULT_KEYS = List.of("baseline", "evaluate-teachers", "device-groups");

  /** @return whether an embedding term (cosine or MSE) is used */
  public boolean embeddingTerms() {
    return cosine > 0 || mse > 0;
  }

  /**
   * @param config the job config (sections {@code distill} and {@code train})
   * @return the validated settings
   * @throws InvalidConfigException naming the bad key
   */
  public static DistillConfig from(JobConfig config) {
    ConfigReader r = config.reader("distill");
    Config loss = config.config().getConfig("distill.loss");
    for (Map.Entry<String, ConfigValue> e : loss.root().entrySet()) {
      if (!LOSS_TERMS.contains(e.getKey())) {
        throw new InvalidConfigException(r.key("loss." + e.getKey()), "unknown loss term; known terms: "
            + String.join(", ", LOSS_TERMS));
      }
      if (e.getValue().valueType() != ConfigValueType.NUMBER) {
        throw new InvalidConfigException(r.key("loss." + e.getKey()), "must be a number (a weight >= 0)");
      }
    }
    double ce = r.doubleIn("loss.ce", 0, 1000);
    double kl = r.doubleIn("loss.kl", 0, 1000);
    double cosine = r.doubleIn("loss.cosine", 0, 1000);
    double mse = r.doubleIn("loss.mse", 0, 1000);
    if (ce + kl + cosine + mse == 0) {
      throw new InvalidConfigException(r.key("loss"), "every loss weight is 0: nothing to train on");
    }
    String initFrom = r.stringOrEmpty("init-from");
    if (!initFrom.isEmpty()) {
      initFrom = EvaluateConfig.resolveModel(initFrom, r.key("init-from"));
    }
    TrainConfig train = TrainConfig.from(config);
    Config section = config.config().getConfig("distill");
    for (String k : NON_RESULT_KEYS) {
      section = section.withoutPath(k);
    }
    String hash = JobConfig.sha256(train.resultHash() + "/"
        + section.root().render(ConfigRenderOptions.concise())).substring(0, 16);
    boolean named = !config.reader("train").stringOrEmpty("run-name").isEmpty();
    TrainConfig student = train.withRun(named ? train.runName() : train.model() + "-kd-" + hash, hash);
    TrainConfig plain = named ? train.withRun(train.runName() + "-no-kd", train.resultHash()) : train;
    return new DistillConfig(r.string("teacher-outputs"), ce, kl, cosine, mse, r.bool("allow-missing"),
        r.bool("replace-teacher"), initFrom, r.bool("baseline"), r.bool("evaluate-teachers"),
        EvaluateConfig.deviceGroups(config.config(), r.key("device-groups")), student, plain);
  }
}
