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
 * {@link MaxFeatureMapVertex}, as MFM (one input) and AMFM (map + attention vector): forward pass on
 * hand-computed values and against loops, backward pass by {@code GradientCheckUtil} in double precision
 * with both inputs produced by layers with parameters (so the gradients into the map and into the
 * attention are both checked), output types and JSON round trip.
 */
class MaxFeatureMapVertexTest {

    private static final int N = 3;
    private static final int C = 2;
    private static final int F = 4;
    private static final int T = 5;

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new NoOp())
                .weightInit(WeightInit.XAVIER).activation(Activation.IDENTITY).convolutionMode(ConvolutionMode.Same);
    }

    /**
     * Network inputs fed straight into the vertex: "x" [N, 2c, f, t] and, with attention, "a" [N, c];
     * then GAP and a softmax layer so the graph has an output.
     */
    private static ComputationGraph direct(int c, int f, int t, boolean attention) {
        ComputationGraphConfiguration.GraphBuilder b = base().graphBuilder();
        if (attention) {
            b.addInputs("x", "a").setInputTypes(InputType.convolutional(f, t, 2L * c), InputType.feedForward(c))
                    .addVertex("mfm", new MaxFeatureMapVertex(), "x", "a");
        } else {
            b.addInputs("x").setInputTypes(InputType.convolutional(f, t, 2L * c))
                    .addVertex("mfm", new MaxFeatureMapVertex(), "x");
        }
        b.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "mfm")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).nOut(2).activation(Activation.SOFTMAX)
                        .build(), "pool")
                .setOutputs("out");
        ComputationGraph net = new ComputationGraph(b.build());
        net.init();
        return net;
    }

    /**
     * in -> conv0 3x3 (2C channels) -> [GAP -> dense sigmoid = attention] -> MFM/AMFM -> conv 1x1 tanh
     * -> GAP -> softmax.
     */
    private static ComputationGraph net(boolean attention) {
        ComputationGraphConfiguration.GraphBuilder b = base().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(F, T, C))
                .addLayer("conv0", new ConvolutionLayer.Builder(3, 3).nOut(2 * C).build(), "in");
        if (attention) {
            b.addLayer("att_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv0")
                    .addLayer("att", new DenseLayer.Builder().nOut(C).activation(Activation.SIGMOID).build(), "att_pool")
                    .addVertex("mfm", new MaxFeatureMapVertex(), "conv0", "att");
        } else {
            b.addVertex("mfm", new MaxFeatureMapVertex(), "conv0");
        }
        return GradientChecks.withClassifierHead(b, "mfm", 3);
    }

    @Test
    void handComputedValues() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            // one example, 2 output channels, 1 x 2 map: channels 0,1 are x1, channels 2,3 are x2
            INDArray x = Nd4j.create(new double[] {1, -2, /* c1 */ 0.5, 4, /* c2 */ 3, -1, /* c3 */ -0.5, 2},
                    new long[] {1, 4, 1, 2});
            INDArray mfm = direct(2, 1, 2, false).feedForward(new INDArray[] {x}, false).get("mfm");
            assertArrayEquals(new long[] {1, 2, 1, 2}, mfm.shape());
            // max(x1, x2): c0 = max([1, -2], [3, -1]) = [3, -1]; c1 = max([0.5, 4], [-0.5, 2]) = [0.5, 4]
            assertArrayEquals(new double[] {3, -1, 0.5, 4}, mfm.reshape(4).toDoubleVector(), 0.0);
            // AMFM with a = [0.25, 0.5]: a x2 = c0 [0.75, -0.25], c1 [-0.25, 1]
            // max(x1, a x2) = c0 [1, -0.25], c1 [0.5, 4]
            INDArray a = Nd4j.create(new double[] {0.25, 0.5}, new long[] {1, 2});
            INDArray amfm = direct(2, 1, 2, true).feedForward(new INDArray[] {x, a}, false).get("mfm");
            assertArrayEquals(new double[] {1, -0.25, 0.5, 4}, amfm.reshape(4).toDoubleVector(), 0.0);
        }
    }

    @Test
    void forwardMatchesLoopReference() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            Nd4j.getRandom().setSeed(2);
            INDArray x = Nd4j.randn(DataType.DOUBLE, N, 2 * C, F, T);
            INDArray a = Nd4j.rand(DataType.DOUBLE, N, C);
            Map<String, INDArray> acts = direct(C, F, T, true).feedForward(new INDArray[] {x, a}, false);
            INDArray y = acts.get("mfm");
            assertArrayEquals(new long[] {N, C, F, T}, y.shape());
            INDArray plain = direct(C, F, T, false).feedForward(new INDArray[] {x}, false).get("mfm");
            for (int i = 0; i < N; i++) {
                for (int c = 0; c < C; c++) {
                    for (int f = 0; f < F; f++) {
                        for (int t = 0; t < T; t++) {
                            double x1 = x.getDouble(i, c, f, t);
                            double x2 = x.getDouble(i, c + C, f, t);
                            assertEquals(Math.max(x1, a.getDouble(i, c) * x2), y.getDouble(i, c, f, t), 0.0);
                            assertEquals(Math.max(x1, x2), plain.getDouble(i, c, f, t), 0.0);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradientCheck() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            for (boolean attention : new boolean[] {false, true}) {
                Nd4j.getRandom().setSeed(5);
                INDArray x = Nd4j.randn(DataType.DOUBLE, N, C, F, T);
                assertTrue(GradientChecks.check(net(attention), new INDArray[] {x},
                        new INDArray[] {GradientChecks.oneHot(N, 3)}, null), "attention " + attention);
            }
        }
    }

    @Test
    void outputTypeAndJson() {
        InputType map = InputType.convolutional(F, T, 2 * C);
        assertEquals(InputType.convolutional(F, T, C), new MaxFeatureMapVertex().getOutputType(0, map));
        assertEquals(InputType.convolutional(F, T, C),
                new MaxFeatureMapVertex().getOutputType(0, map, InputType.feedForward(C)));
        assertThrows(RuntimeException.class,
                () -> new MaxFeatureMapVertex().getOutputType(0, InputType.convolutional(F, T, 3)));
        assertThrows(RuntimeException.class,
                () -> new MaxFeatureMapVertex().getOutputType(0, map, InputType.feedForward(2 * C)));
        for (boolean attention : new boolean[] {false, true}) {
            ComputationGraphConfiguration conf = net(attention).getConfiguration();
            ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
            assertEquals(conf, back);
            assertEquals(new MaxFeatureMapVertex(), back.getVertices().get("mfm"));
        }
        MaxFeatureMapVertex v = new MaxFeatureMapVertex();
        assertEquals(v, v.clone());
        assertEquals(v.hashCode(), v.clone().hashCode());
    }
}
