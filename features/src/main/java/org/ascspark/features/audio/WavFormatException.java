package org.ascspark.features.audio;

/**
 * Thrown by {@link WavDecoder} when a byte array is not a WAV file it can decode: not RIFF/WAVE,
 * truncated, an unsupported encoding, no samples, or non-finite float samples.
 *
 * <p>Unchecked, because a corrupt file is a property of the data, not of the call site: a Spark
 * ingest job catches it per record and writes {@link #reason()} to its rejects table.
 */
public final class WavFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * Creates an exception with a short human-readable reason.
   *
   * @param reason what is wrong with the file, e.g. {@code "no data chunk"}; not null
   */
  public WavFormatException(String reason) {
    super(reason);
    this.reason = reason;
  }

  /**
   * Returns the short human-readable reason the file was rejected, e.g.
   * {@code "truncated: data chunk declares 1323000 bytes but only 1000 follow"}.
   *
   * @return the reason, without the file's name (the caller knows it)
   */
  public String reason() {
    return reason;
  }
}
