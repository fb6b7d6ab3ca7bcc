package org.ascspark.training.models;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Everything {@link Models} needs to build a network: which architecture, the feature shape it takes,
 * its size and how it is trained. Validated on construction; an invalid value fails with an
 * {@link IllegalArgumentException} naming the field and the value. Whether the feature shape suits the
 * chosen architecture is checked by {@link Models#configuration(ModelSpec)}.
 *
 * @param name          architecture, one of {@link Models#names()}
 * @param inputChannels feature channels (1 for a log-mel spectrogram, 3 with deltas stacked), &gt;= 1
 * @param bins          frequency bins of the feature (mel bands), the NCHW height, &gt;= 1
 * @param frames        time frames the configuration is declared with, the NCHW width, &gt;= 1; every
 *                      model pools globally over time, so other lengths work at run time
 * @param numClasses    output classes, &gt;= 2
 * @param width         architecture width multiplier, finite and &gt; 0 (meaning per model: see
 *                      {@link Models})
 * @param seed          weight-initialisation seed
 * @param updater       optimiser for every trainable parameter (e.g. Adam 1e-3)
 * @param weightDecay   decoupled weight decay coefficient applied to weights (DL4J {@code WeightDecay}),
 *                      finite and &gt;= 0; 0 = none
 * @param loss          loss of the softmax output layer (e.g. {@code LossMCXENT}, {@code FocalLoss})
 * @param dataType      network data type, a floating-point type (FLOAT; DOUBLE for gradient checks)
 * @param groupClasses  classes of an auxiliary multitask output {@link Models#OUTPUT_GROUP} (e.g. 3 for
 *                      indoor / outdoor / transportation, seed 000 §3.1), or 0 for none (the default);
 *                      otherwise &gt;= 2. Only models that have such a head accept it (see {@link Models})
 */
public record ModelSpec(String name, int inputChannels, int bins, int frames, int numClasses, double width,
        long seed, IUpdater updater, double weightDecay, ILossFunction loss, DataType dataType, int groupClasses) {

    /** Default learning rate of {@link #of}: Adam 1e-3. */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;

    /** Validates every field; see the record description for the ranges. */
    public ModelSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("ModelSpec.name must be a non-blank model name; got '" + name + "'");
        }
        requireAtLeast("inputChannels", inputChannels, 1);
        requireAtLeast("bins", bins, 1);
        requireAtLeast("frames", frames, 1);
        requireAtLeast("numClasses", numClasses, 2);
        if (!(width > 0) || !Double.isFinite(width)) {
            throw new IllegalArgumentException("ModelSpec.width must be finite and > 0; got " + width);
        }
        if (updater == null) {
            throw new IllegalArgumentException("ModelSpec.updater must not be null");
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("ModelSpec.weightDecay must be finite and >= 0; got " + weightDecay);
        }
        if (loss == null) {
            throw new IllegalArgumentException("ModelSpec.loss must not be null");
        }
        if (dataType == null || !dataType.isFPType()) {
            throw new IllegalArgumentException("ModelSpec.dataType must be a floating-point type; got " + dataType);
        }
        if (groupClasses != 0 && groupClasses < 2) {
            throw new IllegalArgumentException("ModelSpec.groupClasses must be 0 (no auxiliary head) or >= 2; got "
                    + groupClasses);
        }
    }

    /** A spec without an auxiliary multitask head ({@code groupClasses} 0); see the record description. */
    public ModelSpec(String name, int inputChannels, int bins, int frames, int numClasses, double width, long seed,
            IUpdater updater, double weightDecay, ILossFunction loss, DataType dataType) {
        this(name, inputChannels, bins, frames, numClasses, width, seed, updater, weightDecay, loss, dataType, 0);
    }

    private static void requireAtLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("ModelSpec." + field + " must be >= " + min + "; got " + value);
        }
    }

    /**
     * A spec with the training defaults: Adam with learning rate {@value #DEFAULT_LEARNING_RATE}, no
     * weight decay, multi-class cross-entropy ({@code LossMCXENT}), FLOAT.
     *
     * @see ModelSpec the field descriptions
     */
    public static ModelSpec of(String name, int inputChannels, int bins, int frames, int numClasses, double width,
            long seed) {
        return new ModelSpec(name, inputChannels, bins, frames, numClasses, width, seed,
                new Adam(DEFAULT_LEARNING_RATE), 0.0, new LossMCXENT(), DataType.FLOAT);
    }

    /** @return a copy with another updater */
    public ModelSpec withUpdater(IUpdater newUpdater) {
        return new ModelSpec(name, inputChannels, bins, frames, numClasses, width, seed, newUpdater, weightDecay,
                loss, dataType, groupClasses);
    }

    /** @return a copy with another weight decay */
    public ModelSpec withWeightDecay(double newWeightDecay) {
        return new ModelSpec(name, inputChannels, bins, frames, numClasses, width, seed, updater, newWeightDecay,
                loss, dataType, groupClasses);
    }

    /** @return a copy with another loss */
    public ModelSpec withLoss(ILossFunction newLoss) {
        return new ModelSpec(name, inputChannels, bins, frames, numClasses, width, seed, updater, weightDecay,
                newLoss, dataType, groupClasses);
    }

    /** @return a copy with another data type */
    public ModelSpec withDataType(DataType newDataType) {
        return new ModelSpec(name, inputChannels, bins, frames, numClasses, width, seed, updater, weightDecay,
                loss, newDataType, groupClasses);
    }

    /** @return a copy with another seed */
    public ModelSpec withSeed(long newSeed) {
        return new ModelSpec(name, inputChannels, bins, frames, numClasses, width, newSeed, updater, weightDecay,
                loss, dataType, groupClasses);
    }

    /** @return a copy with another auxiliary-head class count (0 = none) */
    public ModelSpec withGroupClasses(int newGroupClasses) {
        return new ModelSpec(name, inputChannels, bins, frames, numClasses, width, seed, updater, weightDecay,
                loss, dataType, newGroupClasses);
    }
}
