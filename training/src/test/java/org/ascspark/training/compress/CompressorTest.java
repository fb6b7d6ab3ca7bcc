package org.ascspark.training.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.training.TrainingFixtures;
import org.ascspark.training.TrainingSpark;
import org.ascspark.training.complexity.ComplexityReport;
import org.ascspark.training.eval.ComplexityRules;
import org.ascspark.training.nn.FakeQuantVertex;
import org.ascspark.training.train.ModelInfo;
import org.ascspark.training.train.TrainingException;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Compressor} end to end on the shared fixture with an sp4asc (width 0.25) trained for two epochs:
 * every method's model is written, evaluated and reported with finite metrics; the sizes shrink as the
 * stored precisions say (fp16 half of float32, int8 weights a quarter, pruning's zeros discounted);
 * BN folding leaves the predictions unchanged; the saved int8 models restore and carry their
 * quantisation; bad settings fail naming the key.
 */
class CompressorTest {
  private static final Logger LOG = LoggerFactory.getLogger(CompressorTest.class);

  @TempDir static Path dir;
  private static String run;
  private static Compressor.Result result;

  @BeforeAll
  static void trainAndCompress() throws Exception {
    run = TrainingFixtures.trainSmallModel(dir, "model", 2).toString();
    JobConfig c = config("out=" + dir.resolve("compressed"), "calibration-rows=32", "fine-tune-rows=64",
        "qat-epochs=1", "prune-epochs=1", "batch-size=16", "sparsity=0.5");
    result = Compressor.run(TrainingSpark.get(), CompressConfig.from(c), c);
    LOG.info("compress report of the test:\n{}", result.report().toMarkdown());
  }

  private static JobConfig config(String... overrides) {
    List<String> args = new ArrayList<>(List.of("model=" + run, "spark.master=local[2]"));
    args.addAll(List.of(overrides));
    return JobConfig.load("compress", CommandLine.parse(args, Set.of("overwrite")));
  }

  @Test
  void everyMethodIsWrittenEvaluatedAndReported() throws Exception {
    CompressionReport report = result.report();
    List<String> methods = new ArrayList<>(List.of(CompressionReport.ORIGINAL));
    methods.addAll(CompressConfig.METHODS);
    assertEquals(methods, report.rows().stream().map(CompressionReport.Row::method).toList());
    int clips = ((Number) report.header().get("clips")).intValue();
    assertTrue(clips > 50, clips + " clips");
    for (CompressionReport.Row r : report.rows()) {
      double acc = r.metrics().accuracyMicro();
      assertTrue(acc >= 0 && acc <= 1 && Double.isFinite(r.metrics().accuracyMacro()), r.method() + " " + acc);
      assertTrue(Double.isFinite(r.metrics().logLoss()), r.method() + " log loss");
      assertTrue(r.agreement() >= 0 && r.agreement() <= 1, r.method());
      assertTrue(r.sizeKb() > 0, r.method());
      if (!r.method().equals(CompressionReport.ORIGINAL)) {
        assertTrue(Files.isRegularFile(Path.of(result.out(), r.file())), r.file());
      }
    }
    for (String f : new String[] {Compressor.REPORT_JSON, Compressor.REPORT_MD, "_manifest.json", "config.conf"}) {
      assertTrue(Files.isRegularFile(Path.of(result.out(), f)), f);
    }
    JsonNode json = new ObjectMapper().readTree(Path.of(result.out(), Compressor.REPORT_JSON).toFile());
    assertEquals(6, json.get("models").size());
    for (JsonNode m : json.get("models")) {
      for (String k : new String[] {"parameters", "non_zero_parameters", "size_kb", "macs_per_inference",
          "dcase2021_pass", "dcase2022_pass", "accuracy", "accuracy_change", "accuracy_macro", "log_loss",
          "log_loss_change", "agreement_with_original"}) {
        assertNotNull(m.get(k), k + " of " + m.get("method"));
      }
    }
    String md = Files.readString(Path.of(result.out(), Compressor.REPORT_MD), StandardCharsets.UTF_8);
    assertTrue(md.contains("| int8-qat | mixed: weights 8 bit, biases 32 bit |"), md);
    assertTrue(md.toLowerCase(Locale.ROOT).contains("simulated quantisation"), md);
    for (CompressionReport.Row r : report.rows()) {
      LOG.info(String.format(Locale.ROOT, "%-9s accuracy %.4f (%+.4f), macro %.4f, log loss %.4f (%+.4f), %.2f KB",
          r.method(), r.metrics().accuracyMicro(),
          r.metrics().accuracyMicro() - report.rows().get(0).metrics().accuracyMicro(), r.metrics().accuracyMacro(),
          r.metrics().logLoss(), r.metrics().logLoss() - report.rows().get(0).metrics().logLoss(), r.sizeKb()));
    }
  }

  @Test
  void sizesShrinkAsTheStoredPrecisionsSay() {
    CompressionReport report = result.report();
    ComplexityReport original = report.row(CompressionReport.ORIGINAL).complexity();
    ComplexityReport fold = report.row(CompressConfig.FOLD).complexity();
    ComplexityReport fp16 = report.row(CompressConfig.FP16).complexity();
    ComplexityReport ptq = report.row(CompressConfig.INT8_PTQ).complexity();
    ComplexityReport qat = report.row(CompressConfig.INT8_QAT).complexity();
    ComplexityReport prune = report.row(CompressConfig.PRUNE).complexity();
    // sp4asc: folding removes the scale/shift pairs the analyser cannot fold into a sum (ParamCounts'
    // convention), so the folded count is smaller; MACs do not change
    assertTrue(fold.parameters() < original.parameters(), fold.parameters() + " vs " + original.parameters());
    assertTrue(fold.model().rawParameters() < original.model().rawParameters());
    for (ComplexityReport c : List.of(fp16, ptq, qat, prune)) {
      assertEquals(fold.parameters(), c.parameters());
      assertEquals(original.macsPerInference(), c.macsPerInference());
    }
    assertEquals("fp32", fold.precision());
    assertEquals("fp16", fp16.precision());
    assertEquals(ComplexityRules.sizeKb(fold.nonZeroParameters(), 32), report.row(CompressConfig.FOLD).sizeKb(), 1e-12);
    // fp16: 2 bytes per non-zero parameter, half of the float32 model (unless rounding to half made a
    // tiny value zero)
    assertTrue(fp16.nonZeroParameters() <= fold.nonZeroParameters());
    assertEquals(ComplexityRules.sizeKb(fp16.nonZeroParameters(), 16), report.row(CompressConfig.FP16).sizeKb(), 1e-12);
    assertTrue(report.row(CompressConfig.FP16).sizeKb() <= report.row(CompressConfig.FOLD).sizeKb() / 2 + 1e-12);
    // int8: 1 byte per non-zero weight, 4 per bias
    for (String m : List.of(CompressConfig.INT8_PTQ, CompressConfig.INT8_QAT)) {
      ComplexityReport c = report.row(m).complexity();
      double expected = (c.model().nonZeroWeightParameters() + 4.0 * c.model().nonZeroBiasParameters()) / 1024.0;
      assertEquals(expected, report.row(m).sizeKb(), 1e-9, m);
      assertTrue(report.row(m).sizeKb() < report.row(CompressConfig.FP16).sizeKb(), m);
    }
    // pruning: half the weights are zero and not counted
    long weights = fold.model().weightParameters();
    assertEquals(fold.model().nonZeroWeightParameters() - Pruning.pruneCount(weights, 0.5),
        prune.model().nonZeroWeightParameters());
    assertEquals(Pruning.pruneCount(weights, 0.5),
        ((Number) report.row(CompressConfig.PRUNE).details().get("pruned_weights")).longValue());
    assertTrue(report.row(CompressConfig.PRUNE).sizeKb() < report.row(CompressConfig.FOLD).sizeKb());
  }

  @Test
  void foldingKeepsThePredictions() {
    CompressionReport.Row fold = result.report().row(CompressConfig.FOLD);
    CompressionReport.Row original = result.report().row(CompressionReport.ORIGINAL);
    assertEquals(1.0, fold.agreement(), 0.0);
    assertEquals(original.metrics().accuracyMicro(), fold.metrics().accuracyMicro(), 0.0);
    assertEquals(original.metrics().logLoss(), fold.metrics().logLoss(), 1e-4);
    assertTrue(fold.details().get("kept").toString().contains("input_bn_bn"), fold.details().toString());
  }

  @Test
  void savedModelsRestoreWithTheirQuantisation() throws Exception {
    File ptqZip = Path.of(result.out(), "int8-ptq.zip").toFile();
    ModelInfo info = ModelInfo.readFrom(ptqZip);
    assertEquals("sp4asc", info.model());
    String details = ModelSerializer.getObjectFromFile(ptqZip, Compressor.ZIP_ENTRY);
    assertTrue(details.contains("\"method\" : \"int8-ptq\""), details);
    ComputationGraph ptq = ModelSerializer.restoreComputationGraph(ptqZip, false);
    List<String> fq = new ArrayList<>();
    for (var e : ptq.getConfiguration().getVertices().entrySet()) {
      if (e.getValue() instanceof FakeQuantVertex) {
        fq.add(e.getKey());
      }
    }
    assertTrue(fq.contains("input_fq"), fq.toString());
    assertTrue(fq.size() > 10, fq.toString());
    // activations sit on their int8 grids
    INDArray x = Nd4j.randn(DataType.FLOAT, 2, info.channels(), info.bins(), info.cropFrames());
    var acts = ptq.feedForward(x, false);
    for (String v : fq) {
      FakeQuantVertex q = (FakeQuantVertex) ptq.getConfiguration().getVertices().get(v);
      INDArray a = acts.get(v);
      for (long i = 0; i < Math.min(a.length(), 200); i++) {
        double level = a.getDouble(i) / q.getScale() + q.getZeroPoint();
        assertEquals(Math.rint(level), level, 1e-3, v + " value " + a.getDouble(i));
        assertTrue(level >= -128.001 && level <= 127.001, v + " level " + level);
      }
    }
    // the QAT model's weights are int8 per channel: w / (max|w_c| / 127) is an integer
    ComputationGraph qat = ModelSerializer.restoreComputationGraph(Path.of(result.out(), "int8-qat.zip").toFile(), false);
    for (WeightTensors.Tensor t : WeightTensors.of(qat)) {
      float[] w = t.read();
      double[] max = new double[t.channels()];
      for (int i = 0; i < w.length; i++) {
        max[t.channelOf()[i]] = Math.max(max[t.channelOf()[i]], Math.abs(w[i]));
      }
      for (int i = 0; i < w.length; i++) {
        double s = max[t.channelOf()[i]] / 127.0;
        double level = s == 0 ? 0 : w[i] / s;
        assertEquals(Math.rint(level), level, 1e-3, t.id() + "[" + i + "]");
      }
    }
    ComputationGraph half = ModelSerializer.restoreComputationGraph(Path.of(result.out(), "fp16.zip").toFile(), false);
    assertEquals(DataType.HALF, half.params().dataType());
    ComputationGraph pruned = ModelSerializer.restoreComputationGraph(Path.of(result.out(), "prune.zip").toFile(), false);
    long zeros = 0;
    for (WeightTensors.Tensor t : WeightTensors.of(pruned)) {
      for (float v : t.read()) {
        zeros += v == 0f ? 1 : 0;
      }
    }
    assertTrue(zeros >= (Long) result.report().row(CompressConfig.PRUNE).details().get("pruned_weights"),
        "pruned weights stayed zero through fine-tuning: " + zeros);
    for (GraphVertex v : pruned.getConfiguration().getVertices().values()) {
      assertTrue(!(v instanceof FakeQuantVertex));
    }
  }

  @Test
  void badInputIsRefusedNamingTheKey() throws Exception {
    InvalidConfigException method = assertThrows(InvalidConfigException.class,
        () -> CompressConfig.from(config("methods=[fold, int4]")));
    assertTrue(method.getMessage().contains("compress.methods") && method.getMessage().contains("int4"),
        method.getMessage());
    InvalidConfigException sparsity = assertThrows(InvalidConfigException.class,
        () -> CompressConfig.from(config("sparsity=1.0")));
    assertTrue(sparsity.getMessage().contains("compress.sparsity"), sparsity.getMessage());
    InvalidConfigException cal = assertThrows(InvalidConfigException.class,
        () -> CompressConfig.from(config("calibration-rows=0")));
    assertTrue(cal.getMessage().contains("compress.calibration-rows"), cal.getMessage());
    InvalidConfigException model = assertThrows(InvalidConfigException.class,
        () -> CompressConfig.from(config("model=" + dir.resolve("nope.zip"))));
    assertTrue(model.getMessage().contains("compress.model") && model.getMessage().contains("does not exist"),
        model.getMessage());

    // features of another hash: a copy of the fixture's manifest and statistics with another hash
    Path other = dir.resolve("other-features");
    Files.createDirectories(other);
    Path features = Path.of(TrainingFixtures.features());
    String manifest = Files.readString(features.resolve("_manifest.json"));
    JsonNode m = new ObjectMapper().readTree(manifest);
    Files.writeString(other.resolve("_manifest.json"),
        manifest.replace(m.get("feature_hash").asText(), "0123456789abcdef"));
    Files.copy(features.resolve("stats.json"), other.resolve("stats.json"));
    JobConfig c = config("features=" + other, "out=" + dir.resolve("never"));
    TrainingException hash = assertThrows(TrainingException.class,
        () -> Compressor.run(TrainingSpark.get(), CompressConfig.from(c), c));
    assertTrue(hash.getMessage().contains("compress.features") && hash.getMessage().contains("0123456789abcdef"),
        hash.getMessage());

    JobConfig again = config("out=" + result.out(), "methods=[fold]");
    TrainingException exists = assertThrows(TrainingException.class,
        () -> Compressor.run(TrainingSpark.get(), CompressConfig.from(again), again));
    assertTrue(exists.getMessage().contains("overwrite=true"), exists.getMessage());
  }
}
