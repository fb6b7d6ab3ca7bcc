package org.ascspark.pipeline.features;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.ascspark.features.augment.DeviceResponses;
import org.ascspark.features.spectral.FftThreads;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.io.AtomicOutput;
import org.ascspark.pipeline.io.SerializableHadoopConf;
import org.ascspark.pipeline.spark.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feature job: {@code clips} to {@code features} Parquet (one row per clip, variant and
 * segment), the per-bin normalisation statistics of the statistics split, and {@code rejects}.
 *
 * <p>Output folder {@code <out>/<hash>/} (hash of the result-defining settings and the input's
 * config hash, {@link FeaturesConfig}); an existing complete output of the same hash is reused
 * unless {@code overwrite}. Written atomically ({@link AtomicOutput}).
 */
public final class Features {
  private static final Logger LOG = LoggerFactory.getLogger(Features.class);

  /** Job name, recorded in the manifest. */
  public static final String JOB = "features";
  /** File holding the statistics as JSON arrays beside the {@code stats} table. */
  public static final String STATS_JSON = "stats.json";

  private Features() {}

  /** Rows per vectorized-reader batch when reading clips (see {@link #run}). */
  static final int READ_BATCH_ROWS = 16;

  /**
   * Fails, naming the fix, when a clips table predates the binary {@code samples} column.
   *
   * @param clips the clips table
   * @param path its location, for the message
   */
  static void requireBinarySamples(Dataset<Row> clips, String path) {
    DataType t = clips.schema().apply("samples").dataType();
    if (!(t instanceof BinaryType)) {
      throw new IllegalArgumentException("the clips table " + path + " stores samples as "
          + t.simpleString() + "; this version stores little-endian float32 bytes (binary): "
          + "run ./asc ingest again with --overwrite");
    }
  }

  /** Resolution of {@link #keep}: shares are rounded to a millionth. */
  private static final long FRACTION_STEPS = 1_000_000L;

  /**
   * The clips a {@code features.fraction} keeps: a hash of the pair key (the clip id when there is
   * none) below the share, so paired recordings of one scene stay together and reruns agree.
   *
   * @param fraction share kept, in (0, 1]
   * @return a filter over a table with {@code clip_id} and {@code pair_key}
   */
  static Column keep(double fraction) {
    if (fraction >= 1) {
      return functions.lit(true);
    }
    Column h = functions.pmod(functions.xxhash64(functions.coalesce(col("pair_key"), col("clip_id"))),
        functions.lit(FRACTION_STEPS));
    return h.lt(Math.round(fraction * FRACTION_STEPS));
  }

  /**
   * @param spark the session
   * @param config validated settings
   * @param jobConfig the effective config (written beside the output)
   * @return counts
   * @throws IOException when the output cannot be written
   */
  public static FeaturesResult run(SparkSession spark, FeaturesConfig config, JobConfig jobConfig)
      throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String outDir = config.outputDir();
    Path manifest = new Path(outDir, AtomicOutput.MANIFEST);
    FileSystem fs = manifest.getFileSystem(jsc.hadoopConfiguration());
    if (!config.overwrite() && fs.exists(manifest)) {
      LOG.info("features {} exist for this configuration; reusing them (--overwrite recomputes)", outDir);
      return reused(fs, manifest, outDir);
    }

    // A read setting for this job only (Spark's scan of the clips still serves the pairs of the
    // device-response estimation); other jobs of the session get theirs back afterwards.
    Map<String, String> read = new LinkedHashMap<>();
    // A batch of the vectorized reader holds its rows' samples in one growing array: 4096 rows
    // (the default) of 10 s clips would be a whole row group, reallocated as it grows and
    // promoted by the GC; 16 rows keep it at ~28 MB.
    read.put("spark.sql.parquet.columnarReaderBatchSize", String.valueOf(READ_BATCH_ROWS));
    Map<String, scala.Option<String>> before = new LinkedHashMap<>();
    read.forEach((k, v) -> {
      before.put(k, spark.conf().getOption(k));
      spark.conf().set(k, v);
    });
    try {
      return extract(spark, jsc, fs, config, jobConfig);
    } finally {
      before.forEach((k, v) -> {
        if (v.isDefined()) {
          spark.conf().set(k, v.get());
        } else {
          spark.conf().unset(k);
        }
      });
    }
  }

  private static FeaturesResult extract(SparkSession spark, JavaSparkContext jsc, FileSystem fs,
      FeaturesConfig config, JobConfig jobConfig) throws IOException {
    String outDir = config.outputDir();
    String clipsTable = new Path(config.clips(), "clips").toString();
    Dataset<Row> table = spark.read().parquet(clipsTable);
    requireBinarySamples(table, clipsTable);
    // Which clips: decided on the small columns, so the audio is read only for them.
    List<String> ids = table
        .where(col("split").isin(config.splits().toArray()))
        .where(keep(config.fraction()))
        .select("clip_id").as(Encoders.STRING()).collectAsList();
    long clipCount = ids.size();
    Broadcast<Set<String>> wanted = jsc.broadcast(new HashSet<>(ids));
    List<ClipScan.RowGroup> groups = ClipScan.rowGroups(List.of(table.inputFiles()), jsc.hadoopConfiguration());
    int tasks = tasks(groups, config.partitions(), jsc.defaultParallelism());
    SerializableHadoopConf hadoopConf = new SerializableHadoopConf(jsc.hadoopConfiguration());
    JavaRDD<ClipSamples> input = jsc.parallelize(groups, tasks)
        .flatMap(g -> ClipScan.read(g, hadoopConf.get(), wanted.value()));
    LOG.info("features {}: {} clips of splits {} through {} ({} tasks over {} row groups) -> {}",
        config.hash(), clipCount, config.splits(), config.extractor().name(), tasks, groups.size(),
        outDir);

    LongAccumulator done = jsc.sc().longAccumulator("features.clips");
    // Counts and statistics are gathered in the write's result tasks (applied once per partition).
    LongAccumulator rowCount = jsc.sc().longAccumulator("features.rows");
    LongAccumulator clipsWithRows = jsc.sc().longAccumulator("features.clips-with-rows");
    StatsAccumulator statsAcc = new StatsAccumulator();
    jsc.sc().register(statsAcc, "features.stats");
    String statsSplit = config.statsSplit();
    CollectionAccumulator<FeatureReject> rejectAcc = jsc.sc().collectionAccumulator("features.rejects");
    if (config.augment().needsResponses()) {
      DeviceResponses responses = DeviceResponseEstimation.estimate(spark,
          new Path(config.clips(), "clips").toString(), config.statsSplit(),
          config.extractor().stftParams(), config.sampleRateHz(), config.augment().referenceDevice(),
          config.augment().maxPairsPerDevice());
      LOG.info("device responses from aligned pairs of '{}': {}", config.statsSplit(),
          responses.devices().stream().map(d -> d + " (" + responses.pairs(d) + " pairs)").toList());
      config = config.withAugment(config.augment().withResponses(responses));
    }
    FeatureComputer computer = new FeatureComputer(config.extractor(), config.segmentSamples(),
        config.segmentHopSamples(), config.augment());
    JavaRDD<FeatureRow> rows = input
        .mapPartitions((Iterator<ClipSamples> it) -> {
          FftThreads.oneThreadPerTask(); // Spark runs one task per core: no FFT thread pool
          return computeAll(it, computer, rejectAcc, done, row -> {
            rowCount.add(1);
            if (row.getSegment() == 0 && row.getVariant() == 0) {
              clipsWithRows.add(1);
            }
            if (row.getVariant() == 0 && row.getSplit().equals(statsSplit)) {
              statsAcc.add(row);
            }
          });
        });

    try (AtomicOutput output = AtomicOutput.begin(outDir, jsc.hadoopConfiguration())) {
      String featuresPath = output.resolve("features");
      long t0 = System.nanoTime();
      try (Progress p = Progress.start("features", "clips", done, clipCount)) {
        // float32 features gain about 4 % from snappy, not worth its time.
        spark.createDataFrame(rows.map(FeatureRow::toRow), FeatureSchemas.FEATURES)
            .write().option("parquet.enable.dictionary", "false").option("compression", "none")
            .mode(SaveMode.ErrorIfExists).parquet(featuresPath);
      }
      long t1 = System.nanoTime();
      wanted.destroy();
      List<FeatureReject> rejects = new ArrayList<>(new LinkedHashSet<>(rejectAcc.value()));
      rejects.sort(Comparator.comparing(FeatureReject::clipId).thenComparing(FeatureReject::reason));
      List<Row> rejectRows = new ArrayList<>();
      for (FeatureReject r : rejects) {
        rejectRows.add(RowFactory.create(r.clipId(), r.filename(), r.variant(), r.reason()));
      }
      spark.createDataFrame(rejectRows, FeatureSchemas.REJECTS).coalesce(1)
          .write().mode(SaveMode.ErrorIfExists).parquet(output.resolve("rejects"));

      long rowTotal = rowCount.value();
      long clipsWithFeatures = clipsWithRows.value();
      long clipRejects = rejects.stream().filter(r -> r.variant() == 0).count();
      if (clipCount != clipsWithFeatures + clipRejects) {
        throw new IllegalStateException("counts do not reconcile: " + clipCount + " clips, "
            + clipsWithFeatures + " with features, " + clipRejects + " rejected");
      }
      NormStats stats = NormStats.of(statsAcc.total());
      if (stats == null) {
        throw new IllegalStateException("no feature rows in the statistics split '"
            + config.statsSplit() + "' (features.stats-split): nothing to normalise with");
      }
      writeStats(spark, output, stats, config.statsSplit());
      if (config.augment().responses() != null) {
        writeResponses(spark, output, config.augment().responses());
      }
      LOG.info("features: {} rows extracted and written in {} s", rowTotal,
          String.format("%.1f", (t1 - t0) / 1e9));

      Map<String, Long> counts = new LinkedHashMap<>();
      counts.put("clips", clipCount);
      counts.put("clips_with_features", clipsWithFeatures);
      counts.put("rows", rowTotal);
      counts.put("rejects", clipRejects);
      counts.put("variant_rejects", rejects.size() - clipRejects);
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("feature_hash", config.hash());
      extra.put("feature", config.extractor().name());
      extra.put("shape", List.of(config.extractor().channels(), config.extractor().bins()));
      extra.put("sample_rate_hz", config.sampleRateHz());
      extra.put("frames_per_second", framesPerSecond(config.extractor()));
      extra.put("stats_split", config.statsSplit());
      extra.put("input", config.clips());
      List<String> chainNames = new ArrayList<>();
      config.augment().chains().forEach(ch -> chainNames.add(ch.name()));
      extra.put("augmentation_chains", chainNames);
      output.commit(JOB, jobConfig, counts, extra);
      return new FeaturesResult(clipCount, clipsWithFeatures, rowTotal, clipRejects,
          output.target().toString(), false);
    }
  }

  /** Bytes of clips a task reads at most when the task count is automatic (Spark's split size). */
  static final long TASK_BYTES = 128L << 20;

  /**
   * How many tasks read the row groups: {@code configured} when positive, else at least four per
   * core (so the last tasks do not leave cores idle) and at most {@link #TASK_BYTES} of clips
   * each; never more than one per row group, never fewer than one.
   */
  static int tasks(List<ClipScan.RowGroup> groups, int configured, int parallelism) {
    long bytes = 0;
    for (ClipScan.RowGroup g : groups) {
      bytes += g.bytes();
    }
    long wanted = configured > 0 ? configured
        : Math.max(4L * parallelism, (bytes + TASK_BYTES - 1) / TASK_BYTES);
    return (int) Math.max(1, Math.min(wanted, groups.size()));
  }

  /** Lazily maps clips to their feature rows; rejects go to the accumulator, rows to {@code seen}. */
  private static Iterator<FeatureRow> computeAll(Iterator<ClipSamples> clips, FeatureComputer computer,
      CollectionAccumulator<FeatureReject> rejects, LongAccumulator done,
      java.util.function.Consumer<FeatureRow> seen) {
    return new Iterator<>() {
      Iterator<FeatureRow> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && clips.hasNext()) {
          current = computer.compute(clips.next(), rejects::add).iterator();
          done.add(1);
        }
        return current.hasNext();
      }

      @Override
      public FeatureRow next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        FeatureRow r = current.next();
        seen.accept(r);
        return r;
      }
    };
  }

  private static void writeResponses(SparkSession spark, AtomicOutput output, DeviceResponses r) {
    List<Row> rows = new ArrayList<>();
    for (String d : r.devices()) {
      double[] response = r.response(d);
      double[] correction = r.correction(d);
      for (int b = 0; b < response.length; b++) {
        rows.add(RowFactory.create(d, b, b * (double) r.sampleRateHz() / r.nFft(), response[b],
            correction[b], r.pairs(d)));
      }
    }
    spark.createDataFrame(rows, FeatureSchemas.RESPONSES).coalesce(1)
        .write().mode(SaveMode.ErrorIfExists).parquet(output.resolve("responses"));
  }

  private static void writeStats(SparkSession spark, AtomicOutput output, NormStats s, String split)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < s.channels(); c++) {
      for (int b = 0; b < s.bins(); b++) {
        rows.add(RowFactory.create(c, b, s.mean()[c][b], s.std()[c][b], s.count()));
      }
    }
    spark.createDataFrame(rows, FeatureSchemas.STATS).coalesce(1)
        .write().mode(SaveMode.ErrorIfExists).parquet(output.resolve("stats"));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("split", split);
    json.put("channels", s.channels());
    json.put("bins", s.bins());
    json.put("frames", s.count());
    json.put("mean", s.mean());
    json.put("std", s.std());
    output.writeText(STATS_JSON, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(json) + "\n");
  }

  private static FeaturesResult reused(FileSystem fs, Path manifest, String outDir) throws IOException {
    JsonNode m;
    try (InputStream in = fs.open(manifest)) {
      m = new ObjectMapper().readTree(in);
    }
    JsonNode c = m.path("counts");
    return new FeaturesResult(c.path("clips").asLong(), c.path("clips_with_features").asLong(),
        c.path("rows").asLong(), c.path("rejects").asLong(), fs.makeQualified(new Path(outDir)).toString(),
        true);
  }

  /**
   * Frames per second of audio of a front end (the hop rate), measured as the frame count difference
   * between 11 s and 1 s of input, so centring and edge conventions cancel.
   */
  static double framesPerSecond(org.ascspark.features.spectral.FeatureExtractor extractor) {
    int rate = extractor.sampleRateHz();
    return (extractor.frames(11 * rate) - extractor.frames(rate)) / 10.0;
  }
}
