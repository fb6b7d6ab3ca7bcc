package org.ascspark.pipeline.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.unsafe.Platform;

/**
 * Float arrays as the {@code binary} Parquet columns of this project ({@code clips.samples},
 * {@code features.values}): IEEE 754 single precision, little-endian, 4 bytes per value, nothing
 * else. numpy reads one with {@code np.frombuffer(b, dtype="<f4")}.
 *
 * <p>Why not {@code array<float>}: Spark's Parquet writer and reader handle a nested column value
 * by value (repetition and definition levels for each element, a copy through {@code UnsafeArrayData}),
 * which cost more than the log-mel extraction itself; a binary value is copied in one piece
 * (docs/benchmarks.md, "Feature job").
 */
public final class Float32Bytes {
  private Float32Bytes() {}

  /** Bytes per value. */
  public static final int BYTES = Float.BYTES;

  /**
   * @param values the floats
   * @return their little-endian float32 bytes
   */
  public static byte[] encode(float[] values) {
    byte[] b = new byte[values.length * BYTES];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
    return b;
  }

  /**
   * Decodes a binary column of a Spark internal row. An {@link UnsafeRow} (what Spark's scans
   * give) on a little-endian machine is read with one copy from the row's own buffer, skipping
   * the {@code byte[]} that {@link InternalRow#getBinary} would allocate, fill and drop: 1.76 MB
   * for a 10 s clip.
   *
   * @param row the row
   * @param ordinal the column, not null
   * @param what what the bytes are, for the error message
   * @return the floats
   * @throws IllegalArgumentException when the length is not a multiple of 4
   */
  public static float[] decode(InternalRow row, int ordinal, String what) {
    if (!(row instanceof UnsafeRow u) || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      return decode(row.getBinary(ordinal), what);
    }
    // UnsafeRow's layout of a variable-length field: offset in the high, size in the low 32 bits.
    long offsetAndSize = u.getLong(ordinal);
    int offset = (int) (offsetAndSize >> 32);
    int size = (int) offsetAndSize;
    if (size % BYTES != 0) {
      throw new IllegalArgumentException(what + ": " + size
          + " bytes is not a whole number of float32 values (4 bytes each)");
    }
    float[] v = new float[size / BYTES];
    Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + offset, v, Platform.FLOAT_ARRAY_OFFSET,
        size);
    return v;
  }

  /**
   * @param bytes little-endian float32 bytes
   * @param what what the bytes are, for the error message (e.g. {@code "values of clip x"})
   * @return the floats
   * @throws IllegalArgumentException when the length is not a multiple of 4
   */
  public static float[] decode(byte[] bytes, String what) {
    if (bytes.length % BYTES != 0) {
      throw new IllegalArgumentException(what + ": " + bytes.length
          + " bytes is not a whole number of float32 values (4 bytes each)");
    }
    float[] v = new float[bytes.length / BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }
}
