/**
 * Human-readable outputs of an evaluation (SPEC.md §10): PNG plots drawn headless with Java2D
 * ({@link org.ascspark.training.report.Plots}), the training history file
 * ({@link org.ascspark.training.report.EpochRecord}, {@code history.csv}) and a self-contained HTML page
 * ({@link org.ascspark.training.report.HtmlReport}). No dependency beyond the JDK.
 */
package org.ascspark.training.report;
