package org.ascspark.training.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * {@link ChannelScaleVertex}: forward pass on hand-computed values and against loops, backward pass by
 * {@code GradientCheckUtil} (double precision) through a squeeze-and-excitation block whose map and
 * scale both come from layers with parameters, output types and JSON round trip.
 */
class ChannelScaleVertexTest {

    private static final int N = 3;
    private static final int C = 3;
    private static final int F = 4;
    private static final int T = 5;

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE).updater(new NoOp())
                .weightInit(WeightInit.XAVIER).activation(Activation.IDENTITY).convolutionMode(ConvolutionMode.Same);
    }

    /** Inputs "x" [N, c, f, t] and "s" [N, c] straight into the vertex, then GAP and softmax. */
    private static ComputationGraph direct(int c, int f, int t) {
        ComputationGraph net = new ComputationGraph(base().graphBuilder().addInputs("x", "s")
                .setInputTypes(InputType.convolutional(f, t, c), InputType.feedForward(c))
                .addVertex("scale", new ChannelScaleVertex(), "x", "s")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "scale")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).nOut(2).activation(Activation.SOFTMAX)
                        .build(), "pool")
                .setOutputs("out").build());
        net.init();
        return net;
    }

    /** in -> conv0 3x3 -> SE (GAP, dense ReLU, dense sigmoid, scale) -> conv 1x1 tanh -> GAP -> softmax. */
    private static ComputationGraph net() {
        ComputationGraph net = new ComputationGraph(base().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(F, T, 2))
                .addLayer("conv0", new ConvolutionLayer.Builder(3, 3).nOut(C).build(), "in")
                .addLayer("se_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv0")
                .addLayer("se_fc1", new DenseLayer.Builder().nOut(2).activation(Activation.TANH).build(), "se_pool")
                .addLayer("se_fc2", new DenseLayer.Builder().nOut(C).activation(Activation.SIGMOID).build(), "se_fc1")
                .addVertex("scale", new ChannelScaleVertex(), "conv0", "se_fc2")
                .addLayer("conv1", new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.TANH).build(),
                        "scale")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv1")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).nOut(3).activation(Activation.SOFTMAX)
                        .build(), "pool")
                .setOutputs("out").build());
        net.init();
        return net;
    }

    @Test
    void handComputedValues() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            // one example, 2 channels of 1 x 2: [[1, -2], [3, 0.5]] scaled by [0.5, -2]
            INDArray x = Nd4j.create(new double[] {1, -2, 3, 0.5}, new long[] {1, 2, 1, 2});
            INDArray s = Nd4j.create(new double[] {0.5, -2}, new long[] {1, 2});
            INDArray y = direct(2, 1, 2).feedForward(new INDArray[] {x, s}, false).get("scale");
            assertArrayEquals(new long[] {1, 2, 1, 2}, y.shape());
            assertArrayEquals(new double[] {0.5, -1, -6, -1}, y.reshape(4).toDoubleVector(), 0.0);
        }
    }

    @Test
    void forwardMatchesLoopReference() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            Nd4j.getRandom().setSeed(8);
            INDArray x = Nd4j.randn(DataType.DOUBLE, N, C, F, T);
            INDArray s = Nd4j.randn(DataType.DOUBLE, N, C);
            INDArray y = direct(C, F, T).feedForward(new INDArray[] {x, s}, false).get("scale");
            for (int i = 0; i < N; i++) {
                for (int c = 0; c < C; c++) {
                    for (int f = 0; f < F; f++) {
                        for (int t = 0; t < T; t++) {
                            assertEquals(x.getDouble(i, c, f, t) * s.getDouble(i, c), y.getDouble(i, c, f, t), 0.0);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradientCheck() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            Nd4j.getRandom().setSeed(9);
            INDArray x = Nd4j.randn(DataType.DOUBLE, N, 2, F, T);
            assertTrue(GradientChecks.check(net(), new INDArray[] {x}, new INDArray[] {GradientChecks.oneHot(N, 3)},
                    null));
        }
    }

    @Test
    void outputTypeAndJson() {
        InputType map = InputType.convolutional(F, T, C);
        assertEquals(map, new ChannelScaleVertex().getOutputType(0, map, InputType.feedForward(C)));
        assertThrows(RuntimeException.class,
                () -> new ChannelScaleVertex().getOutputType(0, map, InputType.feedForward(C + 1)));
        assertThrows(RuntimeException.class, () -> new ChannelScaleVertex().getOutputType(0, map, map));
        ComputationGraphConfiguration conf = net().getConfiguration();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertEquals(new ChannelScaleVertex(), back.getVertices().get("scale"));
        assertEquals(new ChannelScaleVertex().hashCode(), new ChannelScaleVertex().clone().hashCode());
    }
}
