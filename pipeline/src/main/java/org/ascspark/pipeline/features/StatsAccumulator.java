package org.ascspark.pipeline.features;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.TaskContext;
import org.apache.spark.util.AccumulatorV2;

/**
 * Per-(channel, bin) sums of the statistics split's feature rows, gathered while the rows are
 * written, so the statistics need no second pass over the output.
 *
 * <p>Exactly once: the rows are produced inside the write's result tasks, whose accumulator updates
 * Spark applies once per partition (a failed or retried attempt's updates are dropped).
 * Deterministic: sums are kept per partition and combined in partition order by {@link #total()},
 * so floating-point rounding does not depend on which task finished first.
 */
public final class StatsAccumulator extends AccumulatorV2<FeatureRow, TreeMap<Integer, NormStats.Sums>> {
  private static final long serialVersionUID = 1L;

  private TreeMap<Integer, NormStats.Sums> byPartition = new TreeMap<>();

  @Override
  public boolean isZero() {
    return byPartition.isEmpty();
  }

  @Override
  public AccumulatorV2<FeatureRow, TreeMap<Integer, NormStats.Sums>> copy() {
    StatsAccumulator c = new StatsAccumulator();
    byPartition.forEach((k, v) -> c.byPartition.put(k, v.copy()));
    return c;
  }

  @Override
  public void reset() {
    byPartition = new TreeMap<>();
  }

  @Override
  public void add(FeatureRow r) {
    TaskContext tc = TaskContext.get();
    add(tc == null ? -1 : tc.partitionId(), r);
  }

  /** Adds a row to the sums of a partition. */
  void add(int partition, FeatureRow r) {
    byPartition.computeIfAbsent(partition, k -> new NormStats.Sums()).add(new NormStats.Shaped(
        r.getClipId(), r.getChannels(), r.getBins(), r.getFrames(), r.getValues()));
  }

  @Override
  public synchronized void merge(AccumulatorV2<FeatureRow, TreeMap<Integer, NormStats.Sums>> other) {
    for (Map.Entry<Integer, NormStats.Sums> e : other.value().entrySet()) {
      byPartition.merge(e.getKey(), e.getValue().copy(), NormStats.Sums::merge);
    }
  }

  /**
   * A copy of the map: Spark's status listener prints an accumulator's value on its own thread
   * while the scheduler merges task results into it, which threw ConcurrentModificationException
   * when it was the live map.
   */
  @Override
  public synchronized TreeMap<Integer, NormStats.Sums> value() {
    return new TreeMap<>(byPartition);
  }

  /** @return the sums of all partitions, added in partition order */
  public NormStats.Sums total() {
    NormStats.Sums t = new NormStats.Sums();
    for (NormStats.Sums s : byPartition.values()) {
      t = t.merge(s.copy());
    }
    return t;
  }
}
