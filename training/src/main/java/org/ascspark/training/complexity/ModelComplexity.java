package org.ascspark.training.complexity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.ascspark.training.eval.ComplexityRules;

/**
 * Result of {@link ComplexityAnalyzer#analyze}: the per-layer table of a network and its totals, before
 * any duration or precision is chosen. Totals are sums over {@link #layers()}; see
 * {@link ComplexityAnalyzer} for what each count means.
 *
 * @param inputShapes shape of one example of each network input, without the batch dimension, in the
 *                    format of {@link LayerComplexity#outputShape()}
 * @param layers      one row per vertex that is not a network input, in topological order
 */
public record ModelComplexity(List<String> inputShapes, List<LayerComplexity> layers) {

    /** Copies both lists. */
    public ModelComplexity {
        inputShapes = List.copyOf(inputShapes);
        layers = List.copyOf(layers);
    }

    /** @return DL4J's {@code numParams()}: every entry of the parameter vector, BN running statistics included */
    public long rawParameters() {
        return layers.stream().mapToLong(LayerComplexity::rawParameters).sum();
    }

    /** @return {@link #rawParameters()} less BN running mean and variance (PyTorch's parameter count) */
    public long trainableParameters() {
        return layers.stream().mapToLong(LayerComplexity::trainableParameters).sum();
    }

    /** @return parameters of the deployed model with BatchNorm folded: the count the DCASE rules use */
    public long parameters() {
        return layers.stream().mapToLong(LayerComplexity::parameters).sum();
    }

    /** @return of {@link #parameters()}, those that are not zero after folding (float32) */
    public long nonZeroParameters() {
        return layers.stream().mapToLong(LayerComplexity::nonZeroParameters).sum();
    }

    /** @return of {@link #parameters()}, the kernel weights of convolutions and dense layers (and other weights) */
    public long weightParameters() {
        return layers.stream().mapToLong(LayerComplexity::weightParameters).sum();
    }

    /** @return of {@link #weightParameters()}, the non-zero ones */
    public long nonZeroWeightParameters() {
        return layers.stream().mapToLong(LayerComplexity::nonZeroWeightParameters).sum();
    }

    /** @return biases and BN scale/shift: {@code parameters() - weightParameters()} */
    public long biasParameters() {
        return parameters() - weightParameters();
    }

    /** @return of {@link #biasParameters()}, the non-zero ones */
    public long nonZeroBiasParameters() {
        return nonZeroParameters() - nonZeroWeightParameters();
    }

    /** @return multiply-accumulates for one forward pass on one input */
    public long macsPerInference() {
        return layers.stream().mapToLong(LayerComplexity::macs).sum();
    }

    /**
     * The counts as {@link ComplexityRules} takes them, every parameter stored at one precision.
     *
     * @param inputSeconds     audio duration of one network input, s (&gt; 0)
     * @param clipSeconds      audio duration of one evaluation clip, s (&gt; 0)
     * @param bitsPerParameter stored precision, e.g. 32, 16, 8
     * @return the input of {@link ComplexityRules#evaluate}
     */
    public ComplexityRules.Input rulesInput(double inputSeconds, double clipSeconds, int bitsPerParameter) {
        return ComplexityRules.Input.uniform(parameters(), nonZeroParameters(), macsPerInference(), inputSeconds,
                clipSeconds, bitsPerParameter);
    }

    /**
     * The counts as {@link ComplexityRules} takes them, with weights and biases at different precisions
     * (for example INT8 weights with 32-bit biases, as TFLite's full-integer quantisation stores them).
     *
     * @param inputSeconds audio duration of one network input, s (&gt; 0)
     * @param clipSeconds  audio duration of one evaluation clip, s (&gt; 0)
     * @param weightBits   bits per kernel weight
     * @param biasBits     bits per bias and BN scale/shift
     * @return the input of {@link ComplexityRules#evaluate}
     */
    public ComplexityRules.Input rulesInputMixed(double inputSeconds, double clipSeconds, int weightBits,
                                                 int biasBits) {
        Map<Integer, Long> byBits = new TreeMap<>();
        byBits.merge(weightBits, nonZeroWeightParameters(), Long::sum);
        byBits.merge(biasBits, nonZeroBiasParameters(), Long::sum);
        return ComplexityRules.Input.mixed(parameters(), nonZeroParameters(), macsPerInference(), inputSeconds,
                clipSeconds, byBits);
    }

    /**
     * Plain-value view for JSON, snake_case keys in a fixed order.
     *
     * @return a new mutable map with the totals and the per-layer rows
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input_shapes", new ArrayList<>(inputShapes));
        m.put("raw_parameters", rawParameters());
        m.put("trainable_parameters", trainableParameters());
        m.put("parameters", parameters());
        m.put("non_zero_parameters", nonZeroParameters());
        m.put("weight_parameters", weightParameters());
        m.put("non_zero_weight_parameters", nonZeroWeightParameters());
        m.put("bias_parameters", biasParameters());
        m.put("non_zero_bias_parameters", nonZeroBiasParameters());
        m.put("macs_per_inference", macsPerInference());
        List<Object> rows = new ArrayList<>(layers.size());
        for (LayerComplexity l : layers) {
            rows.add(l.toMap());
        }
        m.put("layers", rows);
        return m;
    }
}
