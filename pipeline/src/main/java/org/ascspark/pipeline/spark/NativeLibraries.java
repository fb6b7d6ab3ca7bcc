package org.ascspark.pipeline.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Selects ND4J's oneDNN build of libnd4j and DL4J's native layer helpers (STACK.md: 3-4x faster
 * convolution training than the plain build). The project ships both builds of {@code nd4j-native}
 * ({@code linux-x86_64} and {@code linux-x86_64-onednn-avx2}); JavaCPP loads the oneDNN one when the
 * system property {@value #EXTENSION_PROPERTY} is {@value #ONEDNN_EXTENSION} before ND4J first loads,
 * and DL4J creates its helpers only when {@value #HELPERS_PROPERTY} is {@code false}.
 *
 * <p>{@link #configureThisJvm()} sets both properties unless they are already set (an explicit
 * {@code -Dorg.bytedeco.javacpp.platform.extension=} with an empty value keeps the plain build), and
 * only when the oneDNN library is on the class path and the CPU has AVX2 (Linux {@code /proc/cpuinfo});
 * {@link #executorJavaOptions()} gives the same settings for executors started in other JVMs.
 */
public final class NativeLibraries {
  /** JavaCPP's platform extension property. */
  public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
  /** DL4J's switch for native (oneDNN / cuDNN) layer helpers; they are off unless it is false. */
  public static final String HELPERS_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
  /** Extension of the oneDNN build. */
  public static final String ONEDNN_EXTENSION = "-onednn-avx2";
  private static final String ONEDNN_LIBRARY =
      "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn-avx2/libnd4jcpu.so";

  private NativeLibraries() {}

  /** @return whether this JVM can load the oneDNN build (library on the class path, AVX2 CPU) */
  public static boolean oneDnnAvailable() {
    return NativeLibraries.class.getClassLoader().getResource(ONEDNN_LIBRARY) != null && cpuHasAvx2();
  }

  /**
   * Sets {@value #EXTENSION_PROPERTY} and {@value #HELPERS_PROPERTY} for this JVM where not already
   * set. Effective only before ND4J's native library loads; later calls change nothing.
   */
  public static synchronized void configureThisJvm() {
    for (String[] kv : settings()) {
      if (System.getProperty(kv[0]) == null) {
        System.setProperty(kv[0], kv[1]);
      }
    }
  }

  /**
   * @return {@code -D} options for other JVMs (Spark executors) with the settings this JVM uses or
   *     would choose, e.g. {@code -Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2}
   */
  public static List<String> executorJavaOptions() {
    List<String> options = new ArrayList<>();
    for (String[] kv : settings()) {
      options.add("-D" + kv[0] + "=" + System.getProperty(kv[0], kv[1]));
    }
    return options;
  }

  private static List<String[]> settings() {
    List<String[]> s = new ArrayList<>();
    s.add(new String[] {HELPERS_PROPERTY, "false"});
    if (System.getProperty(EXTENSION_PROPERTY) != null || oneDnnAvailable()) {
      s.add(new String[] {EXTENSION_PROPERTY, ONEDNN_EXTENSION});
    }
    return s;
  }

  static boolean cpuHasAvx2() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return false;
    }
    try {
      for (String line : Files.readAllLines(cpuinfo)) {
        if (line.toLowerCase(Locale.ROOT).startsWith("flags")) {
          return (" " + line + " ").contains(" avx2 ");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
