package org.ascspark.training.nn;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime side of {@link InputProbeVertex}: identity forward, identity backward that keeps a copy. */
final class InputProbeVertexImpl extends ParameterFreeVertexImpl {

    private static final long serialVersionUID = 1L;
    private transient INDArray lastGradient;

    InputProbeVertexImpl(ComputationGraph graph, String name, int idx, DataType dataType) {
        super(graph, name, idx, dataType);
    }

    INDArray lastGradient() {
        return lastGradient;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException(vertexName + ": cannot do forward pass, inputs not set");
        }
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, inputs[0]);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        requireEpsilon();
        lastGradient = epsilon.detach();
        return new Pair<>(null, new INDArray[] {workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon)});
    }
}
