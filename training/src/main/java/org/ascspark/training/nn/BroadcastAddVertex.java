package org.ascspark.training.nn;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Sum of two or more NCHW inputs where an input with frequency size 1 is broadcast over frequency:
 * the broadcast residual of BC-ResNet (Kim et al., Interspeech 2021, "Broadcasted Residual Learning",
 * §2.2: {@code y = ReLU(x + f2(x) + BC(f1(avgpool(f2(x)))))}), used by the QTI BC-ResNet-ASC (seed 003
 * §1).
 *
 * <p>Inputs: {@code [N, C, F, T]} or {@code [N, C, 1, T]}, at least one with the full F; batch,
 * channels and time must agree. Output: {@code [N, C, F, T]}. Gradient: the full-size inputs receive
 * dL/dy, a frequency-1 input receives its sum over frequency.
 */
public final class BroadcastAddVertex extends ParameterFreeVertex {

    private static final long serialVersionUID = 1L;


    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return Integer.MAX_VALUE;
    }

    @Override
    GraphVertex create(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new BroadcastAddVertexImpl(graph, name, idx, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional first = requireConvolutional(BroadcastAddVertex.class, vertexInputs[0]);
        long height = 1;
        for (InputType t : vertexInputs) {
            height = Math.max(height, requireConvolutional(BroadcastAddVertex.class, t).getHeight());
        }
        for (InputType t : vertexInputs) {
            InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) t;
            if (c.getChannels() != first.getChannels() || c.getWidth() != first.getWidth()
                    || (c.getHeight() != height && c.getHeight() != 1)) {
                throw new InvalidInputTypeException("BroadcastAddVertex inputs must agree in channels and time"
                        + " and have frequency size " + height + " or 1; got " + first + " and " + c);
            }
        }
        return InputType.convolutional(height, first.getWidth(), first.getChannels());
    }
}
