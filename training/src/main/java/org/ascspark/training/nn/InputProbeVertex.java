package org.ascspark.training.nn;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Identity vertex that keeps the gradient flowing through it: placed right after a network input, its
 * {@link #lastGradient} after a backward pass is dL/dx, the loss gradient with respect to the input
 * (DL4J M2.1's ComputationGraph has no call for input gradients). Cross-gradient training perturbs
 * inputs with it.
 */
public final class InputProbeVertex extends ParameterFreeVertex {

    private static final long serialVersionUID = 1L;

    @Override
    public int minVertexInputs() {
        return 1;
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    GraphVertex create(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new InputProbeVertexImpl(graph, name, idx, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        return vertexInputs[0];
    }

    /**
     * @param net a network with an input probe
     * @param name the probe's vertex name
     * @return the gradient its last backward pass saw (a copy outside any workspace), or null before one
     */
    public static INDArray lastGradient(ComputationGraph net, String name) {
        return ((InputProbeVertexImpl) net.getVertex(name)).lastGradient();
    }
}
