package org.ascspark.training.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Model size and compute accounting and the DCASE low-complexity checks (SPEC.md §7, issue 5 item 4).
 * Plain arithmetic on counts that the model factories report (parameters after BatchNorm folding).
 *
 * <h2>Units</h2>
 * <ul>
 *   <li><b>KB = 1024 bytes</b> (binary kilobyte, as the DCASE task 1 pages use it: the 2021 limit of
 *       "128 KB" is 32,768 float32 or 65,536 float16 parameters). Check: the valeo SP4ASC report
 *       (DCASE 2021 technical report) gives 62,474 parameters in float16 as "122 KB":
 *       62,474 x 2 = 124,948 bytes = 122.02 KB with 1024, whereas 1000 would give 124.9.</li>
 *   <li>Size at b bits per parameter = count x b / 8 bytes (no container or format overhead).</li>
 *   <li><b>M = 10^6</b> for MACs (multiply-accumulate operations).</li>
 *   <li><b>MACs per 1 s</b> = macsPerInference / inputSeconds and <b>MACs per clip</b> =
 *       macsPerInference x clipSeconds / inputSeconds: the clip is processed as clipSeconds /
 *       inputSeconds non-overlapping inferences, and compute is taken as linear in input duration
 *       (exact for the convolutional body; global pooling and the classifier head make it a slight
 *       over-estimate when inputSeconds &gt; 1). For an exact 2022 check measure the model at a 1 s
 *       input, where macsPer1s == macsPerInference.</li>
 * </ul>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>DCASE 2021 Task 1a</b>: non-zero parameters at their stored precision must fit in
 *       {@value #DCASE2021_MAX_KB} KB = 1,048,576 bits (task page; also the Martín-Morató et al.
 *       DCASE 2021 task analysis paper). Zero-valued parameters are not counted. No MAC limit.</li>
 *   <li><b>DCASE 2022 Task 1</b> (SPEC.md's "2022+"): at most {@value #DCASE2022_MAX_PARAMS}
 *       parameters = 128 K = 128 KB at INT8, <em>including zero-valued ones</em>, and at most
 *       {@value #DCASE2022_MAX_MACS} MACs for one inference on a 1 s segment (Martín-Morató et al.,
 *       "Low-complexity acoustic scene classification in DCASE 2022 Challenge", arXiv:2206.03835:
 *       "maximum number of allowed parameters, including the zero-valued ones, was 128 K ... INT8 ...
 *       maximum number of multiply-accumulate operations at inference time was 30 million"). The
 *       parameter count is checked independently of the stored precision (everything counts as 8 bits).</li>
 * </ul>
 */
public final class ComplexityRules {

    /** Bytes per KB: the binary kilobyte. */
    public static final int BYTES_PER_KB = 1024;
    /** DCASE 2021 Task 1a: limit on non-zero parameters at stored precision, in KB (1024 bytes). */
    public static final int DCASE2021_MAX_KB = 128;
    /** DCASE 2021 Task 1a limit in bits: 128 x 1024 x 8. */
    public static final long DCASE2021_MAX_BITS = (long) DCASE2021_MAX_KB * BYTES_PER_KB * 8;
    /** DCASE 2022 Task 1: maximum parameter count, zeros included (128 K = 128 x 1024, i.e. 128 KB at INT8). */
    public static final long DCASE2022_MAX_PARAMS = 128L * 1024;
    /** DCASE 2022 Task 1: maximum MACs per inference of a 1 s segment (30 M, M = 10^6). */
    public static final long DCASE2022_MAX_MACS = 30_000_000L;

    private ComplexityRules() {
    }

    /**
     * What a model reports about itself.
     *
     * @param parameters         all parameters after BatchNorm folding (&ge; 0)
     * @param nonZeroParameters  parameters whose value is not zero (0 &le; nonZero &le; parameters)
     * @param macsPerInference   multiply-accumulates for one forward pass on one input (&ge; 0)
     * @param inputSeconds       audio duration of one input, seconds (&gt; 0)
     * @param clipSeconds        audio duration of one evaluation clip, seconds (&gt; 0; 10 for TAU 2020
     *                           Mobile, 1 for TAU 2022 Mobile)
     * @param nonZeroCountByBits stored precision: number of non-zero parameters per bit width (bits in
     *                           [1, 64], counts &ge; 0, summing to nonZeroParameters); ascending by bits
     */
    public record Input(long parameters, long nonZeroParameters, long macsPerInference, double inputSeconds,
                        double clipSeconds, SortedMap<Integer, Long> nonZeroCountByBits) {

        /** Validates every field and copies the map. */
        public Input {
            Objects.requireNonNull(nonZeroCountByBits, "nonZeroCountByBits");
            if (parameters < 0) {
                throw new IllegalArgumentException("parameters must be >= 0, got " + parameters);
            }
            if (nonZeroParameters < 0 || nonZeroParameters > parameters) {
                throw new IllegalArgumentException("nonZeroParameters must be in [0, parameters=" + parameters
                        + "], got " + nonZeroParameters);
            }
            if (macsPerInference < 0) {
                throw new IllegalArgumentException("macsPerInference must be >= 0, got " + macsPerInference);
            }
            if (!(inputSeconds > 0) || Double.isInfinite(inputSeconds)) {
                throw new IllegalArgumentException("inputSeconds must be finite and > 0, got " + inputSeconds);
            }
            if (!(clipSeconds > 0) || Double.isInfinite(clipSeconds)) {
                throw new IllegalArgumentException("clipSeconds must be finite and > 0, got " + clipSeconds);
            }
            long sum = 0;
            for (Map.Entry<Integer, Long> e : nonZeroCountByBits.entrySet()) {
                Integer bits = e.getKey();
                Long count = e.getValue();
                if (bits == null || bits < 1 || bits > 64) {
                    throw new IllegalArgumentException("bit width must be in [1, 64], got " + bits);
                }
                if (count == null || count < 0) {
                    throw new IllegalArgumentException("parameter count for " + bits + " bits must be >= 0, got "
                            + count);
                }
                sum += count;
            }
            if (sum != nonZeroParameters) {
                throw new IllegalArgumentException("counts per bit width " + nonZeroCountByBits + " sum to " + sum
                        + ", not nonZeroParameters=" + nonZeroParameters);
            }
            nonZeroCountByBits = Collections.unmodifiableSortedMap(new TreeMap<>(nonZeroCountByBits));
        }

        /**
         * Every parameter stored at one precision.
         *
         * @param parameters        all parameters
         * @param nonZeroParameters non-zero parameters
         * @param macsPerInference  MACs per forward pass
         * @param inputSeconds      input duration, s
         * @param clipSeconds       clip duration, s
         * @param bitsPerParameter  stored precision, e.g. 32, 16, 8
         * @return the input
         */
        public static Input uniform(long parameters, long nonZeroParameters, long macsPerInference,
                                    double inputSeconds, double clipSeconds, int bitsPerParameter) {
            return new Input(parameters, nonZeroParameters, macsPerInference, inputSeconds, clipSeconds,
                    new TreeMap<>(Map.of(bitsPerParameter, nonZeroParameters)));
        }

        /**
         * Mixed precision.
         *
         * @param parameters         all parameters
         * @param nonZeroParameters  non-zero parameters
         * @param macsPerInference   MACs per forward pass
         * @param inputSeconds       input duration, s
         * @param clipSeconds        clip duration, s
         * @param nonZeroCountByBits non-zero parameter count per bit width, e.g. {8: 60000, 32: 1200}
         * @return the input
         */
        public static Input mixed(long parameters, long nonZeroParameters, long macsPerInference,
                                  double inputSeconds, double clipSeconds, Map<Integer, Long> nonZeroCountByBits) {
            return new Input(parameters, nonZeroParameters, macsPerInference, inputSeconds, clipSeconds,
                    new TreeMap<>(nonZeroCountByBits));
        }
    }

    /**
     * Outcome of one rule.
     *
     * @param rule    rule name, e.g. "DCASE 2021 Task 1a"
     * @param pass    whether every limit of the rule is met
     * @param reasons one human-readable sentence per limit exceeded; empty when passing
     */
    public record RuleCheck(String rule, boolean pass, List<String> reasons) {
        /** Copies the reasons. */
        public RuleCheck {
            reasons = List.copyOf(reasons);
        }

        /** @return the reasons joined by "; ", or "" when passing */
        public String reason() {
            return String.join("; ", reasons);
        }
    }

    /**
     * Every number of the complexity report.
     *
     * @param input                the counts it was computed from
     * @param macsPer1s            MACs per 1 s of audio (see class doc)
     * @param macsPerClip          MACs per clip of clipSeconds
     * @param sizeKbFp32           all parameters at 32 bits, KB
     * @param sizeKbFp16           all parameters at 16 bits, KB
     * @param sizeKbInt8           all parameters at 8 bits, KB
     * @param nonZeroSizeKbFp32    non-zero parameters at 32 bits, KB
     * @param nonZeroSizeKbFp16    non-zero parameters at 16 bits, KB
     * @param nonZeroSizeKbInt8    non-zero parameters at 8 bits, KB
     * @param nonZeroSizeBitsStored non-zero parameters at their stored precision, bits
     * @param nonZeroSizeKbStored  the same in KB: the DCASE 2021 measure
     * @param dcase2021            DCASE 2021 Task 1a check
     * @param dcase2022            DCASE 2022 Task 1 check
     */
    public record Report(Input input, double macsPer1s, double macsPerClip,
                         double sizeKbFp32, double sizeKbFp16, double sizeKbInt8,
                         double nonZeroSizeKbFp32, double nonZeroSizeKbFp16, double nonZeroSizeKbInt8,
                         long nonZeroSizeBitsStored, double nonZeroSizeKbStored,
                         RuleCheck dcase2021, RuleCheck dcase2022) {

        /**
         * Plain-value view for JSON, snake_case keys in a fixed order; sizes in KB (1024 bytes).
         *
         * @return a new mutable map
         */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("parameters", input.parameters());
            m.put("non_zero_parameters", input.nonZeroParameters());
            Map<String, Object> bits = new java.util.LinkedHashMap<>();
            input.nonZeroCountByBits().forEach((b, c) -> bits.put(Integer.toString(b), c));
            m.put("non_zero_parameters_by_bits", bits);
            m.put("macs_per_inference", input.macsPerInference());
            m.put("input_seconds", input.inputSeconds());
            m.put("clip_seconds", input.clipSeconds());
            m.put("macs_per_1s", macsPer1s);
            m.put("macs_per_clip", macsPerClip);
            m.put("kb_bytes", BYTES_PER_KB);
            m.put("size_kb_fp32", sizeKbFp32);
            m.put("size_kb_fp16", sizeKbFp16);
            m.put("size_kb_int8", sizeKbInt8);
            m.put("non_zero_size_kb_fp32", nonZeroSizeKbFp32);
            m.put("non_zero_size_kb_fp16", nonZeroSizeKbFp16);
            m.put("non_zero_size_kb_int8", nonZeroSizeKbInt8);
            m.put("non_zero_size_kb_stored", nonZeroSizeKbStored);
            for (RuleCheck r : List.of(dcase2021, dcase2022)) {
                Map<String, Object> e = new java.util.LinkedHashMap<>();
                e.put("pass", r.pass());
                e.put("reasons", new ArrayList<>(r.reasons()));
                m.put(r.rule(), e);
            }
            return m;
        }
    }

    /**
     * Size of a number of parameters at a precision.
     *
     * @param count            parameters
     * @param bitsPerParameter bits each
     * @return size in KB (1024 bytes)
     */
    public static double sizeKb(long count, int bitsPerParameter) {
        return count * (double) bitsPerParameter / 8.0 / BYTES_PER_KB;
    }

    /**
     * Computes the report and both rule checks.
     *
     * @param in the model's counts
     * @return the report
     */
    public static Report evaluate(Input in) {
        Objects.requireNonNull(in, "input");
        long storedBits = 0;
        for (Map.Entry<Integer, Long> e : in.nonZeroCountByBits().entrySet()) {
            storedBits = Math.addExact(storedBits, Math.multiplyExact((long) e.getKey(), e.getValue()));
        }
        double storedKb = storedBits / 8.0 / BYTES_PER_KB;
        double macsPer1s = in.macsPerInference() / in.inputSeconds();
        double macsPerClip = in.macsPerInference() * (in.clipSeconds() / in.inputSeconds());

        List<String> r21 = new ArrayList<>();
        if (storedBits > DCASE2021_MAX_BITS) {
            r21.add(String.format(Locale.ROOT,
                    "non-zero parameters take %.2f KB at their stored precision %s (%d bytes), over the limit of"
                            + " %d KB = %d bytes (KB = 1024 bytes)",
                    storedKb, in.nonZeroCountByBits(), (storedBits + 7) / 8, DCASE2021_MAX_KB,
                    DCASE2021_MAX_BITS / 8));
        }
        List<String> r22 = new ArrayList<>();
        if (in.parameters() > DCASE2022_MAX_PARAMS) {
            r22.add(String.format(Locale.ROOT,
                    "%d parameters (zeros included), over the limit of %d = 128 K parameters (128 KB at INT8)",
                    in.parameters(), DCASE2022_MAX_PARAMS));
        }
        if (macsPer1s > DCASE2022_MAX_MACS) {
            r22.add(String.format(Locale.ROOT,
                    "%.0f MACs per inference on 1 s of audio (%.3f M), over the limit of %d (30 M)",
                    macsPer1s, macsPer1s / 1e6, DCASE2022_MAX_MACS));
        }
        return new Report(in, macsPer1s, macsPerClip,
                sizeKb(in.parameters(), 32), sizeKb(in.parameters(), 16), sizeKb(in.parameters(), 8),
                sizeKb(in.nonZeroParameters(), 32), sizeKb(in.nonZeroParameters(), 16),
                sizeKb(in.nonZeroParameters(), 8),
                storedBits, storedKb,
                new RuleCheck("DCASE 2021 Task 1a", r21.isEmpty(), r21),
                new RuleCheck("DCASE 2022 Task 1", r22.isEmpty(), r22));
    }
}
