package org.ascspark.training.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * {@link DilatedDepthwiseConvolution}: forward against a loop over the dilated taps (odd and even
 * sizes, both axes, dilation 2 and 3, "same" and "valid" padding), backward by
 * {@code GradientCheckUtil} in double precision, JSON round trip, and the configuration checks.
 */
class DilatedDepthwiseConvolutionTest {

    private static final int N = 2;
    private static final int C = 3;

    private static DepthwiseConvolution2D.Builder builder(boolean freq, int k, int d, int pad) {
        return new DepthwiseConvolution2D.Builder(freq ? k : 1, freq ? 1 : k).depthMultiplier(1).stride(1, 1)
                .padding(freq ? pad : 0, freq ? 0 : pad).dilation(freq ? d : 1, freq ? 1 : d).hasBias(false);
    }

    private static ComputationGraph net(int f, int t, boolean freq, int k, int d, int pad) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(11).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .activation(Activation.IDENTITY).convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(f, t, C))
                .addLayer("conv0", new ConvolutionLayer.Builder(1, 1).nOut(C).hasBias(false)
                        .activation(Activation.TANH).build(), "in")
                .addLayer("dw", new DilatedDepthwiseConvolution(builder(freq, k, d, pad)), "conv0")
                .addLayer("act", new ActivationLayer.Builder().activation(Activation.TANH).build(), "dw")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "act")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** Direct dilated depthwise convolution, weights [kH, kW, C, 1]. */
    private static double[][][][] reference(INDArray x, INDArray w, int[] pad, int[] dil) {
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int h = (int) x.size(2);
        int wd = (int) x.size(3);
        int kh = (int) w.size(0);
        int kw = (int) w.size(1);
        int oh = h + 2 * pad[0] - dil[0] * (kh - 1);
        int ow = wd + 2 * pad[1] - dil[1] * (kw - 1);
        double[][][][] y = new double[n][c][oh][ow];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = 0;
                        for (int a = 0; a < kh; a++) {
                            for (int e = 0; e < kw; e++) {
                                int ii = i - pad[0] + a * dil[0];
                                int jj = j - pad[1] + e * dil[1];
                                if (ii >= 0 && ii < h && jj >= 0 && jj < wd) {
                                    s += w.getDouble(a, e, ch, 0) * x.getDouble(b, ch, ii, jj);
                                }
                            }
                        }
                        y[b][ch][i][j] = s;
                    }
                }
            }
        }
        return y;
    }

    @ParameterizedTest(name = "{0}x{1}, freq={2}, k={3}, d={4}, pad={5}")
    @CsvSource({
        "8, 5, true, 3, 2, 2",
        "7, 5, true, 3, 2, 2",
        "7, 6, true, 3, 3, 3",
        "9, 4, true, 3, 2, 0",
        "4, 11, false, 3, 2, 2",
        "5, 10, false, 3, 2, 2",
        "3, 13, false, 3, 3, 0",
        "3, 9, false, 5, 2, 4"
    })
    void forwardMatchesTheDilatedConvolutionAndGradientsCheck(int f, int t, boolean freq, int k, int d, int pad) {
        try (GradientChecks.DoublePrecision ignored = new GradientChecks.DoublePrecision()) {
            ComputationGraph g = net(f, t, freq, k, d, pad);
            INDArray x = Nd4j.rand(DataType.DOUBLE, N, C, f, t).subi(0.5);
            // forward alone (downstream layers of g may work in place on the activations)
            ComputationGraph alone = new ComputationGraph(new NeuralNetConfiguration.Builder()
                    .dataType(DataType.DOUBLE).convolutionMode(ConvolutionMode.Truncate)
                    .activation(Activation.IDENTITY).graphBuilder().addInputs("in")
                    .setInputTypes(InputType.convolutional(f, t, C))
                    .addLayer("dw", new DilatedDepthwiseConvolution(builder(freq, k, d, pad)), "in")
                    .setOutputs("dw").build());
            alone.init();
            INDArray w = g.getLayer("dw").getParam("W");
            alone.getLayer("dw").setParam("W", w);
            INDArray in = x;
            INDArray out = alone.outputSingle(x);
            int[] padding = {freq ? pad : 0, freq ? 0 : pad};
            int[] dilation = {freq ? d : 1, freq ? 1 : d};
            double[][][][] ref = reference(in, w, padding, dilation);
            assertArrayEquals(new long[] {N, C, ref[0][0].length, ref[0][0][0].length}, out.shape());
            for (int b = 0; b < N; b++) {
                for (int ch = 0; ch < C; ch++) {
                    for (int i = 0; i < ref[b][ch].length; i++) {
                        for (int j = 0; j < ref[b][ch][i].length; j++) {
                            assertEquals(ref[b][ch][i][j], out.getDouble(b, ch, i, j), 1e-12,
                                    "y[" + b + "," + ch + "," + i + "," + j + "]");
                        }
                    }
                }
            }
            assertTrue(GradientChecks.check(g, new INDArray[] {x}, new INDArray[] {GradientChecks.oneHot(N, 3)},
                    null), "gradient check");
        }
    }

    @Test
    void jsonRoundTripKeepsTheClassAndTheOutput() {
        try (GradientChecks.DoublePrecision ignored = new GradientChecks.DoublePrecision()) {
            ComputationGraph g = net(8, 6, false, 3, 2, 2);
            ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(
                    g.getConfiguration().toJson());
            LayerVertex v = (LayerVertex) back.getVertices().get("dw");
            assertTrue(v.getLayerConf().getLayer() instanceof DilatedDepthwiseConvolution);
            assertEquals(g.getConfiguration(), back);
            ComputationGraph h = new ComputationGraph(back);
            h.init(g.params().dup(), false);
            INDArray x = Nd4j.rand(DataType.DOUBLE, N, C, 8, 6);
            assertEquals(g.outputSingle(x), h.outputSingle(x));
        }
    }

    @Test
    void configurationsOutsideTheFoldAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DilatedDepthwiseConvolution(
                new DepthwiseConvolution2D.Builder(3, 3).dilation(2, 2).padding(2, 2)));
        assertThrows(IllegalArgumentException.class, () -> new DilatedDepthwiseConvolution(
                new DepthwiseConvolution2D.Builder(3, 1).dilation(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> new DilatedDepthwiseConvolution(
                new DepthwiseConvolution2D.Builder(3, 1).dilation(2, 1).padding(1, 0)));
        assertThrows(IllegalArgumentException.class, () -> new DilatedDepthwiseConvolution(
                new DepthwiseConvolution2D.Builder(3, 3).dilation(2, 1).padding(2, 1)));
        assertThrows(IllegalArgumentException.class, () -> new DilatedDepthwiseConvolution(
                new DepthwiseConvolution2D.Builder(3, 1).dilation(2, 1).padding(2, 0).stride(2, 1)));
    }
}
