package org.ascspark.training.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * {@link DistillationLoss}: score against a direct loop over the formula, cross-entropy as the special
 * case beta = 0, the analytic gradient against central differences of the score, a whole-network
 * gradient check in double precision, JSON round trip and the argument checks.
 */
class DistillationLossTest {

    private static final int N = 4;
    private static final int K = 3;

    private static INDArray labels(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray soft = Nd4j.rand(DataType.DOUBLE, N, K).addi(0.05);
        soft.diviColumnVector(soft.sum(true, 1));
        INDArray hard = GradientChecks.oneHot(N, K);
        return Nd4j.hstack(hard, soft);
    }

    private static double referenceScore(INDArray labels, INDArray z, double t, double alpha, double beta) {
        double total = 0;
        for (int n = 0; n < N; n++) {
            double[] logP = GradientChecks.logSoftmax(z, n, K, 1.0);
            double[] logQ = GradientChecks.logSoftmax(z, n, K, t);
            for (int k = 0; k < K; k++) {
                double y = labels.getDouble(n, k);
                double s = labels.getDouble(n, K + k);
                total += -alpha * y * logP[k] + beta * t * t * (s > 0 ? s * (Math.log(s) - logQ[k]) : 0);
            }
        }
        return total / N;
    }

    @Test
    void scoreMatchesTheFormulaAndGradientMatchesCentralDifferences() {
        try (GradientChecks.DoublePrecision ignored = new GradientChecks.DoublePrecision()) {
            INDArray y = labels(5);
            INDArray z = Nd4j.rand(DataType.DOUBLE, N, K).muli(6).subi(3);
            for (double[] c : new double[][] {{1, 1, 1}, {3, 0.5, 0.5}, {0.5, 1, 2}, {4, 0, 1}}) {
                DistillationLoss loss = new DistillationLoss(K, c[0], c[1], c[2]);
                double score = loss.computeScore(y, z, new ActivationSoftmax(), null, true);
                assertEquals(referenceScore(y, z, c[0], c[1], c[2]), score, 1e-12, "T=" + c[0]);
                GradientChecks.assertLossGradient(loss, new ActivationSoftmax(), y, z, 1e-6);
            }
        }
    }

    @Test
    void withoutTheSoftTermItIsCrossEntropy() {
        try (GradientChecks.DoublePrecision ignored = new GradientChecks.DoublePrecision()) {
            INDArray y = labels(6);
            INDArray z = Nd4j.rand(DataType.DOUBLE, N, K).muli(4).subi(2);
            DistillationLoss loss = new DistillationLoss(K, 2.0, 1.0, 0.0);
            INDArray hard = y.getColumns(0, 1, 2);
            LossMCXENT ce = new LossMCXENT();
            assertEquals(ce.computeScore(hard, z, new ActivationSoftmax(), null, true),
                    loss.computeScore(y, z, new ActivationSoftmax(), null, true), 1e-9);
            assertTrue(ce.computeGradient(hard, z, new ActivationSoftmax(), null)
                    .equalsWithEps(loss.computeGradient(y, z, new ActivationSoftmax(), null), 1e-9));
        }
    }

    private static ComputationGraph net(DistillationLoss loss) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(2).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(5))
                .addLayer("h", new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(loss).nOut(K).activation(Activation.SOFTMAX).build(), "h")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void networkGradientCheckAndJsonRoundTrip() {
        try (GradientChecks.DoublePrecision ignored = new GradientChecks.DoublePrecision()) {
            DistillationLoss loss = new DistillationLoss(K, 2.5, 0.7, 1.3);
            ComputationGraph g = net(loss);
            INDArray x = Nd4j.rand(DataType.DOUBLE, N, 5).subi(0.5);
            assertTrue(GradientChecks.check(g, new INDArray[] {x}, new INDArray[] {labels(7)}, null));
            ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(g.getConfiguration().toJson());
            assertEquals(g.getConfiguration(), back);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(K, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(K, -1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(K, 2, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(1, 2, 1, 1));
        DistillationLoss loss = new DistillationLoss(K, 2, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loss.computeScore(
                Nd4j.zeros(N, K), Nd4j.zeros(N, K), new ActivationSoftmax(), null, true));
        assertTrue(e.getMessage().contains("labels [N, 6]"), e.getMessage());
    }
}
