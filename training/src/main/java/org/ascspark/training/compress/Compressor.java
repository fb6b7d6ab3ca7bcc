package org.ascspark.training.compress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.ascspark.features.RecordSeeds;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.io.AtomicOutput;
import org.ascspark.training.complexity.ComplexityAnalyzer;
import org.ascspark.training.complexity.ComplexityReport;
import org.ascspark.training.complexity.ModelComplexity;
import org.ascspark.training.data.Example;
import org.ascspark.training.data.Examples;
import org.ascspark.training.data.FeatureSet;
import org.ascspark.training.data.TrainingBatches;
import org.ascspark.training.eval.Metrics;
import org.ascspark.training.eval.MetricsResult;
import org.ascspark.training.eval.Prediction;
import org.ascspark.training.infer.Inference;
import org.ascspark.training.train.ModelInfo;
import org.ascspark.training.train.TrainingException;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compress job's logic (SPEC.md §8; issue 6 item 5): a trained model is compressed by each
 * configured method, every compressed model is evaluated like {@code ./asc evaluate} does (the same
 * {@link Inference} windows and clip averaging, {@link Metrics}) on the evaluation split next to the
 * original, and its size is counted as SPEC.md §7 asks (the complexity analyser at the precision the
 * method stores).
 *
 * <p>Methods (each but {@code fold} starts from the BN-folded model, as deployment would):
 * <ul>
 *   <li>{@code fold}: {@link BatchNormFolding}; float32.</li>
 *   <li>{@code fp16}: the folded model converted to IEEE half precision (DL4J {@code DataType.HALF}): its
 *       zip stores every parameter in 16 bits. It is evaluated as valeo deploy theirs (seed 004 §4: "these
 *       float16 parameters are ... cast into float32 type ... all computations are thus done with a
 *       float32 precision"): the half values widened to float32, float32 compute. Size at 16 bits.
 *       ({@code ./asc evaluate} on {@code fp16.zip} computes in half precision instead, which ND4J also
 *       runs on CPU; its numbers can differ slightly.)</li>
 *   <li>{@code int8-ptq}: post-training quantisation. Weights: symmetric int8 per output channel
 *       ({@link Quantization}); biases and BatchNorm scale/shift that could not be folded stay 32-bit.
 *       Activations: per-tensor affine int8 with min/max ranges calibrated on {@code calibration-rows}
 *       training rows ({@link ActivationQuantization}). Size: weights at 8 bits, biases at 32
 *       ({@code mixed: weights 8 bit, biases 32 bit}; per-channel scales and activation ranges, listed in
 *       the details, are not counted, as the DCASE rules count parameters only).</li>
 *   <li>{@code int8-qat}: the int8-ptq network (same activation ranges, kept fixed) fine-tuned for
 *       {@code qat-epochs} with fake-quantised weights and activations and straight-through gradients
 *       ({@link FineTuning.WeightFakeQuant}, {@link org.ascspark.training.nn.FakeQuantVertex}), starting
 *       from the float folded weights; exported with its weights quantised. Size as int8-ptq.</li>
 *   <li>{@code prune}: {@link Pruning} to {@code sparsity}, optionally fine-tuned {@code prune-epochs}
 *       with the pruned weights held at zero; float32, the zeros discounted by the DCASE 2021 size.</li>
 * </ul>
 * <b>int8 is simulated</b>: the int8 models are float32 DL4J networks whose weights hold dequantised
 * values ({@code q · scale}) and whose activations pass through fake-quantisation vertices; rounding
 * and clipping are exactly those of an int8 kernel, but the arithmetic (accumulation, requantisation of
 * sums, the softmax) is float32, so an integer runtime may differ in the last bits. Calibration and
 * fine-tuning rows are a seeded sample of the training split, taken on Spark and used on the driver
 * ({@link FineTuning}); evaluation runs on the executors.
 *
 * <p>Output, written atomically to {@code out}: {@code <method>.zip} per method (each carries the model's
 * {@code asc-model.json}, so {@code ./asc evaluate} takes it, and {@code asc-compression.json} with the
 * method's details), {@code compress-report.json}, {@code compress-report.md}, {@code config.conf},
 * {@code _manifest.json}.
 */
public final class Compressor {
  private static final Logger LOG = LoggerFactory.getLogger(Compressor.class);
  /** Entry of the compression details inside a compressed model zip. */
  public static final String ZIP_ENTRY = "asc-compression.json";
  /** Report file names. */
  public static final String REPORT_JSON = "compress-report.json";
  /** Report file names. */
  public static final String REPORT_MD = "compress-report.md";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What a run produced.
   *
   * @param out    the output folder
   * @param report the report
   */
  public record Result(String out, CompressionReport report) {}

  private Compressor() {}

  /**
   * Compresses and evaluates a model.
   *
   * @param spark the session
   * @param cfg   settings
   * @param job   the job config (written beside the output)
   * @return the result
   * @throws IOException       when the output cannot be written
   * @throws TrainingException on bad input (see the message)
   */
  public static Result run(SparkSession spark, CompressConfig cfg, JobConfig job) throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    File modelFile = new File(cfg.model());
    ModelInfo info;
    try {
      info = ModelInfo.readFrom(modelFile);
    } catch (IllegalArgumentException e) {
      throw new TrainingException("compress.model: " + e.getMessage(), e);
    }
    String featuresDir = cfg.features().isEmpty() ? info.features() : cfg.features();
    FeatureSet features;
    try {
      features = FeatureSet.open(featuresDir, hadoop);
      info.requireFeatures(features.featureHash(), featuresDir);
    } catch (IllegalArgumentException e) {
      throw new TrainingException("compress.features: " + e.getMessage(), e);
    }
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(cfg.out());
    FileSystem fs = target.getFileSystem(hadoop);
    if (fs.exists(new org.apache.hadoop.fs.Path(target, AtomicOutput.MANIFEST)) && !cfg.overwrite()) {
      throw new TrainingException("compress.out: " + cfg.out() + " already holds a compression output; give"
          + " overwrite=true to replace it, or another out");
    }
    for (String l : Examples.labels(spark, features, cfg.split())) {
      if (!info.classes().contains(l)) {
        throw new TrainingException("label '" + l + "' of split '" + cfg.split() + "' was never seen in training"
            + " (the model's classes: " + info.classes() + ")");
      }
    }
    JavaRDD<Example> evalRows = Examples.read(spark, features, cfg.split(), true, info.classes())
        .persist(StorageLevel.MEMORY_AND_DISK());
    long evalCount = evalRows.count();
    if (evalCount == 0) {
      throw new TrainingException("split '" + cfg.split() + "' of " + featuresDir + " has no rows to evaluate on");
    }
    int maxFrames = evalRows.map(Example::frames).fold(1, Math::max);
    double inputSeconds = info.cropFrames() / info.framesPerSecond();
    double clipSeconds = Math.max(inputSeconds, maxFrames / info.framesPerSecond());
    InputType inputType = InputType.convolutional(info.bins(), info.cropFrames(), info.channels());
    Inference inference = new Inference(info.cropFrames(), Math.max(cfg.batchSize(), 64), null, 0, cfg.seed());
    Evaluation eval = new Evaluation(jsc, evalRows, inference, info.classes());

    ComputationGraph original = ModelSerializer.restoreComputationGraph(modelFile, false);
    LOG.info("compress: {} ({}, {} parameters) with {} on split {} of {} ({} rows)", modelFile, info.model(),
        original.numParams(), cfg.methods(), cfg.split(), featuresDir, evalCount);
    List<CompressionReport.Row> rows = new ArrayList<>();
    if (evalRows.filter(e -> e.label() < 0).count() > 0) {
      throw new TrainingException("compress.split: split '" + cfg.split() + "' of " + featuresDir + " has rows"
          + " without a known label; the accuracy change of compression needs a labelled split (e.g. evaluate)");
    }
    Scored base = eval.score(original);
    rows.add(new CompressionReport.Row(CompressionReport.ORIGINAL, "", modelFile.length(),
        ComplexityReport.of(complexity(original, inputType), inputSeconds, clipSeconds), base.metrics(), 1.0,
        Map.of()));
    log(rows.get(0));

    BatchNormFolding.Result folded = BatchNormFolding.fold(original);
    Map<String, Object> foldDetails = new LinkedHashMap<>();
    foldDetails.put("folded", folded.folded());
    foldDetails.put("kept", folded.kept());
    LOG.info("compress: folded {} BatchNorm layers, kept {}: {}", folded.folded().size(), folded.kept().size(),
        folded.kept());

    List<Example> sample = trainingSample(spark, features, cfg, info);
    int classes = info.classes().size();
    Map<String, double[]> ranges = null;
    List<Quantization.TensorScales> ptqScales = null;
    ComputationGraph ptq = null;
    if (cfg.needsCalibration()) {
      ComputationGraph wq = folded.net().clone();
      ptqScales = Quantization.quantizeWeights(wq);
      List<Example> calRows = sample.subList(0, Math.min(cfg.calibrationRows(), sample.size()));
      int calBatch = ActivationQuantization.calibrationBatch(wq, inputType, cfg.batchSize());
      List<INDArray> inputs = new ArrayList<>();
      TrainingBatches tb = new TrainingBatches(cfg.seed(), classes, calBatch, info.cropFrames(), null, null);
      tb.batches(0, calRows.iterator()).forEachRemaining((DataSet d) -> inputs.add(d.getFeatures()));
      ranges = ActivationQuantization.calibrate(wq, ActivationQuantization.points(wq), inputs);
      ptq = ActivationQuantization.insert(wq, ranges);
      LOG.info("compress: int8 activation ranges of {} tensors calibrated on {} training rows", ranges.size(),
          calRows.size());
    }

    Path local = Files.createTempDirectory("asc-compress");
    try {
      for (String method : cfg.methods()) {
        Map<String, Object> details = new LinkedHashMap<>();
        ComputationGraph saved;
        ComputationGraph evaluated;
        ComplexityReport complexity;
        switch (method) {
          case CompressConfig.FOLD -> {
            saved = folded.net();
            evaluated = saved;
            details.putAll(foldDetails);
            complexity = ComplexityReport.of(complexity(saved, inputType), inputSeconds, clipSeconds);
          }
          case CompressConfig.FP16 -> {
            saved = folded.net().convertDataType(DataType.HALF);
            evaluated = saved.convertDataType(DataType.FLOAT);
            details.put("stored", "every parameter as IEEE binary16 (DL4J DataType.HALF)");
            details.put("evaluated", "half values widened to float32, float32 compute (valeo, seed 004 §4)");
            complexity = ComplexityReport.of(complexity(evaluated, inputType), inputSeconds, clipSeconds, 16);
          }
          case CompressConfig.INT8_PTQ -> {
            saved = ptq;
            evaluated = saved;
            details.putAll(int8Details(ranges, ptqScales, Math.min(cfg.calibrationRows(), sample.size())));
            complexity = ComplexityReport.mixed(complexity(saved, inputType), inputSeconds, clipSeconds, 8, 32);
          }
          case CompressConfig.INT8_QAT -> {
            ComputationGraph qat = ActivationQuantization.insert(folded.net(), ranges);
            FineTuning.WeightFakeQuant hook = new FineTuning.WeightFakeQuant(WeightTensors.of(qat));
            List<Example> rowsFt = sample.subList(0, Math.min(cfg.fineTuneRows(), sample.size()));
            List<Double> losses = FineTuning.fit(qat, rowsFt, new TrainingBatches(cfg.seed(), classes,
                cfg.batchSize(), info.cropFrames(), null, null), cfg.batchSize(), cfg.qatEpochs(),
                cfg.qatLearningRate(), cfg.seed(), hook, method);
            saved = qat;
            evaluated = saved;
            details.putAll(int8Details(ranges, hook.scales(), Math.min(cfg.calibrationRows(), sample.size())));
            details.put("fine_tuning", fineTuning(cfg.qatEpochs(), cfg.qatLearningRate(), rowsFt.size(), losses));
            complexity = ComplexityReport.mixed(complexity(saved, inputType), inputSeconds, clipSeconds, 8, 32);
          }
          case CompressConfig.PRUNE -> {
            ComputationGraph pruned = folded.net().clone();
            List<Pruning.Mask> masks = Pruning.prune(pruned, cfg.sparsity(), cfg.pruneScope());
            List<Example> rowsFt = sample.subList(0, Math.min(cfg.fineTuneRows(), sample.size()));
            List<Double> losses = FineTuning.fit(pruned, rowsFt, new TrainingBatches(cfg.seed(), classes,
                cfg.batchSize(), info.cropFrames(), null, null), cfg.batchSize(), cfg.pruneEpochs(),
                cfg.pruneLearningRate(), cfg.seed(), new FineTuning.KeepPruned(masks), method);
            long weights = 0;
            long zeroed = 0;
            Map<String, Double> perTensor = new LinkedHashMap<>();
            for (Pruning.Mask m : masks) {
              weights += m.keep().length;
              zeroed += m.pruned();
              perTensor.put(m.tensor().id(), m.keep().length == 0 ? 0.0 : m.pruned() / (double) m.keep().length);
            }
            saved = pruned;
            evaluated = saved;
            details.put("sparsity_target", cfg.sparsity());
            details.put("scope", cfg.pruneScope().name().toLowerCase(Locale.ROOT));
            details.put("prunable_weights", weights);
            details.put("pruned_weights", zeroed);
            details.put("sparsity", weights == 0 ? 0.0 : zeroed / (double) weights);
            details.put("tensor_sparsity", perTensor);
            if (cfg.pruneEpochs() > 0) {
              details.put("fine_tuning", fineTuning(cfg.pruneEpochs(), cfg.pruneLearningRate(), rowsFt.size(),
                  losses));
            }
            complexity = ComplexityReport.of(complexity(saved, inputType), inputSeconds, clipSeconds);
          }
          default -> throw new IllegalStateException("unknown method " + method);
        }
        Path zip = local.resolve(method + ".zip");
        save(saved, info, method, details, zip);
        Scored s = eval.score(evaluated);
        CompressionReport.Row row = new CompressionReport.Row(method, zip.getFileName().toString(),
            Files.size(zip), complexity, s.metrics(), s.agreement(base), details);
        rows.add(row);
        log(row);
      }
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("model", modelFile.getAbsolutePath());
      header.put("architecture", info.model());
      header.put("features", featuresDir);
      header.put("feature_hash", info.featureHash());
      header.put("split", cfg.split());
      header.put("clips", base.predicted().length);
      header.put("input_seconds", inputSeconds);
      header.put("clip_seconds", clipSeconds);
      header.put("evaluation", "as ./asc evaluate (windows of the model's input, mean softmax per clip);"
          + " int8 models: simulated quantisation (dequantised int8 weights and fake-quantised int8"
          + " activations, float32 compute)");
      CompressionReport report = new CompressionReport(header, rows);
      Files.writeString(local.resolve(REPORT_JSON), report.toJson(), StandardCharsets.UTF_8);
      Files.writeString(local.resolve(REPORT_MD), report.toMarkdown(), StandardCharsets.UTF_8);
      try (AtomicOutput output = AtomicOutput.begin(cfg.out(), hadoop)) {
        FileSystem out = output.staging().getFileSystem(hadoop);
        try (var files = Files.list(local)) {
          for (Path p : files.sorted().toList()) {
            out.copyFromLocalFile(new org.apache.hadoop.fs.Path(p.toUri()),
                new org.apache.hadoop.fs.Path(output.staging(), p.getFileName().toString()));
          }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("clips", (long) base.predicted().length);
        counts.put("calibration_rows", (long) (cfg.needsCalibration()
            ? Math.min(cfg.calibrationRows(), sample.size()) : 0));
        counts.put("fine_tune_rows", (long) (cfg.needsFineTuning() ? Math.min(cfg.fineTuneRows(), sample.size())
            : 0));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("model", modelFile.getAbsolutePath());
        extra.put("feature_hash", info.featureHash());
        extra.put("split", cfg.split());
        extra.put("methods", cfg.methods());
        output.commit("compress", job, counts, extra);
      }
      evalRows.unpersist(false);
      LOG.info("compress: report -> {}/{}", cfg.out(), REPORT_MD);
      return new Result(cfg.out(), report);
    } finally {
      try (var s = Files.walk(local)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static ModelComplexity complexity(ComputationGraph net, InputType input) {
    return ComplexityAnalyzer.analyze(net, input);
  }

  private static void log(CompressionReport.Row r) {
    LOG.info(String.format(Locale.ROOT, "compress: %-9s %-34s %,9d parameters, %,9d non-zero, %8.2f KB,"
            + " accuracy %.4f (macro %.4f), log loss %.4f, agreement %.4f", r.method(), r.complexity().precision(),
        r.complexity().parameters(), r.complexity().nonZeroParameters(), r.sizeKb(), r.metrics().accuracyMicro(),
        r.metrics().accuracyMacro(), r.metrics().logLoss(), r.agreement()));
  }

  private static Map<String, Object> int8Details(Map<String, double[]> ranges,
      List<Quantization.TensorScales> scales, int calibrationRows) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("weights", "symmetric int8 per output channel, levels [-127, 127], scale = max|w| / 127;"
        + " biases and unfolded BatchNorm scale/shift float32");
    d.put("activations", "affine int8 per tensor, levels [-128, 127], min/max calibration");
    d.put("calibration_rows", calibrationRows);
    d.put("evaluation", "simulated: dequantised values in float32 compute");
    List<Object> w = new ArrayList<>();
    for (Quantization.TensorScales s : scales) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("vertex", s.vertex());
      e.put("param", s.key());
      e.put("layout", s.layout());
      List<Double> sc = new ArrayList<>(s.scales().length);
      for (double v : s.scales()) {
        sc.add(v);
      }
      e.put("scales", sc);
      w.add(e);
    }
    d.put("weight_scales", w);
    List<Object> a = new ArrayList<>();
    for (Map.Entry<String, double[]> r : ranges.entrySet()) {
      Quantization.Affine q = Quantization.affine(r.getValue()[0], r.getValue()[1], Quantization.INT8_MIN,
          Quantization.INT8_MAX);
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("after", r.getKey());
      e.put("min", r.getValue()[0]);
      e.put("max", r.getValue()[1]);
      e.put("scale", q.scale());
      e.put("zero_point", q.zeroPoint());
      a.add(e);
    }
    d.put("activation_ranges", a);
    return d;
  }

  private static Map<String, Object> fineTuning(int epochs, double lr, int rows, List<Double> losses) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("epochs", epochs);
    f.put("learning_rate", lr);
    f.put("rows", rows);
    f.put("epoch_losses", losses);
    return f;
  }

  /**
   * The seeded sample of labelled training rows that calibration and fine-tuning use: the rows
   * ordered by a hash of (seed, row key), first {@code max(calibration-rows, fine-tune-rows)} of them
   * (only as many as the configured methods need).
   */
  private static List<Example> trainingSample(SparkSession spark, FeatureSet features, CompressConfig cfg,
      ModelInfo info) {
    int need = Math.max(cfg.needsCalibration() ? cfg.calibrationRows() : 0,
        cfg.needsFineTuning() ? cfg.fineTuneRows() : 0);
    if (need == 0) {
      return List.of();
    }
    List<Example> rows = Examples.read(spark, features, cfg.trainSplit(), false, info.classes())
        .filter(e -> e.label() >= 0).takeOrdered(need, new RowOrder(cfg.seed()));
    if (rows.isEmpty()) {
      throw new TrainingException("split '" + cfg.trainSplit() + "' of " + features.dir() + " has no labelled rows"
          + " to calibrate or fine-tune on (compress.train-split)");
    }
    return rows;
  }

  /** Orders rows by a hash of (seed, row key), then by key: a seeded sample independent of partitioning. */
  static final class RowOrder implements Comparator<Example>, Serializable {
    private static final long serialVersionUID = 1L;
    private final long seed;

    RowOrder(long seed) {
      this.seed = seed;
    }

    @Override
    public int compare(Example a, Example b) {
      int c = Long.compare(RecordSeeds.mix(seed, "compress/" + a.key()), RecordSeeds.mix(seed, "compress/" + b.key()));
      return c != 0 ? c : a.key().compareTo(b.key());
    }
  }

  /** Saves a model with its description and the compression details inside the zip. */
  private static void save(ComputationGraph net, ModelInfo info, String method, Map<String, Object> details,
      Path target) throws IOException {
    ModelSerializer.writeModel(net, target.toFile(), false);
    ModelSerializer.addObjectToFile(target.toFile(), ModelInfo.ZIP_ENTRY, info.toJson());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", method);
    m.putAll(details);
    try {
      ModelSerializer.addObjectToFile(target.toFile(), ZIP_ENTRY, JSON.writeValueAsString(m));
    } catch (JsonProcessingException e) {
      throw new IOException("cannot render the compression details", e);
    }
  }

  /** Predictions and metrics of one model on the evaluation rows. */
  private record Scored(MetricsResult metrics, int[] predicted) {
    double agreement(Scored other) {
      int same = 0;
      for (int i = 0; i < predicted.length; i++) {
        same += predicted[i] == other.predicted[i] ? 1 : 0;
      }
      return predicted.length == 0 ? Double.NaN : same / (double) predicted.length;
    }
  }

  /** Scores models on the evaluation rows as {@code ./asc evaluate} does (no TTA). */
  private record Evaluation(JavaSparkContext jsc, JavaRDD<Example> rows, Inference inference,
      List<String> classes) {
    Scored score(ComputationGraph net) {
      List<Inference.ClipScore> clips = Inference.perClip(inference.score(jsc, net, rows).collect());
      List<Prediction> preds = new ArrayList<>(clips.size());
      int[] predicted = new int[clips.size()];
      for (int i = 0; i < clips.size(); i++) {
        Prediction p = clips.get(i).prediction();
        preds.add(p);
        predicted[i] = Metrics.argmax(p.probs());
      }
      return new Scored(Metrics.compute(preds, classes), predicted);
    }
  }
}
