package org.ascspark.training.nn;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossUtil;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Multi-class focal loss (Lin et al., ICCV 2017), as the valeo SP4ASC system 3 uses it (seed 004 §3,
 * footnote 1: {@code L = -(1 - p_t)^gamma log(p_t)}, gamma = 1), generalised to soft labels:
 * <pre>
 *   L_n = - sum_k y_nk (1 - p_nk)^gamma log p_nk,     p = activation(preOutput), normally softmax
 * </pre>
 * With {@code gamma = 0} this is DL4J's {@code LossMCXENT}: same score, same gradient (p - y for
 * labels summing to 1), same clipping of p to [eps, 1 - eps] in the score.
 *
 * <p>Gradient with respect to the pre-activation z for softmax, with q = 1 - p and
 * {@code a_k = -y_k [ q_k^gamma - gamma p_k q_k^(gamma-1) log p_k ]} (= p_k dL/dp_k):
 * {@code dL/dz_j = a_j - p_j sum_k a_k}. This form never divides by p. For other activations
 * dL/dp is formed and passed to the activation's backprop.
 *
 * <p>Masks follow {@code LossMCXENT}: a per-example mask {@code [N, 1]} zeroes the score and gradient
 * of masked examples (the average still divides by N); a per-output mask {@code [N, K]} is accepted for
 * the score but, as in MCXENT, not for the softmax gradient. Serialised by field (gamma,
 * softmaxClipEps); {@link #equals(Object)} compares both, which ModelSerializer round trips need
 * (STACK.md fact 4).
 */
public final class FocalLoss extends PerExampleLoss {

    private static final long serialVersionUID = 1L;

    /** The valeo setting (seed 004 §3: "the fixed focal loss with gamma = 1"). */
    public static final double DEFAULT_GAMMA = 1.0;
    /** As LossMCXENT: probabilities are clipped to [eps, 1 - eps] before the logarithm. */
    public static final double DEFAULT_SOFTMAX_CLIP_EPS = 1e-10;
    /** Floor on 1 - p inside (1 - p)^(gamma - 1), finite for 0 &lt; gamma &lt; 1 when p rounds to 1. */
    private static final double ONE_MINUS_P_FLOOR = 1e-30;

    private double gamma;
    private double softmaxClipEps;

    /** gamma = {@link #DEFAULT_GAMMA}; also the constructor JSON deserialisation uses. */
    public FocalLoss() {
        this(DEFAULT_GAMMA);
    }

    /** @param gamma focusing parameter, finite and &gt;= 0 (0 = cross-entropy) */
    public FocalLoss(double gamma) {
        this(gamma, DEFAULT_SOFTMAX_CLIP_EPS);
    }

    /**
     * @param gamma          focusing parameter, finite and &gt;= 0 (0 = cross-entropy)
     * @param softmaxClipEps probability clipping for softmax outputs in the score, in [0, 0.5)
     */
    public FocalLoss(double gamma, double softmaxClipEps) {
        setGamma(gamma);
        setSoftmaxClipEps(softmaxClipEps);
    }

    /** @return the focusing parameter gamma */
    public double getGamma() {
        return gamma;
    }

    /** @param gamma the focusing parameter, finite and &gt;= 0 */
    public void setGamma(double gamma) {
        if (!(gamma >= 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("focal loss gamma must be finite and >= 0; got " + gamma);
        }
        this.gamma = gamma;
    }

    /** @return the softmax probability clipping epsilon */
    public double getSoftmaxClipEps() {
        return softmaxClipEps;
    }

    /** @param softmaxClipEps the softmax probability clipping epsilon, in [0, 0.5) */
    public void setSoftmaxClipEps(double softmaxClipEps) {
        if (!(softmaxClipEps >= 0 && softmaxClipEps < 0.5)) {
            throw new IllegalArgumentException("softmaxClipEps must be in [0, 0.5); got " + softmaxClipEps);
        }
        this.softmaxClipEps = softmaxClipEps;
    }

    private static void checkShapes(INDArray labels, INDArray preOutput) {
        if (!labels.equalShapes(preOutput)) {
            throw new IllegalArgumentException("labels and preOutput must have equal shapes; got "
                    + java.util.Arrays.toString(labels.shape()) + " vs "
                    + java.util.Arrays.toString(preOutput.shape()));
        }
    }

    /** @return p clipped to [eps, 1 - eps] for softmax (as LossMCXENT), else p unchanged */
    private INDArray clipped(INDArray p, IActivation activationFn) {
        if (activationFn instanceof ActivationSoftmax && softmaxClipEps > 0) {
            return Transforms.min(Transforms.max(p, softmaxClipEps, true), 1.0 - softmaxClipEps, false);
        }
        return p;
    }

    /** @return the unreduced, masked loss -y (1-p)^gamma log p, shape [N, K] */
    private INDArray scoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkShapes(labels, preOutput);
        INDArray p = clipped(activationFn.getActivation(preOutput.dup(), true), activationFn);
        INDArray score = Transforms.log(p, true).muli(labels).negi();
        if (gamma != 0.0) {
            score.muli(Transforms.pow(Transforms.max(p.rsub(1.0), 0.0, false), gamma, false));
        }
        if (mask != null) {
            LossUtil.applyMask(score, mask);
        }
        return score;
    }

    @Override
    INDArray perExample(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return scoreArray(labels, preOutput, activationFn, mask).sum(true, 1);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask) {
        checkShapes(labels, preOutput);
        INDArray p = activationFn.getActivation(preOutput.dup(), true);
        INDArray logP = Transforms.log(clipped(p.dup(), activationFn), false);
        INDArray q = Transforms.max(p.rsub(1.0), 0.0, false);
        INDArray grad;
        if (activationFn instanceof ActivationSoftmax) {
            if (mask != null && LossUtil.isPerOutputMasking(p, mask)) {
                throw new UnsupportedOperationException("per-output masking with softmax focal loss is not"
                        + " supported (as for LossMCXENT); use a per-example [N, 1] mask");
            }
            // a = p * dL/dp = -y [q^gamma - gamma p q^(gamma-1) log p]
            INDArray a = gamma == 0.0 ? labels.neg() : focalTerm(p, q, logP).muli(labels).negi();
            grad = a.sub(p.mul(a.sum(true, 1)));
        } else {
            // dL/dp = -y [q^gamma / p - gamma q^(gamma-1) log p]
            INDArray pSafe = clipped(p.dup(), activationFn);
            INDArray dLdp;
            if (gamma == 0.0) {
                dLdp = labels.div(pSafe).negi();
            } else {
                INDArray qPow = Transforms.pow(q, gamma, true).divi(pSafe);
                INDArray qPowM1 = Transforms.pow(Transforms.max(q, ONE_MINUS_P_FLOOR, true), gamma - 1.0, false);
                dLdp = qPow.subi(qPowM1.muli(logP).muli(gamma)).muli(labels).negi();
            }
            grad = activationFn.backprop(preOutput.dup(), dLdp).getFirst();
        }
        if (mask != null) {
            LossUtil.applyMask(grad, mask);
        }
        return grad;
    }

    /** @return q^gamma - gamma p q^(gamma-1) log p, for gamma &gt; 0 */
    private INDArray focalTerm(INDArray p, INDArray q, INDArray logP) {
        INDArray qPow = Transforms.pow(q, gamma, true);
        INDArray qPowM1 = Transforms.pow(Transforms.max(q, ONE_MINUS_P_FLOOR, true), gamma - 1.0, false);
        return qPow.subi(qPowM1.muli(p).muli(logP).muli(gamma));
    }

    @Override
    public String toString() {
        return "FocalLoss(gamma=" + gamma + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FocalLoss other && Double.compare(gamma, other.gamma) == 0
                && Double.compare(softmaxClipEps, other.softmaxClipEps) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(gamma) + Double.hashCode(softmaxClipEps);
    }
}
