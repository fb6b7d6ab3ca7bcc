package org.ascspark.training.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.features.Features;
import org.ascspark.pipeline.features.FeaturesConfig;
import org.ascspark.training.eval.MetricsResult;
import org.ascspark.training.evaluate.EvaluateConfig;
import org.ascspark.training.evaluate.Evaluator;
import org.ascspark.training.train.TrainConfig;
import org.ascspark.training.train.Trainer;
import org.ascspark.training.train.TrainingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./asc ablate}: for each augmentation set, features (reused by config hash) → train →
 * evaluate, each run skipped when its result is already there, then one table over the sets
 * ({@link AblationTable}).
 *
 * <p>A run is keyed by its training settings: its folder is {@code runs/<set>-<hash>}, where the
 * hash covers the features it reads (their folder is named by the feature-config hash) and every
 * training key, so changing the base config starts new runs instead of mixing old and new results.
 * Its {@code ablation-result.json} is written last; a run killed before is resumed from its
 * training checkpoint.
 */
public final class Ablation {
  private static final Logger LOG = LoggerFactory.getLogger(Ablation.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** File in a run folder holding the run's row of the table. */
  public static final String RESULT_FILE = "ablation-result.json";

  private Ablation() {}

  /**
   * A device group's numbers.
   *
   * @param clips evaluated clips of the group's devices
   * @param accuracy micro accuracy
   * @param macroAccuracy mean class-wise accuracy
   * @param logLoss mean log loss
   */
  public record GroupScore(long clips, double accuracy, double macroAccuracy, double logLoss) {}

  /**
   * One run's row of the table.
   *
   * @param set the set's name
   * @param members its augmentations
   * @param chains its {@code features.augment.chains}, as text
   * @param run the run folder
   * @param model the model evaluated
   * @param epochs epochs it trained
   * @param parameters its parameters (BatchNorm folded)
   * @param clips evaluated clips
   * @param accuracy micro accuracy over all clips
   * @param macroAccuracy mean class-wise accuracy
   * @param logLoss mean log loss
   * @param groups device group name to its numbers, in the configured order
   * @param reused whether this invocation found the row already computed (false in the file)
   */
  public record Row(String set, List<String> members, String chains, String run, String model, int epochs,
      long parameters, long clips, double accuracy, double macroAccuracy, double logLoss,
      Map<String, GroupScore> groups, boolean reused) {
    Row asReused() {
      return new Row(set, members, chains, run, model, epochs, parameters, clips, accuracy, macroAccuracy, logLoss,
          groups, true);
    }
  }

  /**
   * What an ablation produced.
   *
   * @param rows one per set, in the configured order
   * @param table the CSV, Markdown and HTML files
   */
  public record Result(List<Row> rows, AblationTable.Files table) {
    /** @return how many runs were computed now (not reused) */
    public long computed() {
      return rows.stream().filter(r -> !r.reused()).count();
    }
  }

  /** The prepared settings of one set's run (validated before any run starts). */
  record Plan(AblationConfig.AugmentationSet set, JobConfig featuresJob, FeaturesConfig features,
      JobConfig trainJob, TrainConfig train) {}

  /**
   * Runs the ablation.
   *
   * @param spark the session
   * @param cfg ablation settings
   * @param job the ablate job's config, holding the base {@code features}, {@code train} and
   *     {@code evaluate} sections given by the user
   * @return the rows and the table files
   * @throws IOException when outputs cannot be written
   */
  public static Result run(SparkSession spark, AblationConfig cfg, JobConfig job) throws IOException {
    Path work = Path.of(cfg.work());
    Files.createDirectories(work);
    Files.writeString(work.resolve("ablate.conf"), job.render("features", "train", "evaluate"));
    List<Plan> plans = new ArrayList<>();
    for (AblationConfig.AugmentationSet set : cfg.sets()) {
      plans.add(plan(spark, cfg, job, set));
    }
    LOG.info("ablate: {} runs ({}), {} at a time -> {}", plans.size(),
        cfg.sets().stream().map(AblationConfig.AugmentationSet::name).toList(), cfg.parallelRuns(), work);
    List<org.ascspark.pipeline.Parallel.Task<Row>> tasks = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      Plan p = plans.get(i);
      String tag = String.format(Locale.ROOT, "ablate [%d/%d] %s", i + 1, plans.size(), p.set().name());
      tasks.add(() -> runOne(spark, cfg, job, p, tag));
    }
    List<Row> rows = org.ascspark.pipeline.Parallel.run(cfg.parallelRuns(), "ablate-run", tasks);
    AblationTable.Files table = AblationTable.write(work, cfg, rows);
    return new Result(rows, table);
  }

  static Plan plan(SparkSession spark, AblationConfig cfg, JobConfig job,
      AblationConfig.AugmentationSet set) {
    Path work = Path.of(cfg.work());
    Map<String, String> f = new LinkedHashMap<>();
    f.put("clips", cfg.clips());
    f.put("out", work.resolve("features").toString());
    f.put("augment.chains", chainsText(set.chains(cfg.augmentations())));
    JobConfig featuresJob = JobConfig.of("features", layers(job, "features"), f);
    FeaturesConfig fc = features(featuresJob, spark, "ablate.clips");
    Map<String, String> t = new LinkedHashMap<>();
    t.put("features", fc.outputDir());
    t.put("out", work.resolve("runs").toString());
    if (cfg.equalSteps()) {
      int epochs = JobConfig.of("train", layers(job, "train"), t).config().getInt("train.epochs");
      int rowsPerClip = 1 + set.chains(cfg.augmentations()).size();
      t.put("epochs", String.valueOf(Math.max(1, (int) Math.round(epochs / (double) rowsPerClip))));
    }
    TrainConfig keyed = TrainConfig.from(JobConfig.of("train", layers(job, "train"), t));
    t.put("run-name", set.name() + "-" + keyed.resultHash().substring(0, 8));
    t.put("resume", "true");
    t.put("overwrite", "false");
    JobConfig trainJob = JobConfig.of("train", layers(job, "train"), t);
    return new Plan(set, featuresJob, fc, trainJob, TrainConfig.from(trainJob));
  }

  private static Row runOne(SparkSession spark, AblationConfig cfg, JobConfig job, Plan p, String tag)
      throws IOException {
    Path runDir = Path.of(p.train().runDir());
    Path resultFile = runDir.resolve(RESULT_FILE);
    if (Files.exists(resultFile)) {
      Row done = JSON.readValue(resultFile.toFile(), Row.class).asReused();
      LOG.info("{}: already finished ({}), reusing its result: accuracy {}", tag, runDir,
          String.format(Locale.ROOT, "%.3f", done.accuracy()));
      return done;
    }
    LOG.info("{}: features with chains {} -> {}", tag, chainsText(p.set().chains(cfg.augmentations())),
        p.features().outputDir());
    Features.run(spark, p.features(), p.featuresJob());
    if (Trainer.isFinished(p.train())) {
      LOG.info("{}: training already finished in {}", tag, runDir);
    } else {
      LOG.info("{}: training {} (width {}) for {} epochs -> {}", tag, p.train().model(), p.train().width(),
          p.train().epochs(), runDir);
      Trainer.run(spark, p.train(), p.trainJob());
    }
    Path model = runDir.resolve(cfg.checkpoint() + ".zip");
    Map<String, String> e = new LinkedHashMap<>();
    e.put("model", model.toString());
    e.put("out", runDir.resolve("eval-" + cfg.checkpoint()).toString());
    JobConfig evalJob = JobConfig.of("evaluate", layers(job, "evaluate"), e);
    EvaluateConfig ec = EvaluateConfig.from(evalJob);
    LOG.info("{}: evaluating {} on the {} split", tag, model.getFileName(), ec.split());
    Evaluator.Result er = Evaluator.run(spark, ec, evalJob);
    MetricsResult m = er.metrics();
    if (m == null) {
      throw new TrainingException("the " + ec.split() + " split of " + p.features().outputDir()
          + " has no labelled clips to evaluate the ablation on; choose evaluate.split");
    }
    Map<String, GroupScore> groups = new LinkedHashMap<>();
    m.groups().forEach((g, gm) -> groups.put(g,
        new GroupScore(gm.count(), gm.accuracyMicro(), gm.accuracyMacro(), gm.logLoss())));
    Row row = new Row(p.set().name(), p.set().members(), chainsText(p.set().chains(cfg.augmentations())),
        runDir.toString(), model.toString(), p.train().epochs(), parameters(runDir), m.numItems(), m.accuracyMicro(),
        m.accuracyMacro(), m.logLoss(), groups, false);
    Path tmp = runDir.resolve("." + RESULT_FILE + ".tmp");
    JSON.writeValue(tmp.toFile(), row);
    Files.move(tmp, resultFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    LOG.info("{}: accuracy {} (macro {}), log loss {}", tag, String.format(Locale.ROOT, "%.3f", m.accuracyMicro()),
        String.format(Locale.ROOT, "%.3f", m.accuracyMacro()), String.format(Locale.ROOT, "%.3f", m.logLoss()));
    return row;
  }

  /**
   * Validates a features job that another job configured, naming that job's key for the clips.
   *
   * @param featuresJob the features job's config
   * @param spark the session
   * @param clipsKey the key the user gave the clips with, e.g. {@code ablate.clips}
   * @return the validated settings
   */
  static FeaturesConfig features(JobConfig featuresJob, SparkSession spark, String clipsKey) {
    try {
      return FeaturesConfig.from(featuresJob, spark.sparkContext().hadoopConfiguration());
    } catch (org.ascspark.pipeline.config.InvalidConfigException e) {
      if (e.key().equals("features.clips")) {
        throw new org.ascspark.pipeline.config.InvalidConfigException(clipsKey,
            e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
      }
      throw e;
    }
  }

  /** @return parameters with BatchNorm folded, from the run's {@code complexity.json} */
  private static long parameters(Path runDir) throws IOException {
    JsonNode c = JSON.readTree(runDir.resolve("complexity.json").toFile());
    return c.path("summary").path("parameters").asLong(-1);
  }

  /**
   * A section of the user's config as a layer for {@link JobConfig#of}, with the Spark settings.
   *
   * @param job a config holding the section (or not: then only Spark's settings)
   * @param section the section
   * @return the layers
   */
  static List<Config> layers(JobConfig job, String section) {
    Config c = job.config();
    List<Config> out = new ArrayList<>();
    out.add(c.hasPath("spark") ? c.getConfig("spark").atPath("spark") : ConfigFactory.empty());
    if (c.hasPath(section)) {
      out.add(c.getConfig(section).atPath(section));
    }
    return out;
  }

  /** @return chains in HOCON list syntax, e.g. {@code [[fftbin], [mp3, tempo]]} */
  static String chainsText(List<List<String>> chains) {
    List<String> parts = new ArrayList<>();
    for (List<String> c : chains) {
      parts.add("[" + String.join(", ", c) + "]");
    }
    return "[" + String.join(", ", parts) + "]";
  }
}
