package org.ascspark.pipeline.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.ascspark.features.spectral.FeatureExtractor;
import org.ascspark.features.spectral.FftThreads;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.features.ClipSamples;
import org.ascspark.pipeline.features.Features;
import org.ascspark.pipeline.features.FeaturesConfig;
import org.ascspark.pipeline.ingest.Ingest;
import org.ascspark.pipeline.ingest.IngestConfig;
import org.ascspark.pipeline.synth.SynthDataset;
import org.ascspark.pipeline.synth.SynthOptions;

/**
 * Benchmark (not a test): the feature job's throughput per core against the plain library loop
 * over the same clips, and local[2] against local[1] (SPEC.md section 12, issue 3 item 6).
 *
 * <p>Steps: write a synthetic dataset of 10 s clips (device a only), ingest it, load all clips
 * into memory and time the extractor over them on one thread (the plain loop, best of three
 * passes), then time {@link Features#run} (read clips Parquet, extract, write features Parquet,
 * count, statistics pass) on local[1] and on local[2], best of {@code -Dascspark.bench.runs}
 * (default 3) runs after one warm-up run; the plain loop is also timed on two threads, the ceiling
 * for local[2]. Usage:
 * {@code FeatureJobBench WORK_DIR [segmentsPerLocation] [feature overrides...]}.
 */
public final class FeatureJobBench {
  private FeatureJobBench() {}

  static SparkSession session(String master) {
    return SparkSession.builder().master(master).appName("feature-job-bench")
        .config("spark.ui.enabled", "false").config("spark.driver.maxResultSize", "0").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
  }

  /** Seconds for two threads to extract every clip once (each thread half of them). */
  static double twoThreads(FeatureExtractor extractor, List<float[]> clips) throws InterruptedException {
    Thread[] threads = new Thread[2];
    long t0 = System.nanoTime();
    for (int t = 0; t < threads.length; t++) {
      int first = t;
      threads[t] = new Thread(() -> {
        FftThreads.oneThreadPerTask();
        for (int i = first; i < clips.size(); i += 2) {
          extractor.extract(clips.get(i));
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** @param args work folder, segments per location, then features key=value overrides */
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "target/feature-job-bench");
    int segments = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int runs = Integer.getInteger("ascspark.bench.runs", 3);
    List<String> overrides = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      overrides.add(args[i]);
    }
    Path dataset = work.resolve("dataset");
    Path ingest = work.resolve("ingest");
    if (!Files.exists(ingest.resolve("_manifest.json"))) {
      SynthDataset.write(SynthOptions.builder().clipSeconds(10.0).segmentsPerLocation(segments)
          .devices(List.of("a")).threads(2).build(), dataset);
      SparkSession s = session("local[2]");
      JobConfig ic = JobConfig.load("ingest", CommandLine.parse(
          List.of("dataset=" + dataset, "out=" + ingest), Set.of()));
      Ingest.run(s, IngestConfig.from(ic), ic);
      s.stop();
    }
    List<String> fargs = new ArrayList<>(List.of("clips=" + ingest, "out=" + work.resolve("features"),
        "overwrite=true"));
    fargs.addAll(overrides);
    JobConfig fc = JobConfig.load("features", CommandLine.parse(fargs, Set.of()));

    SparkSession s = session("local[1]");
    FeaturesConfig config = FeaturesConfig.from(fc, s.sparkContext().hadoopConfiguration());
    FeatureExtractor extractor = config.extractor();
    List<float[]> clips = new ArrayList<>();
    for (ClipSamples c : s.read().parquet(ingest.resolve("clips").toString())
        .selectExpr(ClipSamples.COLUMNS).queryExecution().toRdd().toJavaRDD()
        .map(ClipSamples::fromInternal).collect()) {
      clips.add(c.getSamples());
    }
    FftThreads.oneThreadPerTask();
    for (int i = 0; i < Math.min(20, clips.size()); i++) {
      extractor.extract(clips.get(i)); // warm-up
    }
    double plainBest = Double.MAX_VALUE;
    for (int pass = 0; pass < 3; pass++) {
      long t0 = System.nanoTime();
      for (float[] x : clips) {
        extractor.extract(x);
      }
      plainBest = Math.min(plainBest, (System.nanoTime() - t0) / 1e9);
    }
    double plainRate = clips.size() / plainBest;
    double plain2Best = Double.MAX_VALUE;
    for (int pass = 0; pass < 3; pass++) {
      plain2Best = Math.min(plain2Best, twoThreads(extractor, clips));
    }
    double plain2Rate = clips.size() / plain2Best;

    int n = clips.size();
    double clipSeconds = clips.get(0).length / (double) extractor.sampleRateHz();
    int frames = extractor.frames(clips.get(0).length);
    clips = null; // the jobs run without the plain loop's 1.76 MB per clip held on the heap

    double[] jobSeconds = new double[2];
    for (int cores = 1; cores <= 2; cores++) {
      if (cores == 2) {
        s.stop();
        s = session("local[2]");
      }
      Features.run(s, config, fc); // warm-up run (JIT, Spark's first-job costs)
      jobSeconds[cores - 1] = Double.MAX_VALUE;
      for (int run = 0; run < runs; run++) {
        long t0 = System.nanoTime();
        Features.run(s, config, fc);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("job local[%d] run %d: %.2f s%n", cores, run + 1, seconds);
        jobSeconds[cores - 1] = Math.min(jobSeconds[cores - 1], seconds);
      }
    }
    s.stop();
    double job1 = n / jobSeconds[0];
    double job2 = n / jobSeconds[1];
    System.out.printf("clips: %d x %.1f s, feature %s [%d x %d x %d frames]%n", n, clipSeconds,
        extractor.name(), extractor.channels(), extractor.bins(), frames);
    System.out.printf("plain loop, 1 thread:   %.1f clips/s (%.2f ms/clip)%n", plainRate, 1000 / plainRate);
    System.out.printf("plain loop, 2 threads:  %.1f clips/s; %.2fx one thread%n", plain2Rate,
        plain2Rate / plainRate);
    System.out.printf("job local[1]:           %.1f clips/s per core (%.1f%% of the plain loop)%n",
        job1, 100 * job1 / plainRate);
    System.out.printf("job local[2]:           %.1f clips/s = %.1f per core; %.2fx local[1]%n",
        job2, job2 / 2, job2 / job1);
  }
}
