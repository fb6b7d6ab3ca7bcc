package org.ascspark.training.evaluate;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ascspark.features.augment.SpecAugment;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.io.AtomicOutput;
import org.ascspark.training.data.Example;
import org.ascspark.training.data.Examples;
import org.ascspark.training.data.FeatureSet;
import org.ascspark.training.eval.Metrics;
import org.ascspark.training.eval.MetricsJson;
import org.ascspark.training.eval.MetricsResult;
import org.ascspark.training.eval.Prediction;
import org.ascspark.training.eval.SubmissionFile;
import org.ascspark.training.infer.Inference;
import org.ascspark.training.train.ModelInfo;
import org.ascspark.training.train.TrainingException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluate job's logic: a trained model on one split, with multi-window averaging for rows
 * longer than the model's input, segment averaging per clip, and optional test-time augmentation
 * (see {@link Inference}). Writes, atomically, to the output folder: {@code metrics.json} (when the
 * split has labels), {@code predictions/} (Parquet), {@code submission.csv} (the DCASE format:
 * tab-separated filename, scene_label and one probability column per class), PNG plots and
 * {@code report.html}.
 */
public final class Evaluator {
  private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);

  /** Schema of {@code predictions/}. */
  public static final StructType PREDICTIONS = new StructType(new StructField[] {
      DataTypes.createStructField("clip_id", DataTypes.StringType, false),
      DataTypes.createStructField("filename", DataTypes.StringType, false),
      DataTypes.createStructField("device", DataTypes.StringType, false),
      DataTypes.createStructField("scene_label", DataTypes.StringType, true),
      DataTypes.createStructField("predicted", DataTypes.StringType, false),
      DataTypes.createStructField("probs", DataTypes.createArrayType(DataTypes.FloatType, false),
          false)});

  /**
   * What an evaluation produced.
   *
   * @param out the output folder
   * @param clips clips predicted
   * @param metrics the metrics, null for an unlabelled split
   */
  public record Result(String out, long clips, MetricsResult metrics) {}

  private Evaluator() {}

  /**
   * Evaluates a model.
   *
   * @param spark the session
   * @param cfg settings
   * @param job the job config (written beside the output)
   * @return the result
   * @throws IOException when the output cannot be written
   * @throws TrainingException on bad input
   */
  public static Result run(SparkSession spark, EvaluateConfig cfg, JobConfig job) throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    File modelFile = new File(cfg.model());
    ModelInfo info = ModelInfo.readFrom(modelFile);
    String featuresDir = cfg.features().isEmpty() ? info.features() : cfg.features();
    FeatureSet features = FeatureSet.open(featuresDir, hadoop);
    try {
      info.requireFeatures(features.featureHash(), featuresDir);
    } catch (IllegalArgumentException e) {
      throw new TrainingException(e.getMessage(), e);
    }
    List<String> labels = Examples.labels(spark, features, cfg.split());
    for (String l : labels) {
      if (!info.classes().contains(l)) {
        throw new TrainingException("label '" + l + "' of split '" + cfg.split() + "' was never seen"
            + " in training (the model's classes: " + info.classes() + ")");
      }
    }
    JavaRDD<Example> rows = Examples.read(spark, features, cfg.split(), true, info.classes())
        .persist(StorageLevel.MEMORY_AND_DISK());
    ComputationGraph net = ModelSerializer.restoreComputationGraph(modelFile, false);
    SpecAugment tta = cfg.ttaPasses() > 0 ? new SpecAugment(cfg.timeMasks(), cfg.maxTimeWidth(),
        cfg.freqMasks(), cfg.maxFreqWidth(), SpecAugment.MaskValue.ZERO) : null;
    Inference inference = new Inference(info.cropFrames(), cfg.batchSize(), tta, cfg.ttaPasses(),
        cfg.seed());
    LOG.info("evaluate: {} (epoch {}) on split {} of {}, {} TTA passes", modelFile, info.epoch(),
        cfg.split(), featuresDir, cfg.ttaPasses());
    List<Inference.ClipScore> clips = Inference.perClip(
        inference.score(JavaSparkContext.fromSparkContext(spark.sparkContext()), net, rows).collect());
    double clipSeconds = rows.map(Example::frames).fold(1, Math::max) / info.framesPerSecond();
    rows.unpersist(false);
    if (clips.isEmpty()) {
      throw new TrainingException("split '" + cfg.split() + "' of " + featuresDir + " has no rows");
    }
    boolean labelled = clips.stream().allMatch(c -> c.prediction().trueLabel() >= 0);
    Map<String, Object> fusion = null;
    if (!cfg.fuseWith().isEmpty()) {
      List<List<Inference.ClipScore>> members = new ArrayList<>(List.of(clips));
      List<String> memberFiles = new ArrayList<>(List.of(modelFile.getPath()));
      for (String other : cfg.fuseWith()) {
        members.add(scoreMember(spark, cfg, new File(other), info.classes()));
        memberFiles.add(other);
      }
      clips = Fusion.fuse(cfg.fusion(), members);
      fusion = new LinkedHashMap<>();
      fusion.put("method", cfg.fusion());
      List<Map<String, Object>> list = new ArrayList<>();
      for (int i = 0; i < members.size(); i++) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", memberFiles.get(i));
        if (labelled) {
          MetricsResult mm = Metrics.compute(members.get(i).stream().map(Inference.ClipScore::prediction).toList(),
              info.classes(), cfg.deviceGroups());
          m.put("accuracy", mm.accuracyMicro());
          m.put("log_loss", mm.logLoss());
          LOG.info(String.format(Locale.ROOT, "evaluate: fusion member %s: accuracy %.4f, log loss %.4f",
              memberFiles.get(i), mm.accuracyMicro(), mm.logLoss()));
        }
        list.add(m);
      }
      fusion.put("members", list);
    }
    MetricsResult metrics = null;
    List<Prediction> predictions = new ArrayList<>();
    List<Prediction> byFilename = new ArrayList<>();
    for (Inference.ClipScore c : clips) {
      Prediction p = c.prediction();
      predictions.add(p);
      byFilename.add(new Prediction(c.filename(), p.trueLabel(), p.device(), p.probs()));
    }
    if (labelled) {
      metrics = Metrics.compute(predictions, info.classes(), cfg.deviceGroups());
    } else {
      LOG.info("evaluate: split {} has unlabelled clips; writing predictions and the submission"
          + " file without metrics", cfg.split());
    }

    try (AtomicOutput output = AtomicOutput.begin(cfg.out(), hadoop)) {
      writePredictions(spark, output, clips, info.classes());
      Path local = Files.createTempDirectory("asc-evaluate");
      try {
        SubmissionFile.write(local.resolve("submission.csv"), info.classes(), byFilename);
        if (metrics != null) {
          Files.writeString(local.resolve("metrics.json"), MetricsJson.render(metrics),
              StandardCharsets.UTF_8);
        }
        if (fusion != null) {
          if (metrics != null) {
            fusion.put("accuracy", metrics.accuracyMicro());
            fusion.put("log_loss", metrics.logLoss());
          }
          Files.writeString(local.resolve("fusion.json"), new com.fasterxml.jackson.databind.ObjectMapper()
              .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(fusion) + "\n", StandardCharsets.UTF_8);
        }
        Reports.write(local, info, modelFile, cfg, metrics, net, clipSeconds);
        FileSystem fs = output.staging().getFileSystem(hadoop);
        try (var files = Files.list(local)) {
          for (Path p : files.toList()) {
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(p.toUri()),
                new org.apache.hadoop.fs.Path(output.staging(), p.getFileName().toString()));
          }
        }
      } finally {
        deleteTree(local);
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      counts.put("clips", (long) clips.size());
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("model", modelFile.getAbsolutePath());
      extra.put("feature_hash", info.featureHash());
      extra.put("split", cfg.split());
      extra.put("classes", info.classes());
      if (!cfg.fuseWith().isEmpty()) {
        extra.put("fuse_with", cfg.fuseWith());
        extra.put("fusion", cfg.fusion());
      }
      if (metrics != null) {
        extra.put("accuracy", metrics.accuracyMicro());
        extra.put("accuracy_macro", metrics.accuracyMacro());
        extra.put("log_loss", metrics.logLoss());
      }
      output.commit("evaluate", job, counts, extra);
    }
    if (metrics != null) {
      LOG.info(String.format(Locale.ROOT,
          "evaluate: %d clips, accuracy %.4f (macro %.4f), log loss %.4f -> %s", clips.size(),
          metrics.accuracyMicro(), metrics.accuracyMacro(), metrics.logLoss(), cfg.out()));
    }
    return new Result(cfg.out(), clips.size(), metrics);
  }

  /** Clip scores of one fusion member on the split of the features it was trained on. */
  private static List<Inference.ClipScore> scoreMember(SparkSession spark, EvaluateConfig cfg, File zip,
      List<String> classes) throws IOException {
    ModelInfo info = ModelInfo.readFrom(zip);
    if (!info.classes().equals(classes)) {
      throw new TrainingException("fusion: " + zip + " has classes " + info.classes() + ", the first model "
          + classes);
    }
    FeatureSet features = FeatureSet.open(info.features(), spark.sparkContext().hadoopConfiguration());
    try {
      info.requireFeatures(features.featureHash(), info.features());
    } catch (IllegalArgumentException e) {
      throw new TrainingException("fusion: " + zip + ": " + e.getMessage(), e);
    }
    JavaRDD<Example> rows = Examples.read(spark, features, cfg.split(), true, classes);
    SpecAugment tta = cfg.ttaPasses() > 0 ? new SpecAugment(cfg.timeMasks(), cfg.maxTimeWidth(),
        cfg.freqMasks(), cfg.maxFreqWidth(), SpecAugment.MaskValue.ZERO) : null;
    Inference inference = new Inference(info.cropFrames(), cfg.batchSize(), tta, cfg.ttaPasses(), cfg.seed());
    ComputationGraph net = ModelSerializer.restoreComputationGraph(zip, false);
    LOG.info("evaluate: fusion member {} on {}", zip, info.features());
    return Inference.perClip(inference.score(JavaSparkContext.fromSparkContext(spark.sparkContext()), net, rows)
        .collect());
  }

  private static void writePredictions(SparkSession spark, AtomicOutput output,
      List<Inference.ClipScore> clips, List<String> classes) {
    List<Row> rows = new ArrayList<>(clips.size());
    for (Inference.ClipScore c : clips) {
      Prediction p = c.prediction();
      double[] probs = p.probs();
      Float[] boxed = new Float[probs.length];
      for (int i = 0; i < probs.length; i++) {
        boxed[i] = (float) probs[i];
      }
      rows.add(RowFactory.create(p.clipId(), c.filename(), p.device(),
          p.trueLabel() >= 0 ? classes.get(p.trueLabel()) : null,
          classes.get(Metrics.argmax(probs)), boxed));
    }
    spark.createDataFrame(rows, PREDICTIONS).coalesce(1).write().mode(SaveMode.ErrorIfExists)
        .parquet(output.resolve("predictions"));
  }

  static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
