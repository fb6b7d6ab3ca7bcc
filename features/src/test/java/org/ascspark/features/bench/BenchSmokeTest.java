package org.ascspark.features.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.ascspark.features.spectral.cqt.GammatoneCqtBench;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every benchmark main runs (one iteration, no warm-up) and prints its results: a broken benchmark
 * is found by the tests, not when someone next needs numbers. Times are not asserted.
 */
class BenchSmokeTest {

  interface Main {
    void run() throws Exception;
  }

  static synchronized String output(Main main) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      main.run();
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void logMelBenchRuns(@TempDir Path tmp) throws Exception {
    String out = output(() -> LogMelBench.main(new String[] {"--warmup", "0", "--iterations", "1",
        "--signal-out", tmp.resolve("s.f32").toString(),
        "--features-out", tmp.resolve("f.f32").toString()}));
    assertTrue(out.contains("ms"), out);
  }

  @Test
  void augmentationBenchRuns() throws Exception {
    String out = output(() -> AugmentationBench.main(new String[] {"--warmup", "0", "--iterations",
        "1", "--slow-iterations", "1"}));
    assertTrue(out.contains("TempoChange") && out.contains("Mp3RoundTrip") && out.contains("AacRoundTrip"), out);
  }

  @Test
  void gammatoneCqtBenchRuns() throws Exception {
    String out = output(() -> GammatoneCqtBench.main(new String[] {"--warmup", "0", "--iterations", "1"}));
    assertTrue(out.toLowerCase().contains("gammatone") && out.toLowerCase().contains("cqt"), out);
  }
}
