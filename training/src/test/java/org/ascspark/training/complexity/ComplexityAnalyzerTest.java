package org.ascspark.training.complexity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Parameter and MAC counts of {@link ComplexityAnalyzer} on small hand-built graphs; every expected
 * number is worked out by hand in the test from the layer sizes (exact integers).
 */
class ComplexityAnalyzerTest {

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER);
    }

    private static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static Map<String, LayerComplexity> byName(ModelComplexity m) {
        return m.layers().stream().collect(Collectors.toMap(LayerComplexity::name, l -> l));
    }

    private static INDArray param(ComputationGraph g, String vertex, String key) {
        INDArray a = g.getVertex(vertex).paramTable(false).get(key);
        if (a == null) {
            throw new IllegalArgumentException(vertex + " has no parameter " + key);
        }
        return a;
    }

    /** Sets a BN running variance, as "var" or (DL4J M2.1's default, useLogStd) as "log10stdev". */
    private static void setVar(ComputationGraph g, String bn, int c, double var) {
        Map<String, INDArray> p = g.getVertex(bn).paramTable(false);
        if (p.containsKey("var")) {
            p.get("var").putScalar(c, var);
        } else {
            p.get("log10stdev").putScalar(c, 0.5 * Math.log10(var));
        }
    }

    /**
     * in 1x8x10 -> conv1 3x3 Same, 4 out, no bias, identity -> bn1 (folds) -> ReLU -> maxpool 2x2/2 ->
     * conv2 3x3 Truncate, 6 out, bias, ReLU -> bn2 (cannot fold: conv2 has a ReLU) -> GAP -> output 6->3.
     */
    static ComputationGraph convBnRelu() {
        return init(base().graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(8, 10, 1))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .hasBias(false).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn1", new BatchNormalization.Builder().build(), "conv1")
                .addLayer("relu1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn1")
                .addLayer("pool1", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build(), "relu1")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(6)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).build(), "pool1")
                .addLayer("bn2", new BatchNormalization.Builder().build(), "conv2")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "bn2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out")
                .build());
    }

    @Test
    void convBnReluCountsByHand() {
        ModelComplexity m = ComplexityAnalyzer.analyze(convBnRelu(), InputType.convolutional(8, 10, 1));
        Map<String, LayerComplexity> l = byName(m);
        assertEquals(List.of("1x8x10"), m.inputShapes());
        assertEquals(List.of("conv1", "bn1", "relu1", "pool1", "conv2", "bn2", "gap", "out"),
                m.layers().stream().map(LayerComplexity::name).toList());

        // conv1: W 4*1*3*3 = 36, no bias; BN folds in and adds 4 biases. MACs 8*10 (Same) * 4 * 3*3 * 1.
        assertEquals("4x8x10", l.get("conv1").outputShape());
        assertEquals(36, l.get("conv1").rawParameters());
        assertEquals(40, l.get("conv1").parameters());
        assertEquals(36, l.get("conv1").weightParameters());
        assertEquals(8 * 10 * 4 * 9, l.get("conv1").macs());
        assertTrue(l.get("conv1").note().contains("bn1"), l.get("conv1").note());
        // bn1: 4*C = 16 raw (gamma, beta, mean, var), 8 trainable, 0 once folded.
        assertEquals(16, l.get("bn1").rawParameters());
        assertEquals(8, l.get("bn1").trainableParameters());
        assertEquals(0, l.get("bn1").parameters());
        assertEquals(0, l.get("bn1").macs());
        assertEquals("4x4x5", l.get("pool1").outputShape());
        assertEquals(0, l.get("pool1").macs());
        // conv2: Truncate 3x3 on 4x5 -> 2x3. W 6*4*9 = 216 + b 6. MACs 2*3 * 6 * 9 * 4.
        assertEquals("6x2x3", l.get("conv2").outputShape());
        assertEquals(222, l.get("conv2").parameters());
        assertEquals(2 * 3 * 6 * 9 * 4, l.get("conv2").macs());
        // bn2 cannot fold (conv2 has ReLU): scale and shift, 2*6.
        assertEquals(24, l.get("bn2").rawParameters());
        assertEquals(12, l.get("bn2").parameters());
        assertTrue(l.get("bn2").note().contains("not folded"), l.get("bn2").note());
        assertTrue(l.get("bn2").note().contains("activation"), l.get("bn2").note());
        // output: 6*3 + 3, MACs 6*3.
        assertEquals("3", l.get("out").outputShape());
        assertEquals(21, l.get("out").parameters());
        assertEquals(18, l.get("out").macs());

        assertEquals(36 + 16 + 222 + 24 + 21, m.rawParameters());
        assertEquals(36 + 8 + 222 + 12 + 21, m.trainableParameters());
        assertEquals(40 + 222 + 12 + 21, m.parameters());
        assertEquals(2880 + 1296 + 18, m.macsPerInference());
        // Sanity: folded = raw - 4*C per folded BN + C per added bias - (4*C - 2*C) per unfolded BN.
        assertEquals(m.rawParameters() - 4 * 4 + 4 - (4 * 6 - 2 * 6), m.parameters());
        // Default init: biases 0, BN gamma 1, beta 0, mean 0, var 1. Folded biases of conv1 are
        // s*0 + (0 - 0*s) = 0, conv2 and out biases are 0, bn2 shifts are 0: non-zero = weights + bn2 scales.
        assertEquals(36 + 216 + 18 + 6, m.nonZeroParameters());
        assertEquals(36 + 216 + 18, m.nonZeroWeightParameters());
        assertEquals(36 + 216 + 18, m.weightParameters());
        assertEquals(4 + 6 + 12 + 3, m.biasParameters());
    }

    @Test
    void depthwiseSeparableDilatedStrided() {
        // in 3x16x16 -> dw 3x3 dm 2 stride 2 Truncate (no bias, identity) -> bn (folds) ->
        // sep 3x3 Same dm 1 -> 8 -> conv 3x3 dilation 2 pad 1 Truncate -> 2 -> dropout -> GAP -> out 2->2
        ComputationGraph g = init(base().graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(16, 16, 3))
                .addLayer("dw", new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Truncate).hasBias(false).activation(Activation.IDENTITY)
                        .build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "dw")
                .addLayer("sep", new SeparableConvolution2D.Builder(3, 3).depthMultiplier(1).nOut(8)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), "bn")
                .addLayer("dil", new ConvolutionLayer.Builder(3, 3).dilation(2, 2).padding(1, 1).nOut(2)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).build(), "sep")
                .addLayer("drop", new DropoutLayer.Builder(0.5).build(), "dil")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "drop")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out")
                .build());
        ModelComplexity m = ComplexityAnalyzer.analyze(g, InputType.convolutional(16, 16, 3));
        Map<String, LayerComplexity> l = byName(m);
        // dw: (16 - 3) / 2 + 1 = 7; 3*2 = 6 channels; W 3*3*3*2 = 54; MACs 7*7 * 6 * 3*3.
        assertEquals("6x7x7", l.get("dw").outputShape());
        assertEquals(54, l.get("dw").rawParameters());
        assertEquals(54 + 6, l.get("dw").parameters());
        assertEquals(7 * 7 * 6 * 9, l.get("dw").macs());
        assertEquals(0, l.get("bn").parameters());
        // sep: depthwise 6*1*3*3 = 54, pointwise 8*6 = 48, bias 8; MACs 49*6*9 + 49*8*6.
        assertEquals("8x7x7", l.get("sep").outputShape());
        assertEquals(54 + 48 + 8, l.get("sep").parameters());
        assertEquals(49 * 6 * 9 + 49 * 8 * 6, l.get("sep").macs());
        // dil: effective kernel 5, (7 + 2 - 5) / 1 + 1 = 5; W 2*8*9 + b 2; MACs 5*5 * 2 * 9 * 8.
        assertEquals("2x5x5", l.get("dil").outputShape());
        assertEquals(2 * 8 * 9 + 2, l.get("dil").parameters());
        assertEquals(5 * 5 * 2 * 9 * 8, l.get("dil").macs());
        assertEquals(0, l.get("drop").macs());
        assertEquals(2 * 2 + 2, l.get("out").parameters());
        assertEquals(4, l.get("out").macs());
        assertEquals(2646 + 4998 + 3600 + 4, m.macsPerInference());
        assertEquals(m.rawParameters() - 4 * 6 + 6, m.parameters());
    }

    @Test
    void denseBnFoldsAndKeepsItsBias() {
        ComputationGraph g = init(base().graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(5))
                .addLayer("fc", new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "fc")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "relu")
                .setOutputs("out")
                .build());
        ModelComplexity m = ComplexityAnalyzer.analyze(g, InputType.feedForward(5));
        Map<String, LayerComplexity> l = byName(m);
        assertEquals(5 * 4 + 4, l.get("fc").rawParameters());
        assertEquals(5 * 4 + 4, l.get("fc").parameters()); // had a bias: no extra
        assertEquals(20, l.get("fc").macs());
        assertEquals(0, l.get("bn").parameters());
        assertEquals(8, l.get("out").macs());
        assertEquals(24 + 16 + 10, m.rawParameters());
        assertEquals(m.rawParameters() - 4 * 4, m.parameters());
        assertEquals(28, m.macsPerInference());
    }

    /**
     * Residual block: in 2x6x6 -> convA (bias) -> bnA -> ReLU -> convB (no bias) -> bnB -> add(in) -> bnC
     * -> GAP -> out. bnA and bnB fold; bnC follows an element-wise vertex and cannot.
     */
    @Test
    void residualAddFoldsInsideAndNotAfterTheAdd() {
        ComputationGraph g = init(base().graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(6, 6, 2))
                .addLayer("convA", new ConvolutionLayer.Builder(3, 3).nOut(2).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("bnA", new BatchNormalization.Builder().build(), "convA")
                .addLayer("reluA", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bnA")
                .addLayer("convB", new ConvolutionLayer.Builder(3, 3).nOut(2).convolutionMode(ConvolutionMode.Same)
                        .hasBias(false).activation(Activation.IDENTITY).build(), "reluA")
                .addLayer("bnB", new BatchNormalization.Builder().build(), "convB")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "bnB", "in")
                .addLayer("bnC", new BatchNormalization.Builder().build(), "add")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "bnC")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out")
                .build());
        ModelComplexity m = ComplexityAnalyzer.analyze(g, InputType.convolutional(6, 6, 2));
        Map<String, LayerComplexity> l = byName(m);
        assertEquals(2 * 2 * 9 + 2, l.get("convA").parameters());
        assertEquals(2 * 2 * 9 + 2, l.get("convB").parameters()); // + 2 biases from bnB
        assertEquals(0, l.get("bnA").parameters());
        assertEquals(0, l.get("bnB").parameters());
        assertEquals(4, l.get("bnC").parameters());
        assertTrue(l.get("bnC").note().contains("ElementWiseVertex"), l.get("bnC").note());
        assertEquals("ElementWiseVertex", l.get("add").type());
        assertEquals(List.of("bnB", "in"), l.get("add").inputs());
        assertEquals(0, l.get("add").macs());
        assertEquals("", l.get("add").note());
        assertEquals(6 * 6 * 2 * 9 * 2, l.get("convA").macs());
        assertEquals(2 * (6 * 6 * 2 * 9 * 2) + 2 * 2, m.macsPerInference());
        // raw: convA 38, bnA 8, convB 36, bnB 8, bnC 8, out 6
        assertEquals(38 + 8 + 36 + 8 + 8 + 6, m.rawParameters());
        assertEquals(m.rawParameters() - 2 * (4 * 2) + 2 - (4 * 2 - 2 * 2), m.parameters());
    }

    @Test
    void bnDoesNotFoldWhenItsConvHasAnotherConsumer() {
        // conv feeds both the BN and a merge: folding would change the merge's other input.
        ComputationGraph g = init(base().graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(4, 4, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
                .addVertex("cat", new MergeVertex(), "bn", "conv")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "cat")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out")
                .build());
        ModelComplexity m = ComplexityAnalyzer.analyze(g, InputType.convolutional(4, 4, 1));
        Map<String, LayerComplexity> l = byName(m);
        assertEquals(3 * 9 + 3, l.get("conv").parameters());
        assertEquals(6, l.get("bn").parameters());
        assertTrue(l.get("bn").note().contains("also feeds cat"), l.get("bn").note());
        assertEquals("6x4x4", l.get("cat").outputShape());
        assertEquals(6 * 2 + 2, l.get("out").parameters());
        assertEquals(m.rawParameters() - 12 + 6, m.parameters());
    }

    @Test
    void zeroedWeightsAndZeroGammaAreNotCounted() {
        ComputationGraph g = convBnRelu();
        // Non-trivial BN statistics so that every folded bias is non-zero.
        float[] gamma = {1f, 2f, 0.5f, 1.5f};
        for (int c = 0; c < 4; c++) {
            param(g, "bn1", "gamma").putScalar(c, gamma[c]);
            param(g, "bn1", "beta").putScalar(c, 0.1 * (c + 1));
            param(g, "bn1", "mean").putScalar(c, 0.5);
            setVar(g, "bn1", c, 4.0);
        }
        ModelComplexity before = ComplexityAnalyzer.analyze(g, InputType.convolutional(8, 10, 1));
        LayerComplexity conv1 = byName(before).get("conv1");
        assertEquals(40, conv1.nonZeroParameters()); // 36 weights + 4 folded biases, all non-zero
        assertEquals(36, conv1.nonZeroWeightParameters());

        // Zero 5 weights by hand: 3 in output channel 0, 2 in channel 3.
        INDArray w = param(g, "conv1", "W");
        w.putScalar(new long[]{0, 0, 0, 0}, 0.0);
        w.putScalar(new long[]{0, 0, 1, 2}, 0.0);
        w.putScalar(new long[]{0, 0, 2, 2}, 0.0);
        w.putScalar(new long[]{3, 0, 0, 1}, 0.0);
        w.putScalar(new long[]{3, 0, 2, 0}, 0.0);
        // And 4 weights of the output layer (a layer without BN).
        INDArray wOut = param(g, "out", "W");
        for (int i = 0; i < 4; i++) {
            wOut.putScalar(new long[]{i, 0}, 0.0);
        }
        ModelComplexity after = ComplexityAnalyzer.analyze(g, InputType.convolutional(8, 10, 1));
        assertEquals(35, byName(after).get("conv1").nonZeroParameters());
        assertEquals(31, byName(after).get("conv1").nonZeroWeightParameters());
        assertEquals(14, byName(after).get("out").nonZeroParameters()); // 18 - 4 weights, biases 0
        assertEquals(before.nonZeroParameters() - 5 - 4, after.nonZeroParameters());
        assertEquals(before.parameters(), after.parameters()); // zeros still count as parameters

        // gamma = 0 on channel 3 zeroes all 9 of its folded weights; the 2 already zero are not counted
        // twice, which would happen if the channel were taken from the wrong axis. Its bias is beta_3 != 0.
        param(g, "bn1", "gamma").putScalar(3, 0.0);
        ModelComplexity gamma0 = ComplexityAnalyzer.analyze(g, InputType.convolutional(8, 10, 1));
        assertEquals(35 - (9 - 2), byName(gamma0).get("conv1").nonZeroParameters());
    }

    @Test
    void zeroGammaFindsTheRightChannelInDepthwiseAndDenseLayouts() {
        // dw: W [kH, kW, inC, dm]; output channel = ic * dm + m. Zero W[.., ic=1, m=0] (channel 2) at
        // two positions and set gamma_2 = 0: the folded count drops by 9 (not 9 + 2).
        ComputationGraph g = init(base().graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(5, 5, 2))
                .addLayer("dw", new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "dw")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "bn")
                .addLayer("fc", new DenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build(), "gap")
                .addLayer("bnfc", new BatchNormalization.Builder().build(), "fc")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "bnfc")
                .setOutputs("out")
                .build());
        for (String bn : List.of("bn", "bnfc")) {
            INDArray beta = param(g, bn, "beta");
            for (int i = 0; i < beta.length(); i++) {
                beta.putScalar(i, 0.25); // folded biases non-zero
            }
        }
        InputType it = InputType.convolutional(5, 5, 2);
        ModelComplexity m0 = ComplexityAnalyzer.analyze(g, it);
        assertEquals(36 + 4, byName(m0).get("dw").nonZeroParameters());
        assertEquals(4 * 3 + 3, byName(m0).get("fc").nonZeroParameters());
        INDArray w = param(g, "dw", "W");
        w.putScalar(new long[]{0, 0, 1, 0}, 0.0);
        w.putScalar(new long[]{2, 1, 1, 0}, 0.0);
        param(g, "bn", "gamma").putScalar(2, 0.0);
        // fc: W [nIn=4, nOut=3]; zero W[1, 2] and W[3, 2] (output 2), then gamma_2 = 0.
        INDArray wf = param(g, "fc", "W");
        wf.putScalar(new long[]{1, 2}, 0.0);
        wf.putScalar(new long[]{3, 2}, 0.0);
        param(g, "bnfc", "gamma").putScalar(2, 0.0);
        ModelComplexity m1 = ComplexityAnalyzer.analyze(g, it);
        assertEquals(40 - 9, byName(m1).get("dw").nonZeroParameters());
        assertEquals(15 - 4, byName(m1).get("fc").nonZeroParameters());
    }

    /**
     * The folding formula the counts rest on, s = gamma / sqrt(var + eps), W' = s W, b' = s b + beta - s mean,
     * and the depthwise channel order, checked against DL4J's own inference: a conv + BN graph and a conv-only
     * graph with folded weights give the same output (float64, atol 1e-9).
     */
    @Test
    void foldingFormulaMatchesDl4jInference() {
        for (boolean logStd : new boolean[]{false, true}) {
            foldingFormulaMatchesDl4jInference(logStd);
        }
    }

    private static void foldingFormulaMatchesDl4jInference(boolean logStd) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER);
        ComputationGraph withBn = init(b.graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(4, 4, 2))
                .addLayer("dw", new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2)
                        .convolutionMode(ConvolutionMode.Same).hasBias(false).activation(Activation.IDENTITY)
                        .build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().eps(0.3).useLogStd(logStd).build(), "dw")
                .addLayer("out", new CnnLossLayer.Builder().activation(Activation.IDENTITY).build(), "bn")
                .setOutputs("out")
                .build());
        ComputationGraph folded = init(b.graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(4, 4, 2))
                .addLayer("dw", new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), "in")
                .addLayer("out", new CnnLossLayer.Builder().activation(Activation.IDENTITY).build(), "dw")
                .setOutputs("out")
                .build());
        double[] gamma = {0.5, 1.5, -2.0, 1.0};
        double[] beta = {0.1, -0.3, 0.2, 0.0};
        double[] mean = {0.4, -1.0, 0.0, 2.0};
        double[] var = {1.0, 0.25, 4.0, 0.5};
        for (int c = 0; c < 4; c++) {
            param(withBn, "bn", "gamma").putScalar(c, gamma[c]);
            param(withBn, "bn", "beta").putScalar(c, beta[c]);
            param(withBn, "bn", "mean").putScalar(c, mean[c]);
            setVar(withBn, "bn", c, var[c]);
        }
        INDArray w = param(withBn, "dw", "W");
        INDArray wf = param(folded, "dw", "W");
        INDArray bf = param(folded, "dw", "b");
        for (int ic = 0; ic < 2; ic++) {
            for (int mult = 0; mult < 2; mult++) {
                int c = ic * 2 + mult;
                double s = gamma[c] / Math.sqrt(var[c] + 0.3);
                for (int kh = 0; kh < 3; kh++) {
                    for (int kw = 0; kw < 3; kw++) {
                        long[] idx = {kh, kw, ic, mult};
                        wf.putScalar(idx, s * w.getDouble(idx));
                    }
                }
                bf.putScalar(c, beta[c] - s * mean[c]);
            }
        }
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 4, 4);
        INDArray y1 = withBn.outputSingle(false, x);
        INDArray y2 = folded.outputSingle(false, x);
        assertEquals(0.0, y1.sub(y2).amaxNumber().doubleValue(), 1e-9, "useLogStd=" + logStd);
        ModelComplexity m = ComplexityAnalyzer.analyze(withBn, InputType.convolutional(4, 4, 2));
        ModelComplexity mf = ComplexityAnalyzer.analyze(folded, InputType.convolutional(4, 4, 2));
        assertEquals(mf.parameters(), m.parameters());
        assertEquals(mf.rawParameters(), m.parameters());
        assertEquals(mf.macsPerInference(), m.macsPerInference());
    }

    /**
     * Separable convolution: a BN folds into the pointwise kernel pW [outC, inC*dm, 1, 1] along its first
     * axis. Checked against DL4J inference (float64, atol 1e-9) and by the zero-gamma count.
     */
    @Test
    void separableFoldsIntoItsPointwiseKernel() {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER);
        ComputationGraph withBn = init(b.graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(4, 4, 2))
                .addLayer("sep", new SeparableConvolution2D.Builder(3, 3).depthMultiplier(1).nOut(3)
                        .convolutionMode(ConvolutionMode.Same).hasBias(false).activation(Activation.IDENTITY)
                        .build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "sep")
                .addLayer("out", new CnnLossLayer.Builder().activation(Activation.IDENTITY).build(), "bn")
                .setOutputs("out")
                .build());
        ComputationGraph folded = init(b.graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(4, 4, 2))
                .addLayer("sep", new SeparableConvolution2D.Builder(3, 3).depthMultiplier(1).nOut(3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), "in")
                .addLayer("out", new CnnLossLayer.Builder().activation(Activation.IDENTITY).build(), "sep")
                .setOutputs("out")
                .build());
        double[] gamma = {1.5, -0.5, 2.0};
        double[] beta = {0.2, 0.1, -0.4};
        double[] mean = {0.3, -0.2, 1.0};
        double[] var = {2.0, 0.5, 1.0};
        double eps = new BatchNormalization.Builder().build().getEps();
        for (int c = 0; c < 3; c++) {
            param(withBn, "bn", "gamma").putScalar(c, gamma[c]);
            param(withBn, "bn", "beta").putScalar(c, beta[c]);
            param(withBn, "bn", "mean").putScalar(c, mean[c]);
            setVar(withBn, "bn", c, var[c]);
        }
        param(folded, "sep", "W").assign(param(withBn, "sep", "W"));
        INDArray pw = param(withBn, "sep", "pW");
        assertEquals(List.of(3L, 2L, 1L, 1L), java.util.Arrays.stream(pw.shape()).boxed().toList());
        for (int c = 0; c < 3; c++) {
            double s = gamma[c] / Math.sqrt(var[c] + eps);
            for (int i = 0; i < 2; i++) {
                param(folded, "sep", "pW").putScalar(new long[]{c, i, 0, 0}, s * pw.getDouble(c, i, 0, 0));
            }
            param(folded, "sep", "b").putScalar(c, beta[c] - s * mean[c]);
        }
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 4);
        assertEquals(0.0, withBn.outputSingle(false, x).sub(folded.outputSingle(false, x)).amaxNumber().doubleValue(),
                1e-9);

        ModelComplexity m = ComplexityAnalyzer.analyze(withBn, InputType.convolutional(4, 4, 2));
        LayerComplexity sep = byName(m).get("sep");
        assertEquals(2 * 9 + 3 * 2 + 3, sep.parameters()); // depthwise + pointwise + 3 biases from the BN
        assertEquals(4 * 4 * 2 * 9 + 4 * 4 * 3 * 2, sep.macs());
        assertEquals(27, sep.nonZeroParameters());
        // Zero pW[1, 0] by hand and gamma_1: channel 1's pointwise weights (2) vanish, counted once.
        pw.putScalar(new long[]{1, 0, 0, 0}, 0.0);
        param(withBn, "bn", "gamma").putScalar(1, 0.0);
        ModelComplexity z = ComplexityAnalyzer.analyze(withBn, InputType.convolutional(4, 4, 2));
        assertEquals(27 - 2, byName(z).get("sep").nonZeroParameters());
    }

    @Test
    void lockedGammaBetaAndLogStdVariants() {
        ComputationGraph g = init(base().graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(4, 4, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.IDENTITY)
                        .build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().lockGammaBeta(true).useLogStd(false).build(),
                        "conv")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn")
                .addLayer("bn2", new BatchNormalization.Builder().useLogStd(true).build(), "relu")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "bn2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out")
                .build());
        ModelComplexity m = ComplexityAnalyzer.analyze(g, InputType.convolutional(4, 4, 1));
        Map<String, LayerComplexity> l = byName(m);
        assertEquals(6, l.get("bn").rawParameters()); // mean and var only
        assertEquals(0, l.get("bn").trainableParameters());
        assertEquals(0, l.get("bn").parameters());
        assertEquals(12, l.get("bn2").rawParameters()); // gamma, beta, mean, log10stdev
        assertEquals(6, l.get("bn2").trainableParameters());
        assertEquals(6, l.get("bn2").parameters());
        assertEquals(3, l.get("bn2").nonZeroParameters()); // scale 1/sqrt(1 + eps); shift 0
    }

    /** A vertex type the analyser does not know: 0 MACs, its own parameter count (0), a note. */
    static final class CustomAdd extends ElementWiseVertex {
        CustomAdd() {
            super(Op.Add);
        }
    }

    @Test
    void unknownVertexCountsZeroMacsWithANote() {
        ComputationGraph g = init(base().graphBuilder()
                .addInputs("a", "b")
                .setInputTypes(InputType.feedForward(3), InputType.feedForward(3))
                .addVertex("custom", new CustomAdd(), "a", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "custom")
                .setOutputs("out")
                .build());
        ModelComplexity m = ComplexityAnalyzer.analyze(g, InputType.feedForward(3), InputType.feedForward(3));
        LayerComplexity c = byName(m).get("custom");
        assertEquals("CustomAdd", c.type());
        assertEquals(0, c.macs());
        assertEquals(0, c.parameters());
        assertTrue(c.note().contains("not modelled"), c.note());
        assertEquals(6, m.macsPerInference());
        assertEquals(List.of("3", "3"), m.inputShapes());
        assertThrows(IllegalArgumentException.class, () -> ComplexityAnalyzer.analyze(g, InputType.feedForward(3)));
    }

    @Test
    void multiLayerNetworkIsAnalysedAsAGraph() {
        MultiLayerConfiguration conf = base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(3, 3, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        ModelComplexity m = ComplexityAnalyzer.analyze(net, InputType.convolutional(3, 3, 1));
        // conv 2*9 + 2 (BN folds, bias exists), output nIn = 2*3*3 = 18 -> 18*2 + 2
        assertEquals(20 + 38, m.parameters());
        assertEquals(20 + 8 + 38, m.rawParameters());
        assertEquals(3 * 3 * 2 * 9 + 36, m.macsPerInference());
        assertFalse(m.layers().isEmpty());
    }
}
