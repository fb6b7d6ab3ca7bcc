package org.ascspark.training.nn;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Fake (simulated) affine quantisation of an activation tensor, per tensor: the value is rounded to
 * the integer grid a quantised kernel would store and turned back into a real number,
 * <pre>
 *   q = clamp(rint(x / scale) + zeroPoint, qMin, qMax)       (rint: round half to even)
 *   y = (q - zeroPoint) * scale
 * </pre>
 * the forward pass of PyTorch's {@code torch.fake_quantize_per_tensor_affine}. With 8 bits
 * ({@code qMin = -128, qMax = 127}) it simulates the int8 activations of TFLite's and PyTorch's integer
 * kernels on float32 compute; the network still runs in floating point.
 *
 * <p>Backward: the straight-through estimator with clipping (Bengio et al. 2013; Jacob et al., CVPR 2018
 * §3; PyTorch's fake-quantize backward): {@code dL/dx = dL/dy} where {@code qMin <= rint(x / scale) +
 * zeroPoint <= qMax}, else 0. Rounding is treated as the identity, clamping is not. This is exactly
 * the derivative of {@code clamp(x, (qMin - zeroPoint - 1/2) scale, (qMax - zeroPoint + 1/2) scale)},
 * which the gradient check in the tests verifies with a grid fine enough that rounding is below the
 * finite-difference resolution.
 *
 * <p>Input and output: any shape (feed-forward or convolutional), same shape and type. No parameters:
 * the scale and zero point are fixed in the configuration (calibrated before it is built), so a saved
 * model carries them in its JSON. {@code qMin}/{@code qMax} are longs so that tests can use grids far
 * finer than 8 bits.
 */
public final class FakeQuantVertex extends SingleInputVertex {

    private static final long serialVersionUID = 1L;

    private double scale;
    private long zeroPoint;
    private long qMin;
    private long qMax;

    /** Identity-like default for JSON deserialisation: scale 1, zero point 0, int8 range. */
    public FakeQuantVertex() {
        this(1.0, 0, -128, 127);
    }

    /**
     * @param scale     step of the grid, finite and &gt; 0
     * @param zeroPoint integer that represents 0.0, within [qMin, qMax]
     * @param qMin      smallest integer, e.g. -128
     * @param qMax      largest integer, &gt; qMin, e.g. 127
     */
    public FakeQuantVertex(double scale, long zeroPoint, long qMin, long qMax) {
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("FakeQuant scale must be finite and > 0; got " + scale);
        }
        if (qMax <= qMin || zeroPoint < qMin || zeroPoint > qMax) {
            throw new IllegalArgumentException("FakeQuant needs qMin < qMax and qMin <= zeroPoint <= qMax; got ["
                    + qMin + ", " + qMax + "], zero point " + zeroPoint);
        }
        this.scale = scale;
        this.zeroPoint = zeroPoint;
        this.qMin = qMin;
        this.qMax = qMax;
    }

    /** @return the grid step */
    public double getScale() {
        return scale;
    }

    /** @param scale the grid step (JSON) */
    public void setScale(double scale) {
        this.scale = scale;
    }

    /** @return the integer representing 0.0 */
    public long getZeroPoint() {
        return zeroPoint;
    }

    /** @param zeroPoint the integer representing 0.0 (JSON) */
    public void setZeroPoint(long zeroPoint) {
        this.zeroPoint = zeroPoint;
    }

    /** @return the smallest integer */
    public long getQMin() {
        return qMin;
    }

    /** @param qMin the smallest integer (JSON) */
    public void setQMin(long qMin) {
        this.qMin = qMin;
    }

    /** @return the largest integer */
    public long getQMax() {
        return qMax;
    }

    /** @param qMax the largest integer (JSON) */
    public void setQMax(long qMax) {
        this.qMax = qMax;
    }

    /** @return the smallest representable value, {@code (qMin - zeroPoint) scale} */
    public double lowest() {
        return (qMin - zeroPoint) * scale;
    }

    /** @return the largest representable value, {@code (qMax - zeroPoint) scale} */
    public double highest() {
        return (qMax - zeroPoint) * scale;
    }

    /**
     * The forward function on one value, in double precision (the vertex computes exactly this per
     * element).
     *
     * @param x a value
     * @return its fake-quantised value
     */
    public double apply(double x) {
        return FakeQuantVertexImpl.fakeQuant(x, scale, zeroPoint, qMin, qMax);
    }

    @Override
    public FakeQuantVertex clone() {
        return new FakeQuantVertex(scale, zeroPoint, qMin, qMax);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FakeQuantVertex other && Double.compare(scale, other.scale) == 0
                && zeroPoint == other.zeroPoint && qMin == other.qMin && qMax == other.qMax;
    }

    @Override
    public int hashCode() {
        return ((Double.hashCode(scale) * 31 + Long.hashCode(zeroPoint)) * 31 + Long.hashCode(qMin)) * 31
                + Long.hashCode(qMax);
    }

    @Override
    public String toString() {
        return "FakeQuantVertex(scale=" + scale + ", zeroPoint=" + zeroPoint + ", q=[" + qMin + ", " + qMax + "])";
    }

    @Override
    GraphVertex create(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new FakeQuantVertexImpl(graph, name, idx, scale, zeroPoint, qMin, qMax, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        return vertexInputs[0];
    }
}
