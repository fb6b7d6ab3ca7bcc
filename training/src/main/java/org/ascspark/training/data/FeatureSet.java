package org.ascspark.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.ascspark.pipeline.features.NormStats;

/**
 * A features output folder written by {@code ./asc features}: its manifest (feature hash, shape,
 * hop rate), its normalisation statistics and its {@code features} table. Training and evaluation
 * open one of these; a model records the {@link #featureHash()} it was trained on.
 *
 * @param dir the folder ({@code <features.out>/<hash>})
 * @param featureHash hash of the feature settings (the folder's config hash)
 * @param feature front end name, e.g. {@code logmel}
 * @param channels channels of each row
 * @param bins bins per channel
 * @param framesPerSecond frames per second of audio (the hop rate)
 * @param stats per-(channel, bin) mean and std of the statistics split
 */
public record FeatureSet(String dir, String featureHash, String feature, int channels, int bins,
    double framesPerSecond, NormStats stats) implements Serializable {

  /**
   * Reads the manifest and statistics of a features folder.
   *
   * @param dir the folder
   * @param hadoopConf Hadoop configuration (local paths or any Hadoop file system)
   * @return the feature set
   * @throws IllegalArgumentException naming the folder and the missing or bad file
   */
  public static FeatureSet open(String dir, Configuration hadoopConf) {
    Path root = new Path(dir);
    try {
      FileSystem fs = root.getFileSystem(hadoopConf);
      Path manifestPath = new Path(root, "_manifest.json");
      if (!fs.exists(manifestPath)) {
        throw new IllegalArgumentException("no features at " + dir + ": " + manifestPath
            + " does not exist (give the folder ./asc features printed, <features.out>/<hash>)");
      }
      JsonNode m = readJson(fs, manifestPath);
      if (!"features".equals(m.path("job").asText())) {
        throw new IllegalArgumentException(manifestPath + " was written by job '"
            + m.path("job").asText() + "', not by ./asc features");
      }
      if (!m.has("frames_per_second")) {
        throw new IllegalArgumentException(manifestPath + " has no frames_per_second: these"
            + " features predate the training job; rerun ./asc features with --overwrite");
      }
      int channels = m.path("shape").path(0).asInt();
      int bins = m.path("shape").path(1).asInt();
      JsonNode s = readJson(fs, new Path(root, "stats.json"));
      double[][] mean = matrix(s.path("mean"), channels, bins, "mean");
      double[][] std = matrix(s.path("std"), channels, bins, "std");
      NormStats stats = new NormStats(channels, bins, s.path("frames").asLong(), mean, std);
      return new FeatureSet(root.toString(), m.path("feature_hash").asText(),
          m.path("feature").asText(), channels, bins, m.path("frames_per_second").asDouble(), stats);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the features at " + dir + ": " + e.getMessage(), e);
    }
  }

  /** @return the {@code features} table */
  public Dataset<Row> rows(SparkSession spark) {
    String table = new Path(dir, "features").toString();
    Dataset<Row> rows = spark.read().parquet(table);
    DataType t = rows.schema().apply("values").dataType();
    if (!(t instanceof BinaryType)) {
      throw new IllegalArgumentException("the features table " + table + " stores values as "
          + t.simpleString() + "; this version reads little-endian float32 bytes (binary): run "
          + "./asc ingest and ./asc features again");
    }
    return rows;
  }

  /**
   * @param seconds a duration of audio
   * @return the number of frames covering it, at least 1
   */
  public int frames(double seconds) {
    return Math.max(1, (int) Math.round(seconds * framesPerSecond));
  }

  private static JsonNode readJson(FileSystem fs, Path p) throws IOException {
    if (!fs.exists(p)) {
      throw new IllegalArgumentException(p + " does not exist");
    }
    try (InputStream in = fs.open(p)) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static double[][] matrix(JsonNode n, int rows, int cols, String what) {
    if (!n.isArray() || n.size() != rows) {
      throw new IllegalArgumentException("stats.json: " + what + " is not [" + rows + "][" + cols + "]");
    }
    double[][] out = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      JsonNode row = n.get(r);
      if (row.size() != cols) {
        throw new IllegalArgumentException("stats.json: " + what + "[" + r + "] has " + row.size()
            + " values, expected " + cols);
      }
      for (int c = 0; c < cols; c++) {
        out[r][c] = row.get(c).asDouble();
      }
    }
    return out;
  }
}
