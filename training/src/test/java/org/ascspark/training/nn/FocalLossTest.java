package org.ascspark.training.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * {@link FocalLoss}: score against a loop implementation, gamma = 0 against LossMCXENT, gradient
 * against central differences of the score (softmax and sigmoid), {@code GradientCheckUtil} through a
 * small network with and without a label mask, JSON round trip.
 */
class FocalLossTest {

    private static final int N = 5;
    private static final int K = 3;

    /** Soft labels (rows sum to 1) with one hard row. */
    private static INDArray softLabels() {
        INDArray y = Nd4j.rand(DataType.DOUBLE, N, K).addi(0.1);
        y.diviColumnVector(y.sum(1));
        y.getRow(0).assign(0.0).putScalar(1, 1.0);
        return y;
    }

    private static double referenceScore(INDArray labels, INDArray logits, INDArray mask, double gamma) {
        double total = 0;
        for (int i = 0; i < N; i++) {
            double[] logP = GradientChecks.logSoftmax(logits, i, K, 1.0);
            double m = mask == null ? 1.0 : mask.getDouble(i, 0);
            for (int k = 0; k < K; k++) {
                double p = Math.exp(logP[k]);
                total += -m * labels.getDouble(i, k) * Math.pow(1 - p, gamma) * Math.log(p);
            }
        }
        return total / N;
    }

    @Test
    void scoreMatchesLoopReference() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            INDArray logits = Nd4j.randn(DataType.DOUBLE, N, K).muli(2);
            INDArray labels = softLabels();
            INDArray mask = Nd4j.ones(DataType.DOUBLE, N, 1).putScalar(2, 0, 0.0);
            for (double gamma : new double[] {0.0, 0.5, 1.0, 2.0}) {
                FocalLoss loss = new FocalLoss(gamma);
                assertEquals(referenceScore(labels, logits, null, gamma),
                        loss.computeScore(labels, logits.dup(), new ActivationSoftmax(), null, true), 1e-12);
                assertEquals(referenceScore(labels, logits, mask, gamma),
                        loss.computeScore(labels, logits.dup(), new ActivationSoftmax(), mask, true), 1e-12);
                INDArray perExample = loss.computeScoreArray(labels, logits.dup(), new ActivationSoftmax(), mask);
                assertEquals(0.0, perExample.getDouble(2, 0), 0.0);
                assertEquals(referenceScore(labels, logits, mask, gamma) * N, perExample.sumNumber().doubleValue(),
                        1e-12);
            }
        }
    }

    @Test
    void gammaZeroIsCrossEntropy() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            INDArray logits = Nd4j.randn(DataType.DOUBLE, N, K);
            INDArray labels = GradientChecks.oneHot(N, K);
            INDArray mask = Nd4j.ones(DataType.DOUBLE, N, 1).putScalar(1, 0, 0.0);
            ILossFunction ce = new LossMCXENT();
            ILossFunction fl = new FocalLoss(0.0);
            IActivation sm = new ActivationSoftmax();
            assertEquals(ce.computeScore(labels, logits.dup(), sm, mask, true),
                    fl.computeScore(labels, logits.dup(), sm, mask, true), 1e-14);
            INDArray gCe = ce.computeGradient(labels, logits.dup(), sm, mask);
            INDArray gFl = fl.computeGradient(labels, logits.dup(), sm, mask);
            assertEquals(0.0, gCe.sub(gFl).amaxNumber().doubleValue(), 1e-14);
            assertEquals(0.0, ce.computeScoreArray(labels, logits.dup(), sm, null)
                    .sub(fl.computeScoreArray(labels, logits.dup(), sm, null)).amaxNumber().doubleValue(), 1e-14);
        }
    }

    /** Central differences of computeScore (sum, not average) against computeGradient. */
    private static void assertGradientMatchesFiniteDifferences(FocalLoss loss, IActivation act, INDArray labels) {
        // central differences: truncation O(h^2) and rounding ~1e-16/h
        GradientChecks.assertLossGradient(loss, act, labels, Nd4j.randn(DataType.DOUBLE, N, K), 1e-8);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            Nd4j.getRandom().setSeed(13);
            for (double gamma : new double[] {0.0, 0.5, 1.0, 2.0, 3.5}) {
                assertGradientMatchesFiniteDifferences(new FocalLoss(gamma), new ActivationSoftmax(), softLabels());
                assertGradientMatchesFiniteDifferences(new FocalLoss(gamma), new ActivationSigmoid(),
                        GradientChecks.oneHot(N, K));
            }
        }
    }

    @Test
    void gradientIsFiniteForSaturatedSoftmax() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            INDArray logits = Nd4j.create(new double[][] {{800, 0, 0}, {0, -800, 800}});
            INDArray labels = Nd4j.create(new double[][] {{1, 0, 0}, {0, 1, 0}});
            for (double gamma : new double[] {0.5, 1.0, 2.0}) {
                INDArray g = new FocalLoss(gamma).computeGradient(labels, logits.dup(), new ActivationSoftmax(), null);
                for (double v : g.data().asDouble()) {
                    assertTrue(Double.isFinite(v), "gamma " + gamma + ": " + g);
                }
            }
        }
    }

    private static ComputationGraph net(FocalLoss loss) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(4))
                .addLayer("dense", new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(loss).nOut(K).activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    @Test
    void gradientCheckThroughNetwork() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            Nd4j.getRandom().setSeed(17);
            INDArray x = Nd4j.randn(DataType.DOUBLE, N, 4);
            INDArray mask = Nd4j.ones(DataType.DOUBLE, N, 1).putScalar(3, 0, 0.0);
            for (double gamma : new double[] {1.0, 2.0, 0.5}) {
                assertTrue(GradientChecks.check(net(new FocalLoss(gamma)), new INDArray[] {x},
                        new INDArray[] {softLabels()}, null), "no mask, gamma " + gamma);
                assertTrue(GradientChecks.check(net(new FocalLoss(gamma)), new INDArray[] {x},
                        new INDArray[] {softLabels()}, new INDArray[] {mask}), "label mask, gamma " + gamma);
            }
        }
    }

    @Test
    void perOutputMaskIsRejectedForSoftmaxGradient() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            INDArray mask = Nd4j.ones(DataType.DOUBLE, N, K);
            assertThrows(UnsupportedOperationException.class, () -> new FocalLoss(1.0).computeGradient(
                    GradientChecks.oneHot(N, K), Nd4j.randn(DataType.DOUBLE, N, K), new ActivationSoftmax(), mask));
        }
    }

    @Test
    void jsonRoundTripAndEquality() {
        ComputationGraphConfiguration conf = net(new FocalLoss(2.0, 1e-8)).getConfiguration();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        OutputLayer out = (OutputLayer) ((LayerVertex) back.getVertices().get("out")).getLayerConf().getLayer();
        assertEquals(new FocalLoss(2.0, 1e-8), out.getLossFn());
        assertNotEquals(new FocalLoss(2.0), new FocalLoss(1.0));
        assertEquals(new FocalLoss(2.0).hashCode(), new FocalLoss(2.0).hashCode());
        assertThrows(IllegalArgumentException.class, () -> new FocalLoss(-1));
        assertThrows(IllegalArgumentException.class, () -> new FocalLoss(1, 0.5));
    }
}
