package org.ascspark.training.nn;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossUtil;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Knowledge-distillation loss of Hinton et al. (2015) on a softmax output with K classes, as the
 * seeds use it (Clova §4, SCUT §3.2, QTI "Model Compression"): a weighted sum of cross-entropy to
 * the hard label and the T²-scaled KL divergence from the teacher's soft label at temperature T to
 * the student's:
 * <pre>
 *   p = softmax(z),  q = softmax(z / T)
 *   L_n = alpha * (- sum_k y_nk log p_nk) + beta * T^2 * sum_k s_nk (log s_nk - log q_nk)
 *   dL_n/dz = alpha (p sum_k y_k - y) + beta * T (q sum_k s_k - s)
 * </pre>
 * Labels are packed as one array {@code [N, 2K]}: the hard (or mixed-up) label y in columns
 * {@code 0..K-1}, the teacher's soft label s in {@code K..2K-1} (DL4J output layers accept label
 * arrays wider than nOut, STACK.md fact 4). The output layer's activation must be softmax; the loss
 * forms p and q from the pre-activation z itself. T² keeps the soft term's gradient scale independent
 * of T (Hinton §2). Probabilities are clipped to [1e-10, 1] inside the logarithms, as LossMCXENT does.
 * With {@code beta = 0, alpha = 1} this is cross-entropy.
 *
 * <p>Masks: a per-example mask {@code [N, 1]} zeroes the score and gradient of masked examples.
 */
public final class DistillationLoss extends PerExampleLoss {

    private static final long serialVersionUID = 1L;
    private static final double CLIP = 1e-10;

    private int numClasses;
    private double temperature;
    private double alpha;
    private double beta;

    /** For JSON deserialisation only. */
    public DistillationLoss() {
        this(2, 1.0, 1.0, 1.0);
    }

    /**
     * @param numClasses  K, the width of the output layer, at least 2
     * @param temperature T, finite and &gt; 0
     * @param alpha       weight of the hard-label cross-entropy, finite and &gt;= 0
     * @param beta        weight of the T²-scaled KL term, finite and &gt;= 0
     */
    public DistillationLoss(int numClasses, double temperature, double alpha, double beta) {
        setNumClasses(numClasses);
        setTemperature(temperature);
        setAlpha(alpha);
        setBeta(beta);
    }

    public int getNumClasses() {
        return numClasses;
    }

    public void setNumClasses(int numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("distillation needs at least 2 classes; got " + numClasses);
        }
        this.numClasses = numClasses;
    }

    public double getTemperature() {
        return temperature;
    }

    public void setTemperature(double temperature) {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("distillation temperature must be finite and > 0; got "
                    + temperature);
        }
        this.temperature = temperature;
    }

    public double getAlpha() {
        return alpha;
    }

    public void setAlpha(double alpha) {
        this.alpha = requireWeight("distillation alpha (hard-label weight)", alpha);
    }

    public double getBeta() {
        return beta;
    }

    public void setBeta(double beta) {
        this.beta = requireWeight("distillation beta (soft-label weight)", beta);
    }


    private void check(INDArray labels, INDArray preOutput, IActivation activationFn) {
        if (!(activationFn instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException("DistillationLoss needs a softmax output layer; got " + activationFn);
        }
        if (preOutput.rank() != 2 || preOutput.size(1) != numClasses || labels.rank() != 2
                || labels.size(0) != preOutput.size(0) || labels.size(1) != 2L * numClasses) {
            throw new IllegalArgumentException("DistillationLoss with " + numClasses + " classes needs"
                    + " preOutput [N, " + numClasses + "] and labels [N, " + 2 * numClasses + "] (hard | soft);"
                    + " got " + java.util.Arrays.toString(preOutput.shape()) + " and "
                    + java.util.Arrays.toString(labels.shape()));
        }
    }

    private INDArray hard(INDArray labels) {
        return labels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, numClasses));
    }

    private INDArray soft(INDArray labels) {
        return labels.get(NDArrayIndex.all(), NDArrayIndex.interval(numClasses, 2 * numClasses));
    }

    @Override
    INDArray perExample(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        check(labels, preOutput, activationFn);
        INDArray y = hard(labels);
        INDArray s = soft(labels);
        INDArray logP = Transforms.log(Transforms.max(Transforms.softmax(preOutput, true), CLIP, false), false);
        INDArray logQ = Transforms.log(Transforms.max(
                Transforms.softmax(preOutput.div(temperature), false), CLIP, false), false);
        INDArray sLogS = Transforms.log(Transforms.max(s, CLIP, true), false).muli(s);
        INDArray score = y.mul(logP).muli(-alpha)
                .addi(sLogS.subi(s.mul(logQ)).muli(beta * temperature * temperature));
        INDArray column = score.sum(true, 1);
        if (mask != null) {
            LossUtil.applyMask(column, mask);
        }
        return column;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask) {
        check(labels, preOutput, activationFn);
        INDArray y = hard(labels);
        INDArray s = soft(labels);
        INDArray p = Transforms.softmax(preOutput, true);
        INDArray q = Transforms.softmax(preOutput.div(temperature), false);
        INDArray grad = p.mulColumnVector(y.sum(true, 1)).subi(y).muli(alpha)
                .addi(q.mulColumnVector(s.sum(true, 1)).subi(s).muli(beta * temperature));
        if (mask != null) {
            LossUtil.applyMask(grad, mask);
        }
        return grad;
    }

    @Override
    public String toString() {
        return "DistillationLoss(classes=" + numClasses + ", T=" + temperature + ", alpha=" + alpha
                + ", beta=" + beta + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistillationLoss d && d.numClasses == numClasses
                && Double.compare(d.temperature, temperature) == 0 && Double.compare(d.alpha, alpha) == 0
                && Double.compare(d.beta, beta) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(numClasses, temperature, alpha, beta);
    }
}
