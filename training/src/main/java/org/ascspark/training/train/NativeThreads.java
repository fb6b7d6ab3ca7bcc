package org.ascspark.training.train;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps ND4J's native threads (OpenMP and BLAS) in this JVM. Spark already runs one task per core;
 * when every task's ND4J also starts one OpenMP thread per core, the threads oversubscribe the cores
 * and their spin-waits slow training by an order of magnitude (measured: 3 instead of 100 samples/s
 * for bcresnet-asc on 2 cores). Workers therefore call {@link #limit} before fitting.
 */
public final class NativeThreads {
  private static final Logger LOG = LoggerFactory.getLogger(NativeThreads.class);
  private static volatile int current = -1;

  private NativeThreads() {}

  /**
   * Sets ND4J's native thread count for this JVM (idempotent; cheap after the first call).
   *
   * @param threads threads per task, at least 1
   */
  public static void limit(int threads) {
    if (current == threads) {
      return;
    }
    synchronized (NativeThreads.class) {
      if (current != threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        current = threads;
        LOG.info("ND4J native threads set to {}", threads);
      }
    }
  }
}
