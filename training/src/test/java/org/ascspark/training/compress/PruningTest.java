package org.ascspark.training.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ascspark.training.complexity.ComplexityAnalyzer;
import org.ascspark.training.complexity.ModelComplexity;
import org.ascspark.training.models.ModelSpec;
import org.ascspark.training.models.Models;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/**
 * {@link Pruning} on a folded sp4asc: exactly {@code floor(s n + 1/2)} weights become zero (of the
 * pool: all weights, or each tensor), every pruned magnitude is at most every kept one, biases and
 * the BatchNorm left after folding are untouched, and the complexity analyser's non-zero count drops by
 * exactly the pruned number.
 */
class PruningTest {

  private static ComputationGraph folded() {
    return BatchNormFolding.fold(Models.create(ModelSpec.of(Models.SP4ASC, 1, 32, 44, 10, 0.25, 9), 0.0)).net();
  }

  private static long zeros(float[] w) {
    long n = 0;
    for (float v : w) {
      n += v == 0f ? 1 : 0;
    }
    return n;
  }

  @Test
  void globalPruningZeroesExactlyTheSmallestWeights() {
    ComputationGraph net = folded();
    InputType in = InputType.convolutional(32, 44, 1);
    ModelComplexity before = ComplexityAnalyzer.analyze(net, in);
    double biasSum = net.getParam("b1_fdw_b").sumNumber().doubleValue();
    List<WeightTensors.Tensor> tensors = WeightTensors.of(net);
    long n = 0;
    for (WeightTensors.Tensor t : tensors) {
      n += t.values().length();
      assertEquals(0, zeros(t.read()), "a freshly initialised network has no zero weights");
    }
    assertEquals(before.weightParameters(), n);
    for (double s : new double[] {0.0, 0.37, 0.5, 0.9}) {
      ComputationGraph p = net.clone();
      List<Pruning.Mask> masks = Pruning.prune(p, s, Pruning.Scope.GLOBAL);
      long k = Pruning.pruneCount(n, s);
      assertEquals((long) Math.floor(s * n + 0.5), k);
      long zeroed = 0;
      float maxPruned = 0f;
      float minKept = Float.MAX_VALUE;
      List<WeightTensors.Tensor> after = WeightTensors.of(p);
      for (int t = 0; t < after.size(); t++) {
        float[] orig = tensors.get(t).read();
        float[] w = after.get(t).read();
        zeroed += zeros(w);
        assertEquals(masks.get(t).pruned(), zeros(w));
        for (int i = 0; i < w.length; i++) {
          if (w[i] == 0f) {
            maxPruned = Math.max(maxPruned, Math.abs(orig[i]));
          } else {
            assertEquals(orig[i], w[i], 0f, "kept weights are unchanged");
            minKept = Math.min(minKept, Math.abs(orig[i]));
          }
        }
      }
      assertEquals(k, zeroed, "sparsity " + s);
      assertTrue(k == 0 || maxPruned <= minKept, "pruned " + maxPruned + " > kept " + minKept);
      assertEquals(biasSum, p.getParam("b1_fdw_b").sumNumber().doubleValue(), 0.0, "biases are not pruned");
      assertEquals(net.getParam("input_bn_bn_gamma"), p.getParam("input_bn_bn_gamma"), "BN is not pruned");
      ModelComplexity c = ComplexityAnalyzer.analyze(p, in);
      assertEquals(before.parameters(), c.parameters());
      assertEquals(before.nonZeroParameters() - k, c.nonZeroParameters());
      assertEquals(before.nonZeroWeightParameters() - k, c.nonZeroWeightParameters());
    }
  }

  @Test
  void layerPruningReachesTheSparsityInEveryTensor() {
    ComputationGraph p = folded();
    List<Pruning.Mask> masks = Pruning.prune(p, 0.3, Pruning.Scope.LAYER);
    List<WeightTensors.Tensor> after = WeightTensors.of(p);
    assertEquals(after.size(), masks.size());
    for (WeightTensors.Tensor t : after) {
      float[] w = t.read();
      assertEquals(Pruning.pruneCount(w.length, 0.3), zeros(w), t.id());
    }
  }

  @Test
  void sparsityOutsideTheUnitIntervalIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Pruning.pruneCount(10, 1.0));
    assertThrows(IllegalArgumentException.class, () -> Pruning.pruneCount(10, -0.1));
    assertThrows(IllegalArgumentException.class, () -> Pruning.pruneCount(10, Double.NaN));
  }
}
