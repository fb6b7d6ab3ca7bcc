package org.ascspark.training.nn;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Channel-wise scaling of an NCHW map by a per-example vector: inputs {@code x [N, C, F, T]} and
 * {@code s [N, C]}, output {@code y_ncft = x_ncft * s_nc}. This is the "scale" step of a
 * squeeze-and-excitation block (Hu et al., "Squeeze-and-Excitation Networks", CVPR 2018, §3.2, eq. 4:
 * {@code x~_c = s_c * u_c}), whose squeeze (global average pooling) and excitation (two dense layers,
 * ReLU then sigmoid) are DL4J's own layers; DL4J has no vertex that broadcasts a {@code [N, C]} array
 * over a feature map.
 *
 * <p>Gradient (g = dL/dy): dL/dx = g * s (broadcast), dL/ds_nc = sum_{f,t} g_ncft x_ncft.
 */
public final class ChannelScaleVertex extends ParameterFreeVertex {

    private static final long serialVersionUID = 1L;


    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    GraphVertex create(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new ChannelScaleVertexImpl(graph, name, idx, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional x = requireConvolutional(ChannelScaleVertex.class, vertexInputs[0]);
        InputType s = vertexInputs[1];
        if (!(s instanceof InputType.InputTypeFeedForward ff) || ff.getSize() != x.getChannels()) {
            throw new InvalidInputTypeException("ChannelScaleVertex scale input must be a vector of "
                    + x.getChannels() + " values per example (one per channel); got " + s);
        }
        return x;
    }
}
