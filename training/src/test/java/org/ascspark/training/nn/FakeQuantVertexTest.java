package org.ascspark.training.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * {@link FakeQuantVertex}: the forward pass against its scalar definition at 8 bits, in float32 and
 * float64 networks; the straight-through backward pass (gradient passed inside the representable range,
 * zero outside) element by element; a {@code GradientCheckUtil} check in double precision through
 * convolutions on both sides, with a 44-bit grid so that rounding (step ~1e-13) is far below the
 * finite-difference resolution while clamping is active (about a quarter of the values lie outside
 * the range): the numerical derivative is then that of clamp, which is what the estimator claims;
 * JSON round trip and validation.
 */
class FakeQuantVertexTest {

  private static final int C = 2;
  private static final int F = 4;
  private static final int T = 5;

  /** input -> conv 3x3 (identity, 3 channels) "conv0" -> fake quant "fq" -> conv 1x1 tanh -> pool -> softmax. */
  private static ComputationGraph net(FakeQuantVertex fq, DataType type) {
    ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
        .seed(7).dataType(type).updater(new NoOp()).weightInit(WeightInit.XAVIER)
        .convolutionMode(ConvolutionMode.Same)
        .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(F, T, C))
        .addLayer("conv0", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.IDENTITY).build(), "in")
        .addVertex("fq", fq, "conv0");
    return GradientChecks.withClassifierHead(b, "fq", 3);
  }

  @Test
  void forwardIsTheScalarDefinitionAt8Bits() {
    // a binary-exact step, so the ties below are exact: rint(x / 0.25) - 20, clamped to [-128, 127],
    // plus 20, times 0.25
    FakeQuantVertex fq = new FakeQuantVertex(0.25, -20, -128, 127);
    assertEquals(0.0, fq.apply(0.0), 0.0);
    assertEquals(0.25, fq.apply(0.3), 0.0);
    assertEquals(0.5, fq.apply(0.625), 0.0); // 2.5 -> 2 (half to even)
    assertEquals(1.0, fq.apply(0.875), 0.0); // 3.5 -> 4
    assertEquals(-27.0, fq.apply(-100.0), 0.0); // clamped at level -128: (-128 + 20) * 0.25
    assertEquals(36.75, fq.apply(100.0), 0.0); // clamped at level 127: (127 + 20) * 0.25
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      ComputationGraph net = net(fq, type);
      INDArray x = Nd4j.randn(type, 3, C, F, T).muli(20.0);
      Map<String, INDArray> acts = net.feedForward(x, false);
      INDArray in = acts.get("conv0");
      INDArray out = acts.get("fq");
      for (long i = 0; i < in.length(); i++) {
        double expected = fq.apply(in.getDouble(i));
        assertEquals(type == DataType.FLOAT ? (float) expected : expected, out.getDouble(i), 0.0, type + " " + i);
      }
    }
  }

  @Test
  void backwardPassesTheGradientInsideTheRangeOnly() {
    try (var dp = new GradientChecks.DoublePrecision()) {
      // levels rint(x / 0.01) + 3 in [-128, 127] pass the gradient: x in about [-1.31, 1.24]
      FakeQuantVertexImpl v = new FakeQuantVertexImpl(null, "fq", 0, 0.01, 3, -128, 127, DataType.DOUBLE);
      INDArray x = Nd4j.randn(DataType.DOUBLE, 4, C, F, T).muli(1.5);
      x.putScalar(0, -1.32); // level -132 + 3 = -129: outside
      x.putScalar(1, -1.30); // level -130 + 3 = -127: inside
      INDArray g = Nd4j.randn(DataType.DOUBLE, 4, C, F, T);
      v.setInputs(new INDArray[] {x});
      v.setEpsilon(g);
      INDArray dx = v.doBackward(false, LayerWorkspaceMgr.noWorkspaces()).getSecond()[0];
      long inside = 0;
      long outside = 0;
      for (long i = 0; i < x.length(); i++) {
        double level = Math.rint(x.getDouble(i) / 0.01) + 3;
        boolean pass = level >= -128 && level <= 127;
        inside += pass ? 1 : 0;
        outside += pass ? 0 : 1;
        assertEquals(pass ? g.getDouble(i) : 0.0, dx.getDouble(i), 0.0, "element " + i + ", x = " + x.getDouble(i));
      }
      assertEquals(0.0, dx.getDouble(0), 0.0);
      assertEquals(g.getDouble(1), dx.getDouble(1), 0.0);
      assertTrue(inside > 0 && outside > 0, inside + " inside, " + outside + " outside: the test needs both");
    }
  }

  /** A 44-bit grid on [-0.6, 0.6]: rounding below 1e-13, clamping of the larger activations. */
  private static ComputationGraph net44() {
    long q = 1L << 43;
    double scale = 0.6 / q;
    return net(new FakeQuantVertex(scale, 0, -q, q - 1), DataType.DOUBLE);
  }

  @Test
  void gradientCheckInDoublePrecision() {
    try (var dp = new GradientChecks.DoublePrecision()) {
      ComputationGraph net = net44();
      INDArray x = Nd4j.randn(DataType.DOUBLE, 3, C, F, T).muli(1.5);
      INDArray conv0 = net.feedForward(x, false).get("conv0");
      long clamped = 0;
      for (long i = 0; i < conv0.length(); i++) {
        clamped += Math.abs(conv0.getDouble(i)) > 0.6 ? 1 : 0;
      }
      assertTrue(clamped > conv0.length() / 10 && clamped < conv0.length() * 9 / 10,
          clamped + " of " + conv0.length() + " clamped: the check needs both regimes");
      assertTrue(GradientChecks.check(net, new INDArray[] {x}, new INDArray[] {GradientChecks.oneHot(3, 3)}, null));
    }
  }

  @Test
  void jsonRoundTripAndValidation() {
    FakeQuantVertex fq = new FakeQuantVertex(0.0123, 17, -128, 127);
    ComputationGraph net = net(fq, DataType.FLOAT);
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson());
    assertEquals(fq, back.getVertices().get("fq"));
    assertEquals(net.getConfiguration(), back);
    assertThrows(IllegalArgumentException.class, () -> new FakeQuantVertex(0, 0, -128, 127));
    assertThrows(IllegalArgumentException.class, () -> new FakeQuantVertex(0.1, 200, -128, 127));
    assertThrows(IllegalArgumentException.class, () -> new FakeQuantVertex(0.1, 0, 5, 5));
  }
}
