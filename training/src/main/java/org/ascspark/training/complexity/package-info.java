/**
 * Model complexity of DL4J networks as the DCASE low-complexity rules count it (SPEC.md §7): parameters
 * with BatchNorm folded, non-zero parameters, MACs per inference, per 1 s and per clip, sizes at
 * fp32/fp16/int8/mixed precision and the DCASE 2021 and 2022+ verdicts.
 *
 * <p>{@link org.ascspark.training.complexity.ComplexityAnalyzer} walks an initialised
 * {@code ComputationGraph} and fills a per-layer table ({@link org.ascspark.training.complexity.ModelComplexity});
 * its class documentation states every counting convention. {@link org.ascspark.training.complexity.ComplexityReport}
 * adds durations, precision and the rule checks of {@link org.ascspark.training.eval.ComplexityRules};
 * {@link org.ascspark.training.complexity.ComplexityJson} and
 * {@link org.ascspark.training.complexity.ComplexityTable} render it.
 */
package org.ascspark.training.complexity;
