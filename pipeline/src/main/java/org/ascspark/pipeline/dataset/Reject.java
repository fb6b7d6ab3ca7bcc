package org.ascspark.pipeline.dataset;

import java.io.Serializable;

/**
 * A listed file, or a row of a dataset's CSV, that did not become a clip.
 *
 * @param filename the file name as listed (relative to the dataset root), or the raw first field of
 *     a CSV row that could not be parsed
 * @param reason what is wrong, naming the CSV file and line where the problem comes from a CSV
 * @param stage where it was found: {@code metadata} (CSV checks on the driver) or {@code audio}
 *     (reading and decoding on an executor)
 */
public record Reject(String filename, String reason, String stage) implements Serializable {
  /** Stage of problems found in meta.csv or the fold files. */
  public static final String METADATA = "metadata";
  /** Stage of problems found while reading or decoding the audio file. */
  public static final String AUDIO = "audio";
}
