package org.ascspark.pipeline.ingest;

import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ascspark.pipeline.dataset.ListedClip;
import org.ascspark.pipeline.dataset.Reject;
import org.ascspark.pipeline.io.Float32Bytes;

/**
 * What became of one listed file on an executor: a decoded clip or a reject, never both.
 *
 * @param clip the listing entry
 * @param samples mono samples at the target rate, or null for a reject
 * @param sampleRateHz target rate
 * @param sourceSampleRateHz the file's own rate (0 for a reject)
 * @param sourceChannels the file's channel count (0 for a reject)
 * @param sourceEncoding the file's encoding, e.g. {@code pcm24} (empty for a reject)
 * @param rejectReason why it is rejected, or null for a clip
 */
public record IngestOutcome(
    ListedClip clip,
    float[] samples,
    int sampleRateHz,
    int sourceSampleRateHz,
    int sourceChannels,
    String sourceEncoding,
    String rejectReason) implements Serializable {

  /** @return whether this is a decoded clip */
  public boolean isClip() {
    return rejectReason == null;
  }

  /** @return the row of the {@code clips} table ({@link IngestSchemas#CLIPS}) */
  public Row toClipRow() {
    ListedClip c = clip;
    return RowFactory.create(c.clipId(), c.filename(), c.sceneLabel(), c.device(), c.city(),
        c.identifier(), c.split(), c.inTest(), c.pairKey(), c.referenceFilename(), sampleRateHz,
        samples.length, samples.length / (double) sampleRateHz, sourceSampleRateHz, sourceChannels,
        sourceEncoding, Float32Bytes.encode(samples));
  }

  /** @return the reject of a failed file */
  public Reject toReject() {
    return new Reject(clip.filename(), rejectReason, Reject.AUDIO);
  }
}
