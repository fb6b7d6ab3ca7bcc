package org.ascspark.training.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime side of {@link MaxFeatureMapVertex}. The halves are views of the input; the attention vector
 * {@code [N, C]} is viewed as {@code [N, C, 1, 1]} and broadcast over frequency and time.
 */
final class MaxFeatureMapVertexImpl extends ParameterFreeVertexImpl {

    private static final long serialVersionUID = 1L;

    MaxFeatureMapVertexImpl(ComputationGraph graph, String name, int idx, DataType dataType) {
        super(graph, name, idx, dataType);
    }

    private static INDArrayIndex[] half(long from, long to) {
        return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all(),
            NDArrayIndex.all()};
    }

    /** @return the number of output channels C, after checking the input shapes */
    private long halfChannels() {
        if (!canDoForward()) {
            throw new IllegalStateException(vertexName + ": cannot do forward pass, inputs not set");
        }
        INDArray x = inputs[0];
        if (x.rank() != 4 || x.size(1) % 2 != 0) {
            throw new IllegalStateException(vertexName + " expects rank-4 NCHW input with an even number of"
                    + " channels; got shape " + Arrays.toString(x.shape()));
        }
        long c = x.size(1) / 2;
        if (inputs.length == 2) {
            INDArray a = inputs[1];
            if (a.rank() != 2 || a.size(0) != x.size(0) || a.size(1) != c) {
                throw new IllegalStateException(vertexName + ": attention must be [" + x.size(0) + ", " + c
                        + "]; got " + Arrays.toString(a.shape()));
            }
        }
        return c;
    }

    /** @return the second contestant: x2, or a * x2 (a new array) with attention */
    private INDArray secondContestant(INDArray x2, long c) {
        if (inputs.length == 1) {
            return x2;
        }
        return x2.mul(inputs[1].reshape(inputs[1].size(0), c, 1, 1));
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        long c = halfChannels();
        INDArray x = inputs[0];
        INDArray x1 = x.get(half(0, c));
        INDArray second = secondContestant(x.get(half(c, 2 * c)), c);
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(),
                new long[] {x.size(0), c, x.size(2), x.size(3)}, 'c');
        return y.assign(Transforms.max(x1, second, true));
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        requireEpsilon();
        long c = halfChannels();
        INDArray x = inputs[0];
        INDArray g = epsilon;
        INDArray x1 = x.get(half(0, c));
        INDArray x2 = x.get(half(c, 2 * c));
        // 1 - m: 1 where the second contestant is strictly larger (ties go to x1)
        INDArray secondWins = secondContestant(x2, c).gt(x1).castTo(g.dataType());
        INDArray gSecond = g.mul(secondWins); // g (1 - m)
        INDArray gFirst = g.sub(gSecond); // g m
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, g.dataType(), x.shape(), 'c');
        dx.get(half(0, c)).assign(gFirst);
        if (inputs.length == 1) {
            dx.get(half(c, 2 * c)).assign(gSecond);
            return new Pair<>(null, new INDArray[] {dx});
        }
        INDArray a = inputs[1];
        dx.get(half(c, 2 * c)).assign(gSecond.mul(a.reshape(a.size(0), c, 1, 1)));
        INDArray da = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, g.dataType(), a.shape(), 'c');
        da.assign(gSecond.muli(x2).sum(2, 3));
        return new Pair<>(null, new INDArray[] {dx, da});
    }
}
