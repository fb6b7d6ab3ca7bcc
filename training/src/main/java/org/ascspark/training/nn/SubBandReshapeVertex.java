package org.ascspark.training.nn;

import java.util.Objects;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * C-order reshape between a feature map and its frequency sub-bands, the building block of
 * SubSpectral Normalisation (Chang et al., Interspeech 2021; used by BC-ResNet, Kim et al. 2021 §2.3,
 * and by the QTI BC-ResNet-ASC, seed 003): with S sub-bands of F/S contiguous bins,
 * <ul>
 *   <li>{@link Direction#SPLIT}: {@code [N, C, F, T] -> [N, C*S, F/S, T]}, element (n, c, s*F/S + j, t)
 *       goes to (n, c*S + s, j, t), so channel c*S+s holds sub-band s of channel c;</li>
 *   <li>{@link Direction#MERGE}: the inverse, {@code [N, C*S, F', T] -> [N, C, F'*S, T]}.</li>
 * </ul>
 * Unlike DL4J's {@code ReshapeVertex} the target shape is taken from the input at run time, so batch
 * size and time length are free. A pure re-indexing: the gradient is the inverse reshape.
 *
 * @see SubSpectralNorm
 */
public final class SubBandReshapeVertex extends SingleInputVertex {

    private static final long serialVersionUID = 1L;

    /** Which way the vertex reshapes. */
    public enum Direction {
        /** {@code [N, C, F, T] -> [N, C*S, F/S, T]}. */
        SPLIT,
        /** {@code [N, C*S, F', T] -> [N, C, F'*S, T]}. */
        MERGE
    }

    private int subBands;
    private Direction direction;

    /** One sub-band, {@link Direction#SPLIT} (an identity); the constructor JSON deserialisation uses. */
    public SubBandReshapeVertex() {
        this(1, Direction.SPLIT);
    }

    /**
     * @param subBands  number of sub-bands S, &gt;= 1
     * @param direction split into or merge from sub-bands
     */
    public SubBandReshapeVertex(int subBands, Direction direction) {
        setSubBands(subBands);
        setDirection(direction);
    }

    /** @return the number of sub-bands S */
    public int getSubBands() {
        return subBands;
    }

    /** @param subBands the number of sub-bands S, &gt;= 1 */
    public void setSubBands(int subBands) {
        if (subBands < 1) {
            throw new IllegalArgumentException("subBands must be >= 1; got " + subBands);
        }
        this.subBands = subBands;
    }

    /** @return split or merge */
    public Direction getDirection() {
        return direction;
    }

    /** @param direction split or merge, not null */
    public void setDirection(Direction direction) {
        this.direction = Objects.requireNonNull(direction, "direction");
    }

    @Override
    public SubBandReshapeVertex clone() {
        return new SubBandReshapeVertex(subBands, direction);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubBandReshapeVertex other && subBands == other.subBands
                && direction == other.direction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(subBands, direction);
    }

    @Override
    public String toString() {
        return "SubBandReshapeVertex(subBands=" + subBands + ", direction=" + direction + ")";
    }

    @Override
    GraphVertex create(ComputationGraph graph, String name, int idx,
            DataType dataType) {
        return new SubBandReshapeVertexImpl(graph, name, idx, subBands, direction, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional in = requireConvolutional(SubBandReshapeVertex.class, vertexInputs[0]);
        if (direction == Direction.SPLIT) {
            if (in.getHeight() % subBands != 0) {
                throw new InvalidInputTypeException("SubBandReshapeVertex: frequency size " + in.getHeight()
                        + " is not divisible by " + subBands + " sub-bands");
            }
            return InputType.convolutional(in.getHeight() / subBands, in.getWidth(), in.getChannels() * subBands);
        }
        if (in.getChannels() % subBands != 0) {
            throw new InvalidInputTypeException("SubBandReshapeVertex: channel count " + in.getChannels()
                    + " is not divisible by " + subBands + " sub-bands");
        }
        return InputType.convolutional(in.getHeight() * subBands, in.getWidth(), in.getChannels() / subBands);
    }
}
