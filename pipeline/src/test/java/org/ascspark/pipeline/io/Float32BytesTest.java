package org.ascspark.pipeline.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class Float32BytesTest {
  @Test
  void bytesAreLittleEndianIeee754Singles() {
    // 1.0f = 0x3F800000, -2.5f = 0xC0200000: least significant byte first, as numpy's "<f4".
    byte[] b = Float32Bytes.encode(new float[] {1.0f, -2.5f});
    assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0x20, (byte) 0xC0}, b);
  }

  @Test
  void everyValueSurvivesTheRoundTripBitForBit() {
    float[] v = {0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY,
        Float.intBitsToFloat(0x7FC00001), 1e-10f, (float) Math.PI};
    float[] back = Float32Bytes.decode(Float32Bytes.encode(v), "test");
    assertEquals(v.length, back.length);
    for (int i = 0; i < v.length; i++) {
      assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]), "value " + i);
    }
    assertEquals(0, Float32Bytes.decode(new byte[0], "empty").length);
  }

  @Test
  void anUnsafeRowDecodesLikeItsBytes() {
    float[] v = {1.5f, -0f, Float.NaN, 3e-9f, -7f};
    StructType schema = new StructType().add("id", DataTypes.IntegerType)
        .add("values", DataTypes.BinaryType).add("more", DataTypes.BinaryType);
    InternalRow generic = new GenericInternalRow(new Object[] {7, Float32Bytes.encode(v),
        Float32Bytes.encode(new float[] {2f})});
    UnsafeRow unsafe = UnsafeProjection.create(schema).apply(generic);
    assertArrayEquals(v, Float32Bytes.decode(unsafe, 1, "values"));
    assertArrayEquals(new float[] {2f}, Float32Bytes.decode(unsafe, 2, "more"));
    assertArrayEquals(v, Float32Bytes.decode(generic, 1, "values"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Float32Bytes.decode(
        UnsafeProjection.create(schema).apply(new GenericInternalRow(new Object[] {1, new byte[6],
            new byte[0]})), 1, "features.values"));
    assertTrue(e.getMessage().startsWith("features.values: 6 bytes"), e.getMessage());
  }

  @Test
  void aLengthThatIsNoWholeNumberOfFloatsIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Float32Bytes.decode(new byte[7], "features.values"));
    assertTrue(e.getMessage().startsWith("features.values: 7 bytes"), e.getMessage());
  }
}
