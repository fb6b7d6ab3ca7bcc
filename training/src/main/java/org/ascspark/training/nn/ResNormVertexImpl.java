package org.ascspark.training.nn;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime side of {@link ResNormVertex}. Statistics are reduced over dimensions 1 (channels) and 3
 * (time) with kept dimensions, giving {@code [N, 1, F, 1]} arrays that broadcast against the input.
 *
 * <p>Backward (x-hat = FreqIN(x), g = dL/dy, means over the C*T elements of each (n, f) group):
 * {@code dL/dx = lambda g + (g - mean(g) - x-hat * mean(g * x-hat)) / sqrt(sigma2 + eps)}.
 * The statistics are recomputed from the stored input rather than cached across passes.
 */
final class ResNormVertexImpl extends ParameterFreeVertexImpl {

    private static final long serialVersionUID = 1L;
    private static final int[] GROUP_DIMS = {1, 3};

    private final double lambda;
    private final double eps;

    ResNormVertexImpl(ComputationGraph graph, String name, int idx, double lambda, double eps,
            DataType dataType) {
        super(graph, name, idx, dataType);
        this.lambda = lambda;
        this.eps = eps;
    }

    /** @return {x - mu [N,C,F,T], 1/sqrt(sigma2 + eps) [N,1,F,1]}, in the current (working) scope */
    private INDArray[] centredAndInvStd(INDArray x) {
        INDArray centred = x.sub(x.mean(true, GROUP_DIMS));
        INDArray variance = centred.mul(centred).mean(true, GROUP_DIMS);
        return new INDArray[] {centred, Transforms.pow(variance.addi(eps), -0.5, false)};
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        requireRank4Inputs();
        INDArray x = inputs[0];
        // temporaries live in the vertex's working scope; only the output goes to ACTIVATIONS
        INDArray[] stats = centredAndInvStd(x);
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), 'c');
        y.assign(stats[0]).muli(stats[1]);
        if (lambda != 0.0) {
            y.addi(x.mul(lambda));
        }
        return y;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        requireEpsilon();
        INDArray x = inputs[0];
        INDArray g = epsilon;
        INDArray[] stats = centredAndInvStd(x);
        INDArray invStd = stats[1];
        INDArray xHat = stats[0].muli(invStd);
        INDArray meanG = g.mean(true, GROUP_DIMS);
        INDArray meanGx = g.mul(xHat).mean(true, GROUP_DIMS);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, g.dataType(), x.shape(), 'c');
        dx.assign(g).subi(meanG).subi(xHat.muli(meanGx)).muli(invStd);
        if (lambda != 0.0) {
            dx.addi(g.mul(lambda));
        }
        return new Pair<>(null, new INDArray[] {dx});
    }

    @Override
    public String toString() {
        return "ResNormVertex(id=" + vertexIndex + ",name=\"" + vertexName + "\",lambda=" + lambda + ",eps="
                + eps + ")";
    }
}
