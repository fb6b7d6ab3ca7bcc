package org.ascspark.training.eval;

import java.util.Arrays;
import java.util.Objects;

/**
 * One clip's model output with its ground truth: the input of {@link Metrics} and {@link SubmissionFile}.
 *
 * <p>Immutable: the probability vector is copied on construction and on access.
 *
 * @param clipId    clip identifier (for example the DCASE filename); non-null, non-empty
 * @param trueLabel index of the true class in the model's label order, {@code 0 <= trueLabel < K}
 *                  (range checked by {@link Metrics}, which knows K)
 * @param device    recording device name (for example {@code "a"}, {@code "s4"}); non-null, non-empty
 * @param probs     class probabilities [K] in the model's label order; finite and non-negative with a
 *                  positive sum (checked by {@link Metrics}). Rows need not sum exactly to 1: the
 *                  metrics renormalise them (see {@link Metrics}).
 */
public record Prediction(String clipId, int trueLabel, String device, double[] probs) {

    /** Validates the non-null, non-empty fields and copies {@code probs}. */
    public Prediction {
        Objects.requireNonNull(clipId, "clipId");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(probs, "probs");
        if (clipId.isEmpty()) {
            throw new IllegalArgumentException("clipId must not be empty");
        }
        if (device.isEmpty()) {
            throw new IllegalArgumentException("device must not be empty (clip " + clipId + ")");
        }
        probs = probs.clone();
    }

    /**
     * Builds a prediction from single-precision probabilities (as a float softmax produces them);
     * each value is widened exactly to double.
     *
     * @param clipId    clip identifier
     * @param trueLabel true class index
     * @param device    device name
     * @param probs     class probabilities [K], float
     * @return the prediction
     */
    public static Prediction ofFloats(String clipId, int trueLabel, String device, float[] probs) {
        Objects.requireNonNull(probs, "probs");
        double[] d = new double[probs.length];
        for (int i = 0; i < probs.length; i++) {
            d[i] = probs[i];
        }
        return new Prediction(clipId, trueLabel, device, d);
    }

    /** @return a copy of the class probabilities [K] */
    @Override
    public double[] probs() {
        return probs.clone();
    }

    /** Value equality, comparing probabilities element-wise. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p
                && clipId.equals(p.clipId)
                && trueLabel == p.trueLabel
                && device.equals(p.device)
                && Arrays.equals(probs, p.probs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clipId, trueLabel, device, Arrays.hashCode(probs));
    }

    @Override
    public String toString() {
        return "Prediction[clipId=" + clipId + ", trueLabel=" + trueLabel + ", device=" + device
                + ", probs=" + Arrays.toString(probs) + "]";
    }
}
