package org.ascspark.training.compress;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.training.evaluate.EvaluateConfig;

/**
 * The {@code compress} section, typed and validated (conf/compress.conf documents every key).
 *
 * @param model             the model zip (a run folder is resolved to its {@code best.zip})
 * @param features          features folder, "" = the model's training features
 * @param out               output folder ("" in the file = {@code <run folder>/compressed})
 * @param overwrite         replace an existing output
 * @param methods           compression methods, in report order, each one of {@link #METHODS}
 * @param split             split the models are evaluated on
 * @param trainSplit        split of the calibration and fine-tuning rows
 * @param seed              seed of the row sample, crops and dropout
 * @param batchSize         minibatch of fine-tuning and calibration (inference uses at least 64)
 * @param calibrationRows   training rows the int8 activation ranges are calibrated on, &gt;= 1
 * @param fineTuneRows      training rows the fine-tuning epochs run over, &gt;= 1
 * @param qatEpochs         quantisation-aware fine-tuning epochs (0 = int8-qat equals int8-ptq)
 * @param qatLearningRate   its learning rate
 * @param sparsity          fraction of the weights pruning zeroes, in [0, 1)
 * @param pruneScope        one ranking over all weights or one per tensor
 * @param pruneEpochs       fine-tuning epochs after pruning, pruned weights held at 0 (0 = one-shot)
 * @param pruneLearningRate their learning rate
 */
public record CompressConfig(String model, String features, String out, boolean overwrite, List<String> methods,
    String split, String trainSplit, long seed, int batchSize, int calibrationRows, int fineTuneRows,
    int qatEpochs, double qatLearningRate, double sparsity, Pruning.Scope pruneScope, int pruneEpochs,
    double pruneLearningRate) {

  /** BatchNorm folding. */
  public static final String FOLD = "fold";
  /** Folded, weights stored as IEEE half precision. */
  public static final String FP16 = "fp16";
  /** Folded, int8 post-training quantisation. */
  public static final String INT8_PTQ = "int8-ptq";
  /** Folded, int8 quantisation-aware fine-tuning. */
  public static final String INT8_QAT = "int8-qat";
  /** Folded, one-shot magnitude pruning. */
  public static final String PRUNE = "prune";
  /** Every method, in the default order. */
  public static final List<String> METHODS = List.of(FOLD, FP16, INT8_PTQ, INT8_QAT, PRUNE);

  private static final List<String> SPLITS = List.of("train", "evaluate", "test", "unassigned");

  /**
   * @param config the job config
   * @return the validated settings
   * @throws InvalidConfigException naming the bad key
   */
  public static CompressConfig from(JobConfig config) {
    ConfigReader r = config.reader("compress");
    List<String> methods = new ArrayList<>();
    for (String m : r.stringList("methods")) {
      if (!METHODS.contains(m)) {
        throw new InvalidConfigException(r.key("methods"), "unknown method '" + m + "' (known: "
            + String.join(", ", METHODS) + ")");
      }
      if (methods.contains(m)) {
        throw new InvalidConfigException(r.key("methods"), "method '" + m + "' is listed twice");
      }
      methods.add(m);
    }
    if (methods.isEmpty()) {
      throw new InvalidConfigException(r.key("methods"), "is empty: give at least one of "
          + String.join(", ", METHODS));
    }
    double sparsity = r.doubleIn("sparsity", 0.0, 1.0);
    if (sparsity >= 1.0) {
      throw new InvalidConfigException(r.key("sparsity"), sparsity + " is outside [0, 1): pruning every weight"
          + " leaves no model");
    }
    String scope = r.oneOf("prune-scope", List.of("global", "layer"));
    String split = r.oneOf("split", SPLITS);
    String trainSplit = r.oneOf("train-split", SPLITS);
    long seed = r.longIn("seed", Long.MIN_VALUE, Long.MAX_VALUE);
    int batchSize = r.intIn("batch-size", 1, 1 << 16);
    int calibrationRows = r.intIn("calibration-rows", 1, 1_000_000);
    int fineTuneRows = r.intIn("fine-tune-rows", 1, 10_000_000);
    int qatEpochs = r.intIn("qat-epochs", 0, 1000);
    double qatLearningRate = r.doubleAbove("qat-learning-rate", 0.0, 10.0);
    int pruneEpochs = r.intIn("prune-epochs", 0, 1000);
    double pruneLearningRate = r.doubleAbove("prune-learning-rate", 0.0, 10.0);
    boolean overwrite = r.bool("overwrite");
    String features = r.stringOrEmpty("features");
    // last: the only check that looks at the file system
    String model = EvaluateConfig.resolveModel(r.string("model"), r.key("model"));
    String out = r.stringOrEmpty("out");
    if (out.isEmpty()) {
      out = new File(model).getAbsoluteFile().getParent() + "/compressed";
    }
    return new CompressConfig(model, features, out, overwrite, List.copyOf(methods), split, trainSplit, seed,
        batchSize, calibrationRows, fineTuneRows, qatEpochs, qatLearningRate, sparsity,
        Pruning.Scope.valueOf(scope.toUpperCase(Locale.ROOT)), pruneEpochs, pruneLearningRate);
  }

  /** @return whether any method needs the int8 activation calibration */
  boolean needsCalibration() {
    return methods.contains(INT8_PTQ) || methods.contains(INT8_QAT);
  }

  /** @return whether any method fine-tunes */
  boolean needsFineTuning() {
    return (methods.contains(INT8_QAT) && qatEpochs > 0) || (methods.contains(PRUNE) && pruneEpochs > 0);
  }
}
