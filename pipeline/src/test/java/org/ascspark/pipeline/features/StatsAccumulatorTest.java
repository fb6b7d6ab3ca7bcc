package org.ascspark.pipeline.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StatsAccumulatorTest {
  /** An accumulator holding the sums of one row [[value, 2 value]] in the given partition. */
  static StatsAccumulator partition(int p, float value) {
    FeatureRow r = new FeatureRow();
    r.setClipId("c" + p);
    r.setChannels(1);
    r.setBins(2);
    r.setFrames(1);
    r.setValues(new float[] {value, 2 * value});
    StatsAccumulator a = new StatsAccumulator();
    a.add(p, r);
    return a;
  }

  @Test
  void valueIsASnapshotThatLaterMergesDoNotChange() {
    StatsAccumulator driver = partition(0, 1f);
    TreeMap<Integer, NormStats.Sums> seen = driver.value();
    driver.merge(partition(1, 3f));
    assertEquals(1, seen.size(), "the earlier value is unchanged");
    assertEquals(2, driver.value().size());
    NormStats stats = NormStats.of(driver.total());
    assertEquals(2.0, stats.mean()[0][0], 1e-12);
    assertEquals(4.0, stats.mean()[0][1], 1e-12);
  }

  @Test
  void printingTheValueWhileMergingIsSafe() throws InterruptedException {
    // Spark's status listener prints accumulator values on its thread while the scheduler merges.
    StatsAccumulator driver = new StatsAccumulator();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread printer = new Thread(() -> {
      try {
        for (int i = 0; i < 20_000; i++) {
          driver.value().toString();
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    printer.start();
    for (int p = 0; p < 2_000; p++) {
      driver.merge(partition(p, p));
    }
    printer.join();
    assertNull(failure.get(), () -> "printing failed: " + failure.get());
    assertEquals(2_000, driver.value().size());
  }
}
