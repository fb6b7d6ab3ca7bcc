package org.ascspark.training.nn;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test support: double-precision scope and {@link GradientCheckUtil} with the settings used by every
 * gradient check here. Central differences with epsilon 1e-6 in double precision; a parameter passes
 * when the relative error is below 1e-5, or the absolute error below 1e-9 (gradients near zero, where
 * the relative error is dominated by rounding). Batch-norm running mean/variance are excluded: they do
 * not enter the training-mode score (batch statistics are used), and DL4J stores their moving-average
 * update, not a derivative, in the gradient array.
 */
public final class GradientChecks {

    /** Finite-difference step. */
    public static final double EPSILON = 1e-6;
    /** Largest accepted relative error. */
    public static final double MAX_REL_ERROR = 1e-5;
    /** Absolute error below which a parameter passes regardless of the relative error. */
    public static final double MIN_ABS_ERROR = 1e-9;

    private GradientChecks() {
    }

    /** Sets ND4J's default data types to DOUBLE until closed, then restores the previous ones. */
    public static final class DoublePrecision implements AutoCloseable {
        private final DataType previousFloat = Nd4j.defaultFloatingPointType();
        private final DataType previous = Nd4j.dataType();

        public DoublePrecision() {
            Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        }

        @Override
        public void close() {
            Nd4j.setDefaultDataTypes(previous, previousFloat);
        }
    }

    /** @return the parameter keys of batch-norm running statistics, e.g. {@code "bn_mean"} */
    public static Set<String> batchNormRunningStats(ComputationGraph net) {
        Set<String> keys = new HashSet<>();
        for (Map.Entry<String, GraphVertex> e : net.getConfiguration().getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof BatchNormalization) {
                for (String p : new String[] {BatchNormalizationParamInitializer.GLOBAL_MEAN,
                        BatchNormalizationParamInitializer.GLOBAL_VAR,
                        BatchNormalizationParamInitializer.GLOBAL_LOG_STD}) {
                    keys.add(e.getKey() + "_" + p);
                }
            }
        }
        return keys;
    }

    /**
     * Runs the GraphConfig form of {@link GradientCheckUtil#checkGradients} on a network built in
     * double precision, without updater and without dropout.
     *
     * @param labelMask per-output-array label masks, or null
     * @return true when every checked parameter passes
     */
    public static boolean check(ComputationGraph net, INDArray[] inputs, INDArray[] labels, INDArray[] labelMask) {
        return check(net, inputs, labels, labelMask, MAX_REL_ERROR, MIN_ABS_ERROR);
    }

    /**
     * As {@link #check(ComputationGraph, INDArray[], INDArray[], INDArray[])} with other tolerances.
     *
     * @param maxRelError largest accepted relative error
     * @param minAbsError absolute error below which a parameter passes
     */
    public static boolean check(ComputationGraph net, INDArray[] inputs, INDArray[] labels, INDArray[] labelMask,
            double maxRelError, double minAbsError) {
        return check(net, inputs, labels, labelMask, maxRelError, minAbsError, Set.of());
    }

    /**
     * As {@link #check(ComputationGraph, INDArray[], INDArray[], INDArray[], double, double)}, leaving
     * further parameters unchecked (e.g. the weights of a large built-in dense layer, whose own
     * derivative is DL4J's; the gradient it passes back still reaches every checked parameter).
     *
     * @param alsoExcluded parameter keys such as {@code "embedding_W"}, excluded besides the batch-norm
     *                     running statistics
     */
    public static boolean check(ComputationGraph net, INDArray[] inputs, INDArray[] labels, INDArray[] labelMask,
            double maxRelError, double minAbsError, Set<String> alsoExcluded) {
        Set<String> excluded = batchNormRunningStats(net);
        for (String key : alsoExcluded) {
            if (!net.paramTable().containsKey(key)) {
                throw new IllegalArgumentException("no parameter '" + key + "' to exclude");
            }
            excluded.add(key);
        }
        GradientCheckUtil.GraphConfig config = new GradientCheckUtil.GraphConfig()
                .net(net)
                .inputs(inputs)
                .labels(labels)
                .labelMask(labelMask)
                .epsilon(EPSILON)
                .maxRelError(maxRelError)
                .minAbsoluteError(minAbsError)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
                .exitOnFirstError(false)
                .excludeParams(excluded);
        return GradientCheckUtil.checkGradients(config);
    }

    /** @return n values evenly spaced from lo to hi inclusive, as a column [1, 1, n, 1] (frequency axis) */
    public static INDArray frequencyRamp(double lo, double hi, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = n == 1 ? lo : lo + (hi - lo) * i / (n - 1);
        }
        return Nd4j.create(v, new long[] {1, 1, n, 1}, DataType.DOUBLE);
    }

    /** @return one-hot labels [n, classes] for class (i mod classes) of example i */
    public static INDArray oneHot(int n, int classes) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        return y;
    }
    /**
     * Reference log-softmax of one row at a temperature, by the max-shifted loop (independent of ND4J).
     *
     * @return log softmax(z[row, :] / temperature), for the first {@code k} columns
     */
    public static double[] logSoftmax(INDArray z, int row, int k, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, z.getDouble(row, c) / temperature);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += Math.exp(z.getDouble(row, c) / temperature - max);
        }
        double[] out = new double[k];
        for (int c = 0; c < k; c++) {
            out[c] = z.getDouble(row, c) / temperature - max - Math.log(sum);
        }
        return out;
    }

    /**
     * Finishes a test network: {@code in} -> conv 1x1 (3 channels, tanh) "conv1" -> global average
     * pool -> softmax output "out" with cross-entropy over {@code classes}; builds and initialises it.
     */
    public static ComputationGraph withClassifierHead(ComputationGraphConfiguration.GraphBuilder b, String in,
            int classes) {
        b.addLayer("conv1", new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.TANH).build(), in)
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv1")
                .addLayer("out", new OutputLayer.Builder(new LossMCXENT()).nOut(classes)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out");
        ComputationGraph net = new ComputationGraph(b.build());
        net.init();
        return net;
    }

    /**
     * Asserts a loss's analytic gradient against central differences of its summed score
     * ({@code computeScore(..., average = false)}), element by element.
     *
     * @param tolerance absolute tolerance per element
     */
    public static void assertLossGradient(ILossFunction loss, IActivation act, INDArray labels, INDArray preOutput,
            double tolerance) {
        INDArray grad = loss.computeGradient(labels, preOutput.dup(), act, null);
        double h = 1e-6;
        for (int i = 0; i < preOutput.size(0); i++) {
            for (int k = 0; k < preOutput.size(1); k++) {
                INDArray plus = preOutput.dup();
                plus.putScalar(i, k, preOutput.getDouble(i, k) + h);
                INDArray minus = preOutput.dup();
                minus.putScalar(i, k, preOutput.getDouble(i, k) - h);
                double numeric = (loss.computeScore(labels, plus, act, null, false)
                        - loss.computeScore(labels, minus, act, null, false)) / (2 * h);
                org.junit.jupiter.api.Assertions.assertEquals(numeric, grad.getDouble(i, k), tolerance,
                        loss + " " + act + " [" + i + "," + k + "]");
            }
        }
    }
}
