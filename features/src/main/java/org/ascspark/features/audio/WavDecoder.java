package org.ascspark.features.audio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes RIFF/WAVE files held in memory into {@link WavAudio}. Our own parser: no
 * {@code javax.sound}.
 *
 * <p><b>Supported encodings.</b> PCM (format tag 1) with 8 (unsigned, offset 128), 16, 24 and 32
 * bits; IEEE float (format tag 3) with 32 and 64 bits; WAVE_FORMAT_EXTENSIBLE (tag 0xFFFE) whose
 * SubFormat GUID is KSDATAFORMAT_SUBTYPE_PCM or KSDATAFORMAT_SUBTYPE_IEEE_FLOAT with the same
 * sizes. Everything else (ADPCM, A-law, mu-law, MPEG, RF64, RIFX) is rejected with a
 * {@link WavFormatException} whose {@link WavFormatException#reason() reason} names it.
 *
 * <p><b>Sample conversion.</b> Integer PCM value {@code v} becomes {@code (float) (v / 2^(bits-1))},
 * computed in double (8-bit: {@code (u - 128) / 128}); float32 is taken as is; float64 is cast to
 * float32. Results are exact for 8/16/24-bit; 32-bit PCM is rounded to float32's 24-bit mantissa.
 *
 * <p><b>WAVE_FORMAT_EXTENSIBLE valid bits.</b> The extensible spec stores the valid bits
 * left-justified in the container, so the whole container word is decoded and divided by
 * 2^(containerBits-1); for a file whose padding bits are zero (as the spec requires) this equals
 * {@code v_valid / 2^(validBits-1)} exactly. Non-zero padding bits are kept, not masked. A valid-bit
 * count of 0 is read as "equal to the container"; one larger than the container is rejected. For
 * float SubFormats the valid-bit count must be 0 or equal to the container size.
 *
 * <p><b>Chunks.</b> Chunks are walked from byte 12 with the RIFF pad byte after odd-sized chunks;
 * unknown chunks ({@code LIST}, {@code FLLR}, {@code bext}, {@code fact}, {@code JUNK}, ...) are
 * skipped; the first {@code fmt } chunk is used; decoding stops at the first {@code data} chunk, which
 * must come after a {@code fmt } chunk. The RIFF size field is not trusted (streaming writers leave
 * it 0 or 0xFFFFFFFF, and some files omit the final pad byte): the byte array's length bounds the
 * walk. A missing pad byte after a final odd-sized data chunk is accepted.
 *
 * <p><b>Truncation policy (strict, as for TAU clips).</b> Every chunk size is checked against the
 * bytes actually present before anything is read or allocated, so a header claiming 4 GB on a
 * 100-byte file fails at once with a "truncated" reason. A data chunk declaring more bytes than
 * follow is rejected as truncated, even if whole frames are present. A data chunk whose length is
 * not a multiple of the block align is accepted: its whole frames are decoded and the trailing
 * partial frame (at most blockAlign-1 bytes) is ignored and logged at debug level.
 *
 * <p><b>Content checks.</b> Zero frames is rejected ("zero samples"). NaN or infinite float samples,
 * and float64 samples outside float32's range, are rejected with the frame of the first one.
 *
 * <p>Thread-safe and stateless; memory use is the output arrays only (4 bytes per sample).
 */
public final class WavDecoder {

  private static final Logger LOG = LoggerFactory.getLogger(WavDecoder.class);

  /** Reason suffix for unsupported encodings. */
  private static final String SUPPORTED =
      "only PCM 8/16/24/32-bit and IEEE float 32/64 are supported";

  private static final int TAG_PCM = 0x0001;
  private static final int TAG_FLOAT = 0x0003;
  private static final int TAG_EXTENSIBLE = 0xFFFE;

  /** Bytes 2..15 of the KSDATAFORMAT_SUBTYPE_* GUIDs: {xxxxxxxx-0000-0010-8000-00aa00389b71}. */
  private static final byte[] GUID_SUFFIX = {
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
    (byte) 0x9B, 0x71
  };

  private static final VarHandle SHORT_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private WavDecoder() {}

  /** The decoded {@code fmt } chunk, already validated. */
  private record Format(
      boolean isFloat, int channels, int sampleRateHz, int bitsPerSample, boolean extensible) {

    int blockAlign() {
      return channels * (bitsPerSample / 8);
    }

    String encodingName() {
      return (isFloat ? "float" : "pcm") + bitsPerSample + (extensible ? "-extensible" : "");
    }
  }

  /**
   * Decodes a complete WAV file.
   *
   * @param fileBytes the whole file; not modified
   * @return the decoded audio, samples full scale [-1, 1], shape [channels][frames]
   * @throws WavFormatException if the bytes are not a WAV file this decoder supports; its
   *     {@link WavFormatException#reason() reason} says why
   */
  public static WavAudio decode(byte[] fileBytes) {
    Objects.requireNonNull(fileBytes, "fileBytes");
    byte[] b = fileBytes;
    int len = b.length;
    if (len == 0) {
      throw new WavFormatException("empty file (0 bytes)");
    }
    checkMagic(b);
    if (len < 12) {
      throw new WavFormatException(
          "truncated: file is " + len + " bytes, shorter than the 12-byte RIFF/WAVE header");
    }
    if (!fourcc(b, 8).equals("WAVE")) {
      throw new WavFormatException(
          "not a RIFF/WAVE file (RIFF form type '" + printable(b, 8, 4) + "')");
    }
    long riffSize = u32(b, 4);
    if (riffSize + 8 != len) {
      LOG.debug("RIFF size field says {} bytes, file has {}; using the file length", riffSize + 8,
          len);
    }
    Format format = null;
    long pos = 12;
    while (pos + 8 <= len) {
      int at = (int) pos;
      String id = fourcc(b, at);
      long size = u32(b, at + 4);
      long bodyStart = pos + 8;
      long available = len - bodyStart;
      if (id.equals("fmt ")) {
        if (size > available) {
          throw new WavFormatException(
              "truncated: fmt chunk declares " + size + " bytes but only " + available + " follow");
        }
        if (format == null) {
          format = parseFormat(b, (int) bodyStart, (int) size);
        } else {
          LOG.debug("ignoring a second fmt chunk at byte {}", pos);
        }
      } else if (id.equals("data")) {
        if (format == null) {
          throw new WavFormatException("no fmt chunk before data");
        }
        if (size > available) {
          throw new WavFormatException(
              "truncated: data chunk declares " + size + " bytes but only " + available + " follow");
        }
        return decodeData(b, (int) bodyStart, (int) size, format);
      } else if (size > available) {
        throw new WavFormatException("truncated: '" + printable(b, at, 4) + "' chunk declares "
            + size + " bytes but only " + available + " follow, and no data chunk came before it");
      }
      pos = bodyStart + size + (size & 1);
    }
    throw new WavFormatException(format == null ? "no fmt chunk and no data chunk" : "no data chunk");
  }

  /** Rejects anything whose first bytes are not "RIFF", naming RF64/RIFX explicitly. */
  private static void checkMagic(byte[] b) {
    int n = Math.min(4, b.length);
    String head = new String(b, 0, n, StandardCharsets.ISO_8859_1);
    if ("RIFF".startsWith(head)) {
      return;
    }
    if (head.equals("RF64") || head.equals("BW64")) {
      throw new WavFormatException(
          "unsupported container: " + head + " (64-bit RIFF) files are not supported");
    }
    if (head.equals("RIFX")) {
      throw new WavFormatException(
          "unsupported container: RIFX (big-endian RIFF) files are not supported");
    }
    throw new WavFormatException(
        "not a RIFF/WAVE file (starts with '" + printable(b, 0, n) + "')");
  }

  private static Format parseFormat(byte[] b, int off, int size) {
    if (size < 16) {
      throw new WavFormatException("fmt chunk too short (" + size + " bytes, need at least 16)");
    }
    int tag = u16(b, off);
    int channels = u16(b, off + 2);
    long sampleRateHz = u32(b, off + 4);
    int blockAlign = u16(b, off + 12);
    int bits = u16(b, off + 14);
    boolean extensible = tag == TAG_EXTENSIBLE;
    int effectiveTag = tag;
    int validBits = bits;
    if (extensible) {
      if (size < 40 || u16(b, off + 16) < 22) {
        throw new WavFormatException("WAVE_FORMAT_EXTENSIBLE fmt chunk too short (" + size
            + " bytes, need 40 with cbSize 22)");
      }
      validBits = u16(b, off + 18);
      int guid = off + 24;
      for (int i = 0; i < GUID_SUFFIX.length; i++) {
        if (b[guid + 2 + i] != GUID_SUFFIX[i]) {
          throw new WavFormatException("unsupported encoding: WAVE_FORMAT_EXTENSIBLE with unknown "
              + "SubFormat GUID " + hex(b, guid, 16) + "; " + SUPPORTED);
        }
      }
      effectiveTag = u16(b, guid);
    }
    String where = extensible
        ? String.format("WAVE_FORMAT_EXTENSIBLE, SubFormat tag 0x%04X", effectiveTag)
        : String.format("format tag 0x%04X", tag);
    if (effectiveTag != TAG_PCM && effectiveTag != TAG_FLOAT) {
      throw new WavFormatException(
          "unsupported encoding: " + tagName(effectiveTag) + " (" + where + "); " + SUPPORTED);
    }
    boolean isFloat = effectiveTag == TAG_FLOAT;
    boolean sizeOk = isFloat ? (bits == 32 || bits == 64)
        : (bits == 8 || bits == 16 || bits == 24 || bits == 32);
    if (!sizeOk) {
      throw new WavFormatException("unsupported encoding: " + tagName(effectiveTag) + " " + bits
          + "-bit (" + where + "); " + SUPPORTED);
    }
    if (extensible) {
      if (validBits > bits) {
        throw new WavFormatException("inconsistent fmt chunk: " + validBits
            + " valid bits per sample in a " + bits + "-bit container");
      }
      if (isFloat && validBits != 0 && validBits != bits) {
        throw new WavFormatException("unsupported encoding: IEEE float with " + validBits
            + " valid bits in a " + bits + "-bit container (" + where + ")");
      }
      if (validBits != 0 && validBits != bits) {
        LOG.debug("{} valid bits in a {}-bit container: decoding the container word", validBits,
            bits);
      }
    }
    if (channels == 0) {
      throw new WavFormatException("fmt chunk declares 0 channels");
    }
    if (sampleRateHz == 0 || sampleRateHz > Integer.MAX_VALUE) {
      throw new WavFormatException("fmt chunk declares an invalid sample rate of " + sampleRateHz
          + " Hz");
    }
    Format f = new Format(isFloat, channels, (int) sampleRateHz, bits, extensible);
    if (blockAlign != f.blockAlign()) {
      throw new WavFormatException("inconsistent fmt chunk: block align " + blockAlign
          + ", expected " + f.blockAlign() + " for " + channels + " channels of " + bits + " bits");
    }
    return f;
  }

  private static WavAudio decodeData(byte[] b, int off, int size, Format f) {
    int blockAlign = f.blockAlign();
    int frames = size / blockAlign;
    if (size % blockAlign != 0) {
      LOG.debug("data chunk of {} bytes is not a multiple of block align {}; ignoring {} bytes",
          size, blockAlign, size % blockAlign);
    }
    if (frames == 0) {
      throw new WavFormatException("zero samples (data chunk of " + size + " bytes)");
    }
    int nCh = f.channels();
    float[][] out = new float[nCh][frames];
    int bytes = f.bitsPerSample() / 8;
    String name = f.encodingName();
    if (f.isFloat()) {
      if (bytes == 4) {
        readFloat32(b, off, out);
      } else {
        readFloat64(b, off, out);
      }
    } else {
      switch (bytes) {
        case 1 -> readPcm8(b, off, out);
        case 2 -> readPcm16(b, off, out);
        case 3 -> readPcm24(b, off, out);
        default -> readPcm32(b, off, out);
      }
    }
    return new WavAudio(f.sampleRateHz(), f.bitsPerSample(), name, out);
  }

  private static void readPcm8(byte[] b, int off, float[][] out) {
    int nCh = out.length;
    int frames = out[0].length;
    int p = off;
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < nCh; c++) {
        out[c][i] = (float) (((b[p++] & 0xFF) - 128) / 128.0);
      }
    }
  }

  private static void readPcm16(byte[] b, int off, float[][] out) {
    int nCh = out.length;
    int frames = out[0].length;
    int p = off;
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < nCh; c++) {
        out[c][i] = (float) ((short) SHORT_LE.get(b, p) / 32768.0);
        p += 2;
      }
    }
  }

  private static void readPcm24(byte[] b, int off, float[][] out) {
    int nCh = out.length;
    int frames = out[0].length;
    int p = off;
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < nCh; c++) {
        int v = (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | (b[p + 2] << 16);
        out[c][i] = (float) (v / 8388608.0);
        p += 3;
      }
    }
  }

  private static void readPcm32(byte[] b, int off, float[][] out) {
    int nCh = out.length;
    int frames = out[0].length;
    int p = off;
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < nCh; c++) {
        out[c][i] = (float) ((int) INT_LE.get(b, p) / 2147483648.0);
        p += 4;
      }
    }
  }

  private static void readFloat32(byte[] b, int off, float[][] out) {
    int nCh = out.length;
    int frames = out[0].length;
    int p = off;
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < nCh; c++) {
        float v = Float.intBitsToFloat((int) INT_LE.get(b, p));
        if (!Float.isFinite(v)) {
          throw nonFinite(i, c);
        }
        out[c][i] = v;
        p += 4;
      }
    }
  }

  private static void readFloat64(byte[] b, int off, float[][] out) {
    int nCh = out.length;
    int frames = out[0].length;
    int p = off;
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < nCh; c++) {
        double d = Double.longBitsToDouble((long) LONG_LE.get(b, p));
        if (!Double.isFinite(d)) {
          throw nonFinite(i, c);
        }
        float v = (float) d;
        if (!Float.isFinite(v)) {
          throw new WavFormatException("float64 sample " + d
              + " is outside the float32 range (first at frame " + i + ", channel " + c + ")");
        }
        out[c][i] = v;
        p += 8;
      }
    }
  }

  private static WavFormatException nonFinite(int frame, int channel) {
    return new WavFormatException("contains NaN or infinite samples (first at frame " + frame
        + ", channel " + channel + ")");
  }

  /** Common format tag names (mmreg.h) for rejection reasons. */
  private static String tagName(int tag) {
    return switch (tag) {
      case 0x0001 -> "PCM";
      case 0x0002 -> "MS-ADPCM";
      case 0x0003 -> "IEEE float";
      case 0x0006 -> "A-law";
      case 0x0007 -> "mu-law";
      case 0x0011 -> "IMA-ADPCM";
      case 0x0031 -> "GSM 6.10";
      case 0x0050 -> "MPEG";
      case 0x0055 -> "MPEG Layer 3";
      case 0x0161, 0x0162, 0x0163 -> "Windows Media Audio";
      case 0x2000 -> "AC-3";
      case 0xF1AC -> "FLAC";
      default -> "unknown encoding";
    };
  }

  private static int u16(byte[] b, int off) {
    return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8);
  }

  private static long u32(byte[] b, int off) {
    return ((int) INT_LE.get(b, off)) & 0xFFFFFFFFL;
  }

  private static String fourcc(byte[] b, int off) {
    return new String(b, off, 4, StandardCharsets.ISO_8859_1);
  }

  /** Bytes as text, printable ASCII kept, anything else written as a {@code \\uXXXX} escape. */
  private static String printable(byte[] b, int off, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = off; i < off + n; i++) {
      int c = b[i] & 0xFF;
      if (c >= 0x20 && c < 0x7F) {
        s.append((char) c);
      } else {
        s.append(String.format("\\u%04x", c));
      }
    }
    return s.toString();
  }

  private static String hex(byte[] b, int off, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = off; i < off + n; i++) {
      s.append(String.format("%02x", b[i] & 0xFF));
    }
    return s.toString();
  }
}
