package org.ascspark.training.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.ascspark.training.complexity.ComplexityAnalyzer;
import org.ascspark.training.models.ModelSpec;
import org.ascspark.training.models.Models;
import org.ascspark.training.models.ParamCounts;
import org.ascspark.training.nn.GradientChecks;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link BatchNormFolding} on three architectures whose BatchNorms sit in different places: the
 * folded network computes the same outputs and embedding on random inputs (BN statistics and affine
 * parameters randomised first, so folding is not the identity), the BNs that cannot fold are kept and
 * named, and the folded parameter count is what {@link ParamCounts#folded} predicts.
 *
 * <p>Tolerances: double precision, atol 1e-10 on probabilities and embeddings of O(1) (folding
 * reassociates a few hundred products per output); float32, atol 2e-5 (single-precision rounding of
 * the same sums).
 */
class BatchNormFoldingTest {

  private static final int BINS = 32;
  private static final int FRAMES = 44;

  /** Sets every BN's gamma, beta, mean and log10 std (or var) to random values of realistic size. */
  static void randomiseBatchNorms(ComputationGraph net, long seed) {
    Random r = new Random(seed);
    for (Map.Entry<String, org.deeplearning4j.nn.conf.graph.GraphVertex> e
        : net.getConfiguration().getVertices().entrySet()) {
      if (e.getValue() instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization) {
        for (Map.Entry<String, INDArray> p : net.getVertex(e.getKey()).paramTable(false).entrySet()) {
          INDArray a = p.getValue();
          for (long i = 0; i < a.length(); i++) {
            double v = switch (p.getKey()) {
              case "gamma" -> 0.5 + r.nextDouble();
              case "beta", "mean" -> r.nextGaussian() * 0.5;
              case "log10stdev" -> (r.nextDouble() - 0.5) * 0.6;
              case "var" -> 0.3 + r.nextDouble();
              default -> a.getDouble(i);
            };
            a.putScalar(i, v);
          }
        }
      }
    }
  }

  private static ComputationGraph model(String name, double width, DataType type) {
    ComputationGraph net = Models.create(ModelSpec.of(name, 1, BINS, FRAMES, 10, width, 3).withDataType(type), 0.0);
    randomiseBatchNorms(net, 11);
    return net;
  }

  private static void assertSameOutputs(ComputationGraph a, ComputationGraph b, DataType type, double tol) {
    INDArray x = Nd4j.randn(type, 4, 1, BINS, FRAMES).muli(2.0);
    Map<String, INDArray> fa = a.feedForward(x, false);
    Map<String, INDArray> fb = b.feedForward(x, false);
    for (String v : new String[] {Models.EMBEDDING, Models.OUTPUT}) {
      INDArray ya = fa.get(v);
      INDArray yb = fb.get(v);
      double diff = ya.sub(yb).amaxNumber().doubleValue();
      assertTrue(diff <= tol, v + " differs by " + diff + " (tolerance " + tol + ")");
    }
  }

  @Test
  void foldedNetworksComputeTheSameOutputs() {
    try (var dp = new GradientChecks.DoublePrecision()) {
      for (String[] m : new String[][] {{Models.BCRESNET_ASC, "1"}, {Models.SP4ASC, "0.25"},
          {Models.CP_RESNET, "0.125"}}) {
        ComputationGraph net = model(m[0], Double.parseDouble(m[1]), DataType.DOUBLE);
        BatchNormFolding.Result r = BatchNormFolding.fold(net);
        assertFalse(r.folded().isEmpty(), m[0]);
        assertSameOutputs(net, r.net(), DataType.DOUBLE, 1e-10);
      }
    }
    ComputationGraph net = model(Models.SP4ASC, 0.25, DataType.FLOAT);
    assertSameOutputs(net, BatchNormFolding.fold(net).net(), DataType.FLOAT, 2e-5);
  }

  @Test
  void keepsTheBatchNormsThatCannotFoldAndNamesThem() {
    BatchNormFolding.Result bc = BatchNormFolding.fold(model(Models.BCRESNET_ASC, 1, DataType.FLOAT));
    // stem, the transition 1x1 convs and the temporal depthwise convs fold; SubSpectral Norm's BN
    // (behind a reshape) stays
    assertTrue(bc.folded().containsKey("stem_bn"), bc.folded().toString());
    assertEquals(java.util.List.of("s1b1_tdw"), bc.folded().get("s1b1_tbn2"));
    assertTrue(bc.kept().containsKey("s1b1_ssn_bn"), bc.kept().toString());
    assertTrue(bc.kept().get("s1b1_ssn_bn").contains("SubBandReshapeVertex"), bc.kept().toString());
    for (String kept : bc.kept().keySet()) {
      assertTrue(kept.endsWith("_ssn_bn"), kept);
    }

    // sp4asc: the BN after the sum of the two channel-wise convolutions folds into both; the BN per
    // mel bin on the input stays
    BatchNormFolding.Result sp = BatchNormFolding.fold(model(Models.SP4ASC, 0.25, DataType.FLOAT));
    assertEquals(java.util.List.of("b1_fdw", "b1_tdw"), sp.folded().get("b1_bn"));
    assertEquals(java.util.Set.of("input_bn_bn"), sp.kept().keySet());

    // cp-resnet: every BN follows a conv or the bias-free classifier and folds
    BatchNormFolding.Result cp = BatchNormFolding.fold(model(Models.CP_RESNET, 0.125, DataType.FLOAT));
    assertTrue(cp.kept().isEmpty(), cp.kept().toString());
    assertEquals(java.util.List.of("classifier"), cp.folded().get("classifier_bn"));
    for (String v : cp.net().getConfiguration().getVertices().keySet()) {
      assertFalse(cp.net().getConfiguration().getVertices().get(v) instanceof LayerVertex lv
          && lv.getLayerConf().getLayer() instanceof BatchNormalization, v + " is still a BN");
    }

    // ait-student: conv - ReLU - BN, the BN follows an activation and stays
    ComputationGraph ait = Models.create(ModelSpec.of(Models.AIT_STUDENT, 1, BINS, FRAMES, 10, 1, 3), 0.0);
    BatchNormFolding.Result a = BatchNormFolding.fold(ait);
    assertTrue(a.folded().isEmpty());
    assertTrue(a.kept().get("conv1_bn").contains("ActivationLayer"), a.kept().toString());
  }

  @Test
  void foldedParameterCountsAreThoseParamCountsPredicts() {
    // sp4asc at the paper's size: 62,474 parameters at test time (seed 004 §2.2, Table 1)
    ComputationGraph sp = Models.create(ModelSpec.of(Models.SP4ASC, 1, 256, 44, 10, 1, 3), 0.0);
    ComputationGraph folded = BatchNormFolding.fold(sp).net();
    InputType in = InputType.convolutional(256, 44, 1);
    assertEquals(62_474, ParamCounts.folded(sp));
    assertEquals(62_474, ComplexityAnalyzer.analyze(folded, in).parameters());
    assertEquals(ComplexityAnalyzer.analyze(sp, in).macsPerInference(),
        ComplexityAnalyzer.analyze(folded, in).macsPerInference());
    for (String[] m : new String[][] {{Models.BCRESNET_ASC, "1"}, {Models.CP_RESNET, "0.125"}}) {
      ComputationGraph net = model(m[0], Double.parseDouble(m[1]), DataType.FLOAT);
      InputType t = InputType.convolutional(BINS, FRAMES, 1);
      ComputationGraph f = BatchNormFolding.fold(net).net();
      assertEquals(ParamCounts.folded(net), ComplexityAnalyzer.analyze(f, t).parameters(), m[0]);
      assertEquals(ComplexityAnalyzer.analyze(net, t).parameters(), ComplexityAnalyzer.analyze(f, t).parameters(),
          m[0]);
      assertEquals(ParamCounts.folded(net), f.numParams() - ParamCounts.batchNormRunningStats(f), m[0]);
    }
  }
}
