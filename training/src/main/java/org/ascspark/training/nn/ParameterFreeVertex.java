package org.ascspark.training.nn;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shared configuration plumbing for this package's parameter-free graph vertices: no parameters, one
 * output the size of its (largest) input, no cached state. Subclasses keep their settings in plain
 * fields, which DL4J's Jackson mapper serialises by field (with the class name under {@code @class}),
 * so every subclass needs a public no-argument constructor.
 *
 * <p>{@link #clone}, {@link #equals}, {@link #hashCode} and {@link #toString} here suit a vertex
 * without settings (all instances of a class are equal); a subclass with settings overrides all four.
 */
abstract class ParameterFreeVertex extends GraphVertex {

    private static final long serialVersionUID = 1L;

    @Override
    public GraphVertex clone() {
        try {
            return getClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(getClass().getName() + " needs a public no-argument constructor", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().getName().hashCode();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "()";
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

    @Override
    public final long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        InputType out = getOutputType(-1, inputTypes);
        return new LayerMemoryReport.Builder(null, getClass(), inputTypes[0], out)
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(0, 0)
                .build();
    }

    /**
     * @return {@code type} as a convolutional (NCHW) input type, or an {@link InvalidInputTypeException}
     *     naming the vertex class when it is anything else
     */
    static InputType.InputTypeConvolutional requireConvolutional(Class<?> vertex, InputType type) {
        if (!(type instanceof InputType.InputTypeConvolutional conv)) {
            throw new InvalidInputTypeException(vertex.getSimpleName()
                    + " needs convolutional input [batch, channels, freq, time]; got " + type);
        }
        if (conv.getFormat() != CNN2DFormat.NCHW) {
            throw new InvalidInputTypeException(vertex.getSimpleName() + " supports NCHW only; got " + conv);
        }
        return conv;
    }
}
