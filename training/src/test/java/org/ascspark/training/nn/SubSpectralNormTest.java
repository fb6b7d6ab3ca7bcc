package org.ascspark.training.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * {@link SubSpectralNorm} (reshape + DL4J batch norm + reshape, with {@link SubBandReshapeVertex}):
 * training-mode forward pass against a loop implementation of per-(channel, sub-band) batch
 * normalisation with distinct gamma/beta, backward by {@code GradientCheckUtil}, JSON round trip.
 */
class SubSpectralNormTest {

    private static final int N = 3;
    private static final int C = 2;
    private static final int F = 4;
    private static final int T = 3;
    private static final double BN_EPS = 1e-5; // DL4J BatchNormalization default

    /** in [-> conv0 3x3] -> SSN "ssn" -> tanh -> conv 1x1 -> pool -> softmax. */
    private static ComputationGraph net(int subBands, boolean convInFront) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(9).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .activation(Activation.IDENTITY).convolutionMode(ConvolutionMode.Same)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(F, T, C));
        String x = "in";
        if (convInFront) {
            b.addLayer("conv0", new ConvolutionLayer.Builder(3, 3).nOut(C).build(), x);
            x = "conv0";
        }
        String ssn = SubSpectralNorm.add(b, "ssn", x, subBands);
        b.addLayer("act", new ActivationLayer.Builder().activation(Activation.TANH).build(), ssn)
                .addLayer("conv1", new ConvolutionLayer.Builder(1, 1).nOut(3).build(), "act")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv1")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).nOut(3).activation(Activation.SOFTMAX)
                        .build(), "pool")
                .setOutputs("out");
        ComputationGraph net = new ComputationGraph(b.build());
        net.init();
        return net;
    }

    @Test
    void forwardMatchesLoopReference() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            for (int s : new int[] {1, 2, 4}) {
                ComputationGraph net = net(s, false);
                INDArray gamma = net.getParam(SubSpectralNorm.batchNormName("ssn") + "_"
                        + BatchNormalizationParamInitializer.GAMMA);
                INDArray beta = net.getParam(SubSpectralNorm.batchNormName("ssn") + "_"
                        + BatchNormalizationParamInitializer.BETA);
                assertEquals(C * s, gamma.length());
                gamma.assign(GradientChecks.frequencyRamp(0.5, 2.0, C * s).reshape(gamma.shape()));
                beta.assign(GradientChecks.frequencyRamp(-1.0, 1.0, C * s).reshape(beta.shape()));
                INDArray x = Nd4j.randn(DataType.DOUBLE, N, C, F, T).muli(2)
                        .addi(GradientChecks.frequencyRamp(-3, 3, F));
                INDArray y = net.feedForward(x, true).get("ssn");
                assertArrayEquals(x.shape(), y.shape());
                int band = F / s;
                for (int c = 0; c < C; c++) {
                    for (int sb = 0; sb < s; sb++) {
                        double sum = 0;
                        int count = 0;
                        for (int n = 0; n < N; n++) {
                            for (int f = sb * band; f < (sb + 1) * band; f++) {
                                for (int t = 0; t < T; t++) {
                                    sum += x.getDouble(n, c, f, t);
                                    count++;
                                }
                            }
                        }
                        double mean = sum / count;
                        double ss = 0;
                        for (int n = 0; n < N; n++) {
                            for (int f = sb * band; f < (sb + 1) * band; f++) {
                                for (int t = 0; t < T; t++) {
                                    ss += Math.pow(x.getDouble(n, c, f, t) - mean, 2);
                                }
                            }
                        }
                        double sd = Math.sqrt(ss / count + BN_EPS);
                        double g = gamma.getDouble(c * s + sb);
                        double bt = beta.getDouble(c * s + sb);
                        for (int n = 0; n < N; n++) {
                            for (int f = sb * band; f < (sb + 1) * band; f++) {
                                for (int t = 0; t < T; t++) {
                                    double expected = g * (x.getDouble(n, c, f, t) - mean) / sd + bt;
                                    // atol 1e-10: DL4J's batch norm kernel orders its sums differently
                                    assertEquals(expected, y.getDouble(n, c, f, t), 1e-10,
                                            "S=" + s + " [" + n + "," + c + "," + f + "," + t + "]");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void splitAndMergeAreInverseReshapes() {
        SubBandReshapeVertex split = new SubBandReshapeVertex(2, SubBandReshapeVertex.Direction.SPLIT);
        SubBandReshapeVertex merge = new SubBandReshapeVertex(2, SubBandReshapeVertex.Direction.MERGE);
        InputType in = InputType.convolutional(F, T, C);
        InputType mid = split.getOutputType(0, in);
        assertEquals(InputType.convolutional(F / 2, T, C * 2), mid);
        assertEquals(in, merge.getOutputType(0, mid));
        assertThrows(RuntimeException.class, () -> new SubBandReshapeVertex(3, SubBandReshapeVertex.Direction.SPLIT)
                .getOutputType(0, in));
        assertThrows(IllegalArgumentException.class, () -> SubSpectralNorm.add(
                new NeuralNetConfiguration.Builder().graphBuilder(), "s", "in", 0));
    }

    @Test
    void gradientCheck() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            for (int s : new int[] {2, 4}) {
                Nd4j.getRandom().setSeed(21);
                INDArray x = Nd4j.randn(DataType.DOUBLE, N, C, F, T);
                assertTrue(GradientChecks.check(net(s, true), new INDArray[] {x},
                        new INDArray[] {GradientChecks.oneHot(N, 3)}, null), "gradient check, S=" + s);
            }
        }
    }

    @Test
    void jsonRoundTrip() {
        ComputationGraphConfiguration conf = net(2, true).getConfiguration();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertEquals(new SubBandReshapeVertex(2, SubBandReshapeVertex.Direction.MERGE), back.getVertices().get("ssn"));
    }
}
