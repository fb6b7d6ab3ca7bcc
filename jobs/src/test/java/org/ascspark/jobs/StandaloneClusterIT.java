package org.ascspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ascspark.features.audio.WavWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest job jar submitted with SparkSubmit to a real standalone cluster (a master and two
 * workers on 127.0.0.1, each executor its own JVM) gives exactly the output of the same jar on
 * {@code local[2]}. Runs in {@code mvn verify}, after the shaded jar is built.
 */
class StandaloneClusterIT {

  static void makeDataset(Path root) throws Exception {
    Files.createDirectories(root.resolve("audio"));
    Files.createDirectories(root.resolve("evaluation_setup"));
    StringBuilder meta = new StringBuilder("filename\tscene_label\tidentifier\tsource_label\n");
    StringBuilder train = new StringBuilder("filename\tscene_label\n");
    StringBuilder eval = new StringBuilder("filename\tscene_label\n");
    String[] scenes = {"bus", "park", "metro"};
    String[] devices = {"a", "b", "s1"};
    WavWriter.Encoding[] encodings = {
        WavWriter.Encoding.PCM_24, WavWriter.Encoding.PCM_16, WavWriter.Encoding.FLOAT_32};
    int[] rates = {44100, 48000, 22050};
    for (int s = 0; s < scenes.length; s++) {
      for (int loc = 0; loc < 2; loc++) {
        for (int d = 0; d < devices.length; d++) {
          String name = "audio/" + scenes[s] + "-lyon-" + loc + "-0-" + devices[d] + ".wav";
          int rate = rates[d];
          float[] x = new float[rate];
          for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.2 * Math.sin(2 * Math.PI * (200 + 300 * s + 50 * loc) * i / rate)
                + 0.05 * Math.sin(2 * Math.PI * 3000 * i / rate));
          }
          Files.write(root.resolve(name), WavWriter.encode(new float[][] {x}, rate, encodings[d]));
          meta.append(name).append('\t').append(scenes[s]).append("\tlyon-").append(loc).append('\t')
              .append(devices[d]).append('\n');
          (loc == 0 ? train : eval).append(name).append('\t').append(scenes[s]).append('\n');
        }
      }
    }
    // Bad input must reach the rejects table identically on both runs.
    Files.writeString(root.resolve("audio/bus-lyon-2-0-a.wav"), "not audio");
    meta.append("audio/bus-lyon-2-0-a.wav\tbus\tlyon-2\ta\n");
    meta.append("audio/gone-lyon-2-1-a.wav\tbus\tlyon-2\ta\n");
    Files.writeString(root.resolve("meta.csv"), meta.toString());
    Files.writeString(root.resolve("evaluation_setup/fold1_train.csv"), train.toString());
    Files.writeString(root.resolve("evaluation_setup/fold1_evaluate.csv"), eval.toString());
  }

  static List<String> rows(SparkSession spark, Path table) {
    List<String> out = new ArrayList<>();
    for (Row r : spark.read().parquet(table.toString()).collectAsList()) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        Object v = r.get(i);
        sb.append(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : String.valueOf(v))
            .append('|');
      }
      out.add(sb.toString());
    }
    out.sort(null);
    return out;
  }

  @Test
  void ingestOnAStandaloneClusterEqualsTheLocalRun(@TempDir Path tmp) throws Exception {
    String jar = System.getProperty("asc.jobs.jar");
    String sparkClasspath = Files.readString(Path.of(System.getProperty("asc.spark.classpath.file"))).strip();
    assertTrue(Files.isRegularFile(Path.of(jar)), "shaded jar missing: " + jar);
    Path dataset = tmp.resolve("dataset");
    makeDataset(dataset);

    try (LocalCluster cluster = LocalCluster.start(tmp.resolve("cluster"), sparkClasspath, 2)) {
      List<String> common = List.of("--class", "org.ascspark.jobs.IngestJob",
          "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
          "--conf", "spark.driver.bindAddress=127.0.0.1");
      List<String> clusterArgs = new ArrayList<>(List.of("--master", cluster.masterUrl(),
          "--deploy-mode", "client", "--executor-memory", "1g", "--total-executor-cores", "2"));
      clusterArgs.addAll(common);
      clusterArgs.addAll(List.of(jar, "dataset=" + dataset, "out=" + tmp.resolve("out-cluster"),
          "partitions=6"));
      LocalCluster.Result onCluster = cluster.submit("submit-cluster", clusterArgs, 300);
      assertEquals(0, onCluster.exitCode(), onCluster.tail());
      assertTrue(onCluster.output().contains("ingest: listed 20 = ingested 18 + rejected 2"),
          onCluster.tail());
      assertTrue(cluster.masterJson().contains("\"completedapps\""), "master saw the application");
      try (Stream<Path> apps = Files.list(tmp.resolve("cluster/worker-0"))) {
        assertTrue(apps.anyMatch(p -> p.getFileName().toString().startsWith("app-")),
            "an executor ran on worker-0");
      }

      List<String> localArgs = new ArrayList<>(List.of("--master", "local[2]"));
      localArgs.addAll(common);
      localArgs.addAll(List.of(jar, "dataset=" + dataset, "out=" + tmp.resolve("out-local"),
          "partitions=3"));
      LocalCluster.Result local = cluster.submit("submit-local", localArgs, 300);
      assertEquals(0, local.exitCode(), local.tail());
    }

    SparkSession spark = SparkSession.builder().master("local[1]").appName("compare")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      List<String> clusterClips = rows(spark, tmp.resolve("out-cluster/clips"));
      assertEquals(18, clusterClips.size());
      assertEquals(clusterClips, rows(spark, tmp.resolve("out-local/clips")));
      assertEquals(rows(spark, tmp.resolve("out-cluster/rejects")),
          rows(spark, tmp.resolve("out-local/rejects")));
    } finally {
      spark.stop();
    }
  }
}
