package org.ascspark.training.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ascspark.training.nn.GradientChecks;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
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

/** {@link GraphAssembler}: shapes of the layer helpers the new models use, against DL4J's own results. */
class GraphAssemblerTest {

    private static GraphAssembler assembler(int channels, int bins, int frames) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).activation(Activation.IDENTITY)
                .convolutionMode(ConvolutionMode.Truncate);
        return new GraphAssembler("test", base, channels, bins, frames);
    }

    private static ComputationGraph finish(GraphAssembler g, String last) {
        String pooled = g.layer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
                new GraphAssembler.Shape(g.shape(last).channels(), 1, 1), last);
        g.layer(Models.OUTPUT, new OutputLayer.Builder(new LossMCXENT()).nOut(2).activation(Activation.SOFTMAX).build(),
                new GraphAssembler.Shape(2, 1, 1), pooled);
        ComputationGraph net = new ComputationGraph(g.graph().setOutputs(Models.OUTPUT).build());
        net.init();
        return net;
    }

    /**
     * A 2x2 all-ones kernel on [[1, 2], [3, 4]] with 'same' padding: TensorFlow pads the bottom and right
     * (seed 001's students are Keras models), giving [[10, 6], [7, 4]].
     */
    @Test
    void convSamePadsBottomRightAsTensorFlow() {
        try (var dp = new GradientChecks.DoublePrecision()) {
            GraphAssembler g = assembler(1, 2, 2);
            String c = g.convSame("conv", Models.INPUT, 1, 2, 2, true);
            assertEquals(new GraphAssembler.Shape(1, 2, 2), g.shape(c));
            ComputationGraph net = finish(g, c);
            net.getParam("conv_W").assign(1.0);
            net.getParam("conv_b").assign(0.0);
            INDArray x = Nd4j.create(new double[] {1, 2, 3, 4}, new long[] {1, 1, 2, 2});
            INDArray y = net.feedForward(x, false).get("conv");
            assertArrayEquals(new double[] {10, 6, 7, 4}, y.reshape(4).toDoubleVector(), 0.0);
        }
    }

    @Test
    void shapesOfStridedDepthwiseAndConcat() {
        GraphAssembler g = assembler(3, 9, 7);
        String f = g.conv("f", Models.INPUT, 4, 3, 1, 2, 1, 1, 0);
        String t = g.depthwiseStrided("t", f, 1, 3, 1, 2, 0, 1);
        assertEquals(new GraphAssembler.Shape(4, 5, 4), g.shape(t)); // ceil(9 / 2), ceil(7 / 2)
        String other = g.conv("o", Models.INPUT, 2, 1, 1, 2, 2, 0, 0);
        String cat = g.concat("cat", t, other);
        assertEquals(new GraphAssembler.Shape(6, 5, 4), g.shape(cat));
        ComputationGraph net = finish(g, cat);
        INDArray y = net.feedForward(Nd4j.randn(DataType.FLOAT, 2, 3, 9, 7), false).get("cat");
        assertArrayEquals(new long[] {2, 6, 5, 4}, y.shape());
    }

    @Test
    void tooSmallActivationNamesModelLayerAndShape() {
        GraphAssembler g = assembler(1, 4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.conv("big", Models.INPUT, 2, 5, 5, 1, 1, 0, 0));
        assertTrue(e.getMessage().contains("test cannot take features of shape [1 x 4 x 4]")
                && e.getMessage().contains("'big'"), e.getMessage());
    }
}
