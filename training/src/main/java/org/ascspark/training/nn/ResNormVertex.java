package org.ascspark.training.nn;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Residual Normalisation (Kim et al., QTI DCASE 2021 technical report, seed 003, §2 "Residual
 * Normalization", eq. 1-3): {@code ResNorm(x) = lambda * x + FreqIN(x)}, where FreqIN normalises every
 * (example n, frequency bin f) over channels and time:
 * <pre>
 *   mu_nf     = 1/(C T) sum_{c,t} x_ncft
 *   sigma2_nf = 1/(C T) sum_{c,t} (x_ncft - mu_nf)^2          (population variance)
 *   FreqIN(x) = (x - mu_nf) / sqrt(sigma2_nf + eps)
 * </pre>
 * No parameters; {@code lambda = 0} gives plain FreqIN. The statistics are those of the current
 * example at training and at inference time (instance normalisation; no running averages).
 *
 * <p>Input and output: NCHW {@code [batch, channels, freq, time]}, same shape. Backward pass written
 * by hand (the standard normalisation gradient over the (c, t) group plus {@code lambda}).
 */
public final class ResNormVertex extends SingleInputVertex {

    private static final long serialVersionUID = 1L;

    /** Identity-shortcut weight used by the models here (QTI eq. 3); see {@code Models}. */
    public static final double DEFAULT_LAMBDA = 0.1;
    /** Variance floor, as PyTorch's InstanceNorm default. */
    public static final double DEFAULT_EPS = 1e-5;

    private double lambda;
    private double eps;

    /** {@link #DEFAULT_LAMBDA} and {@link #DEFAULT_EPS}; also the constructor JSON deserialisation uses. */
    public ResNormVertex() {
        this(DEFAULT_LAMBDA, DEFAULT_EPS);
    }

    /**
     * @param lambda weight of the identity shortcut, finite (QTI eq. 3); 0 gives FreqIN alone
     * @param eps    added to the variance before the square root, &gt; 0
     */
    public ResNormVertex(double lambda, double eps) {
        setLambda(lambda);
        setEps(eps);
    }

    /** @return the identity-shortcut weight lambda */
    public double getLambda() {
        return lambda;
    }

    /** @param lambda the identity-shortcut weight, finite */
    public void setLambda(double lambda) {
        if (!Double.isFinite(lambda)) {
            throw new IllegalArgumentException("ResNorm lambda must be finite; got " + lambda);
        }
        this.lambda = lambda;
    }

    /** @return the variance floor eps */
    public double getEps() {
        return eps;
    }

    /** @param eps the variance floor, finite and &gt; 0 */
    public void setEps(double eps) {
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("ResNorm eps must be finite and > 0; got " + eps);
        }
        this.eps = eps;
    }

    @Override
    public ResNormVertex clone() {
        return new ResNormVertex(lambda, eps);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResNormVertex other
                && Double.compare(lambda, other.lambda) == 0
                && Double.compare(eps, other.eps) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(lambda) + Double.hashCode(eps);
    }

    @Override
    public String toString() {
        return "ResNormVertex(lambda=" + lambda + ", eps=" + eps + ")";
    }

    @Override
    GraphVertex create(ComputationGraph graph, String name, int idx,
            DataType dataType) {
        return new ResNormVertexImpl(graph, name, idx, lambda, eps, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        return requireConvolutional(ResNormVertex.class, vertexInputs[0]);
    }
}
