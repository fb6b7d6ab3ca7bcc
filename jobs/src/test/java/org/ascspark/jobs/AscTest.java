package org.ascspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command-line surface of {@link Asc}: help, per-command keys, and errors before any work. */
class AscTest {

  record Run(int code, String out, String err) {}

  static synchronized Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Asc.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void helpListsEveryCommandOnOneLine() {
    Run r = run("help");
    assertEquals(0, r.code());
    for (String c : new String[] {"synth", "ingest", "features", "train", "evaluate", "complexity",
        "teacher-outputs", "distill", "compress", "ablate", "preset", "demo"}) {
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  " + c + " ")), c + " in:\n" + r.out());
    }
  }

  @Test
  void commandHelpListsKeysWithDefaultsAndMeaning() {
    Run r = run("ingest", "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("ingest.dataset = \"work/synth\""), r.out());
    assertTrue(r.out().contains("Dataset root"), r.out());
    Run s = run("synth", "--help");
    assertTrue(s.out().contains("synth.seed = 42"), s.out());
    Run f = run("features", "--help");
    assertTrue(f.out().contains("features.stft.hop = 1024"), f.out());
    assertTrue(f.out().contains("samples or time"), f.out());
  }

  @Test
  void unknownCommandAndBadValuesFailBeforeWorkNamingTheKey() {
    Run unknown = run("ingets");
    assertEquals(Asc.EXIT_USAGE, unknown.code());
    assertTrue(unknown.err().contains("unknown command 'ingets'"), unknown.err());
    Run bad = run("ingest", "sample-rate-hz=-1", "dataset=/nonexistent");
    assertEquals(Asc.EXIT_USAGE, bad.code());
    assertTrue(bad.err().contains("invalid config ingest.sample-rate-hz: -1 is outside"), bad.err());
    Run typo = run("ingest", "--datset", "x");
    assertEquals(Asc.EXIT_USAGE, typo.code());
    assertTrue(typo.err().contains("invalid config datset: unknown key"), typo.err());
    Run synth = run("synth", "cities=0");
    assertEquals(Asc.EXIT_USAGE, synth.code());
    assertTrue(synth.err().contains("synth.cities"), synth.err());
  }

  @Test
  void ablateAndPresetTakeOtherJobsKeysAndFailClearlyBeforeWork(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path tmp) {
    Run help = run("ablate", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("ablate.sets = [") && help.out().contains("Also read: the keys of [")
        && help.out().contains("evaluate"), help.out());
    Run typo = run("ablate", "train.epochz=2");
    assertEquals(Asc.EXIT_USAGE, typo.code());
    assertTrue(typo.err().contains("train.epochz") && typo.err().contains("./asc train"), typo.err());
    Run badSet = run("ablate", "sets=[none, [mp3, opus]]", "clips=/nonexistent");
    assertEquals(Asc.EXIT_USAGE, badSet.code());
    assertTrue(badSet.err().contains("ablate.sets") && badSet.err().contains("opus"), badSet.err());

    Run noName = run("preset", "clips=/nonexistent");
    assertEquals(Asc.EXIT_USAGE, noName.code());
    assertTrue(noName.err().contains("preset.name") && noName.err().contains("qti-bcresnet"), noName.err());
    Run unknown = run("preset", "name=qti-bcresnett");
    assertEquals(Asc.EXIT_USAGE, unknown.code());
    assertTrue(unknown.err().contains("presets/qti-bcresnett"), unknown.err());
    Run badKey = run("preset", "name=qti-bcresnet", "teacher.modle=cp-resnet");
    assertEquals(Asc.EXIT_USAGE, badKey.code());
    assertTrue(badKey.err().contains("teacher.modle"), badKey.err());
    Run noClips = run("preset", "name=valeo-sp4asc", "clips=/nonexistent", "work=" + tmp.resolve("p"),
        "spark.master=local[1]");
    assertEquals(Asc.EXIT_USAGE, noClips.code());
    assertTrue(noClips.err().contains("invalid config preset.clips: /nonexistent is not a complete ingest output"),
        noClips.err());
  }

  @Test
  void distillListsItsLossTermsAndRefusesUnknownOnes() {
    Run keys = run("distill", "--help");
    assertEquals(0, keys.code());
    for (String k : new String[] {"distill.loss.ce = 1", "distill.loss.kl = 1", "distill.loss.cosine = 0",
        "distill.loss.mse = 0", "distill.replace-teacher = false", "train.model = \"bcresnet-asc\""}) {
      assertTrue(keys.out().contains(k), k + " in:\n" + keys.out());
    }
    Run unknown = run("distill", "loss.hint=1");
    assertEquals(Asc.EXIT_USAGE, unknown.code());
    assertTrue(unknown.err().contains("loss.hint"), unknown.err());
    Run negative = run("distill", "loss.kl=-1");
    assertEquals(Asc.EXIT_USAGE, negative.code());
    assertTrue(negative.err().contains("distill.loss.kl"), negative.err());
  }

  @Test
  void complexityReportsEveryArchitectureAndChecksTheRules() {
    Run all = run("complexity", "name=all");
    assertEquals(0, all.code(), all.err());
    for (String m : new String[] {"bcresnet-asc", "sp4asc", "cp-resnet"}) {
      assertTrue(all.out().contains("== " + m), m + " in:\n" + all.out());
    }
    assertTrue(all.out().toLowerCase(java.util.Locale.ROOT).contains("dcase"), all.out());
    Run unknown = run("complexity", "name=resnet-9000");
    assertEquals(Asc.EXIT_USAGE, unknown.code());
    assertTrue(unknown.err().contains("complexity.name") && unknown.err().contains("resnet-9000"),
        unknown.err());
  }

  @Test
  void trainAndEvaluateRefuseBadInputNamingIt() {
    Run model = run("train", "model=resnet-9000");
    assertEquals(Asc.EXIT_USAGE, model.code());
    assertTrue(model.err().contains("train.model"), model.err());
    Run adam = run("train", "optimizer=adam", "weight-decay=0.01");
    assertEquals(Asc.EXIT_USAGE, adam.code());
    assertTrue(adam.err().contains("adamw"), adam.err());
    Run eval = run("evaluate", "model=/nonexistent/best.zip");
    assertEquals(Asc.EXIT_USAGE, eval.code());
    assertTrue(eval.err().contains("evaluate.model"), eval.err());
  }
}
