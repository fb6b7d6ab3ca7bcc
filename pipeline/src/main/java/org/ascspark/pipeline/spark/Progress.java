package org.ascspark.pipeline.spark;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the progress of a long Spark stage from the driver every few seconds: items done of the
 * total, rate and ETA. The count comes from an accumulator that tasks add to, so a retried task may
 * make it overshoot briefly; it is for people, never for results.
 */
public final class Progress implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
  private static final long PERIOD_S = 5;

  private final ScheduledExecutorService timer;

  private Progress(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /**
   * @param what name of the work, e.g. {@code ingest}
   * @param unit name of the items, e.g. {@code files}
   * @param done accumulator the tasks add finished items to
   * @param total number of items
   * @return a running reporter; close it when the stage ends
   */
  public static Progress start(String what, String unit, LongAccumulator done, long total) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "asc-progress");
      t.setDaemon(true);
      return t;
    });
    long t0 = System.nanoTime();
    timer.scheduleAtFixedRate(() -> {
      long n = Math.min(done.value(), total);
      double s = (System.nanoTime() - t0) / 1e9;
      double rate = n / Math.max(s, 1e-9);
      String eta = n > 0 ? String.format("%.0f s", (total - n) / rate) : "?";
      LOG.info("{}: {}/{} {} ({}%), {} {}/s, ETA {}", what, n, total, unit,
          total == 0 ? 100 : 100 * n / total, String.format("%.1f", rate), unit, eta);
    }, PERIOD_S, PERIOD_S, TimeUnit.SECONDS);
    return new Progress(timer);
  }

  /** Stops reporting. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
