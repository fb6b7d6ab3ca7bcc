package org.ascspark.training.data;

import static org.apache.spark.sql.functions.col;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.ascspark.pipeline.features.NormStats;
import org.ascspark.pipeline.io.Float32Bytes;

/**
 * Reads feature rows of one split as normalised {@link Example}s: {@code (x - mean) / std} per
 * (channel, bin) with the feature set's statistics (a std of 0 is treated as 1).
 */
public final class Examples {

  private Examples() {}

  /**
   * @param spark the session
   * @param features the feature set
   * @param split split to read ({@code train}, {@code evaluate}, {@code test})
   * @param originalsOnly only variant 0 (evaluation data is never augmented)
   * @param classes the run's class names; a row whose label is not among them gets label -1
   * @return the rows
   */
  public static JavaRDD<Example> read(SparkSession spark, FeatureSet features, String split,
      boolean originalsOnly, List<String> classes) {
    return toExamples(select(features.rows(spark), split, originalsOnly), features, classes, false);
  }

  /**
   * Rows of a split (all variants) with their teacher outputs attached ({@link Example#targets()}),
   * joined by (clip_id, variant, segment); a row without outputs gets null targets.
   *
   * @param spark the session
   * @param features the feature set
   * @param split split to read
   * @param classes the run's class names
   * @param targets teacher outputs with columns clip_id, variant, segment, soft_labels (array of
   *     float) and embedding (array of float, may be null)
   * @return the rows
   */
  public static JavaRDD<Example> readWithTargets(SparkSession spark, FeatureSet features,
      String split, List<String> classes, Dataset<Row> targets) {
    Dataset<Row> rows = select(features.rows(spark), split, false);
    Dataset<Row> t = targets.select(col("clip_id").as("t_clip_id"), col("variant").as("t_variant"),
        col("segment").as("t_segment"), col("soft_labels"), col("embedding"));
    Dataset<Row> joined = rows.join(t, rows.col("clip_id").equalTo(t.col("t_clip_id"))
        .and(rows.col("variant").equalTo(t.col("t_variant")))
        .and(rows.col("segment").equalTo(t.col("t_segment"))), "left_outer");
    Column[] cols = new Column[12];
    for (int i = 0; i < COLUMNS.length; i++) {
      cols[i] = joined.col(COLUMNS[i]);
    }
    cols[10] = joined.col("soft_labels");
    cols[11] = joined.col("embedding");
    return toExamples(joined.select(cols), features, classes, true);
  }

  private static final String[] COLUMNS = {"clip_id", "filename", "device", "scene_label",
      "variant", "segment", "channels", "bins", "frames", "values"};

  private static Dataset<Row> select(Dataset<Row> all, String split, boolean originalsOnly) {
    Dataset<Row> rows = all.filter(col("split").equalTo(split));
    if (originalsOnly) {
      rows = rows.filter(col("variant").equalTo(0));
    }
    Column[] cols = new Column[COLUMNS.length];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = col(COLUMNS[i]);
    }
    return rows.select(cols);
  }

  private static JavaRDD<Example> toExamples(Dataset<Row> selected, FeatureSet features,
      List<String> classes, boolean withTargets) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.put(classes.get(i), i);
    }
    float[][] scale = scales(features.stats());
    int channels = features.channels();
    int bins = features.bins();
    // The internal rows avoid the copies of a Row decode of the binary values column.
    return selected.queryExecution().toRdd().toJavaRDD()
        .map(r -> {
          Example e = toExample(r, index, scale, channels, bins);
          if (withTargets && !r.isNullAt(10)) {
            e = e.withTargets(new Example.Targets(r.getArray(10).toFloatArray(),
                r.isNullAt(11) ? null : r.getArray(11).toFloatArray()));
          }
          return e;
        });
  }

  /**
   * Labels present in a split.
   *
   * @param spark the session
   * @param features the feature set
   * @param split the split
   * @return distinct non-null labels, sorted
   */
  public static List<String> labels(SparkSession spark, FeatureSet features, String split) {
    return features.rows(spark).filter(col("split").equalTo(split))
        .filter(col("scene_label").isNotNull())
        .select("scene_label").distinct().orderBy("scene_label").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }

  private static Example toExample(InternalRow r, Map<String, Integer> index, float[][] scale,
      int channels, int bins) {
    String clipId = r.getUTF8String(0).toString();
    int c = r.getInt(6);
    int b = r.getInt(7);
    int frames = r.getInt(8);
    if (c != channels || b != bins) {
      throw new IllegalStateException("clip " + clipId + " has shape " + c + "x" + b
          + ", the feature set's manifest says " + channels + "x" + bins);
    }
    float[] v = Float32Bytes.decode(r, 9, "features.values");
    float[] mean = scale[0];
    float[] inv = scale[1];
    for (int row = 0; row < c * b; row++) {
      float m = mean[row];
      float s = inv[row];
      int base = row * frames;
      for (int t = 0; t < frames; t++) {
        v[base + t] = (v[base + t] - m) * s;
      }
    }
    String label = r.isNullAt(3) ? null : r.getUTF8String(3).toString();
    Integer li = label == null ? null : index.get(label);
    return new Example(clipId, r.getUTF8String(1).toString(), r.getUTF8String(2).toString(),
        li == null ? -1 : li, r.getInt(4), r.getInt(5), c, b, frames, v);
  }

  /** @return {mean, 1 / std} per flattened (channel, bin) */
  static float[][] scales(NormStats stats) {
    int n = stats.channels() * stats.bins();
    float[] mean = new float[n];
    float[] inv = new float[n];
    for (int c = 0; c < stats.channels(); c++) {
      for (int b = 0; b < stats.bins(); b++) {
        double sd = stats.std()[c][b];
        mean[c * stats.bins() + b] = (float) stats.mean()[c][b];
        inv[c * stats.bins() + b] = (float) (sd > 0 ? 1.0 / sd : 1.0);
      }
    }
    return new float[][] {mean, inv};
  }
}
