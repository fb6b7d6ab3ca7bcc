package org.ascspark.pipeline.ingest;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet schemas the ingest job writes. They are documented column by column in the README
 * ("Ingest output"); readers need nothing from this project.
 */
public final class IngestSchemas {
  private IngestSchemas() {}

  /**
   * {@code clips}: one row per decoded clip, mono samples at the configured rate as little-endian
   * float32 bytes ({@link org.ascspark.pipeline.io.Float32Bytes}).
   */
  public static final StructType CLIPS = new StructType(new StructField[] {
      DataTypes.createStructField("clip_id", DataTypes.StringType, false),
      DataTypes.createStructField("filename", DataTypes.StringType, false),
      DataTypes.createStructField("scene_label", DataTypes.StringType, false),
      DataTypes.createStructField("device", DataTypes.StringType, false),
      DataTypes.createStructField("city", DataTypes.StringType, false),
      DataTypes.createStructField("identifier", DataTypes.StringType, false),
      DataTypes.createStructField("split", DataTypes.StringType, false),
      DataTypes.createStructField("in_test", DataTypes.BooleanType, false),
      DataTypes.createStructField("pair_key", DataTypes.StringType, false),
      DataTypes.createStructField("reference_filename", DataTypes.StringType, true),
      DataTypes.createStructField("sample_rate_hz", DataTypes.IntegerType, false),
      DataTypes.createStructField("num_samples", DataTypes.IntegerType, false),
      DataTypes.createStructField("duration_s", DataTypes.DoubleType, false),
      DataTypes.createStructField("source_sample_rate_hz", DataTypes.IntegerType, false),
      DataTypes.createStructField("source_channels", DataTypes.IntegerType, false),
      DataTypes.createStructField("source_encoding", DataTypes.StringType, false),
      DataTypes.createStructField("samples", DataTypes.BinaryType, false),
  });

  /** {@code rejects}: one row per listed item that did not become a clip. */
  public static final StructType REJECTS = new StructType(new StructField[] {
      DataTypes.createStructField("filename", DataTypes.StringType, false),
      DataTypes.createStructField("reason", DataTypes.StringType, false),
      DataTypes.createStructField("stage", DataTypes.StringType, false),
  });
}
