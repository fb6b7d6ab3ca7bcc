package org.ascspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands through the real {@code ./asc} script: {@code synth} then {@code ingest}
 * on the synthetic dataset, read back with Spark's plain Parquet reader (no project classes), and
 * a small {@code demo}.
 */
class LauncherIT {
  static final Path REPO = Path.of(System.getProperty("asc.repo.dir", ".."));

  record Run(int code, String out) {}

  static Run asc(Path logDir, String name, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", REPO.resolve("asc").toString()));
    cmd.addAll(List.of(args));
    Path log = logDir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(logDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("ASC_NO_BUILD", "1"); // mvn verify has just built everything
    pb.environment().put("ASC_JAVA_OPTS", "-Xmx2g");
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(name + " timed out:\n" + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void synthThenIngestReconcilesAndWritesTheDocumentedSchema(@TempDir Path tmp) throws Exception {
    Run help = asc(tmp, "help", "help");
    assertEquals(0, help.code(), help.out());
    assertTrue(help.out().contains("ingest"), help.out());

    Path dataset = tmp.resolve("synth");
    Run synth = asc(tmp, "synth", "synth", "--out", dataset.toString(), "cities=2",
        "locations-per-city=2", "segments-per-location=1");
    assertEquals(0, synth.code(), synth.out());
    assertTrue(Files.readString(dataset.resolve("config.conf")).contains("cities=2"));
    long metaRows = Files.readAllLines(dataset.resolve("meta.csv")).size() - 1;

    Path out = tmp.resolve("ingest");
    Run ingest = asc(tmp, "ingest", "ingest", "dataset=" + dataset, "out=" + out,
        "spark.master=local[2]");
    assertEquals(0, ingest.code(), ingest.out());
    Matcher m = Pattern.compile("listed (\\d+) = ingested (\\d+) \\+ rejected (\\d+)").matcher(ingest.out());
    assertTrue(m.find(), ingest.out());
    assertEquals(metaRows, Long.parseLong(m.group(1)));
    assertEquals(metaRows, Long.parseLong(m.group(2)), "the synthetic dataset has no bad files");
    assertEquals(0, Long.parseLong(m.group(3)));
    assertTrue(Files.isRegularFile(out.resolve("_manifest.json")));
    assertTrue(Files.readString(out.resolve("config.conf")).contains(dataset.toString()));

    SparkSession spark = SparkSession.builder().master("local[1]").appName("read-back")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      Dataset<Row> clips = spark.read().parquet(out.resolve("clips").toString());
      assertEquals(metaRows, clips.count());
      assertEquals("struct<clip_id:string,filename:string,scene_label:string,device:string,"
          + "city:string,identifier:string,split:string,in_test:boolean,pair_key:string,"
          + "reference_filename:string,sample_rate_hz:int,num_samples:int,duration_s:double,"
          + "source_sample_rate_hz:int,source_channels:int,source_encoding:string,"
          + "samples:binary>", clips.schema().simpleString());
      assertEquals(10, clips.select("scene_label").distinct().count());
      assertEquals(0, clips.filter("device <> 'a' AND reference_filename IS NULL").count(),
          "every b/c/s* clip is paired with its device-a recording");
      assertEquals(0, clips.filter("device IN ('s4','s5','s6') AND split = 'train'").count());
      assertEquals(0, spark.read().parquet(out.resolve("rejects").toString()).count());
    } finally {
      spark.stop();
    }
  }

  @Test
  void demoRunsEndToEnd(@TempDir Path tmp) throws Exception {
    Run demo = asc(tmp, "demo", "demo", "work=" + tmp.resolve("demo"), "cities=2",
        "locations-per-city=2", "segments-per-location=1", "width=1", "epochs=2", "student-epochs=1");
    assertEquals(0, demo.code(), demo.out());
    assertTrue(demo.out().contains("demo finished"), demo.out());
    assertTrue(Files.isRegularFile(tmp.resolve("demo/ingest/_manifest.json")), demo.out());
    assertTrue(demo.out().contains("demo [3/7] features: clips "), demo.out());
    assertTrue(demo.out().contains("augmentation [fftbin, mp3]"), demo.out());
    assertTrue(demo.out().contains("demo [4/7] train: best evaluate accuracy"), demo.out());
    assertTrue(demo.out().contains("Headline (evaluate split"), demo.out());
    assertTrue(demo.out().contains("demo [6/7] teacher-outputs: "), demo.out());
    assertTrue(demo.out().contains("Distillation report: "), demo.out());
    for (String f : List.of("runs/demo-student/distill-report.md", "runs/demo-student/last.zip",
        "runs/demo-student-no-kd/last.zip", "teacher-outputs/_manifest.json")) {
      assertTrue(Files.isRegularFile(tmp.resolve("demo").resolve(f)), f + " in " + demo.out());
    }
    Path run = tmp.resolve("demo/runs/demo-bcresnet-asc");
    for (String f : List.of("best.zip", "history.csv", "eval-evaluate/report.html",
        "eval-evaluate/submission.csv", "eval-evaluate/metrics.json")) {
      assertTrue(Files.isRegularFile(run.resolve(f)), f + " in " + demo.out());
    }
    killedTrainingResumes(tmp, tmp.resolve("demo/features"));
  }

  /** ./asc train killed with SIGKILL after its first checkpoint, then resumed to the end. */
  private static void killedTrainingResumes(Path tmp, Path featuresRoot) throws Exception {
    Path features;
    try (var dirs = Files.list(featuresRoot)) {
      features = dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("."))
          .findFirst().orElseThrow();
    }
    Path run = tmp.resolve("runs/killed");
    List<String> args = List.of("train", "features=" + features, "out=" + tmp.resolve("runs"),
        "run-name=killed", "epochs=6", "width=1", "dropout=0", "spark.master=local[2]");
    List<String> cmd = new ArrayList<>(List.of("bash", REPO.resolve("asc").toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("killed.log").toFile());
    pb.environment().put("ASC_NO_BUILD", "1");
    pb.environment().put("ASC_JAVA_OPTS", "-Xmx2g");
    Process p = pb.start(); // ./asc execs java, so this is the JVM itself
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (!Files.exists(run.resolve("state.json")) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
    String killedLog = Files.readString(tmp.resolve("killed.log"));
    assertTrue(Files.exists(run.resolve("state.json")), killedLog);
    assertTrue(!Files.exists(run.resolve("last.zip")), "the run finished before the kill:\n" + killedLog);

    List<String> resumeArgs = new ArrayList<>(args);
    resumeArgs.add("resume=true");
    Run resumed = asc(tmp, "resumed", resumeArgs.toArray(new String[0]));
    assertEquals(0, resumed.code(), resumed.out());
    assertTrue(resumed.out().contains("train: resuming killed after epoch"), resumed.out());
    assertEquals(7, Files.readAllLines(run.resolve("history.csv")).size(), resumed.out());
    assertTrue(Files.isRegularFile(run.resolve("last.zip")));
  }
}
