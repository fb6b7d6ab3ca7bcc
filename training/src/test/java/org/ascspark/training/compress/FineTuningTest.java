package org.ascspark.training.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The training hooks of {@link FineTuning}, on a small dense network with plain SGD so that one update
 * can be predicted exactly: {@link FineTuning.WeightFakeQuant} computes the gradient at the int8
 * weights and applies it to the float (shadow) weights, leaving the network with the int8 values of
 * the updated float weights (the straight-through estimator); {@link FineTuning.KeepPruned} keeps
 * pruned weights at zero through updates.
 */
class FineTuningTest {

  private static final double LR = 0.5;
  private static final int BATCH = 8;

  private static ComputationGraph net() {
    ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3)
        .dataType(DataType.DOUBLE).updater(new Sgd(LR)).graphBuilder().addInputs("in")
        .setInputTypes(InputType.feedForward(6))
        .addLayer("hidden", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "in")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
            .activation(Activation.SOFTMAX).build(), "hidden")
        .setOutputs("out").build());
    net.init();
    return net;
  }

  private static DataSet data() {
    INDArray x = Nd4j.rand(DataType.DOUBLE, BATCH, 6).subi(0.5).muli(4);
    INDArray y = Nd4j.zeros(DataType.DOUBLE, BATCH, 3);
    for (int i = 0; i < BATCH; i++) {
      y.putScalar(i, i % 3, 1.0);
    }
    return new DataSet(x, y);
  }

  private static double[] asDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  @Test
  void quantisationAwareStepUsesTheGradientAtTheInt8WeightsOnTheFloatWeights() {
    ComputationGraph net = net();
    DataSet ds = data();
    List<WeightTensors.Tensor> tensors = WeightTensors.of(net);
    assertEquals(2, tensors.size());
    float[][] w0 = new float[2][];
    for (int t = 0; t < 2; t++) {
      w0[t] = tensors.get(t).read();
    }
    INDArray b0 = net.getParam("hidden_b").dup();

    // expected: the gradient of the network holding the int8 weights
    ComputationGraph quantised = net.clone();
    Quantization.quantizeWeights(quantised);
    quantised.setInputs(ds.getFeatures());
    quantised.setLabels(ds.getLabels());
    quantised.computeGradientAndScore();
    Gradient g = quantised.gradient();

    FineTuning.WeightFakeQuant hook = new FineTuning.WeightFakeQuant(tensors);
    // installed at once: the network now computes with the int8 weights
    assertEquals(quantised.score(), scoreOf(net, ds), 1e-12);
    net.setListeners(hook);
    net.fit(ds);

    String[] keys = {"hidden_W", "out_W"};
    for (int t = 0; t < 2; t++) {
      INDArray grad = g.getGradientFor(keys[t]).dup('c');
      double[] expected = new double[w0[t].length];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = (float) (w0[t][i] - LR * grad.getDouble(i) / BATCH);
      }
      // shadow = float weights - lr x gradient at the int8 weights (DL4J's gradient is of the loss
      // summed over the minibatch; its updater divides by the minibatch size)
      assertArrayEquals(expected, asDoubles(hook.shadow()[t]), 1e-6, keys[t] + " float weights");
      // the network holds the int8 values of the updated float weights
      WeightTensors.Tensor tensor = tensors.get(t);
      float[] q = Quantization.symmetricPerChannel(hook.shadow()[t], tensor.channelOf(), tensor.channels(),
          Quantization.INT8_WEIGHT_LEVEL).dequantized();
      assertArrayEquals(q, tensor.read(), 0f, keys[t] + " installed int8 weights");
    }
    // biases are not quantised: plain SGD from the gradient at the int8 weights
    INDArray expectedB = b0.sub(g.getGradientFor("hidden_b").mul(LR / BATCH));
    assertTrue(expectedB.equalsWithEps(net.getParam("hidden_b"), 1e-9), net.getParam("hidden_b") + " vs " + expectedB);
  }

  private static double scoreOf(ComputationGraph net, DataSet ds) {
    net.setInputs(ds.getFeatures());
    net.setLabels(ds.getLabels());
    net.computeGradientAndScore();
    return net.score();
  }

  @Test
  void stableSwishReplacesNd4jSwishWhoseGradientOverflows() {
    ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3)
        .dataType(DataType.FLOAT).updater(new Sgd(LR)).graphBuilder().addInputs("in")
        .setInputTypes(InputType.feedForward(6))
        .addLayer("hidden", new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY).build(), "in")
        .addLayer("swish", new ActivationLayer.Builder().activation(Activation.SWISH).build(), "hidden")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
            .activation(Activation.SOFTMAX).build(), "swish")
        .setOutputs("out").build());
    net.init();
    net.getParam("hidden_b").assign(60.0); // swish inputs around 60: ND4J's derivative overflows there
    DataSet ds = data();
    net.setInputs(ds.getFeatures().castTo(DataType.FLOAT));
    net.setLabels(ds.getLabels().castTo(DataType.FLOAT));
    net.computeGradientAndScore();
    assertTrue(net.gradient().gradient().isNaN().any(), "ND4J M2.1 swish gives NaN gradients at 60");
    var swapped = FineTuning.useStableSwish(net);
    assertEquals(1, swapped.size());
    net.computeGradientAndScore();
    assertTrue(!net.gradient().gradient().isNaN().any(), "finite gradients with StableSwish");
  }

  @Test
  void prunedWeightsStayZeroThroughUpdates() {
    ComputationGraph net = net();
    List<Pruning.Mask> masks = Pruning.prune(net, 0.5, Pruning.Scope.GLOBAL);
    long pruned = masks.stream().mapToLong(Pruning.Mask::pruned).sum();
    assertEquals(Pruning.pruneCount(5 * 6 + 5 * 3, 0.5), pruned);
    net.setListeners(new FineTuning.KeepPruned(masks));
    float[] keptBefore = WeightTensors.of(net).get(0).read();
    for (int step = 0; step < 5; step++) {
      net.fit(data());
    }
    long zeros = 0;
    boolean moved = false;
    List<WeightTensors.Tensor> after = WeightTensors.of(net);
    for (int t = 0; t < after.size(); t++) {
      float[] w = after.get(t).read();
      for (int i = 0; i < w.length; i++) {
        if (masks.get(t).keep()[i] == 0f) {
          assertEquals(0f, w[i], 0f, "pruned weight " + after.get(t).id() + "[" + i + "]");
          zeros++;
        } else if (t == 0 && w[i] != keptBefore[i]) {
          moved = true;
        }
      }
    }
    assertEquals(pruned, zeros);
    assertTrue(moved, "the kept weights were trained");
  }
}
