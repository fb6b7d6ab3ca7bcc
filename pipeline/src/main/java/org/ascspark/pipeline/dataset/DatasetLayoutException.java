package org.ascspark.pipeline.dataset;

/**
 * A dataset that cannot be read at all (missing meta.csv, a header that is not the TAU layout, a
 * missing fold file). The message names the file, and the line where there is one.
 */
public final class DatasetLayoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong, naming the file (and line) */
  public DatasetLayoutException(String message) {
    super(message);
  }
}
