package org.ascspark.training.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime side of {@link SubBandReshapeVertex}. */
final class SubBandReshapeVertexImpl extends ParameterFreeVertexImpl {

    private static final long serialVersionUID = 1L;

    private final int subBands;
    private final SubBandReshapeVertex.Direction direction;

    SubBandReshapeVertexImpl(ComputationGraph graph, String name, int idx, int subBands,
            SubBandReshapeVertex.Direction direction, DataType dataType) {
        super(graph, name, idx, dataType);
        this.subBands = subBands;
        this.direction = direction;
    }

    private long[] targetShape(long[] s) {
        if (direction == SubBandReshapeVertex.Direction.SPLIT) {
            if (s[2] % subBands != 0) {
                throw new IllegalStateException(vertexName + ": frequency size " + s[2] + " of input "
                        + Arrays.toString(s) + " is not divisible by " + subBands + " sub-bands");
            }
            return new long[] {s[0], s[1] * subBands, s[2] / subBands, s[3]};
        }
        if (s[1] % subBands != 0) {
            throw new IllegalStateException(vertexName + ": channel count " + s[1] + " of input "
                    + Arrays.toString(s) + " is not divisible by " + subBands + " sub-bands");
        }
        return new long[] {s[0], s[1] / subBands, s[2] * subBands, s[3]};
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        requireRank4Inputs();
        INDArray x = inputs[0];
        INDArray copy = workspaceMgr.dup(ArrayType.ACTIVATIONS, x, 'c');
        return copy.reshape('c', targetShape(x.shape()));
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        requireEpsilon();
        INDArray copy = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon, 'c');
        return new Pair<>(null, new INDArray[] {copy.reshape('c', inputs[0].shape())});
    }
}
