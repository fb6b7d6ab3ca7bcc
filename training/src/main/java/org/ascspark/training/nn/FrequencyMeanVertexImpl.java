package org.ascspark.training.nn;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime side of {@link FrequencyMeanVertex}. */
final class FrequencyMeanVertexImpl extends ParameterFreeVertexImpl {

    private static final long serialVersionUID = 1L;

    FrequencyMeanVertexImpl(ComputationGraph graph, String name, int idx, DataType dataType) {
        super(graph, name, idx, dataType);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        requireRank4Inputs();
        INDArray x = inputs[0];
        long[] shape = {x.size(0), x.size(1), 1, x.size(3)};
        return workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), shape, 'c')
                .assign(x.mean(true, 2));
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        requireEpsilon();
        INDArray x = inputs[0];
        INDArray dx = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), x.shape(), 'c');
        dx.addi(epsilon.div(x.size(2))); // zeros + [N,C,1,T] broadcast over frequency
        return new Pair<>(null, new INDArray[] {dx});
    }
}
