package org.ascspark.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.ascspark.pipeline.io.Float32Bytes;

/** Tests' view of the binary float32 columns ({@code samples}, {@code values}) of a Spark row. */
public final class FloatColumns {
  private FloatColumns() {}

  /**
   * @param r a row read back from Parquet
   * @param column a little-endian float32 binary column
   * @return its floats
   */
  public static float[] floats(Row r, String column) {
    return Float32Bytes.decode(r.<byte[]>getAs(column), column);
  }

  /**
   * @param r a row read back from Parquet
   * @param column a little-endian float32 binary column
   * @return its floats as a list (equality by value)
   */
  public static List<Float> list(Row r, String column) {
    List<Float> out = new ArrayList<>();
    for (float f : floats(r, column)) {
      out.add(f);
    }
    return out;
  }
}
