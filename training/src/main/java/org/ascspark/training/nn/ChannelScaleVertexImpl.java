package org.ascspark.training.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime side of {@link ChannelScaleVertex}; the scale {@code [N, C]} is viewed as {@code [N, C, 1, 1]}. */
final class ChannelScaleVertexImpl extends ParameterFreeVertexImpl {

    private static final long serialVersionUID = 1L;

    ChannelScaleVertexImpl(ComputationGraph graph, String name, int idx, DataType dataType) {
        super(graph, name, idx, dataType);
    }

    /** @return the scale as [N, C, 1, 1], after checking the shapes */
    private INDArray scale4d() {
        if (!canDoForward()) {
            throw new IllegalStateException(vertexName + ": cannot do forward pass, inputs not set");
        }
        INDArray x = inputs[0];
        INDArray s = inputs[1];
        if (x.rank() != 4 || s.rank() != 2 || s.size(0) != x.size(0) || s.size(1) != x.size(1)) {
            throw new IllegalStateException(vertexName + " expects x [N, C, F, T] and s [N, C]; got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(s.shape()));
        }
        return s.reshape(s.size(0), s.size(1), 1, 1);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray s = scale4d();
        INDArray x = inputs[0];
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), 'c');
        return y.assign(x).muli(s);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        requireEpsilon();
        INDArray s = scale4d();
        INDArray x = inputs[0];
        INDArray g = epsilon;
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, g.dataType(), x.shape(), 'c');
        dx.assign(g).muli(s);
        INDArray ds = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, g.dataType(),
                inputs[1].shape(), 'c');
        ds.assign(g.mul(x).sum(2, 3));
        return new Pair<>(null, new INDArray[] {dx, ds});
    }
}
