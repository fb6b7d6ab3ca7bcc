package org.ascspark.features.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds hand-made RIFF/WAVE byte arrays for decoder edge-case tests. */
final class WavBytes {

  /** KSDATAFORMAT_SUBTYPE_* GUID bytes after the 16-bit format tag. */
  static final byte[] GUID_TAIL = {
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
    (byte) 0x9B, 0x71
  };

  private WavBytes() {}

  /** A chunk: id, little-endian size, body, pad byte when the body is odd-sized. */
  static byte[] chunk(String id, byte[] body) {
    return chunk(id, body.length, body);
  }

  /** A chunk whose size field says {@code declaredSize} whatever the body's length. */
  static byte[] chunk(String id, long declaredSize, byte[] body) {
    ByteBuffer b = le(8 + body.length + (body.length & 1));
    b.put(id.getBytes(StandardCharsets.ISO_8859_1)).putInt((int) declaredSize).put(body);
    return b.array();
  }

  /** A 16-byte fmt chunk body. */
  static byte[] fmt(int tag, int channels, int sampleRateHz, int bits) {
    int blockAlign = channels * ((bits + 7) / 8);
    ByteBuffer b = le(16);
    b.putShort((short) tag).putShort((short) channels).putInt(sampleRateHz)
        .putInt(sampleRateHz * blockAlign).putShort((short) blockAlign).putShort((short) bits);
    return b.array();
  }

  /** A 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk body with the standard GUID for subTag. */
  static byte[] fmtExtensible(int subTag, int channels, int sampleRateHz, int bits, int validBits) {
    ByteBuffer b = le(40);
    b.put(fmt(0xFFFE, channels, sampleRateHz, bits));
    b.putShort((short) 22).putShort((short) validBits).putInt(channels == 1 ? 0x4 : 0x3);
    b.putShort((short) subTag).put(GUID_TAIL);
    return b.array();
  }

  /** "RIFF", size of everything after it, "WAVE", then the chunks. */
  static byte[] riff(byte[]... chunks) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("WAVE".getBytes(StandardCharsets.ISO_8859_1));
    for (byte[] c : chunks) {
      body.writeBytes(c);
    }
    byte[] rest = body.toByteArray();
    return concat("RIFF".getBytes(StandardCharsets.ISO_8859_1), le(4).putInt(rest.length).array(),
        rest);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] floats32(float... v) {
    ByteBuffer b = le(4 * v.length);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  static byte[] floats64(double... v) {
    ByteBuffer b = le(8 * v.length);
    for (double d : v) {
      b.putDouble(d);
    }
    return b.array();
  }

  /** 24-bit little-endian integers, {@code shift} bits left-justified (for extensible tests). */
  static byte[] ints24(int shift, int... v) {
    ByteBuffer b = le(3 * v.length);
    for (int x : v) {
      int w = x << shift;
      b.put((byte) w).put((byte) (w >> 8)).put((byte) (w >> 16));
    }
    return b.array();
  }

  static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }
}
