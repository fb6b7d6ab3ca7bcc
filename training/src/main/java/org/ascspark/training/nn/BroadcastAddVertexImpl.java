package org.ascspark.training.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime side of {@link BroadcastAddVertex}. */
final class BroadcastAddVertexImpl extends ParameterFreeVertexImpl {

    private static final long serialVersionUID = 1L;

    BroadcastAddVertexImpl(ComputationGraph graph, String name, int idx, DataType dataType) {
        super(graph, name, idx, dataType);
    }

    /** @return the index of an input with the full frequency size, after checking all shapes */
    private int fullInput() {
        int full = 0;
        for (int i = 1; i < inputs.length; i++) {
            if (inputs[i].size(2) > inputs[full].size(2)) {
                full = i;
            }
        }
        long[] ref = inputs[full].shape();
        for (INDArray in : inputs) {
            long[] s = in.shape();
            if (s[0] != ref[0] || s[1] != ref[1] || s[3] != ref[3] || (s[2] != ref[2] && s[2] != 1)) {
                throw new IllegalStateException(vertexName + ": cannot broadcast-add shape " + Arrays.toString(s)
                        + " to " + Arrays.toString(ref) + " (only the frequency size may be 1)");
            }
        }
        return full;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        requireRank4Inputs();
        int full = fullInput();
        INDArray sum = workspaceMgr.dup(ArrayType.ACTIVATIONS, inputs[full], 'c');
        for (int i = 0; i < inputs.length; i++) {
            if (i != full) {
                sum.addi(inputs[i]); // a [N,C,1,T] input broadcasts over dimension 2
            }
        }
        return sum;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        requireEpsilon();
        long fullHeight = epsilon.size(2);
        INDArray[] out = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].size(2) == fullHeight) {
                out[i] = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon);
            } else {
                out[i] = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
                        inputs[i].shape(), 'c').assign(epsilon.sum(true, 2));
            }
        }
        return new Pair<>(null, out);
    }
}
