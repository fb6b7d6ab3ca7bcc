package org.ascspark.training.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * {@link ResNormVertex}: forward pass against a loop implementation of QTI eq. 1-3 (seed 003), the
 * backward pass by {@code GradientCheckUtil} (double precision) through a convolution in front of the
 * vertex, JSON round trip and validation.
 */
class ResNormVertexTest {

    private static final int N = 3;
    private static final int C = 2;
    private static final int F = 4;
    private static final int T = 5;

    /** input -> [conv 3x3 ->] resnorm "rn" -> conv 1x1 tanh -> global avg pool -> softmax output. */
    private static ComputationGraph net(double lambda, boolean convInFront) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(F, T, C));
        String x = "in";
        if (convInFront) {
            b.addLayer("conv0", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.IDENTITY).build(), x);
            x = "conv0";
        }
        b.addVertex("rn", new ResNormVertex(lambda, 1e-5), x);
        return GradientChecks.withClassifierHead(b, "rn", 3);
    }

    /** Plain-loop ResNorm: lambda x + (x - mean_ct) / sqrt(var_ct + eps), population variance. */
    static double[][][][] reference(double[][][][] x, double lambda, double eps) {
        int n = x.length;
        int c = x[0].length;
        int f = x[0][0].length;
        int t = x[0][0][0].length;
        double[][][][] y = new double[n][c][f][t];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < f; k++) {
                double sum = 0;
                for (int j = 0; j < c; j++) {
                    for (int u = 0; u < t; u++) {
                        sum += x[i][j][k][u];
                    }
                }
                double mean = sum / (c * t);
                double ss = 0;
                for (int j = 0; j < c; j++) {
                    for (int u = 0; u < t; u++) {
                        ss += (x[i][j][k][u] - mean) * (x[i][j][k][u] - mean);
                    }
                }
                double sd = Math.sqrt(ss / (c * t) + eps);
                for (int j = 0; j < c; j++) {
                    for (int u = 0; u < t; u++) {
                        y[i][j][k][u] = lambda * x[i][j][k][u] + (x[i][j][k][u] - mean) / sd;
                    }
                }
            }
        }
        return y;
    }

    static double[][][][] toArray(INDArray a) {
        long[] s = a.shape();
        double[][][][] out = new double[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]];
        for (int i = 0; i < s[0]; i++) {
            for (int j = 0; j < s[1]; j++) {
                for (int k = 0; k < s[2]; k++) {
                    for (int u = 0; u < s[3]; u++) {
                        out[i][j][k][u] = a.getDouble(i, j, k, u);
                    }
                }
            }
        }
        return out;
    }

    static void assertClose(double[][][][] expected, INDArray actual, double tol) {
        double[][][][] a = toArray(actual);
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                for (int k = 0; k < a[i][j].length; k++) {
                    for (int u = 0; u < a[i][j][k].length; u++) {
                        assertEquals(expected[i][j][k][u], a[i][j][k][u], tol,
                                "element [" + i + "," + j + "," + k + "," + u + "]");
                    }
                }
            }
        }
    }

    @Test
    void forwardMatchesLoopReference() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            // offsets and scales that differ per frequency bin, as device responses do
            INDArray x = Nd4j.randn(DataType.DOUBLE, N, C, F, T).muli(3.0)
                    .addi(GradientChecks.frequencyRamp(-5, 5, F));
            for (double lambda : new double[] {0.1, 0.0, 1.5}) {
                INDArray y = net(lambda, false).feedForward(x, false).get("rn");
                // atol 1e-12: a few dozen double-precision operations on O(1) values
                assertClose(reference(toArray(x), lambda, 1e-5), y, 1e-12);
            }
        }
    }

    @Test
    void freqInHasZeroMeanAndUnitVariancePerBin() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            INDArray x = Nd4j.randn(DataType.DOUBLE, N, C, F, T).muli(10).addi(4);
            INDArray y = net(0.0, false).feedForward(x, false).get("rn");
            INDArray mean = y.mean(1, 3);
            INDArray var = y.var(false, 1, 3);
            assertEquals(0.0, mean.amaxNumber().doubleValue(), 1e-12);
            // variance sigma2 / (sigma2 + eps), sigma2 ~ 100
            assertEquals(1.0, var.minNumber().doubleValue(), 1e-6);
            assertEquals(1.0, var.maxNumber().doubleValue(), 1e-6);
        }
    }

    @Test
    void gradientCheck() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            for (double lambda : new double[] {0.1, 0.0}) {
                Nd4j.getRandom().setSeed(11);
                INDArray x = Nd4j.randn(DataType.DOUBLE, N, C, F, T);
                INDArray y = GradientChecks.oneHot(N, 3);
                assertTrue(GradientChecks.check(net(lambda, true), new INDArray[] {x}, new INDArray[] {y}, null),
                        "gradient check, lambda " + lambda);
            }
        }
    }

    @Test
    void jsonRoundTrip() {
        ComputationGraphConfiguration conf = net(0.25, true).getConfiguration();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertEquals(new ResNormVertex(0.25, 1e-5), back.getVertices().get("rn"));
        ResNormVertex v = new ResNormVertex(0.3, 1e-3);
        assertEquals(v, v.clone());
        assertEquals(v.hashCode(), v.clone().hashCode());
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> new ResNormVertex(0.1, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new ResNormVertex(Double.NaN, 1e-5));
        assertThrows(IllegalArgumentException.class, () -> new ResNormVertex(0.1, -1));
    }
}
