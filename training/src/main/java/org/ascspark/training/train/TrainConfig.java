package org.ascspark.training.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.training.models.Models;

/**
 * The {@code train} section, typed and validated before any work (conf/train.conf documents every
 * key).
 *
 * @param features features folder
 * @param out root of runs
 * @param runName the run's folder name below {@code out}
 * @param resume continue a killed run
 * @param overwrite replace an existing run
 * @param model architecture name
 * @param width width multiplier
 * @param trainSplit split trained on
 * @param validationSplit split of the per-epoch validation
 * @param seed run seed
 * @param epochs epochs
 * @param batchSize rows per minibatch per worker
 * @param cropSeconds crop length in seconds, 0 = whole rows
 * @param workers parallel workers, 0 = Spark's default parallelism
 * @param threadsPerWorker ND4J native threads per worker
 * @param averagingFrequency minibatches per worker between averagings
 * @param progressEvery minibatches per worker between progress lines
 * @param loss ce or focal
 * @param focalGamma focal loss γ
 * @param optimizer adam, adamw or sgd
 * @param weightDecay decoupled weight decay (adamw, sgd)
 * @param momentum SGD momentum
 * @param schedule learning-rate schedule
 * @param mixupAlpha mixup α, 0 = off
 * @param timeMasks SpecAugment time masks
 * @param maxTimeWidth SpecAugment largest time mask
 * @param freqMasks SpecAugment frequency masks
 * @param maxFreqWidth SpecAugment largest frequency mask
 * @param dropout dropout probability
 * @param swaEpochs stochastic weight averaging over this many last epochs (0 = off)
 * @param groupHead train the model's auxiliary scene-group head (clova-amfm) and remove it after
 * @param sceneGroups group name to its scene labels, in head output order
 * @param crossGradient cross-gradient training settings, or null when off
 * @param resultHash hash of the settings that change the trained model (not out, run-name, resume,
 *     overwrite, progress-every)
 */
public record TrainConfig(String features, String out, String runName, boolean resume,
    boolean overwrite, String model, double width, String trainSplit, String validationSplit,
    long seed, int epochs, int batchSize, double cropSeconds, int workers, int threadsPerWorker, int averagingFrequency,
    int progressEvery, String loss, double focalGamma, String optimizer, double weightDecay,
    double momentum, LearningRateSchedule schedule, double mixupAlpha, int timeMasks,
    int maxTimeWidth, int freqMasks, int maxFreqWidth, double dropout, int swaEpochs,
    boolean groupHead, java.util.Map<String, List<String>> sceneGroups, CrossGradient crossGradient,
    String resultHash)
    implements Serializable {

  /** Losses. */
  public static final List<String> LOSSES = List.of("ce", "focal");
  /** Optimisers. */
  public static final List<String> OPTIMIZERS = List.of("adam", "adamw", "sgd");
  /** Keys that do not change the trained model (left out of {@link #resultHash()}). */
  static final List<String> NON_RESULT_KEYS =
      List.of("out", "run-name", "resume", "overwrite", "progress-every");

  /**
   * @param config the job config
   * @return the validated settings
   * @throws InvalidConfigException naming the bad key
   */
  public static TrainConfig from(JobConfig config) {
    ConfigReader r = config.reader("train");
    String model = r.oneOf("model", Models.names());
    int epochs = r.intIn("epochs", 1, 100_000);
    List<Integer> restarts = new ArrayList<>();
    for (String s : r.stringList("restart-epochs")) {
      try {
        restarts.add(Integer.parseInt(s.trim()));
      } catch (NumberFormatException e) {
        throw new InvalidConfigException(r.key("restart-epochs"), "'" + s + "' is not an integer");
      }
    }
    double lr = r.doubleAbove("learning-rate", 0, 10);
    double minLr = r.doubleIn("min-learning-rate", 0, 10);
    if (minLr > lr) {
      throw new InvalidConfigException(r.key("min-learning-rate"),
          minLr + " is above learning-rate " + lr);
    }
    LearningRateSchedule schedule;
    try {
      schedule = new LearningRateSchedule(r.oneOf("schedule", LearningRateSchedule.KINDS), lr,
          minLr, epochs, restarts, r.doubleIn("warmup-epochs", 0, epochs));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(r.key("restart-epochs"), e.getMessage());
    }
    String optimizer = r.oneOf("optimizer", OPTIMIZERS);
    double weightDecay = r.doubleIn("weight-decay", 0, 1);
    if (optimizer.equals("adam") && weightDecay > 0) {
      throw new InvalidConfigException(r.key("weight-decay"), weightDecay + " with optimizer adam;"
          + " use optimizer=adamw for Adam with (decoupled) weight decay");
    }
    int swaEpochs = r.intIn("swa-epochs", 0, 100_000);
    if (swaEpochs > epochs) {
      throw new InvalidConfigException(r.key("swa-epochs"), swaEpochs + " is more than epochs (" + epochs + ")");
    }
    boolean groupHead = r.bool("group-head");
    if (groupHead && !Models.hasGroupHead(model)) {
      throw new InvalidConfigException(r.key("group-head"), "model " + model + " has no scene-group head"
          + " (only " + Models.CLOVA_AMFM + " has one)");
    }
    ConfigReader sa = config.reader("train.specaugment");
    String features = r.string("features");
    Config section = config.config().getConfig("train");
    for (String k : NON_RESULT_KEYS) {
      section = section.withoutPath(k);
    }
    String resultHash = JobConfig.sha256(section.root().render(ConfigRenderOptions.concise()))
        .substring(0, 16);
    String runName = r.stringOrEmpty("run-name");
    if (runName.isEmpty()) {
      runName = model + "-" + resultHash;
    } else if (!runName.matches("[A-Za-z0-9._-]+")) {
      throw new InvalidConfigException(r.key("run-name"),
          "'" + runName + "' may only contain letters, digits, '.', '_' and '-'");
    }
    return new TrainConfig(features, r.string("out"), runName, r.bool("resume"),
        r.bool("overwrite"), model, r.doubleAbove("width", 0, 64),
        r.oneOf("train-split", List.of("train", "evaluate", "test", "unassigned")),
        r.oneOf("validation-split", List.of("train", "evaluate", "test", "unassigned")),
        r.longIn("seed", Long.MIN_VALUE, Long.MAX_VALUE), epochs, r.intIn("batch-size", 1, 1 << 16),
        r.doubleIn("crop-s", 0, 3600), r.intIn("workers", 0, 100_000), r.intIn("threads-per-worker", 1, 1024),
        r.intIn("averaging-frequency", 1, 100_000), r.intIn("progress-every", 1, 1_000_000),
        r.oneOf("loss", LOSSES), r.doubleIn("focal-gamma", 0, 10), optimizer,
        weightDecay, r.doubleIn("momentum", 0, 0.999_999), schedule,
        r.doubleIn("mixup-alpha", 0, 100), sa.intIn("time-masks", 0, 100),
        sa.intIn("max-time-width", 0, 100_000), sa.intIn("freq-masks", 0, 100),
        sa.intIn("max-freq-width", 0, 100_000), r.doubleIn("dropout", 0, 0.99), swaEpochs, groupHead,
        sceneGroups(config, r, groupHead), crossGradient(config, groupHead), resultHash);
  }

  /**
   * @param newRunName another run folder name
   * @param newResultHash another hash of the result-defining settings
   * @return these settings under that run name and hash (used by distillation, whose result also
   *     depends on the {@code distill} section)
   */
  public TrainConfig withRun(String newRunName, String newResultHash) {
    return new TrainConfig(features, out, newRunName, resume, overwrite, model, width, trainSplit,
        validationSplit, seed, epochs, batchSize, cropSeconds, workers, threadsPerWorker,
        averagingFrequency, progressEvery, loss, focalGamma, optimizer, weightDecay, momentum,
        schedule, mixupAlpha, timeMasks, maxTimeWidth, freqMasks, maxFreqWidth, dropout,
        swaEpochs, groupHead, sceneGroups, crossGradient, newResultHash);
  }

  /** @return these settings with {@code resume = true} (a finished run is then reused as it is) */
  public TrainConfig resuming() {
    return new TrainConfig(features, out, runName, true, false, model, width, trainSplit,
        validationSplit, seed, epochs, batchSize, cropSeconds, workers, threadsPerWorker,
        averagingFrequency, progressEvery, loss, focalGamma, optimizer, weightDecay, momentum,
        schedule, mixupAlpha, timeMasks, maxTimeWidth, freqMasks, maxFreqWidth, dropout,
        swaEpochs, groupHead, sceneGroups, crossGradient, resultHash);
  }

  private static CrossGradient crossGradient(JobConfig config, boolean groupHead) {
    ConfigReader c = config.reader("train.cross-gradient");
    if (!c.bool("enabled")) {
      return null;
    }
    if (groupHead) {
      throw new InvalidConfigException(c.key("enabled"), "cross-gradient training with the group head is not"
          + " supported; give train.group-head=false");
    }
    return new CrossGradient(c.doubleIn("eps-scene", 0, 100), c.doubleIn("eps-device", 0, 100),
        c.doubleIn("alpha", 0, 1));
  }

  private static java.util.Map<String, List<String>> sceneGroups(JobConfig config, ConfigReader r,
      boolean groupHead) {
    java.util.Map<String, List<String>> groups = new java.util.LinkedHashMap<>();
    Config section = config.config().getConfig("train.scene-groups");
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String g : new java.util.TreeSet<>(section.root().keySet())) {
      List<String> scenes = List.copyOf(config.reader("train.scene-groups").stringList(g));
      for (String sc : scenes) {
        if (!seen.add(sc)) {
          throw new InvalidConfigException(r.key("scene-groups." + g), "scene '" + sc + "' is in two groups");
        }
      }
      groups.put(g, scenes);
    }
    if (groupHead && groups.size() < 2) {
      throw new InvalidConfigException(r.key("scene-groups"), "needs at least 2 groups for the group head");
    }
    return java.util.Collections.unmodifiableMap(groups);
  }

  /** @return the run folder, {@code <out>/<run-name>} */
  public String runDir() {
    return out + "/" + runName;
  }
}
