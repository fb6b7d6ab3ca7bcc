package org.ascspark.training.models;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;

/**
 * Parameter counts of a {@link ComputationGraph} under three conventions.
 * <ul>
 *   <li>{@link #total}: DL4J's {@code numParams()}, which includes the running mean and variance of
 *       every batch norm (4 values per channel). This is the valeo report's "train time" convention
 *       (seed 004 §2.2: batch normalisation "adding 4 c_out parameters per layer").</li>
 *   <li>{@link #trainable}: without the running statistics (2 per batch-norm channel), PyTorch's
 *       {@code sum(p.numel() for p in model.parameters())}, the convention of the QTI and CP-ResNet
 *       counts (seed 003 Tables 2-3).</li>
 *   <li>{@link #folded}: inference-time count after folding batch norm into the layer before it
 *       (seed 004 §2.2, eq. 3-5): a batch norm whose input is a bias-free convolution or dense layer, or
 *       an element-wise sum of such layers, folds into their weights and leaves one bias per channel;
 *       any other batch norm (on the network input, behind a reshape such as SubSpectral Norm) stays as
 *       a per-channel affine map, 2 values per channel.</li>
 * </ul>
 * Complexity in MACs is counted elsewhere ({@code org.ascspark.training.complexity}).
 */
public final class ParamCounts {

    private ParamCounts() {
    }

    /** @return DL4J's parameter count, batch-norm running statistics included */
    public static long total(ComputationGraph net) {
        return net.numParams();
    }

    /** @return the number of batch-norm running mean/variance values (DL4J stores them as parameters) */
    public static long batchNormRunningStats(ComputationGraph net) {
        long n = 0;
        for (Map.Entry<String, GraphVertex> e : net.getConfiguration().getVertices().entrySet()) {
            if (layerOf(e.getValue()) instanceof BatchNormalization) {
                for (Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> p
                        : net.getLayer(e.getKey()).paramTable().entrySet()) {
                    if (isRunningStat(p.getKey())) {
                        n += p.getValue().length();
                    }
                }
            }
        }
        return n;
    }

    /** @return parameters updated by gradient descent: {@link #total} minus the running statistics */
    public static long trainable(ComputationGraph net) {
        return total(net) - batchNormRunningStats(net);
    }

    /** @return the inference-time count after batch-norm folding, as described in the class comment */
    public static long folded(ComputationGraph net) {
        ComputationGraphConfiguration conf = net.getConfiguration();
        long n = 0;
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            Layer layer = layerOf(e.getValue());
            if (layer == null) {
                continue;
            }
            if (layer instanceof BatchNormalization bn) {
                long channels = bn.getNOut();
                List<String> in = conf.getVertexInputs().get(e.getKey());
                Boolean foldableNoBias = in.size() == 1 ? foldsInto(conf, in.get(0), true) : null;
                if (foldableNoBias == null) {
                    n += 2 * channels; // affine scale and shift
                } else if (foldableNoBias) {
                    n += channels; // the folded bias
                }
            } else {
                n += net.getLayer(e.getKey()).numParams();
            }
        }
        return n;
    }

    /**
     * @return null when a batch norm fed by {@code vertex} cannot fold into it; otherwise TRUE when the
     *     linear layers it folds into have no bias (folding adds one), FALSE when they have one
     */
    private static Boolean foldsInto(ComputationGraphConfiguration conf, String vertex, boolean allowSum) {
        GraphVertex v = conf.getVertices().get(vertex);
        if (v == null) {
            return null; // the network input
        }
        Layer layer = layerOf(v);
        if (layer instanceof ConvolutionLayer conv) {
            return !conv.hasBias();
        }
        if (layer instanceof DenseLayer dense) {
            return !dense.hasBias();
        }
        if (allowSum && v instanceof ElementWiseVertex ew && ew.getOp() == ElementWiseVertex.Op.Add) {
            boolean noBias = true;
            for (String in : conf.getVertexInputs().get(vertex)) {
                Boolean b = foldsInto(conf, in, false);
                if (b == null) {
                    return null;
                }
                noBias &= b;
            }
            return noBias;
        }
        return null;
    }

    static boolean isRunningStat(String paramKey) {
        return paramKey.equals(BatchNormalizationParamInitializer.GLOBAL_MEAN)
                || paramKey.equals(BatchNormalizationParamInitializer.GLOBAL_VAR)
                || paramKey.equals(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
    }

    static Layer layerOf(GraphVertex v) {
        return v instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }
}
