package org.ascspark.training.complexity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.ascspark.training.eval.ComplexityRules;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The full complexity report SPEC.md §7 asks for: the per-layer table ({@link ModelComplexity}) with the
 * numbers of {@link ComplexityRules.Report}: parameters and non-zero parameters with BatchNorm folded,
 * MACs per inference, per 1 s and per clip, sizes in KB (1024 bytes) at fp32/fp16/int8, and pass/fail
 * against the DCASE 2021 (128 KB of non-zero parameters at the stored precision) and 2022+ (128 K
 * parameters, 30 M MACs per 1 s) rules. Units and rule texts are those of {@link ComplexityRules}.
 *
 * @param model     the per-layer counts
 * @param precision how the parameters are taken to be stored for the DCASE 2021 check, e.g. "fp32",
 *                  "fp16", "int8", "mixed: weights 8 bit, biases 32 bit"
 * @param rules     sizes, MACs per duration and rule checks computed from the model's counts
 */
public record ComplexityReport(ModelComplexity model, String precision, ComplexityRules.Report rules) {

    /** Checks that no field is null. */
    public ComplexityReport {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(rules, "rules");
    }

    /**
     * Analyses a graph and reports it at fp32.
     *
     * @param net          an initialised graph
     * @param inputSeconds audio duration of one network input, s (&gt; 0)
     * @param clipSeconds  audio duration of one evaluation clip, s (&gt; 0; 10 for TAU 2020 Mobile, 1 for
     *                     TAU 2022 Mobile)
     * @param inputTypes   type of one example of each network input
     * @return the report
     */
    public static ComplexityReport analyze(ComputationGraph net, double inputSeconds, double clipSeconds,
                                           InputType... inputTypes) {
        return of(ComplexityAnalyzer.analyze(net, inputTypes), inputSeconds, clipSeconds);
    }

    /**
     * Report with every parameter stored as float32.
     *
     * @param model        the counts
     * @param inputSeconds audio duration of one network input, s (&gt; 0)
     * @param clipSeconds  audio duration of one evaluation clip, s (&gt; 0)
     * @return the report
     */
    public static ComplexityReport of(ModelComplexity model, double inputSeconds, double clipSeconds) {
        return of(model, inputSeconds, clipSeconds, 32);
    }

    /**
     * Report with every parameter stored at one precision.
     *
     * @param model            the counts
     * @param inputSeconds     audio duration of one network input, s (&gt; 0)
     * @param clipSeconds      audio duration of one evaluation clip, s (&gt; 0)
     * @param bitsPerParameter stored precision: 32 is reported as "fp32", 16 as "fp16", 8 as "int8"
     * @return the report
     */
    public static ComplexityReport of(ModelComplexity model, double inputSeconds, double clipSeconds,
                                      int bitsPerParameter) {
        Objects.requireNonNull(model, "model");
        String label = switch (bitsPerParameter) {
            case 32 -> "fp32";
            case 16 -> "fp16";
            case 8 -> "int8";
            default -> bitsPerParameter + " bit";
        };
        return new ComplexityReport(model, label,
                ComplexityRules.evaluate(model.rulesInput(inputSeconds, clipSeconds, bitsPerParameter)));
    }

    /**
     * Report with kernel weights and biases (BN scale/shift included) stored at different precisions.
     *
     * @param model        the counts
     * @param inputSeconds audio duration of one network input, s (&gt; 0)
     * @param clipSeconds  audio duration of one evaluation clip, s (&gt; 0)
     * @param weightBits   bits per kernel weight
     * @param biasBits     bits per bias
     * @return the report
     */
    public static ComplexityReport mixed(ModelComplexity model, double inputSeconds, double clipSeconds,
                                         int weightBits, int biasBits) {
        Objects.requireNonNull(model, "model");
        return new ComplexityReport(model, "mixed: weights " + weightBits + " bit, biases " + biasBits + " bit",
                ComplexityRules.evaluate(model.rulesInputMixed(inputSeconds, clipSeconds, weightBits, biasBits)));
    }

    /** @return deployed parameters, BN folded */
    public long parameters() {
        return rules.input().parameters();
    }

    /** @return non-zero deployed parameters */
    public long nonZeroParameters() {
        return rules.input().nonZeroParameters();
    }

    /** @return MACs for one inference on one input */
    public long macsPerInference() {
        return rules.input().macsPerInference();
    }

    /** @return whether the DCASE 2021 Task 1a rule passes at the stored precision */
    public boolean passesDcase2021() {
        return rules.dcase2021().pass();
    }

    /** @return whether the DCASE 2022 Task 1 rule passes */
    public boolean passesDcase2022() {
        return rules.dcase2022().pass();
    }

    /** @return both rule checks, 2021 first */
    public List<ComplexityRules.RuleCheck> checks() {
        return List.of(rules.dcase2021(), rules.dcase2022());
    }

    /**
     * Plain-value view for JSON, snake_case keys in a fixed order: {@code precision},
     * {@code input_shapes}, {@code summary}
     * (as {@link ComplexityRules.Report#toMap()}, plus raw and trainable counts), {@code conventions}
     * and {@code layers}.
     *
     * @return a new mutable map
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", precision);
        m.put("input_shapes", new java.util.ArrayList<>(model.inputShapes()));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("raw_parameters", model.rawParameters());
        summary.put("trainable_parameters", model.trainableParameters());
        summary.putAll(rules.toMap());
        m.put("summary", summary);
        Map<String, Object> conv = new LinkedHashMap<>();
        conv.put("parameters", "deployed model, BatchNorm folded into a preceding identity-activation"
                + " conv/depthwise/separable/dense layer it alone consumes; other BNs count 2 per channel");
        conv.put("non_zero", "value after folding, rounded to float32, not equal to 0");
        conv.put("macs", "conv and dense kernels only, batch size 1; bias, BN, activation, pooling and"
                + " element-wise operations count 0");
        conv.put("kb", "1024 bytes");
        m.put("conventions", conv);
        m.put("layers", model.toMap().get("layers"));
        return m;
    }

    /** @return {@link ComplexityJson#render(ComplexityReport)} of this report */
    public String toJson() {
        return ComplexityJson.render(this);
    }

    /** @return {@link ComplexityTable#render(ComplexityReport)} of this report */
    public String toText() {
        return ComplexityTable.render(this);
    }
}
