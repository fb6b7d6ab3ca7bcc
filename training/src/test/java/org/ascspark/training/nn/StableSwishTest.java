package org.ascspark.training.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * {@link StableSwish}: the same forward values as ND4J's swish; a derivative equal to
 * {@code s + x s (1 - s)} and finite where ND4J 1.0.0-M2.1's is NaN (float32 inputs of 45 and more,
 * asserted here so the test notices when ND4J changes); {@code GradientCheckUtil} in double precision
 * through a convolution; JSON round trip.
 */
class StableSwishTest {

    private static final double[] X = {-800, -100, -50, -20, -1, 0, 0.5, 3, 20, 44, 45, 50, 100, 400, 800};

    @Test
    void forwardIsSwishAndTheDerivativeStaysFinite() {
        INDArray x = Nd4j.create(X).castTo(DataType.FLOAT);
        INDArray ours = new StableSwish().getActivation(x.dup(), false);
        INDArray nd4j = new ActivationSwish().getActivation(x.dup(), false);
        INDArray g = new StableSwish().backprop(x.dup(), Nd4j.ones(DataType.FLOAT, X.length)).getFirst();
        INDArray gNd4j = new ActivationSwish().backprop(x.dup(), Nd4j.ones(DataType.FLOAT, X.length)).getFirst();
        for (int i = 0; i < X.length; i++) {
            double s = 1 / (1 + Math.exp(-X[i]));
            assertEquals(nd4j.getDouble(i), ours.getDouble(i), 1e-6 * Math.max(1, Math.abs(X[i])), "f(" + X[i] + ")");
            assertEquals(s + X[i] * s * (1 - s), g.getDouble(i), 1e-6, "f'(" + X[i] + ")");
        }
        assertTrue(Double.isNaN(gNd4j.getDouble(11)), "ND4J's swish derivative at 50 was NaN in M2.1; now "
                + gNd4j.getDouble(11) + " (the workaround in FineTuning may no longer be needed)");
    }

    @Test
    void gradientCheckInDoublePrecision() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                    .seed(5).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                    .convolutionMode(ConvolutionMode.Same)
                    .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(4, 5, 2))
                    .addLayer("conv0", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.IDENTITY)
                            .build(), "in")
                    .addLayer("swish", new ActivationLayer.Builder().activation(new StableSwish()).build(), "conv0");
            ComputationGraph net = GradientChecks.withClassifierHead(b, "swish", 3);
            INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 2, 4, 5).muli(2.0);
            assertTrue(GradientChecks.check(net, new INDArray[] {x}, new INDArray[] {GradientChecks.oneHot(3, 3)},
                    null));
            ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson());
            assertEquals(net.getConfiguration(), back);
        }
    }
}
