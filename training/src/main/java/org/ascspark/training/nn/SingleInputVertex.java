package org.ascspark.training.nn;

/** A parameter-free vertex with exactly one input (ResNorm, frequency mean, the sub-band reshape). */
abstract class SingleInputVertex extends ParameterFreeVertex {

    private static final long serialVersionUID = 1L;

    @Override
    public final int minVertexInputs() {
        return 1;
    }

    @Override
    public final int maxVertexInputs() {
        return 1;
    }
}
