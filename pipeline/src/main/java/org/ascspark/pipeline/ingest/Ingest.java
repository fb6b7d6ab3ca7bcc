package org.ascspark.pipeline.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.dataset.ListedClip;
import org.ascspark.pipeline.dataset.Reject;
import org.ascspark.pipeline.dataset.TauDatasetReader;
import org.ascspark.pipeline.dataset.TauMetadata;
import org.ascspark.pipeline.io.AtomicOutput;
import org.ascspark.pipeline.io.SerializableHadoopConf;
import org.ascspark.pipeline.spark.Partitioning;
import org.ascspark.pipeline.spark.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest job: TAU-layout dataset to the {@code clips} and {@code rejects} Parquet tables.
 *
 * <p>The driver reads and checks the CSVs ({@link TauMetadata}); executors read each listed file
 * through Hadoop's FileSystem, decode and validate it ({@link ClipReader}). Every listed item ends
 * as exactly one row of {@code clips} or {@code rejects}; the counts are reconciled before the
 * output is committed, atomically ({@link AtomicOutput}).
 */
public final class Ingest {
  private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);

  /** Row-group size of the clips table, in bytes. */
  static final int CLIPS_ROW_GROUP_BYTES = 16 << 20;

  /** Job name, recorded in the manifest. */
  public static final String JOB = "ingest";

  private Ingest() {}

  /**
   * Runs the job.
   *
   * @param spark the session
   * @param config validated settings
   * @param jobConfig the effective config (written beside the output)
   * @return the counts
   * @throws IOException when the output cannot be written
   * @throws org.ascspark.pipeline.dataset.DatasetLayoutException when the dataset's CSVs are
   *     missing or not in the TAU layout
   */
  public static IngestResult run(SparkSession spark, IngestConfig config, JobConfig jobConfig)
      throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    TauMetadata.Listing listing = TauDatasetReader.read(
        config.dataset(), config.fold(), config.referenceDevice(), jsc.hadoopConfiguration());
    LOG.info("{}: {} listed, {} with consistent metadata, {} metadata rejects; labels {}; devices {}",
        config.dataset(), listing.listed(), listing.clips().size(), listing.rejects().size(),
        listing.labels(), listing.devices());

    List<ListedClip> clips = listing.clips();
    int partitions = config.partitions() > 0 ? config.partitions()
        : Partitioning.auto(clips.size(), jsc.defaultParallelism());
    SerializableHadoopConf hadoopConf = new SerializableHadoopConf(jsc.hadoopConfiguration());
    String root = config.dataset();
    LongAccumulator done = jsc.sc().longAccumulator("ingest.files");
    // Audio rejects leave the single decoding pass through an accumulator. They are deterministic
    // per file, so entries a retried task adds twice are identical and removed by distinct().
    CollectionAccumulator<Reject> audioRejectAcc = jsc.sc().collectionAccumulator("ingest.rejects");
    JavaRDD<Row> clipRows = jsc.parallelize(clips, partitions)
        .mapPartitions((Iterator<ListedClip> it) -> {
          Path rootPath = new Path(root);
          FileSystem fs = rootPath.getFileSystem(hadoopConf.get());
          ClipReader reader = new ClipReader(fs, rootPath, config);
          return new Iterator<Row>() {
            Row next = advance();

            private Row advance() {
              while (it.hasNext()) {
                IngestOutcome o = reader.read(it.next());
                done.add(1);
                if (o.isClip()) {
                  return o.toClipRow();
                }
                audioRejectAcc.add(o.toReject());
              }
              return null;
            }

            @Override
            public boolean hasNext() {
              return next != null;
            }

            @Override
            public Row next() {
              Row r = next;
              next = advance();
              return r;
            }
          };
        });

    try (AtomicOutput output = AtomicOutput.begin(config.out(), jsc.hadoopConfiguration())) {
      String clipsPath = output.resolve("clips");
      try (Progress progress = Progress.start("ingest", "files", done, clips.size())) {
        // Dictionary encoding and compression gain nothing on float32 audio (snappy: 0 %) and
        // cost time when the feature job reads it back. Row groups of 16 MB (about nine 10 s
        // clips instead of 72) let the feature job split the table into balanced tasks.
        spark.createDataFrame(clipRows, IngestSchemas.CLIPS).write()
            .option("parquet.enable.dictionary", "false").option("compression", "none")
            .option("parquet.block.size", String.valueOf(CLIPS_ROW_GROUP_BYTES))
            // Parquet first checks the size of pages and row groups after 100 rows (176 MB of 10 s
            // clips), then at estimated intervals; from 2 rows on, the row groups are ~16 MB.
            .option("parquet.page.size.row.check.min", "2")
            .mode(SaveMode.ErrorIfExists).parquet(clipsPath);
      }
      List<Reject> audioRejects = new ArrayList<>(new LinkedHashSet<>(audioRejectAcc.value()));
      audioRejects.sort(Comparator.comparing(Reject::filename).thenComparing(Reject::reason));
      List<Reject> rejects = new ArrayList<>(listing.rejects());
      rejects.addAll(audioRejects);
      List<Row> rejectRows = new ArrayList<>();
      for (Reject r : rejects) {
        rejectRows.add(RowFactory.create(r.filename(), r.reason(), r.stage()));
      }
      spark.createDataFrame(rejectRows, IngestSchemas.REJECTS).coalesce(1)
          .write().mode(SaveMode.ErrorIfExists).parquet(output.resolve("rejects"));

      long clipCount = spark.read().parquet(clipsPath).count(); // from Parquet footers
      IngestResult result = new IngestResult(listing.listed(), clipCount, rejects.size(),
          listing.rejects().size(), audioRejects.size(), output.target().toString());
      if (result.listed() != result.clips() + result.rejects()) {
        throw new IllegalStateException("counts do not reconcile: " + result.summary());
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      counts.put("listed", result.listed());
      counts.put("clips", result.clips());
      counts.put("rejects", result.rejects());
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("labels", listing.labels());
      extra.put("devices", listing.devices());
      extra.put("sample_rate_hz", config.sampleRateHz());
      output.commit(JOB, jobConfig, counts, extra);
      return result;
    }
  }
}
