package org.ascspark.pipeline.spark;

/** How many Spark partitions a per-record job uses when the config says 0 (automatic). */
public final class Partitioning {
  /** Most records per task in automatic mode: progress stays visible and a retry redoes little. */
  public static final int MAX_RECORDS_PER_TASK = 50;

  private Partitioning() {}

  /**
   * @param records number of records (files, clips)
   * @param cores the session's default parallelism
   * @return at least four partitions per core and at most ~50 records per task, never more
   *     partitions than records, at least one
   */
  public static int auto(long records, int cores) {
    long byRecords = (records + MAX_RECORDS_PER_TASK - 1) / MAX_RECORDS_PER_TASK;
    long n = Math.min(records, Math.max(4L * cores, byRecords));
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, n));
  }
}
