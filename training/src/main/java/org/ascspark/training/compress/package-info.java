/**
 * Model compression for the DCASE low-complexity limits (SPEC.md §8; issue 6 item 5): BatchNorm folding
 * ({@link org.ascspark.training.compress.BatchNormFolding}), fp16 export, int8 post-training quantisation
 * and quantisation-aware training ({@link org.ascspark.training.compress.Quantization}, activation
 * fake quantisation by {@link org.ascspark.training.nn.FakeQuantVertex}) and one-shot magnitude pruning
 * ({@link org.ascspark.training.compress.Pruning}). {@link org.ascspark.training.compress.Compressor} is
 * the {@code ./asc compress} job: it applies each configured method to a trained model, evaluates every
 * result next to the original and counts its size as SPEC.md §7 does
 * ({@link org.ascspark.training.compress.CompressionReport}).
 */
package org.ascspark.training.compress;
