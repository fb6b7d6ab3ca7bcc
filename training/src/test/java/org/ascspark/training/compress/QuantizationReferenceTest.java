package org.ascspark.training.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import org.ascspark.training.nn.FakeQuantVertex;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Quantization}, {@link FakeQuantVertex#apply} and {@link Pruning} against the independent numpy
 * implementation {@code tools/reference/make_quant_refs.py} (numpy 2.4.6): int8 weights of a network
 * with a convolution, a depthwise convolution (multiplier 2), a dense and an output layer (so DL4J's
 * weight layouts are exercised), an all-zero channel and ties at .5; affine activation parameters and
 * fake quantisation of six ranges (ReLU-like, all negative, degenerate); fp16 rounding with
 * subnormals, ties and overflow, also through ND4J's cast (which the fp16 export uses); pruning masks
 * with ties and zeros. Every comparison is exact: both sides do the same IEEE float64 operations
 * (division, rint, multiplication) and round once to float32.
 */
class QuantizationReferenceTest {

  private static JsonNode ref;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = QuantizationReferenceTest.class.getResourceAsStream("/quant-reference/quant-ref.json")) {
      assertNotNull(in, "quant-reference/quant-ref.json missing from test resources");
      ref = new ObjectMapper().readTree(in);
    }
  }

  private static float[] floats(JsonNode n) {
    float[] a = new float[n.size()];
    for (int i = 0; i < a.length; i++) {
      JsonNode v = n.get(i);
      a[i] = v.isTextual() ? (v.asText().startsWith("-") ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY)
          : (float) v.asDouble();
    }
    return a;
  }

  private static double[] doubles(JsonNode n) {
    double[] a = new double[n.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = n.get(i).asDouble();
    }
    return a;
  }

  /** input [3 x 6 x 6] -> conv 3x3 to 4 -> depthwise 3x1 x2 -> global avg pool -> dense 5 -> output 3. */
  static ComputationGraph referenceNet() {
    ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
        .activation(Activation.IDENTITY).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(6, 6, 3))
        .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).build(), "in")
        .addLayer("dw", new DepthwiseConvolution2D.Builder(3, 1).depthMultiplier(2).build(), "conv")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "dw")
        .addLayer("dense", new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build(), "gap")
        .addLayer("out", new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build(), "dense")
        .setOutputs("out").build());
    net.init();
    return net;
  }

  @Test
  void int8WeightsMatchNumpyThroughTheNetworkLayouts() {
    ComputationGraph net = referenceNet();
    for (JsonNode c : ref.get("weights")) {
      INDArray w = net.getParam(c.get("name").asText() + "_W");
      long[] shape = new long[c.get("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = c.get("shape").get(i).asLong();
      }
      assertArrayEquals(shape, w.shape(), c.get("name").asText());
      w.assign(Nd4j.create(floats(c.get("values")), shape, 'c'));
    }
    List<WeightTensors.Tensor> tensors = WeightTensors.of(net);
    assertEquals(4, tensors.size(), "biases are not weights");
    float[][] before = new float[tensors.size()][];
    for (int t = 0; t < before.length; t++) {
      before[t] = tensors.get(t).read();
    }
    List<Quantization.TensorScales> scales = Quantization.quantizeWeights(net);
    for (int t = 0; t < tensors.size(); t++) {
      JsonNode c = ref.get("weights").get(t);
      String name = c.get("name").asText();
      assertEquals(name, tensors.get(t).vertex());
      assertEquals("per-channel", tensors.get(t).layout());
      assertArrayEquals(doubles(c.get("scales")), scales.get(t).scales(), 0.0, name + " scales");
      assertArrayEquals(floats(c.get("dequantized")), tensors.get(t).read(), 0f, name + " dequantised weights");
      Quantization.PerChannel q = Quantization.symmetricPerChannel(before[t], tensors.get(t).channelOf(),
          tensors.get(t).channels(), Quantization.INT8_WEIGHT_LEVEL);
      for (int i = 0; i < q.levels().length; i++) {
        assertEquals(c.get("levels").get(i).asInt(), q.levels()[i], name + " level " + i);
      }
    }
  }

  @Test
  void roundTripErrorIsAtMostHalfAStep() {
    Random r = new Random(5);
    int channels = 7;
    float[] w = new float[700];
    int[] ch = new int[w.length];
    for (int i = 0; i < w.length; i++) {
      ch[i] = i % channels;
      w[i] = (float) (r.nextGaussian() * Math.pow(10, ch[i] - 3)); // ranges from 1e-3 to 1e3
    }
    Quantization.PerChannel q = Quantization.symmetricPerChannel(w, ch, channels, Quantization.INT8_WEIGHT_LEVEL);
    for (int i = 0; i < w.length; i++) {
      double s = q.scales()[ch[i]];
      assertTrue(Math.abs(q.levels()[i]) <= 127);
      // scale/2 from rounding, plus the float32 rounding of the dequantised value
      double bound = s / 2 + Math.ulp(q.dequantized()[i]);
      assertTrue(Math.abs(w[i] - q.dequantized()[i]) <= bound, "element " + i + ": |w - q(w)| = "
          + Math.abs(w[i] - q.dequantized()[i]) + " > " + bound);
    }
    for (int c = 0; c < channels; c++) {
      int extreme = 0;
      for (int i = c; i < w.length; i += channels) {
        extreme = Math.max(extreme, Math.abs(q.levels()[i]));
      }
      assertEquals(127, extreme, "the largest weight of channel " + c + " maps to +-127");
    }
  }

  @Test
  void activationParametersAndFakeQuantisationMatchNumpy() {
    for (JsonNode c : ref.get("activations")) {
      double lo = c.get("lo").asDouble();
      double hi = c.get("hi").asDouble();
      Quantization.Affine a = Quantization.affine(lo, hi, Quantization.INT8_MIN, Quantization.INT8_MAX);
      String what = "[" + lo + ", " + hi + "]";
      assertEquals(c.get("scale").asDouble(), a.scale(), 0.0, what);
      assertEquals(c.get("zero_point").asLong(), a.zeroPoint(), what);
      FakeQuantVertex v = new FakeQuantVertex(a.scale(), a.zeroPoint(), a.qMin(), a.qMax());
      double[] x = doubles(c.get("x"));
      double[] y = doubles(c.get("y"));
      for (int i = 0; i < x.length; i++) {
        assertEquals(y[i], v.apply(x[i]), 0.0, what + " x = " + x[i]);
      }
      assertTrue(v.lowest() <= Math.min(lo, 0) + a.scale() && v.highest() >= Math.max(hi, 0) - a.scale(), what);
    }
  }

  @Test
  void halfPrecisionRoundingMatchesNumpyAndNd4j() {
    float[] x = floats(ref.get("half").get("x"));
    float[] y = floats(ref.get("half").get("y"));
    INDArray viaNd4j = Nd4j.create(x, new long[] {x.length}).castTo(DataType.HALF).castTo(DataType.FLOAT);
    for (int i = 0; i < x.length; i++) {
      assertEquals(y[i], Quantization.toHalf(x[i]), "toHalf(" + x[i] + ")");
      if (Float.isFinite(y[i])) {
        assertEquals(y[i], viaNd4j.getFloat(i), "ND4J cast of " + x[i]);
      }
    }
  }

  @Test
  void pruningMasksMatchNumpy() {
    float[][] tensors = {floats(ref.get("prune").get("tensors").get(0)),
        floats(ref.get("prune").get("tensors").get(1))};
    for (JsonNode c : ref.get("prune").get("cases")) {
      double s = c.get("sparsity").asDouble();
      Pruning.Scope scope = c.get("scope").asText().equals("global") ? Pruning.Scope.GLOBAL : Pruning.Scope.LAYER;
      boolean[][] keep = Pruning.masks(tensors, s, scope);
      for (int t = 0; t < tensors.length; t++) {
        for (int i = 0; i < tensors[t].length; i++) {
          assertEquals(c.get("keep").get(t).get(i).asBoolean(), keep[t][i], scope + " " + s + " [" + t + "][" + i + "]");
        }
      }
    }
  }
}
