package org.ascspark.training.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime side shared by this package's parameter-free vertices: no layer, no gradient view, masks
 * passed through unchanged (per-example masks of CNN activations are not reshaped by these vertices).
 */
abstract class ParameterFreeVertexImpl extends BaseGraphVertex {

    private static final long serialVersionUID = 1L;

    ParameterFreeVertexImpl(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
    }

    @Override
    public final boolean hasLayer() {
        return false;
    }

    @Override
    public final Layer getLayer() {
        return null;
    }

    @Override
    public final void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException(vertexName + " has no parameters; it takes no gradient view");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
            int minibatchSize) {
        if (maskArrays == null || maskArrays.length == 0) {
            return new Pair<>(null, currentMaskState);
        }
        return new Pair<>(maskArrays[0], currentMaskState);
    }

    /** Fails unless forward inputs are set and every one is rank 4 (NCHW). */
    final void requireRank4Inputs() {
        if (!canDoForward()) {
            throw new IllegalStateException(vertexName + ": cannot do forward pass, inputs not set");
        }
        for (INDArray in : inputs) {
            if (in.rank() != 4) {
                throw new IllegalStateException(vertexName + " expects rank-4 NCHW input [batch, channels, freq,"
                        + " time]; got shape " + Arrays.toString(in.shape()));
            }
        }
    }

    /** Fails unless the backward pass can run. */
    final void requireEpsilon() {
        if (!canDoBackward()) {
            throw new IllegalStateException(vertexName + ": cannot do backward pass, epsilon not set");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(id=" + vertexIndex + ",name=\"" + vertexName + "\")";
    }
}
