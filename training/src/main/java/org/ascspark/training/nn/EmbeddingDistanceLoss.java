package org.ascspark.training.nn;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossUtil;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The embedding terms of distillation: a student's hidden vector a pulled towards the teacher's t
 * by a weighted sum of the cosine distance (Clova §4: "cosine distance between last hidden layers")
 * and the mean squared error (AIT §2.2: MSE between the student's FC(64) and the teacher's 64-d
 * embedding):
 * <pre>
 *   |v|_e = sqrt(sum_d v_d^2 + 1e-8),   c = a.t / (|a|_e |t|_e)
 *   L_n = wCos * (1 - c) + wMse * (1/D) sum_d (a_d - t_d)^2
 *   dL_n/da = -wCos * (t / (|a|_e |t|_e) - c a / |a|_e^2) + wMse * 2 (a - t) / D
 * </pre>
 * The small constant inside the norms keeps an all-zero vector (a ReLU embedding can be one) finite.
 * The labels are the teacher's vectors {@code [N, D]}; a per-example mask {@code [N, 1]} zeroes the
 * rows that have none. Any activation works (the gradient goes back through it); distillation uses
 * identity.
 */
public final class EmbeddingDistanceLoss extends PerExampleLoss {

    private static final long serialVersionUID = 1L;
    private static final double EPS = 1e-8;

    private double cosineWeight;
    private double mseWeight;

    /** For JSON deserialisation only. */
    public EmbeddingDistanceLoss() {
        this(1.0, 0.0);
    }

    /**
     * @param cosineWeight weight of the cosine distance, finite and &gt;= 0
     * @param mseWeight    weight of the mean squared error, finite and &gt;= 0
     */
    public EmbeddingDistanceLoss(double cosineWeight, double mseWeight) {
        setCosineWeight(cosineWeight);
        setMseWeight(mseWeight);
    }

    public double getCosineWeight() {
        return cosineWeight;
    }

    public void setCosineWeight(double w) {
        this.cosineWeight = requireWeight("embedding loss weight cosine", w);
    }

    public double getMseWeight() {
        return mseWeight;
    }

    public void setMseWeight(double w) {
        this.mseWeight = requireWeight("embedding loss weight mse", w);
    }


    private static void check(INDArray labels, INDArray preOutput) {
        if (preOutput.rank() != 2 || !java.util.Arrays.equals(labels.shape(), preOutput.shape())) {
            throw new IllegalArgumentException("EmbeddingDistanceLoss needs labels and outputs of one shape"
                    + " [N, D]; got " + java.util.Arrays.toString(labels.shape()) + " and "
                    + java.util.Arrays.toString(preOutput.shape()));
        }
    }

    private static INDArray norms(INDArray v) {
        return Transforms.sqrt(v.mul(v).sum(true, 1).addi(EPS), false);
    }

    @Override
    INDArray perExample(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        check(labels, preOutput);
        INDArray a = activationFn.getActivation(preOutput.dup(), true);
        INDArray cos = a.mul(labels).sum(true, 1).divi(norms(a)).divi(norms(labels));
        INDArray d = a.sub(labels);
        INDArray column = cos.rsubi(1.0).muli(cosineWeight)
                .addi(d.muli(d).sum(true, 1).muli(mseWeight / a.size(1)));
        if (mask != null) {
            LossUtil.applyMask(column, mask);
        }
        return column;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask) {
        check(labels, preOutput);
        INDArray a = activationFn.getActivation(preOutput.dup(), true);
        INDArray na = norms(a);
        INDArray nt = norms(labels);
        INDArray cos = a.mul(labels).sum(true, 1).divi(na).divi(nt);
        INDArray dCos = labels.divColumnVector(na.mul(nt))
                .subi(a.mulColumnVector(cos.div(na.mul(na))));
        INDArray dLda = dCos.muli(-cosineWeight).addi(a.sub(labels).muli(2.0 * mseWeight / a.size(1)));
        INDArray grad = activationFn.backprop(preOutput.dup(), dLda).getFirst();
        if (mask != null) {
            LossUtil.applyMask(grad, mask);
        }
        return grad;
    }

    @Override
    public String toString() {
        return "EmbeddingDistanceLoss(cosine=" + cosineWeight + ", mse=" + mseWeight + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddingDistanceLoss e && Double.compare(e.cosineWeight, cosineWeight) == 0
                && Double.compare(e.mseWeight, mseWeight) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(cosineWeight, mseWeight);
    }
}
