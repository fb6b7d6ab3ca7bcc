package org.ascspark.training.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
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
 * {@link BroadcastAddVertex} and {@link FrequencyMeanVertex}: forward against loops, backward by
 * {@code GradientCheckUtil} through a convolution that feeds both the full-size and the frequency-mean
 * paths (the BC-ResBlock wiring), JSON round trip.
 */
class BroadcastAddVertexTest {

    private static final int N = 3;
    private static final int C = 2;
    private static final int F = 4;
    private static final int T = 5;

    /**
     * in -> conv0 -> {a: conv 3x3 | m: freq mean -> b: conv 1x3 | c: conv 1x1} -> add(a, b, c) -> tanh
     * -> pool -> softmax.
     */
    private static ComputationGraph net() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .activation(Activation.IDENTITY).convolutionMode(ConvolutionMode.Same)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(F, T, C))
                .addLayer("conv0", new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.TANH).build(), "in")
                .addLayer("a", new ConvolutionLayer.Builder(3, 3).nOut(3).build(), "conv0")
                .addVertex("m", new FrequencyMeanVertex(), "conv0")
                .addLayer("b", new ConvolutionLayer.Builder(1, 3).nOut(3).build(), "m")
                .addLayer("c", new ConvolutionLayer.Builder(1, 1).nOut(3).build(), "conv0")
                .addVertex("add", new BroadcastAddVertex(), "a", "b", "c")
                .addLayer("act", new ActivationLayer.Builder().activation(Activation.TANH).build(), "add")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "act")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).nOut(3).activation(Activation.SOFTMAX)
                        .build(), "pool")
                .setOutputs("out")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    @Test
    void forwardMatchesLoopReference() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            INDArray x = Nd4j.randn(DataType.DOUBLE, N, C, F, T);
            // training mode: in inference DL4J's activation layer works in place on the sum it reads
            Map<String, INDArray> acts = net().feedForward(x, true);
            INDArray conv0 = acts.get("conv0");
            INDArray m = acts.get("m");
            assertArrayEquals(new long[] {N, 2, 1, T}, m.shape());
            INDArray a = acts.get("a");
            INDArray b = acts.get("b");
            INDArray c = acts.get("c");
            INDArray sum = acts.get("add");
            assertArrayEquals(new long[] {N, 3, F, T}, sum.shape());
            for (int i = 0; i < N; i++) {
                for (int t = 0; t < T; t++) {
                    for (int ch = 0; ch < 2; ch++) {
                        double s = 0;
                        for (int f = 0; f < F; f++) {
                            s += conv0.getDouble(i, ch, f, t);
                        }
                        assertEquals(s / F, m.getDouble(i, ch, 0, t), 1e-14);
                    }
                    for (int ch = 0; ch < 3; ch++) {
                        for (int f = 0; f < F; f++) {
                            double expected = a.getDouble(i, ch, f, t) + b.getDouble(i, ch, 0, t)
                                    + c.getDouble(i, ch, f, t);
                            assertEquals(expected, sum.getDouble(i, ch, f, t), 1e-14);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradientCheck() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            Nd4j.getRandom().setSeed(5);
            INDArray x = Nd4j.randn(DataType.DOUBLE, N, C, F, T);
            assertTrue(GradientChecks.check(net(), new INDArray[] {x},
                    new INDArray[] {GradientChecks.oneHot(N, 3)}, null));
        }
    }

    @Test
    void outputTypeAndJson() {
        InputType full = InputType.convolutional(F, T, 3);
        InputType flat = InputType.convolutional(1, T, 3);
        assertEquals(full, new BroadcastAddVertex().getOutputType(0, flat, full));
        assertThrows(RuntimeException.class,
                () -> new BroadcastAddVertex().getOutputType(0, full, InputType.convolutional(2, T, 3)));
        assertEquals(flat, new FrequencyMeanVertex().getOutputType(0, full));
        ComputationGraphConfiguration conf = net().getConfiguration();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertEquals(new BroadcastAddVertex(), back.getVertices().get("add"));
        assertEquals(new FrequencyMeanVertex(), back.getVertices().get("m"));
    }
}
