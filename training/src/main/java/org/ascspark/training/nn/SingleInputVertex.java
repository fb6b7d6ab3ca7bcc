package org.ascspark.training.nn;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A parameter-free vertex with exactly one input: the input count rules and the instantiation
 * plumbing shared by ResNorm, frequency mean and the sub-band reshape, so each subclass only says
 * which implementation it builds.
 */
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

    @Override
    public final org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph,
            String name, int idx, INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return create(graph, name, idx, networkDatatype);
    }

    /**
     * @param graph the network
     * @param name the vertex name
     * @param idx the vertex index
     * @param dataType the network data type
     * @return the vertex implementation with this configuration's settings
     */
    abstract org.deeplearning4j.nn.graph.vertex.GraphVertex create(ComputationGraph graph, String name,
            int idx, DataType dataType);
}
