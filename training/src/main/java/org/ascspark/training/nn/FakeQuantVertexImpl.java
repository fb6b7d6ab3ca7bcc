package org.ascspark.training.nn;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime side of {@link FakeQuantVertex}: element-wise loops over a C-order copy of the input, in double
 * precision whatever the network's type (so float32 and float64 networks round identically, and
 * {@code rint} gives round-half-to-even as PyTorch and numpy do).
 */
final class FakeQuantVertexImpl extends ParameterFreeVertexImpl {

    private static final long serialVersionUID = 1L;

    private final double scale;
    private final long zeroPoint;
    private final long qMin;
    private final long qMax;

    FakeQuantVertexImpl(ComputationGraph graph, String name, int idx, double scale, long zeroPoint, long qMin,
            long qMax, DataType dataType) {
        super(graph, name, idx, dataType);
        this.scale = scale;
        this.zeroPoint = zeroPoint;
        this.qMin = qMin;
        this.qMax = qMax;
    }

    /** @return the integer level of x before clamping, {@code rint(x / scale) + zeroPoint} */
    static double level(double x, double scale, long zeroPoint) {
        return Math.rint(x / scale) + zeroPoint;
    }

    /** The forward function of {@link FakeQuantVertex} on one value. */
    static double fakeQuant(double x, double scale, long zeroPoint, long qMin, long qMax) {
        double q = Math.min(qMax, Math.max(qMin, level(x, scale, zeroPoint)));
        return (q - zeroPoint) * scale;
    }

    private double[] values(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException(vertexName + ": cannot do forward pass, inputs not set");
        }
        INDArray x = inputs[0];
        double[] v = values(x);
        for (int i = 0; i < v.length; i++) {
            v[i] = fakeQuant(v[i], scale, zeroPoint, qMin, qMax);
        }
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), 'c');
        return y.assign(Nd4j.create(v, x.shape(), 'c').castTo(x.dataType()));
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        requireEpsilon();
        INDArray x = inputs[0];
        double[] v = values(x);
        double[] g = values(epsilon);
        for (int i = 0; i < v.length; i++) {
            double level = level(v[i], scale, zeroPoint);
            if (level < qMin || level > qMax) {
                g[i] = 0.0;
            }
        }
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), x.shape(),
                'c');
        return new Pair<>(null, new INDArray[] {dx.assign(Nd4j.create(g, x.shape(), 'c')
                .castTo(epsilon.dataType()))});
    }

    @Override
    public String toString() {
        return "FakeQuantVertex(id=" + vertexIndex + ",name=\"" + vertexName + "\",scale=" + scale + ",zeroPoint="
                + zeroPoint + ")";
    }
}
