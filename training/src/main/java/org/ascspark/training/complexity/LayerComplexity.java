package org.ascspark.training.complexity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the per-layer complexity table: a vertex of a {@code ComputationGraph} (a layer or a
 * non-layer vertex such as an element-wise add), with its parameter counts and its MACs for one input.
 * The counting conventions are those of {@link ComplexityAnalyzer}.
 *
 * @param name                    vertex name as in the graph configuration
 * @param type                    simple class name of the layer configuration (for example
 *                                {@code ConvolutionLayer}) or of the vertex (for example {@code ElementWiseVertex})
 * @param inputs                  names of the vertices (or network inputs) feeding this vertex, in order
 * @param outputShape             shape of one example's output activations without the batch dimension,
 *                                as DL4J's {@code InputType.getShape(false)} gives it, joined by {@code x}:
 *                                {@code CxHxW} for NCHW convolutional, {@code N} for feed-forward,
 *                                {@code SIZExT} for recurrent ({@code ?} for an unknown length)
 * @param rawParameters           entries this vertex holds in DL4J's parameter vector ({@code numParams()}),
 *                                BatchNorm running mean and variance included
 * @param trainableParameters     rawParameters less BatchNorm running statistics (mean and variance or
 *                                log10 std), which PyTorch would store as buffers rather than parameters
 * @param parameters              parameters of the deployed model, BatchNorm folded (0 for a folded BN;
 *                                kernel + output-channel bias for a layer a BN folded into; 2·C for a BN
 *                                that cannot fold)
 * @param nonZeroParameters       of {@code parameters}, those whose folded value rounded to float32 is not 0
 * @param weightParameters        of {@code parameters}, kernel weights (the layer's ParamInitializer calls
 *                                them weights); the rest are biases and BN scale/shift
 * @param nonZeroWeightParameters of {@code weightParameters}, the non-zero ones
 * @param macs                    multiply-accumulates for one forward pass on one input (batch size 1)
 * @param note                    how the row was counted when that is not obvious ("folded into conv1",
 *                                "BN 'bn1' folded in (+16 bias)", "MACs not modelled ..."); empty otherwise
 */
public record LayerComplexity(String name, String type, List<String> inputs, String outputShape,
                              long rawParameters, long trainableParameters, long parameters,
                              long nonZeroParameters, long weightParameters, long nonZeroWeightParameters,
                              long macs, String note) {

    /** Validates the counts and copies the input list. */
    public LayerComplexity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(outputShape, "outputShape");
        Objects.requireNonNull(note, "note");
        inputs = List.copyOf(inputs);
        if (rawParameters < 0 || trainableParameters < 0 || trainableParameters > rawParameters) {
            throw new IllegalArgumentException(name + ": need 0 <= trainableParameters <= rawParameters, got "
                    + trainableParameters + " and " + rawParameters);
        }
        if (parameters < 0 || nonZeroParameters < 0 || nonZeroParameters > parameters) {
            throw new IllegalArgumentException(name + ": need 0 <= nonZeroParameters <= parameters, got "
                    + nonZeroParameters + " and " + parameters);
        }
        if (weightParameters < 0 || weightParameters > parameters || nonZeroWeightParameters < 0
                || nonZeroWeightParameters > weightParameters || nonZeroWeightParameters > nonZeroParameters
                || nonZeroParameters - nonZeroWeightParameters > parameters - weightParameters) {
            throw new IllegalArgumentException(name + ": inconsistent weight counts: weights "
                    + weightParameters + " (non-zero " + nonZeroWeightParameters + ") of " + parameters
                    + " (non-zero " + nonZeroParameters + ")");
        }
        if (macs < 0) {
            throw new IllegalArgumentException(name + ": macs must be >= 0, got " + macs);
        }
    }

    /** @return {@code parameters - weightParameters}: biases and BatchNorm scale/shift */
    public long biasParameters() {
        return parameters - weightParameters;
    }

    /** @return {@code nonZeroParameters - nonZeroWeightParameters} */
    public long nonZeroBiasParameters() {
        return nonZeroParameters - nonZeroWeightParameters;
    }

    /**
     * Plain-value view for JSON, snake_case keys in a fixed order.
     *
     * @return a new mutable map
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("type", type);
        m.put("inputs", new ArrayList<>(inputs));
        m.put("output_shape", outputShape);
        m.put("raw_parameters", rawParameters);
        m.put("trainable_parameters", trainableParameters);
        m.put("parameters", parameters);
        m.put("non_zero_parameters", nonZeroParameters);
        m.put("weight_parameters", weightParameters);
        m.put("non_zero_weight_parameters", nonZeroWeightParameters);
        m.put("macs", macs);
        m.put("note", note);
        return m;
    }
}
