package org.ascspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The command-line surface of {@code ./asc compress}: listed by help, its keys documented, and bad
 * settings refused before any work with exit code 2 and a message naming the key. (The job itself runs
 * end to end in the training module's {@code CompressorTest}.)
 */
class CompressJobTest {

  private static AscTest.Run run(String... args) {
    return AscTest.run(args);
  }

  @Test
  void helpListsTheCommandAndItsKeys() {
    AscTest.Run help = run("help");
    assertEquals(0, help.code());
    assertTrue(help.out().lines().anyMatch(l -> l.startsWith("  compress ")), help.out());
    AscTest.Run keys = run("compress", "--help");
    assertEquals(0, keys.code());
    for (String k : new String[] {"compress.methods = [", "compress.sparsity = 0.5", "compress.calibration-rows = 256",
        "compress.qat-epochs = 2", "compress.qat-learning-rate", "compress.prune-scope = \"global\""}) {
      assertTrue(keys.out().contains(k), k + " in:\n" + keys.out());
    }
  }

  @Test
  void badSettingsFailBeforeWorkNamingTheKey() {
    String[][] cases = {
        {"methods=[fold, int4]", "compress.methods"},
        {"methods=[]", "compress.methods"},
        {"sparsity=1.0", "compress.sparsity"},
        {"sparsity=-0.1", "compress.sparsity"},
        {"calibration-rows=0", "compress.calibration-rows"},
        {"prune-scope=channel", "compress.prune-scope"},
        {"model=/nonexistent/best.zip", "compress.model"},
    };
    for (String[] c : cases) {
      AscTest.Run r = run("compress", c[0]);
      assertEquals(Asc.EXIT_USAGE, r.code(), c[0] + ": " + r.err());
      assertTrue(r.err().contains("invalid config " + c[1]), c[0] + ": " + r.err());
    }
  }
}
