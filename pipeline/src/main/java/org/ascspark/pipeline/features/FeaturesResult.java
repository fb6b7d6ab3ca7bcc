package org.ascspark.pipeline.features;

/**
 * Counts of a feature run; {@code clips == clipsWithFeatures + rejects}.
 *
 * @param clips clips of the selected splits read from the clips table
 * @param clipsWithFeatures clips that gave feature rows
 * @param rows feature rows written (one per clip, variant and segment)
 * @param rejects clips that gave none
 * @param out the output folder
 * @param reused whether an existing output with the same hash was reused
 */
public record FeaturesResult(
    long clips, long clipsWithFeatures, long rows, long rejects, String out, boolean reused) {

  /** @return the line the job prints */
  public String summary() {
    return (reused ? "reused " : "")
        + String.format("clips %d = with features %d + rejected %d; %d feature rows -> %s",
            clips, clipsWithFeatures, rejects, rows, out);
  }
}
