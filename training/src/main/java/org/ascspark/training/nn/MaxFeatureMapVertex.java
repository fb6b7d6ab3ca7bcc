package org.ascspark.training.nn;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Max feature map (MFM; Wu et al., "A Light CNN for Deep Face Representation with Noisy Labels",
 * IEEE TIFS 2018, §3.1, eq. 2) and, with a second input, the attentive max feature map (AMFM) of the
 * Clova DCASE 2021 report (seed 000 §3.1) as this project implements it.
 *
 * <p><b>MFM</b> (one input): the {@code 2C} channels of an NCHW map {@code x [N, 2C, F, T]} are split into
 * the halves {@code x1 = x[:, 0..C-1]} and {@code x2 = x[:, C..2C-1]}, and
 * {@code y_ncft = max(x1_ncft, x2_ncft)}, {@code y [N, C, F, T]}. It is the activation that replaces
 * ReLU in the Clova ResNetSE (seed 000 §3.2).
 *
 * <p><b>AMFM</b> (two inputs: {@code x [N, 2C, F, T]} and an attention vector {@code a [N, C]}, normally
 * sigmoid outputs): {@code y_ncft = max(x1_ncft, a_nc * x2_ncft)}. Seed 000 says only that AMFM
 * "compares the feature maps before and after the attention" in the competitive manner of MFM; it
 * refers to Shim et al. (arXiv:2104.07213), which is not among the seeds. Our reading: the MFM
 * competition is kept, one contestant ({@code x1}) is the map before attention and the other
 * ({@code a * x2}) the map after a channel attention, so attention can suppress {@code x2} without
 * deleting what {@code x1} carries. With {@code a = 1} AMFM is MFM. The attention itself (how
 * {@code a} is computed) is built from standard layers by the model factory.
 *
 * <p>Gradient (g = dL/dy, m = [x1 &gt;= a x2], ties go to {@code x1}): dL/dx1 = g m,
 * dL/dx2 = g (1 - m) a, dL/da_nc = sum_{f,t} g (1 - m) x2. The derivative is undefined on ties, which
 * have probability zero for continuous inputs.
 */
public final class MaxFeatureMapVertex extends ParameterFreeVertex {

    private static final long serialVersionUID = 1L;


    @Override
    public int minVertexInputs() {
        return 1;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    GraphVertex create(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new MaxFeatureMapVertexImpl(graph, name, idx, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional in = requireConvolutional(MaxFeatureMapVertex.class, vertexInputs[0]);
        long channels = in.getChannels();
        if (channels % 2 != 0) {
            throw new InvalidInputTypeException("MaxFeatureMapVertex needs an even number of channels; got " + in);
        }
        if (vertexInputs.length == 2) {
            InputType a = vertexInputs[1];
            if (!(a instanceof InputType.InputTypeFeedForward ff) || ff.getSize() != channels / 2) {
                throw new InvalidInputTypeException("MaxFeatureMapVertex attention input must be a vector of "
                        + channels / 2 + " values per example (half the map's channels); got " + a);
            }
        }
        return InputType.convolutional(in.getHeight(), in.getWidth(), channels / 2);
    }
}
