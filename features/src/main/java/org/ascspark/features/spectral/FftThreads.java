package org.ascspark.features.spectral;

import org.visnow.jlargearrays.ConcurrencyUtils;

/**
 * JTransforms splits FFTs of 8192 points or more over a global thread pool (one thread per core by
 * default). Where the caller already runs one task per core (Spark executors), that pool only
 * oversubscribes the cores; this switches it off. The setting is JVM-wide.
 */
public final class FftThreads {
  private FftThreads() {}

  /** Makes every JTransforms FFT in this JVM run on its caller's thread. */
  public static void oneThreadPerTask() {
    if (ConcurrencyUtils.getNumberOfThreads() != 1) {
      ConcurrencyUtils.setNumberOfThreads(1);
    }
  }
}
