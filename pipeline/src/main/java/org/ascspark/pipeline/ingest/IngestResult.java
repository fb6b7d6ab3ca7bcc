package org.ascspark.pipeline.ingest;

/**
 * Counts of an ingest run; {@code listed == clips + rejects} always.
 *
 * @param listed listed items (meta.csv rows plus orphan and repeated fold-file rows)
 * @param clips rows written to {@code clips}
 * @param rejects rows written to {@code rejects}
 * @param metadataRejects rejects found in the CSVs
 * @param audioRejects rejects found reading or decoding audio
 * @param out the output folder
 */
public record IngestResult(
    long listed, long clips, long rejects, long metadataRejects, long audioRejects, String out) {

  /** @return the reconciliation line the job prints */
  public String summary() {
    return String.format("listed %d = ingested %d + rejected %d (%d metadata, %d audio) -> %s",
        listed, clips, rejects, metadataRejects, audioRejects, out);
  }
}
