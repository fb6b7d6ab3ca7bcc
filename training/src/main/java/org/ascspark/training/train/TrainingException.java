package org.ascspark.training.train;

/**
 * A training or evaluation run that cannot start or cannot go on, with a message that says what is
 * wrong and what to do (bad input, not a bug): an empty training split, a label the model never
 * saw, features of another hash, a loss that became NaN.
 */
public class TrainingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong */
  public TrainingException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong
   * @param cause the underlying error
   */
  public TrainingException(String message, Throwable cause) {
    super(message, cause);
  }
}
