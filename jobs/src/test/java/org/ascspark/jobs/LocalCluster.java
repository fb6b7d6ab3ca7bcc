package org.ascspark.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: one Master and N Workers started as
 * separate JVMs from the Spark jars of the build (no Spark distribution), and SparkSubmit run as a
 * child process. Everything listens on loopback only.
 */
final class LocalCluster implements AutoCloseable {
  /** JVM flags Spark needs on Java 17 (the same list as the ./asc launcher). */
  static final List<String> JAVA_FLAGS = javaFlags();

  private final Path dir;
  private final String sparkClasspath;
  private final List<Process> processes = new ArrayList<>();
  private final int masterPort;
  private final int masterUiPort;

  private LocalCluster(Path dir, String sparkClasspath) throws IOException {
    this.dir = dir;
    this.sparkClasspath = sparkClasspath;
    this.masterPort = freePort();
    this.masterUiPort = freePort();
  }

  static List<String> javaFlags() {
    List<String> f = new ArrayList<>(List.of("-XX:+IgnoreUnrecognizedVMOptions"));
    for (String p : List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net",
        "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic",
        "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar")) {
      f.add("--add-opens=java.base/" + p + "=ALL-UNNAMED");
    }
    f.add("-Djdk.reflect.useDirectMethodHandle=false");
    f.add("-Dio.netty.tryReflectionSetAccessible=true");
    return List.copyOf(f);
  }

  /**
   * Starts a master and workers and waits until all workers have registered.
   *
   * @param dir scratch folder (SPARK_HOME, work and local dirs, logs)
   * @param sparkClasspath the Spark jars
   * @param workers number of workers, one core and 1 GiB each
   */
  static LocalCluster start(Path dir, String sparkClasspath, int workers) throws Exception {
    LocalCluster c = new LocalCluster(dir, sparkClasspath);
    try {
      Files.createDirectories(dir.resolve("spark-home/jars"));
      c.spawn("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
          "--port", String.valueOf(c.masterPort), "--webui-port", String.valueOf(c.masterUiPort)));
      for (int i = 0; i < workers; i++) {
        Path work = Files.createDirectories(dir.resolve("worker-" + i));
        c.spawn("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
            "--cores", "1", "--memory", "1g", "--work-dir", work.toString(),
            "--webui-port", String.valueOf(freePort()), c.masterUrl()));
      }
      c.awaitWorkers(workers, 120);
      return c;
    } catch (Exception e) {
      c.close();
      throw e;
    }
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  private Map<String, String> environment(ProcessBuilder pb) {
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", dir.resolve("spark-home").toString());
    env.put("SPARK_DIST_CLASSPATH", sparkClasspath);
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_DIRS", dir.resolve("local").toString());
    env.remove("SPARK_CONF_DIR");
    return env;
  }

  private Process spawn(String name, List<String> mainAndArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.add("-Xmx512m");
    cmd.addAll(JAVA_FLAGS);
    cmd.add("-cp");
    cmd.add(sparkClasspath);
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    environment(pb);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /**
   * Runs SparkSubmit in a child JVM and waits for it.
   *
   * @param logName name of the log file in the scratch folder
   * @param args SparkSubmit arguments (master, class, jar, application arguments)
   * @param timeoutS seconds before it is killed
   * @return exit code and combined output
   */
  Result submit(String logName, List<String> args, long timeoutS) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.add("-Xmx1g");
    cmd.addAll(JAVA_FLAGS);
    cmd.add("-cp");
    cmd.add(sparkClasspath);
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.addAll(args);
    Path log = dir.resolve(logName + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    environment(pb);
    Process p = pb.start();
    processes.add(p);
    boolean done = p.waitFor(timeoutS, TimeUnit.SECONDS);
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    return new Result(done ? p.exitValue() : -1, out);
  }

  /** Exit code and output of a child process. */
  record Result(int exitCode, String output) {
    String tail() {
      return output.length() > 6000 ? output.substring(output.length() - 6000) : output;
    }
  }

  /** @return the master's status page as JSON (its web UI on loopback) */
  String masterJson() throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) new URL("http://127.0.0.1:" + masterUiPort + "/json/").openConnection();
    c.setConnectTimeout(2000);
    c.setReadTimeout(2000);
    try (InputStream in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }

  private void awaitWorkers(int n, int timeoutS) throws Exception {
    Pattern alive = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
    String last = "";
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException("a cluster process exited early; logs in " + dir);
        }
      }
      try {
        last = masterJson();
        Matcher m = alive.matcher(last);
        if (m.find() && Integer.parseInt(m.group(1)) >= n) {
          return;
        }
      } catch (IOException notYet) {
        // the master's UI is not up yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(n + " workers did not register within " + timeoutS + " s: " + last);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Stops every process started, executors (children of workers) first. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
