package org.ascspark.pipeline.features;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Parquet schemas of the feature job's output (documented in the README, "Feature output"). */
public final class FeatureSchemas {
  private FeatureSchemas() {}

  /**
   * {@code features}: one row per (clip, variant, segment); {@code values} holds
   * [channels][bins][frames] in C order as little-endian float32 bytes
   * ({@link org.ascspark.pipeline.io.Float32Bytes}).
   */
  public static final StructType FEATURES = new StructType(new StructField[] {
      DataTypes.createStructField("clip_id", DataTypes.StringType, true),
      DataTypes.createStructField("filename", DataTypes.StringType, true),
      DataTypes.createStructField("scene_label", DataTypes.StringType, true),
      DataTypes.createStructField("device", DataTypes.StringType, true),
      DataTypes.createStructField("city", DataTypes.StringType, true),
      DataTypes.createStructField("identifier", DataTypes.StringType, true),
      DataTypes.createStructField("split", DataTypes.StringType, true),
      DataTypes.createStructField("in_test", DataTypes.BooleanType, false),
      DataTypes.createStructField("pair_key", DataTypes.StringType, true),
      DataTypes.createStructField("variant", DataTypes.IntegerType, false),
      DataTypes.createStructField("augmentation", DataTypes.StringType, true),
      DataTypes.createStructField("aug_params", DataTypes.StringType, true),
      DataTypes.createStructField("segment", DataTypes.IntegerType, false),
      DataTypes.createStructField("segment_start_s", DataTypes.DoubleType, false),
      DataTypes.createStructField("feature", DataTypes.StringType, true),
      DataTypes.createStructField("channels", DataTypes.IntegerType, false),
      DataTypes.createStructField("bins", DataTypes.IntegerType, false),
      DataTypes.createStructField("frames", DataTypes.IntegerType, false),
      DataTypes.createStructField("values", DataTypes.BinaryType, false),
  });

  /** {@code stats}: per-(channel, bin) normalisation statistics over the stats split. */
  public static final StructType STATS = new StructType(new StructField[] {
      DataTypes.createStructField("channel", DataTypes.IntegerType, false),
      DataTypes.createStructField("bin", DataTypes.IntegerType, false),
      DataTypes.createStructField("mean", DataTypes.DoubleType, false),
      DataTypes.createStructField("std", DataTypes.DoubleType, false),
      DataTypes.createStructField("count", DataTypes.LongType, false),
  });

  /** {@code responses}: device frequency responses estimated from aligned pairs. */
  public static final StructType RESPONSES = new StructType(new StructField[] {
      DataTypes.createStructField("device", DataTypes.StringType, false),
      DataTypes.createStructField("bin", DataTypes.IntegerType, false),
      DataTypes.createStructField("frequency_hz", DataTypes.DoubleType, false),
      DataTypes.createStructField("response", DataTypes.DoubleType, false),
      DataTypes.createStructField("correction", DataTypes.DoubleType, false),
      DataTypes.createStructField("pairs", DataTypes.LongType, false),
  });

  /** {@code rejects}: clips (or segments) that gave no features. */
  public static final StructType REJECTS = new StructType(new StructField[] {
      DataTypes.createStructField("clip_id", DataTypes.StringType, false),
      DataTypes.createStructField("filename", DataTypes.StringType, false),
      DataTypes.createStructField("variant", DataTypes.IntegerType, false),
      DataTypes.createStructField("reason", DataTypes.StringType, false),
  });
}
