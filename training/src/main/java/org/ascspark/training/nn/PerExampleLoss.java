package org.ascspark.training.nn;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The reductions every loss of this package shares: a subclass gives the masked per-example losses
 * {@code [N, 1]} and the gradient; the score is their sum (or mean over N), and {@link #name()} is
 * {@link #toString()}. Subclasses keep their settings in fields with a public no-argument
 * constructor, serialised by DL4J's Jackson mapper, and define {@code equals} over them.
 */
abstract class PerExampleLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    /** @return the masked loss of every example, {@code [N, 1]} */
    abstract INDArray perExample(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask);

    @Override
    public final double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask, boolean average) {
        INDArray column = perExample(labels, preOutput, activationFn, mask);
        double sum = column.sumNumber().doubleValue();
        return average ? sum / column.size(0) : sum;
    }

    @Override
    public final INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask) {
        return perExample(labels, preOutput, activationFn, mask);
    }

    @Override
    public final Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    /**
     * @param what the weight's name, for the message
     * @param w a loss weight
     * @return {@code w}; IllegalArgumentException unless it is finite and &gt;= 0
     */
    static double requireWeight(String what, double w) {
        if (!(w >= 0) || !Double.isFinite(w)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0; got " + w);
        }
        return w;
    }

    @Override
    public final String name() {
        return toString();
    }
}
