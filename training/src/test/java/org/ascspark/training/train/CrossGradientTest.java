package org.ascspark.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ascspark.training.models.Models;
import org.ascspark.training.nn.GradientChecks;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
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
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * {@link CrossGradient}: the input probe's gradient against central differences of the loss in
 * double precision, the probe copy computing the same outputs, the perturbation's size, and the
 * weighted minibatch.
 */
class CrossGradientTest {

    private static ComputationGraph net() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs(Models.INPUT).setInputTypes(InputType.convolutional(4, 5, 2))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.TANH)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).build(), Models.INPUT)
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).nOut(3).activation(Activation.SOFTMAX)
                        .build(), "pool")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void probeGradientMatchesCentralDifferences() {
        try (GradientChecks.DoublePrecision ignored = new GradientChecks.DoublePrecision()) {
            ComputationGraph net = net();
            ComputationGraph probed = CrossGradient.withInputProbe(net);
            Nd4j.getRandom().setSeed(5);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 4, 5).subi(0.5);
            INDArray y = GradientChecks.oneHot(3, 3);
            assertTrue(net.outputSingle(x).equalsWithEps(probed.outputSingle(x), 1e-12));
            INDArray g = CrossGradient.inputGradient(probed, x, y).dup();
            assertArrayEquals(x.shape(), g.shape());
            double h = 1e-6;
            for (int i = 0; i < x.length(); i += 7) {
                double v = x.getDouble(i);
                x.putScalar(i, v + h);
                double up = net.score(new DataSet(x, y), false);
                x.putScalar(i, v - h);
                double down = net.score(new DataSet(x, y), false);
                x.putScalar(i, v);
                // the probe sees the gradient of the summed loss (DL4J divides by the minibatch size later,
                // in its updater): 3 x that of the mean score
                assertEquals(3 * (up - down) / (2 * h), g.getDouble(i), 1e-7, "element " + i);
            }
        }
    }

    @Test
    void perturbationHasTheRequestedSizeAndPairsAreWeighted() {
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 3, 4);
        INDArray g = Nd4j.rand(DataType.FLOAT, 2, 1, 3, 4).subi(0.5);
        g.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).assign(0);
        INDArray p = CrossGradient.perturb(x, g, 0.3);
        INDArray d = p.sub(x).reshape(2, 12);
        assertEquals(0.3, Math.sqrt(d.getRow(0).mul(d.getRow(0)).meanNumber().doubleValue()), 1e-5);
        assertEquals(0, d.getRow(1).norm2Number().doubleValue(), 0);
        // the direction is the gradient's
        assertTrue(d.getRow(0).mul(g.reshape(2, 12).getRow(0)).sumNumber().doubleValue() > 0);
        DataSet pair = new CrossGradient(0.3, 0.3, 0.25).pair(x, p, GradientChecks.oneHot(2, 3).castTo(DataType.FLOAT));
        assertEquals(4, pair.numExamples());
        assertArrayEquals(new float[] {1.5f, 1.5f, 0.5f, 0.5f}, pair.getLabelsMaskArray().toFloatVector(), 0f);
        assertTrue(pair.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 4)).equals(p));
    }

    @Test
    void probeCopyKeepsBatchNormModelsIntact() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs(Models.INPUT).setInputTypes(InputType.convolutional(4, 5, 1))
                .addLayer("bn", new BatchNormalization.Builder().build(), Models.INPUT)
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "bn")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).nOut(2).activation(Activation.SOFTMAX)
                        .build(), "pool")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        ComputationGraph probed = CrossGradient.withInputProbe(net);
        assertEquals(net.numParams(), probed.numParams());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 4, 5);
        assertTrue(net.outputSingle(x).equalsWithEps(probed.outputSingle(x), 1e-6));
    }
}
