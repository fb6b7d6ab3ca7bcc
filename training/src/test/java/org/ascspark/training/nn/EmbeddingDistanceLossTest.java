package org.ascspark.training.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * {@link EmbeddingDistanceLoss}: score against a direct loop over the formula, the analytic
 * gradient against central differences (identity and tanh activations, an all-zero row), the mask,
 * a two-output network gradient check in double precision (classifier + embedding head, as
 * distillation builds it) and the JSON round trip.
 */
class EmbeddingDistanceLossTest {

    private static final int N = 4;
    private static final int D = 5;

    private static double reference(INDArray t, INDArray a, double wc, double wm) {
        double total = 0;
        for (int n = 0; n < N; n++) {
            double dot = 0;
            double aa = 0;
            double tt = 0;
            double se = 0;
            for (int d = 0; d < D; d++) {
                double x = a.getDouble(n, d);
                double y = t.getDouble(n, d);
                dot += x * y;
                aa += x * x;
                tt += y * y;
                se += (x - y) * (x - y);
            }
            total += wc * (1 - dot / (Math.sqrt(aa + 1e-8) * Math.sqrt(tt + 1e-8))) + wm * se / D;
        }
        return total / N;
    }

    @Test
    void scoreMatchesTheFormulaAndGradientMatchesCentralDifferences() {
        try (GradientChecks.DoublePrecision ignored = new GradientChecks.DoublePrecision()) {
            Nd4j.getRandom().setSeed(3);
            INDArray t = Nd4j.rand(DataType.DOUBLE, N, D).muli(2).subi(0.5);
            INDArray z = Nd4j.rand(DataType.DOUBLE, N, D).muli(2).subi(1);
            for (double[] w : new double[][] {{1, 0}, {0, 1}, {0.5, 2}}) {
                EmbeddingDistanceLoss loss = new EmbeddingDistanceLoss(w[0], w[1]);
                assertEquals(reference(t, z, w[0], w[1]),
                        loss.computeScore(t, z, new ActivationIdentity(), null, true), 1e-12);
                GradientChecks.assertLossGradient(loss, new ActivationIdentity(), t, z, 1e-6);
                GradientChecks.assertLossGradient(loss, new ActivationTanH(), t, z, 1e-6);
            }
            // an all-zero student vector stays finite
            INDArray zeros = z.dup();
            zeros.getRow(0).assign(0);
            EmbeddingDistanceLoss loss = new EmbeddingDistanceLoss(1, 1);
            assertTrue(Double.isFinite(loss.computeScore(t, zeros, new ActivationIdentity(), null, false)));
            assertTrue(Double.isFinite(loss.computeGradient(t, zeros, new ActivationIdentity(), null)
                    .norm2Number().doubleValue()));
        }
    }

    @Test
    void identicalVectorsCostNothingAndMaskedRowsAreLeftOut() {
        try (GradientChecks.DoublePrecision ignored = new GradientChecks.DoublePrecision()) {
            INDArray t = Nd4j.rand(DataType.DOUBLE, N, D).addi(0.1);
            EmbeddingDistanceLoss loss = new EmbeddingDistanceLoss(1, 1);
            assertEquals(0, loss.computeScore(t, t.dup(), new ActivationIdentity(), null, false), 1e-7);
            INDArray z = Nd4j.rand(DataType.DOUBLE, N, D);
            INDArray mask = Nd4j.create(new double[][] {{1}, {0}, {1}, {0}});
            INDArray perRow = loss.computeScoreArray(t, z, new ActivationIdentity(), null);
            INDArray masked = loss.computeScoreArray(t, z, new ActivationIdentity(), mask);
            assertEquals(perRow.getDouble(0) + perRow.getDouble(2), masked.sumNumber().doubleValue(), 1e-12);
            INDArray grad = loss.computeGradient(t, z, new ActivationIdentity(), mask);
            assertEquals(0, grad.getRow(1).norm2Number().doubleValue(), 0);
            assertTrue(grad.getRow(0).norm2Number().doubleValue() > 0);
        }
    }

    @Test
    void twoOutputNetworkGradientCheckAndJsonRoundTrip() {
        try (GradientChecks.DoublePrecision ignored = new GradientChecks.DoublePrecision()) {
            ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                    .seed(2).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                    .graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(6))
                    .addLayer("h", new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), "in")
                    .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).nOut(3)
                            .activation(Activation.SOFTMAX).build(), "h")
                    .addLayer("proj", new DenseLayer.Builder().nOut(D).activation(Activation.IDENTITY).build(), "h")
                    .addLayer("emb", new LossLayer.Builder(new EmbeddingDistanceLoss(0.7, 1.2))
                            .activation(Activation.IDENTITY).build(), "proj")
                    .setOutputs("out", "emb").build();
            ComputationGraph g = new ComputationGraph(conf);
            g.init();
            INDArray x = Nd4j.rand(DataType.DOUBLE, N, 6).subi(0.5);
            INDArray t = Nd4j.rand(DataType.DOUBLE, N, D);
            assertTrue(GradientChecks.check(g, new INDArray[] {x},
                    new INDArray[] {GradientChecks.oneHot(N, 3), t}, null));
            assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        }
    }

    @Test
    void badWeightsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingDistanceLoss(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingDistanceLoss(0, Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EmbeddingDistanceLoss(1, 1)
                .computeScore(Nd4j.zeros(N, D), Nd4j.zeros(N, D + 1), new ActivationIdentity(), null, true));
        assertTrue(e.getMessage().contains("one shape"), e.getMessage());
    }
}
