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
    Dataset<Row> rows = features.rows(spark).filter(col("split").equalTo(split));
    if (originalsOnly) {
      rows = rows.filter(col("variant").equalTo(0));
    }
    Dataset<Row> selected = rows.select(new Column[] {col("clip_id"), col("filename"), col("device"),
        col("scene_label"), col("variant"), col("segment"), col("channels"), col("bins"),
        col("frames"), col("values")});
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.put(classes.get(i), i);
    }
    float[][] scale = scales(features.stats());
    int channels = features.channels();
    int bins = features.bins();
    // The internal rows avoid a per-value boxed decode of the array<float> column.
    return selected.queryExecution().toRdd().toJavaRDD()
        .map(r -> toExample(r, index, scale, channels, bins));
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
    float[] v = r.getArray(9).toFloatArray();
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
