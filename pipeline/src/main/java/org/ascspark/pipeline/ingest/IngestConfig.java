package org.ascspark.pipeline.ingest;

import java.io.Serializable;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.JobConfig;

/**
 * Settings of the ingest job ({@code conf/ingest.conf}, section {@code ingest}).
 *
 * @param dataset dataset root (local path or Hadoop URI)
 * @param out output folder
 * @param sampleRateHz rate every clip is resampled to
 * @param fold fold number of the evaluation_setup files
 * @param referenceDevice device the others are aligned to
 * @param maxFileBytes files larger than this are rejected unread
 * @param maxDurationS clips longer than this are rejected
 * @param partitions Spark partitions for decoding, 0 = four per core
 */
public record IngestConfig(
    String dataset,
    String out,
    int sampleRateHz,
    int fold,
    String referenceDevice,
    long maxFileBytes,
    double maxDurationS,
    int partitions) implements Serializable {

  /**
   * @param config the loaded job config
   * @return the validated settings
   * @throws org.ascspark.pipeline.config.InvalidConfigException naming the first bad key
   */
  public static IngestConfig from(JobConfig config) {
    ConfigReader r = config.reader();
    return new IngestConfig(
        r.string("dataset"),
        r.string("out"),
        r.intIn("sample-rate-hz", 1000, 768_000),
        r.intIn("fold", 1, 99),
        r.string("reference-device"),
        r.longIn("max-file-mib", 1, 1L << 20) << 20,
        r.doubleAbove("max-duration-s", 0, 86_400),
        r.intIn("partitions", 0, 1_000_000));
  }
}
