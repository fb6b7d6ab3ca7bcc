package org.ascspark.training.nn;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Mean over the frequency axis, keeping it as size 1: {@code [N, C, F, T] -> [N, C, 1, T]},
 * {@code y_nc0t = 1/F sum_f x_ncft}. This is the frequency average pooling of the BC-ResBlock
 * (Kim et al., Interspeech 2021, §2.2, "avgpool" before the temporal path f1) and the first step of
 * the valeo global pooling (seed 004 §2.3: "a global averaging pooling along the frequency axis").
 * Unlike a pooling layer with a fixed (F, 1) kernel it takes any frequency size at run time.
 *
 * <p>Gradient: dL/dx_ncft = (dL/dy_nc0t) / F.
 */
public final class FrequencyMeanVertex extends SingleInputVertex {

    private static final long serialVersionUID = 1L;


    @Override
    GraphVertex create(ComputationGraph graph, String name, int idx,
            DataType dataType) {
        return new FrequencyMeanVertexImpl(graph, name, idx, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional in = requireConvolutional(FrequencyMeanVertex.class, vertexInputs[0]);
        return InputType.convolutional(1, in.getWidth(), in.getChannels());
    }
}
