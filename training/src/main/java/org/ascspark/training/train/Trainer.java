package org.ascspark.training.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.ascspark.features.augment.Mixup;
import org.ascspark.features.augment.SpecAugment;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.training.data.Example;
import org.ascspark.training.data.Examples;
import org.ascspark.training.data.FeatureSet;
import org.ascspark.training.data.TrainingBatches;
import org.ascspark.training.distill.Distillation;
import org.ascspark.training.eval.Metrics;
import org.ascspark.training.eval.MetricsResult;
import org.ascspark.training.eval.Prediction;
import org.ascspark.training.infer.Inference;
import org.ascspark.training.models.ModelSpec;
import org.ascspark.training.models.Models;
import org.ascspark.training.complexity.ComplexityReport;
import org.ascspark.training.report.EpochRecord;
import org.ascspark.training.report.HtmlReport;
import org.ascspark.training.report.Plots;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.ascspark.training.nn.FocalLoss;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training job's logic: features Parquet to a trained model through {@link
 * SparkComputationGraph} with parameter averaging (correct with BatchNorm, STACK.md), the same code
 * on local Spark and on a cluster.
 *
 * <p>An epoch runs in rounds. Each worker (one Spark partition of the training rows) builds its
 * minibatches for the epoch with {@link TrainingBatches} (per-row seeded order, crop, SpecAugment,
 * mixup), and each round fits {@code averaging-frequency} of them on every worker before the
 * parameters and updater state are averaged. Before each round the driver sets the learning rate
 * from the schedule at the round's midpoint and the updater's iteration count (so Adam's bias
 * correction continues across rounds), and after it checks the averaged loss: NaN or infinity stops
 * the run with the last good checkpoint kept. After each epoch: validation metrics on the validation
 * split (originals only, multi-window averaging), a checkpoint (model with updater state, and
 * {@code state.json} with the epoch, iteration count, history and best epoch; all data randomness is
 * a function of (seed, epoch, row), so that is the whole RNG state), {@code history.csv}, and
 * {@code best.zip} when the validation accuracy improved.
 *
 * <p>The run folder ({@code train.out/<run-name>}) is on the driver's file system.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Checkpoints kept besides the newest. */
  static final int KEEP_CHECKPOINTS = 1;

  /**
   * Saved progress of a run.
   *
   * @param trainHash hash of the result-defining settings
   * @param epochsDone epochs completed
   * @param iterations updater iterations so far (per worker)
   * @param checkpoint file name of the newest checkpoint in {@code checkpoints/}
   * @param bestEpoch epoch (1-based) with the best validation accuracy, 0 = none yet
   * @param bestAccuracy that accuracy
   * @param history one record per completed epoch
   * @param swaCount epochs in the stochastic weight average so far (0 = none)
   * @param swaFile file name of that average's parameters in {@code checkpoints/}, or null
   */
  public record RunState(String trainHash, int epochsDone, long iterations, String checkpoint,
      int bestEpoch, double bestAccuracy, List<EpochRecord> history, int swaCount, String swaFile) {}

  /**
   * What a finished run produced.
   *
   * @param runDir the run folder
   * @param info the last model's description
   * @param history per-epoch records
   * @param bestEpoch best epoch (1-based), 0 without validation
   * @param bestAccuracy its validation accuracy
   * @param validation last epoch's validation metrics, null without validation rows
   * @param swaValidation the SWA model's validation metrics, null without SWA or validation rows
   */
  public record Result(Path runDir, ModelInfo info, List<EpochRecord> history, int bestEpoch,
      double bestAccuracy, MetricsResult validation, MetricsResult swaValidation) {}

  /** Test hook: throw after this many epochs of a run (simulates a killed run); -1 = never. */
  static volatile int stopAfterEpochs = -1;

  private Trainer() {}

  /**
   * Trains a model.
   *
   * @param spark the session
   * @param cfg training settings
   * @param job the job config (written beside the run)
   * @return the result
   * @throws IOException when the run folder cannot be written
   * @throws TrainingException on bad input (see the message)
   */
  public static Result run(SparkSession spark, TrainConfig cfg, JobConfig job) throws IOException {
    return run(spark, cfg, job, null);
  }

  /**
   * Trains a model, or distils a student when {@code distillation} is given: the training rows then
   * carry teacher outputs, the network trains under the distillation losses on multi-dataset
   * batches ({@link TrainingBatches#forDistillation}), the saved models ({@code best.zip},
   * {@code last.zip}) are the deployable student ({@link Distillation#deployable}) while checkpoints
   * keep the training network, and with Clova's teacher replacement the targets are recomputed from
   * the student after every new best validation accuracy (and from {@code best.zip} on resume).
   *
   * @param spark the session
   * @param cfg training settings
   * @param job the job config (written beside the run)
   * @param distillation the distillation, or null for plain training
   * @return the result
   * @throws IOException when the run folder cannot be written
   * @throws TrainingException on bad input (see the message)
   */
  public static Result run(SparkSession spark, TrainConfig cfg, JobConfig job, Distillation distillation)
      throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    FeatureSet features = FeatureSet.open(cfg.features(), spark.sparkContext().hadoopConfiguration());
    List<String> classes = Examples.labels(spark, features, cfg.trainSplit());
    if (classes.isEmpty()) {
      throw new TrainingException("no labelled rows in split '" + cfg.trainSplit() + "' of "
          + cfg.features() + ": nothing to train on");
    }
    List<String> valLabels = Examples.labels(spark, features, cfg.validationSplit());
    for (String l : valLabels) {
      if (!classes.contains(l)) {
        throw new TrainingException("label '" + l + "' of split '" + cfg.validationSplit()
            + "' never occurs in the training split '" + cfg.trainSplit() + "' (classes: " + classes
            + ")");
      }
    }
    int[] classGroup = cfg.groupHead() ? classGroups(cfg, classes) : null;
    int workers = cfg.workers() > 0 ? cfg.workers() : jsc.defaultParallelism();
    JavaRDD<Example> train = (distillation == null
        ? Examples.read(spark, features, cfg.trainSplit(), false, classes)
        : distillation.trainRows(spark, features, cfg.trainSplit(), classes))
        .repartition(workers).persist(StorageLevel.MEMORY_AND_DISK());
    List<Long> partitionRows = train.mapPartitions(it -> {
      long n = 0;
      while (it.hasNext()) {
        it.next();
        n++;
      }
      return List.of(n).iterator();
    }).collect();
    long trainRows = partitionRows.stream().mapToLong(Long::longValue).sum();
    if (trainRows == 0) {
      throw new TrainingException("split '" + cfg.trainSplit() + "' of " + cfg.features()
          + " has no rows");
    }
    int maxFrames = train.map(Example::frames).reduce(Math::max);
    int cropFrames = cfg.cropSeconds() > 0 ? features.frames(cfg.cropSeconds()) : maxFrames;
    JavaRDD<Example> validation = valLabels.isEmpty() ? null
        : Examples.read(spark, features, cfg.validationSplit(), true, classes)
            .persist(StorageLevel.MEMORY_AND_DISK());

    Path runDir = Paths.get(cfg.runDir());
    RunState state = prepareRunDir(runDir, cfg);
    ModelInfo info = new ModelInfo(cfg.model(), cfg.width(), classes, features.channels(),
        features.bins(), cropFrames, features.framesPerSecond(), features.featureHash(),
        features.dir(), cfg.resultHash(), 0, Double.NaN);
    ComputationGraph net;
    if (state != null) {
      File ckpt = runDir.resolve("checkpoints").resolve(state.checkpoint()).toFile();
      net = ModelSerializer.restoreComputationGraph(ckpt, true);
      LOG.info("train: resuming {} after epoch {} from {}", cfg.runName(), state.epochsDone(), ckpt);
      if (distillation != null && distillation.config().replaceTeacher() && state.bestEpoch() > 0) {
        LOG.info("train: the teacher was last replaced by the student of epoch {}; recomputing its targets",
            state.bestEpoch());
        train = replaceTeacher(spark, features, cfg, distillation, train,
            ModelSerializer.restoreComputationGraph(runDir.resolve("best.zip").toFile(), false), cropFrames);
      }
    } else {
      net = createModel(cfg, info, distillation);
      state = new RunState(cfg.resultHash(), 0, 0, null, 0, Double.NaN, List.of(), 0, null);
      Files.writeString(runDir.resolve("config.conf"), "# effective config of " + job.section()
          + ", hash " + job.hash() + "\n" + job.render("train"), StandardCharsets.UTF_8);
    }
    LOG.info("train: {} ({} parameters) on {} rows of {} [{} x {} x {} frames], {} classes, {} workers,"
            + " batch {}, {} epochs -> {}", cfg.model(), net.numParams(), trainRows, cfg.trainSplit(),
        features.channels(), features.bins(), cropFrames, classes.size(), workers, cfg.batchSize(),
        cfg.epochs(), runDir);

    CrossGradient cg = cfg.crossGradient();
    // cross-gradient minibatches hold each example twice (original and perturbed copy)
    int perWorker = cg == null ? cfg.batchSize() : 2 * cfg.batchSize();
    SparkComputationGraph sparkNet = new SparkComputationGraph(jsc, net, trainingMaster(cfg, workers, perWorker));
    List<String> devices = null;
    SparkComputationGraph sparkDevice = null;
    if (cg != null) {
      if (distillation != null) {
        throw new TrainingException("cross-gradient training with distillation is not supported; give"
            + " train.cross-gradient.enabled=false");
      }
      devices = train.map(Example::device).distinct().collect().stream().sorted().toList();
      if (devices.size() < 2) {
        throw new TrainingException("cross-gradient training needs at least 2 devices in split '"
            + cfg.trainSplit() + "'; it has " + devices);
      }
      Path deviceCkpt = state.checkpoint() == null ? null
          : runDir.resolve("checkpoints").resolve(DEVICE_CHECKPOINTS).resolve(state.checkpoint());
      ComputationGraph deviceNet = deviceCkpt != null && Files.exists(deviceCkpt)
          ? ModelSerializer.restoreComputationGraph(deviceCkpt.toFile(), true)
          : Models.create(new ModelSpec(cfg.model(), info.channels(), info.bins(), info.cropFrames(),
              devices.size(), cfg.width(), cfg.seed() + 1, updater(cfg), cfg.weightDecay(), loss(cfg),
              DataType.FLOAT), cfg.dropout());
      sparkDevice = new SparkComputationGraph(jsc, deviceNet, trainingMaster(cfg, workers, perWorker));
      LOG.info("train: cross-gradient training with a device classifier over {} ({} parameters); eps scene {},"
          + " eps device {}, alpha {}", devices, deviceNet.numParams(), cg.epsScene(), cg.epsDevice(), cg.alpha());
    }
    TrainingBatches plainBatches = new TrainingBatches(cfg.seed(), classes.size(), cfg.batchSize(),
        cropFrames, specAugment(cfg), cfg.mixupAlpha() > 0 ? new Mixup(cfg.mixupAlpha(), false) : null);
    if (classGroup != null) {
      plainBatches = plainBatches.withGroups(classGroup, cfg.sceneGroups().size());
    }
    if (devices != null) {
      plainBatches = plainBatches.withDevices(devices);
    }
    TrainingBatches batches = distillation == null ? plainBatches
        : plainBatches.forDistillation(distillation.embeddingTargetSize());
    boolean multi = distillation != null || classGroup != null;
    Inference inference = new Inference(cropFrames, Math.max(cfg.batchSize(), 64), null, 0, cfg.seed());

    int maxBatches = 0;
    for (long n : partitionRows) {
      maxBatches = Math.max(maxBatches, TrainingBatches.batchCount(cfg.batchSize(), n));
    }
    int rounds = (maxBatches + cfg.averagingFrequency() - 1) / cfg.averagingFrequency();
    List<EpochRecord> history = new ArrayList<>(state.history());
    long iterations = state.iterations();
    int bestEpoch = state.bestEpoch();
    double bestAccuracy = state.bestAccuracy();
    MetricsResult lastValidation = null;
    int swaCount = state.swaCount();
    String swaFile = state.swaFile();
    String obsoleteSwa = null;
    INDArray swa = swaFile == null ? null
        : Nd4j.readBinary(runDir.resolve("checkpoints").resolve(swaFile).toFile());
    long started = System.nanoTime();
    int firstEpoch = state.epochsDone();
    for (int epoch = firstEpoch; epoch < cfg.epochs(); epoch++) {
      long epochStart = System.nanoTime();
      double lossSum = 0;
      long lossRows = 0;
      int sinceProgress = 0;
      double lr = 0;
      for (int round = 0; round < rounds; round++) {
        lr = cfg.schedule().at(epoch + (round + 0.5) / rounds);
        ComputationGraph master = sparkNet.getNetwork();
        master.setLearningRate(lr);
        master.getConfiguration().setIterationCount((int) Math.min(Integer.MAX_VALUE, iterations));
        master.getConfiguration().setEpochCount(epoch);
        int from = round * cfg.averagingFrequency();
        int to = from + cfg.averagingFrequency();
        final int e = epoch;
        int threads = cfg.threadsPerWorker();
        if (cg != null) {
          ComputationGraph deviceMaster = sparkDevice.getNetwork();
          deviceMaster.setLearningRate(lr);
          deviceMaster.getConfiguration().setIterationCount((int) Math.min(Integer.MAX_VALUE, iterations));
          deviceMaster.getConfiguration().setEpochCount(epoch);
          crossGradientRound(jsc, sparkNet, sparkDevice, train, batches, cg, e, from, to, threads);
        } else if (!multi) {
          JavaRDD<DataSet> data = train.mapPartitions(it -> {
            NativeThreads.limit(threads);
            return batches.batches(e, it, from, to);
          });
          sparkNet.fit(data);
        } else {
          JavaRDD<MultiDataSet> data = train.mapPartitions(it -> {
            NativeThreads.limit(threads);
            return batches.multiBatches(e, it, from, to);
          });
          sparkNet.fitMultiDataSet(data);
        }
        double score = sparkNet.getScore();
        long roundRows = 0;
        for (long n : partitionRows) {
          long begin = Math.min(n, (long) from * cfg.batchSize());
          long end = Math.min(n, (long) to * cfg.batchSize());
          roundRows += end - begin;
        }
        if (!Double.isFinite(score)) {
          throw new TrainingException(String.format(Locale.ROOT,
              "the training loss became %s in epoch %d, round %d/%d (learning rate %.3g); stopped."
                  + " The last good checkpoint is %s; lower train.learning-rate or check the features"
                  + " for NaN values", score, epoch + 1, round + 1, rounds, lr,
              state.checkpoint() == null ? "none (no epoch finished)"
                  : runDir.resolve("checkpoints").resolve(state.checkpoint())));
        }
        iterations += Math.min(cfg.averagingFrequency(), Math.max(0, maxBatches - from));
        lossSum += score * roundRows;
        lossRows += roundRows;
        sinceProgress += cfg.averagingFrequency();
        if (sinceProgress >= cfg.progressEvery() || round == rounds - 1) {
          sinceProgress = 0;
          double secs = (System.nanoTime() - started) / 1e9;
          double done = (epoch - firstEpoch) * (double) trainRows
              + Math.min(trainRows, (long) (round + 1) * cfg.averagingFrequency() * cfg.batchSize() * workers);
          double total = (cfg.epochs() - firstEpoch) * (double) trainRows;
          double rate = done / Math.max(secs, 1e-9);
          LOG.info(String.format(Locale.ROOT,
              "train: epoch %d/%d batch %d/%d loss %.4f lr %.3g %.1f samples/s ETA %s", epoch + 1,
              cfg.epochs(), Math.min(maxBatches, to), maxBatches, score, lr, rate,
              eta((total - done) / Math.max(rate, 1e-9))));
        }
      }
      double trainLoss = lossRows > 0 ? lossSum / lossRows : Double.NaN;
      double valLoss = Double.NaN;
      double valAccuracy = Double.NaN;
      if (validation != null) {
        lastValidation = validate(jsc, sparkNet.getNetwork(), validation, inference, classes);
        valLoss = lastValidation.logLoss();
        valAccuracy = lastValidation.accuracyMicro();
      }
      double seconds = (System.nanoTime() - epochStart) / 1e9;
      history.add(new EpochRecord(epoch + 1, trainLoss, valLoss, valAccuracy, lr,
          trainRows / Math.max(seconds, 1e-9), seconds));
      LOG.info(String.format(Locale.ROOT,
          "train: epoch %d/%d done in %.1f s: train loss %.4f, %s accuracy %.4f, log loss %.4f",
          epoch + 1, cfg.epochs(), seconds, trainLoss, cfg.validationSplit(), valAccuracy, valLoss));
      ComputationGraph current = sparkNet.getNetwork();
      ModelInfo epochInfo = info.at(epoch + 1, valAccuracy);
      boolean improved = validation == null || bestEpoch == 0 || valAccuracy > bestAccuracy;
      if (improved) {
        bestEpoch = epoch + 1;
        bestAccuracy = valAccuracy;
        ComputationGraph best = deployable(current, cfg, distillation);
        saveModel(best, epochInfo, runDir.resolve("best.zip"), false);
        if (distillation != null && distillation.config().replaceTeacher() && epoch + 1 < cfg.epochs()) {
          LOG.info("train: new best; the student of epoch {} replaces the teacher", epoch + 1);
          train = replaceTeacher(spark, features, cfg, distillation, train, best, cropFrames);
        }
      }
      String ckpt = String.format(Locale.ROOT, "epoch-%04d.zip", epoch + 1);
      saveModel(current, epochInfo, runDir.resolve("checkpoints").resolve(ckpt), true);
      if (sparkDevice != null) {
        Path deviceDir = runDir.resolve("checkpoints").resolve(DEVICE_CHECKPOINTS);
        Files.createDirectories(deviceDir);
        Path tmp = deviceDir.resolve("." + ckpt + ".tmp");
        ModelSerializer.writeModel(sparkDevice.getNetwork(), tmp.toFile(), true);
        Files.move(tmp, deviceDir.resolve(ckpt), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        pruneCheckpoints(deviceDir, ckpt);
        LOG.info(String.format(Locale.ROOT, "train: device classifier loss %.4f", sparkDevice.getScore()));
      }
      if (epoch + 1 > cfg.epochs() - cfg.swaEpochs()) {
        // running mean of the parameters after each of the last swa-epochs epochs
        INDArray p = current.params();
        swa = swa == null ? p.dup() : swa.muli(swaCount).addi(p).divi(swaCount + 1);
        swaCount++;
        obsoleteSwa = swaFile;
        swaFile = String.format(Locale.ROOT, "swa-%04d.bin", epoch + 1);
        Nd4j.saveBinary(swa, runDir.resolve("checkpoints").resolve(swaFile).toFile());
      }
      state = new RunState(cfg.resultHash(), epoch + 1, iterations, ckpt, bestEpoch, bestAccuracy,
          history, swaCount, swaFile);
      writeAtomically(runDir.resolve("state.json"), JSON.writeValueAsString(state));
      if (obsoleteSwa != null) {
        // only once state.json names the new running mean (a kill before leaves the old one usable)
        Files.deleteIfExists(runDir.resolve("checkpoints").resolve(obsoleteSwa));
        obsoleteSwa = null;
      }
      EpochRecord.writeCsv(runDir.resolve("history.csv"), history);
      pruneCheckpoints(runDir.resolve("checkpoints"), ckpt);
      if (stopAfterEpochs >= 0 && epoch + 1 - firstEpoch >= stopAfterEpochs) {
        throw new IllegalStateException("test hook: stopped after epoch " + (epoch + 1));
      }
    }
    ComputationGraph last = deployable(sparkNet.getNetwork(), cfg, distillation);
    ModelInfo lastInfo = info.at(state.epochsDone(), history.isEmpty() ? Double.NaN
        : history.get(history.size() - 1).valAccuracy());
    saveModel(last, lastInfo, runDir.resolve("last.zip"), false);
    writeAtomically(runDir.resolve("model.json"), lastInfo.toJson());
    MetricsResult swaValidation = null;
    if (swa != null) {
      // SWA: the averaged weights, BatchNorm statistics re-estimated by one pass over the training
      // data at learning rate 0 (the weights stay; BN running statistics follow their own update)
      LOG.info("train: stochastic weight averaging over the last {} epochs; re-estimating BatchNorm statistics",
          swaCount);
      ComputationGraph master = sparkNet.getNetwork();
      master.setParams(swa);
      master.setLearningRate(0.0);
      for (int round = 0; round < rounds; round++) {
        int from = round * cfg.averagingFrequency();
        int to = from + cfg.averagingFrequency();
        int bnEpoch = cfg.epochs();
        int threads = cfg.threadsPerWorker();
        if (!multi) {
          sparkNet.fit(train.mapPartitions(it -> {
            NativeThreads.limit(threads);
            return batches.batches(bnEpoch, it, from, to);
          }));
        } else {
          sparkNet.fitMultiDataSet(train.mapPartitions(it -> {
            NativeThreads.limit(threads);
            return batches.multiBatches(bnEpoch, it, from, to);
          }));
        }
      }
      ComputationGraph swaNet = deployable(sparkNet.getNetwork(), cfg, distillation);
      double swaAccuracy = Double.NaN;
      if (validation != null) {
        swaValidation = validate(jsc, swaNet, validation, inference, classes);
        swaAccuracy = swaValidation.accuracyMicro();
        LOG.info(String.format(Locale.ROOT, "train: SWA model: %s accuracy %.4f, log loss %.4f (last epoch %.4f)",
            cfg.validationSplit(), swaAccuracy, swaValidation.logLoss(), lastInfo.validationAccuracy()));
      }
      saveModel(swaNet, info.at(state.epochsDone(), swaAccuracy), runDir.resolve("swa.zip"), false);
    }
    double inputSeconds = cropFrames / features.framesPerSecond();
    ComplexityReport complexity = ComplexityReport.analyze(last, inputSeconds,
        Math.max(inputSeconds, maxFrames / features.framesPerSecond()),
        InputType.convolutional(features.bins(), cropFrames, features.channels()));
    writeAtomically(runDir.resolve("complexity.json"), complexity.toJson());
    Plots.writeTrainingCurves(history, runDir.resolve(HtmlReport.TRAINING_CURVES_PNG));
    LOG.info("train: model complexity\n{}", complexity.toText());
    train.unpersist(false);
    if (validation != null) {
      validation.unpersist(false);
    }
    LOG.info(String.format(Locale.ROOT, "train: finished %s: best %s accuracy %.4f at epoch %d -> %s",
        cfg.runName(), cfg.validationSplit(), bestAccuracy, bestEpoch, runDir));
    return new Result(runDir, lastInfo, history, bestEpoch, bestAccuracy, lastValidation, swaValidation);
  }

  /** Checkpoints of the cross-gradient device classifier, below {@code checkpoints/}. */
  static final String DEVICE_CHECKPOINTS = "device";

  private static ParameterAveragingTrainingMaster trainingMaster(TrainConfig cfg, int workers, int perWorker) {
    return new ParameterAveragingTrainingMaster.Builder(workers, perWorker)
        .batchSizePerWorker(perWorker)
        .averagingFrequency(cfg.averagingFrequency())
        .workerPrefetchNumBatches(0)
        .saveUpdater(true)
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .repartionData(Repartition.Never)
        .storageLevel(StorageLevel.MEMORY_ONLY())
        .rngSeed(cfg.seed())
        .build();
  }

  /**
   * One round of cross-gradient training ({@link CrossGradient}): the scene classifier fits its batches
   * with copies perturbed by the device classifier's input gradient, then the device classifier fits the
   * same batches (device labels) with copies perturbed by the scene classifier's; each perturbs with the
   * other's parameters as of the round's start.
   */
  private static void crossGradientRound(JavaSparkContext jsc, SparkComputationGraph scene,
      SparkComputationGraph device, JavaRDD<Example> train, TrainingBatches batches, CrossGradient cg, int epoch,
      int from, int to, int threads) {
    Broadcast<byte[]> sceneNet = jsc.broadcast(Inference.toBytes(scene.getNetwork()));
    Broadcast<byte[]> deviceNet = jsc.broadcast(Inference.toBytes(device.getNetwork()));
    scene.fit(train.mapPartitions(it -> {
      NativeThreads.limit(threads);
      ComputationGraph probe = CrossGradient.withInputProbe(Inference.fromBytes(deviceNet.value()));
      List<DataSet> out = new ArrayList<>();
      for (TrainingBatches.Batch b : batches.rawBatches(epoch, it, from, to)) {
        INDArray g = CrossGradient.inputGradient(probe, b.x(), b.device());
        out.add(cg.pair(b.x(), CrossGradient.perturb(b.x(), g, cg.epsScene()), b.y()));
      }
      return out.iterator();
    }));
    device.fit(train.mapPartitions(it -> {
      NativeThreads.limit(threads);
      ComputationGraph probe = CrossGradient.withInputProbe(Inference.fromBytes(sceneNet.value()));
      List<DataSet> out = new ArrayList<>();
      for (TrainingBatches.Batch b : batches.rawBatches(epoch, it, from, to)) {
        INDArray g = CrossGradient.inputGradient(probe, b.x(), b.y());
        out.add(cg.pair(b.x(), CrossGradient.perturb(b.x(), g, cg.epsDevice()), b.device()));
      }
      return out.iterator();
    }));
    sceneNet.unpersist(false);
    deviceNet.unpersist(false);
  }

  /**
   * Builds the run's model.
   *
   * @param cfg settings
   * @param info input shape and classes
   * @return the initialised model
   * @throws TrainingException when the model cannot take the features' shape
   */
  static ComputationGraph createModel(TrainConfig cfg, ModelInfo info, Distillation distillation) {
    try {
      ModelSpec spec = new ModelSpec(cfg.model(), info.channels(), info.bins(),
          info.cropFrames(), info.classes().size(), cfg.width(), cfg.seed(), updater(cfg),
          cfg.weightDecay(), loss(cfg), DataType.FLOAT, cfg.groupHead() ? cfg.sceneGroups().size() : 0);
      return distillation == null ? Models.create(spec, cfg.dropout())
          : distillation.createStudent(spec, cfg.dropout());
    } catch (IllegalArgumentException e) {
      throw new TrainingException("model " + cfg.model() + " cannot take features of shape ["
          + info.channels() + " x " + info.bins() + " x " + info.cropFrames() + "] from "
          + cfg.features() + ": " + e.getMessage(), e);
    }
  }

  /** @return the network as saved: the deployable student when distilling, else {@code net} itself */
  private static ComputationGraph deployable(ComputationGraph net, TrainConfig cfg, Distillation distillation) {
    if (distillation != null) {
      return Distillation.deployable(net, loss(cfg));
    }
    return cfg.groupHead() ? Models.withoutGroupHead(net) : net;
  }

  /** @return the index in {@code train.scene-groups} of each class's group */
  private static int[] classGroups(TrainConfig cfg, List<String> classes) {
    List<List<String>> groups = new ArrayList<>(cfg.sceneGroups().values());
    int[] out = new int[classes.size()];
    for (int c = 0; c < out.length; c++) {
      out[c] = -1;
      for (int g = 0; g < groups.size(); g++) {
        if (groups.get(g).contains(classes.get(c))) {
          out[c] = g;
        }
      }
      if (out[c] < 0) {
        throw new TrainingException("training label '" + classes.get(c) + "' is in no group of train.scene-groups "
            + cfg.sceneGroups() + "; the group head needs every label in one group");
      }
    }
    return out;
  }

  /** Recomputes the targets of the training rows from {@code student}; the new rows are cached, the old dropped. */
  private static JavaRDD<Example> replaceTeacher(SparkSession spark, FeatureSet features, TrainConfig cfg,
      Distillation distillation, JavaRDD<Example> train, ComputationGraph student, int cropFrames) {
    JavaRDD<Example> replaced = distillation.replaceTargets(spark, features, cfg.trainSplit(), train, student,
        cropFrames, Math.max(cfg.batchSize(), 64)).persist(StorageLevel.MEMORY_AND_DISK());
    replaced.count();
    train.unpersist(false);
    return replaced;
  }

  static IUpdater updater(TrainConfig cfg) {
    double lr = cfg.schedule().base();
    switch (cfg.optimizer()) {
      case "sgd":
        return new Nesterovs(lr, cfg.momentum());
      default:
        return new Adam(lr);
    }
  }

  static ILossFunction loss(TrainConfig cfg) {
    return "focal".equals(cfg.loss()) ? new FocalLoss(cfg.focalGamma()) : new LossMCXENT();
  }

  private static SpecAugment specAugment(TrainConfig cfg) {
    if (cfg.timeMasks() == 0 && cfg.freqMasks() == 0) {
      return null;
    }
    return new SpecAugment(cfg.timeMasks(), cfg.maxTimeWidth(), cfg.freqMasks(),
        cfg.maxFreqWidth(), SpecAugment.MaskValue.ZERO);
  }

  /**
   * Validation metrics of a model.
   *
   * @param jsc Spark context
   * @param net the model
   * @param rows labelled rows
   * @param inference inference settings
   * @param classes class names
   * @return the metrics over clips
   */
  static MetricsResult validate(JavaSparkContext jsc, ComputationGraph net, JavaRDD<Example> rows,
      Inference inference, List<String> classes) {
    List<Prediction> preds = new ArrayList<>();
    for (Inference.ClipScore c : Inference.perClip(inference.score(jsc, net, rows).collect())) {
      preds.add(c.prediction());
    }
    return Metrics.compute(preds, classes);
  }

  /**
   * Whether a run with these settings already finished: its {@code state.json} records all epochs,
   * for the same training settings, and {@code last.zip} is there.
   *
   * @param cfg training settings
   * @return true when {@link #run} would train nothing more
   * @throws IOException when the state cannot be read
   */
  public static boolean isFinished(TrainConfig cfg) throws IOException {
    Path runDir = Path.of(cfg.runDir());
    Path stateFile = runDir.resolve("state.json");
    if (!Files.exists(stateFile) || !Files.exists(runDir.resolve("last.zip"))) {
      return false;
    }
    RunState s = JSON.readValue(stateFile.toFile(), RunState.class);
    return s.trainHash().equals(cfg.resultHash()) && s.epochsDone() >= cfg.epochs();
  }

  private static RunState prepareRunDir(Path runDir, TrainConfig cfg) throws IOException {
    Path stateFile = runDir.resolve("state.json");
    boolean exists = Files.exists(runDir) && !isEmptyDir(runDir);
    if (exists && cfg.overwrite()) {
      LOG.info("train: overwrite=true, deleting the existing run {}", runDir);
      deleteTree(runDir);
      exists = false;
    }
    if (exists && !cfg.resume()) {
      throw new TrainingException("the run folder " + runDir + " already exists; give resume=true"
          + " to continue it, overwrite=true to replace it, or another run-name");
    }
    Files.createDirectories(runDir.resolve("checkpoints"));
    if (!cfg.resume() || !Files.exists(stateFile)) {
      if (cfg.resume()) {
        LOG.info("train: resume=true but {} has no checkpoint yet; starting from epoch 1", runDir);
      }
      return null;
    }
    RunState s = JSON.readValue(stateFile.toFile(), RunState.class);
    if (!s.trainHash().equals(cfg.resultHash())) {
      throw new TrainingException("cannot resume " + runDir + ": it was started with other settings"
          + " (hash " + s.trainHash() + ", now " + cfg.resultHash() + "); compare its config.conf"
          + " with this command's settings");
    }
    if (s.epochsDone() >= cfg.epochs()) {
      LOG.info("train: {} already finished {} epochs", runDir, s.epochsDone());
    }
    return s;
  }

  /**
   * Saves a model with its description inside the zip (and, for checkpoints, its updater state),
   * through a temporary file and a rename so a kill never leaves a half-written model.
   */
  static void saveModel(ComputationGraph net, ModelInfo info, Path target, boolean withUpdater)
      throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    ModelSerializer.writeModel(net, tmp.toFile(), withUpdater);
    ModelSerializer.addObjectToFile(tmp.toFile(), ModelInfo.ZIP_ENTRY, info.toJson());
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static void writeAtomically(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void pruneCheckpoints(Path dir, String newest) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.list(dir)) {
      all = s.filter(p -> p.getFileName().toString().matches("epoch-\\d+\\.zip"))
          .sorted(Comparator.comparing(Path::toString)).toList();
    }
    for (int i = 0; i < all.size() - 1 - KEEP_CHECKPOINTS; i++) {
      if (!all.get(i).getFileName().toString().equals(newest)) {
        Files.delete(all.get(i));
      }
    }
  }

  private static boolean isEmptyDir(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static String eta(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
