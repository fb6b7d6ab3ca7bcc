package org.ascspark.pipeline.config;

/**
 * A configuration value that is missing, malformed or out of range. The message always names the
 * full key and the offending value, so a user can fix it without reading code; jobs throw it before
 * any work starts.
 */
public final class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * @param key full dotted key, e.g. {@code ingest.sample-rate-hz}
   * @param message what is wrong, including the value
   */
  public InvalidConfigException(String key, String message) {
    super("invalid config " + key + ": " + message);
    this.key = key;
  }

  /** @return the full dotted key that is wrong */
  public String key() {
    return key;
  }
}
