package org.ascspark.features.audio;

import static org.ascspark.features.audio.WavBytes.chunk;
import static org.ascspark.features.audio.WavBytes.concat;
import static org.ascspark.features.audio.WavBytes.floats32;
import static org.ascspark.features.audio.WavBytes.floats64;
import static org.ascspark.features.audio.WavBytes.fmt;
import static org.ascspark.features.audio.WavBytes.fmtExtensible;
import static org.ascspark.features.audio.WavBytes.ints24;
import static org.ascspark.features.audio.WavBytes.riff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Hand-built byte arrays: every rejection names its reason; every odd-but-valid file decodes. */
class WavDecoderEdgeCaseTest {

  private static final float[] SAMPLES = {0.5f, -0.25f, 0.125f, -1f, 0.75f, 0f};

  private static String reasonOf(byte[] file) {
    WavFormatException e = assertThrows(WavFormatException.class, () -> WavDecoder.decode(file));
    assertEquals(e.getMessage(), e.reason());
    return e.reason();
  }

  private static void assertReason(byte[] file, String... fragments) {
    String reason = reasonOf(file);
    for (String f : fragments) {
      assertTrue(reason.contains(f), "reason '" + reason + "' should contain '" + f + "'");
    }
  }

  private static byte[] pcm16File() {
    return WavWriter.encode(new float[][] {SAMPLES}, 16000, WavWriter.Encoding.PCM_16);
  }

  @Test
  void emptyFile() {
    assertReason(new byte[0], "empty file (0 bytes)");
  }

  @Test
  void truncatedInTheMiddleOfData() {
    byte[] whole = WavWriter.encode(new float[][] {new float[1000]}, 16000,
        WavWriter.Encoding.PCM_24);
    byte[] cut = Arrays.copyOf(whole, 44 + 1000);
    assertReason(cut, "truncated: data chunk declares 3000 bytes but only 1000 follow");
  }

  @Test
  void headerOnlyFile() {
    byte[] header = Arrays.copyOf(pcm16File(), 44);
    assertReason(header, "truncated", "declares 12 bytes but only 0 follow");
  }

  @Test
  void headerOnlyFileDeclaringNoData() {
    assertReason(riff(chunk("fmt ", fmt(1, 1, 16000, 16)), chunk("data", new byte[0])),
        "zero samples");
  }

  @Test
  void dataShorterThanOneFrameIsZeroSamples() {
    assertReason(riff(chunk("fmt ", fmt(1, 2, 16000, 16)), chunk("data", new byte[3])),
        "zero samples");
  }

  @Test
  void fileShorterThanTheRiffHeader() {
    assertReason("RIFF\0\0".getBytes(StandardCharsets.ISO_8859_1), "truncated", "12-byte");
  }

  @Test
  void mp3WithId3Header() {
    byte[] mp3 = {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 0x21, (byte) 0xFF, (byte) 0xFB, 0x50};
    assertReason(mp3, "not a RIFF/WAVE file (starts with 'ID3\\u0003')");
  }

  @Test
  void randomText() {
    assertReason("hello, this is not audio at all".getBytes(StandardCharsets.US_ASCII),
        "not a RIFF/WAVE file (starts with 'hell')");
  }

  @Test
  void riffThatIsNotWave() {
    byte[] avi = concat("RIFF".getBytes(StandardCharsets.US_ASCII), new byte[4],
        "AVI LIST".getBytes(StandardCharsets.US_ASCII), new byte[8]);
    assertReason(avi, "not a RIFF/WAVE file (RIFF form type 'AVI ')");
  }

  @Test
  void rf64AndRifxAreRejectedByName() {
    byte[] rf64 = pcm16File();
    System.arraycopy("RF64".getBytes(StandardCharsets.US_ASCII), 0, rf64, 0, 4);
    assertReason(rf64, "RF64", "not supported");
    byte[] rifx = pcm16File();
    System.arraycopy("RIFX".getBytes(StandardCharsets.US_ASCII), 0, rifx, 0, 4);
    assertReason(rifx, "RIFX", "big-endian");
  }

  @Test
  void msAdpcmIsRejectedByName() {
    byte[] adpcm = riff(chunk("fmt ", fmt(0x0002, 1, 11025, 4)), chunk("data", new byte[256]));
    assertReason(adpcm, "unsupported encoding: MS-ADPCM (format tag 0x0002); only PCM "
        + "8/16/24/32-bit and IEEE float 32/64 are supported");
  }

  @Test
  void otherEncodingsAreRejectedByName() {
    assertReason(riff(chunk("fmt ", fmt(0x0007, 1, 8000, 8)), chunk("data", new byte[8])),
        "mu-law", "0x0007");
    assertReason(riff(chunk("fmt ", fmt(0x0055, 1, 8000, 0)), chunk("data", new byte[8])),
        "MPEG Layer 3");
    assertReason(riff(chunk("fmt ", fmt(0x1234, 1, 8000, 16)), chunk("data", new byte[8])),
        "unknown encoding (format tag 0x1234)");
    assertReason(riff(chunk("fmt ", fmt(1, 1, 8000, 12)), chunk("data", new byte[8])),
        "unsupported encoding: PCM 12-bit");
    assertReason(riff(chunk("fmt ", fmt(3, 1, 8000, 16)), chunk("data", new byte[8])),
        "unsupported encoding: IEEE float 16-bit");
  }

  @Test
  void hugeDeclaredDataOnATinyFileFailsFastWithoutAllocating() {
    byte[] head = riff(chunk("fmt ", fmt(1, 2, 44100, 16)));
    byte[] file = Arrays.copyOf(concat(head, chunk("data", 0xFFFFFFF0L, new byte[0])), 100);
    assertEquals(100, file.length);
    long before = allocatedBytes();
    String reason = assertTimeout(Duration.ofSeconds(2), () -> reasonOf(file));
    long allocated = allocatedBytes() - before;
    assertTrue(reason.contains("truncated: data chunk declares 4294967280 bytes but only 56 follow"),
        reason);
    assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
  }

  @Test
  void hugeUnknownChunkBeforeDataIsTruncation() {
    byte[] file = concat(riff(chunk("fmt ", fmt(1, 1, 44100, 16))),
        chunk("LIST", 0xFFFFFFF0L, new byte[20]));
    assertReason(file, "truncated: 'LIST' chunk declares 4294967280 bytes", "no data chunk");
  }

  @Test
  void truncatedFmtChunk() {
    byte[] file = Arrays.copyOf(pcm16File(), 12 + 8 + 10);
    assertReason(file, "truncated: fmt chunk declares 16 bytes but only 10 follow");
  }

  @Test
  void noDataChunk() {
    assertReason(riff(chunk("fmt ", fmt(1, 1, 8000, 16)), chunk("LIST", new byte[10])),
        "no data chunk");
    assertReason(riff(), "no data chunk");
  }

  @Test
  void dataBeforeFmt() {
    assertReason(riff(chunk("data", new byte[4]), chunk("fmt ", fmt(1, 1, 8000, 16))),
        "no fmt chunk before data");
  }

  @Test
  void inconsistentFmtFields() {
    byte[] badAlign = fmt(1, 2, 8000, 16);
    badAlign[12] = 3;
    assertReason(riff(chunk("fmt ", badAlign), chunk("data", new byte[12])),
        "inconsistent fmt chunk: block align 3, expected 4");
    assertReason(riff(chunk("fmt ", fmt(1, 0, 8000, 16)), chunk("data", new byte[12])),
        "0 channels");
    assertReason(riff(chunk("fmt ", fmt(1, 1, 0, 16)), chunk("data", new byte[12])),
        "sample rate of 0 Hz");
    assertReason(riff(chunk("fmt ", Arrays.copyOf(fmt(1, 1, 8000, 16), 14)),
        chunk("data", new byte[12])), "fmt chunk too short");
  }

  @Test
  void nanAndInfinityInFloat32() {
    byte[] nan = riff(chunk("fmt ", fmt(3, 1, 8000, 32)),
        chunk("data", floats32(0.1f, 0.2f, 0.3f, Float.NaN, 0.5f)));
    assertReason(nan, "contains NaN or infinite samples (first at frame 3, channel 0)");
    byte[] inf = riff(chunk("fmt ", fmt(3, 2, 8000, 32)),
        chunk("data", floats32(0.1f, 0.2f, Float.NEGATIVE_INFINITY, 0.3f)));
    assertReason(inf, "infinite", "frame 1, channel 0");
  }

  @Test
  void nanAndOutOfRangeInFloat64() {
    byte[] nan = riff(chunk("fmt ", fmt(3, 1, 8000, 64)), chunk("data", floats64(0.0, Double.NaN)));
    assertReason(nan, "NaN", "frame 1");
    byte[] huge = riff(chunk("fmt ", fmt(3, 1, 8000, 64)), chunk("data", floats64(1e300)));
    assertReason(huge, "outside the float32 range");
  }

  @Test
  void zeroLengthFloatIsZeroSamples() {
    assertReason(riff(chunk("fmt ", fmt(3, 1, 8000, 32)), chunk("data", new byte[0])),
        "zero samples");
  }

  @Test
  void extraChunksBetweenFmtAndDataAreSkipped() {
    byte[] oddSized = {1, 2, 3};
    byte[] file = riff(chunk("fmt ", fmt(3, 1, 8000, 32)),
        chunk("LIST", "INFOISFT\4\0\0\0abc\0".getBytes(StandardCharsets.ISO_8859_1)),
        chunk("odd ", oddSized), chunk("fact", new byte[4]), chunk("data", floats32(SAMPLES)));
    WavAudio a = WavDecoder.decode(file);
    assertArrayEquals(SAMPLES, a.channel(0), 0f);
    assertEquals("float32", a.encoding());
  }

  @Test
  void fmtAfterAnUnknownChunk() {
    byte[] file = riff(chunk("JUNK", new byte[28]), chunk("bext", new byte[7]),
        chunk("fmt ", fmt(3, 1, 48000, 32)), chunk("data", floats32(SAMPLES)));
    WavAudio a = WavDecoder.decode(file);
    assertEquals(48000, a.sampleRateHz());
    assertArrayEquals(SAMPLES, a.channel(0), 0f);
  }

  @Test
  void chunksAfterDataAreIgnored() {
    byte[] file = riff(chunk("fmt ", fmt(3, 1, 8000, 32)), chunk("data", floats32(SAMPLES)),
        chunk("LIST", 0xFFFFFF00L, new byte[2]));
    assertArrayEquals(SAMPLES, WavDecoder.decode(file).channel(0), 0f);
  }

  @Test
  void oddSizedFinalDataChunkWithoutPadByte() {
    // As in several micirp files: 3-byte frames, odd data size, file ends without the pad byte.
    byte[] data = ints24(0, 1, -2, 3);
    byte[] withPad = riff(chunk("fmt ", fmt(1, 1, 44100, 24)), chunk("data", data));
    byte[] file = Arrays.copyOf(withPad, withPad.length - 1);
    float[] expected = {1 / 8388608f, -2 / 8388608f, 3 / 8388608f};
    assertArrayEquals(expected, WavDecoder.decode(file).channel(0), 0f);
    assertArrayEquals(expected, WavDecoder.decode(withPad).channel(0), 0f);
  }

  @Test
  void partialTrailingFrameIsIgnored() {
    byte[] data = Arrays.copyOf(WavBytes.le(4).putShort((short) 16384).putShort((short) -16384)
        .array(), 7);
    WavAudio a = WavDecoder.decode(riff(chunk("fmt ", fmt(1, 2, 8000, 16)), chunk("data", data)));
    assertEquals(1, a.frames());
    assertArrayEquals(new float[] {0.5f}, a.channel(0), 0f);
    assertArrayEquals(new float[] {-0.5f}, a.channel(1), 0f);
  }

  @Test
  void riffSizeFieldIsNotTrusted() {
    byte[] file = pcm16File();
    Arrays.fill(file, 4, 8, (byte) 0xFF);
    assertEquals(SAMPLES.length, WavDecoder.decode(file).frames());
  }

  @Test
  void extensiblePcm24() {
    byte[] file = riff(chunk("fmt ", fmtExtensible(1, 1, 44100, 24, 24)),
        chunk("data", ints24(0, 4194304, -8388608, 8388607, -1)));
    WavAudio a = WavDecoder.decode(file);
    assertEquals("pcm24-extensible", a.encoding());
    assertEquals(24, a.bitsPerSample());
    assertArrayEquals(new float[] {0.5f, -1f, (float) (8388607 / 8388608.0), -1 / 8388608f},
        a.channel(0), 0f);
  }

  @Test
  void extensiblePcm20In24DecodesTheLeftJustifiedContainer() {
    int[] v20 = {262144, -524288, 524287, -1};
    byte[] file = riff(chunk("fmt ", fmtExtensible(1, 1, 44100, 24, 20)),
        chunk("data", ints24(4, v20)));
    WavAudio a = WavDecoder.decode(file);
    assertEquals("pcm24-extensible", a.encoding());
    float[] expected = new float[v20.length];
    for (int i = 0; i < v20.length; i++) {
      expected[i] = (float) (v20[i] / 524288.0);
    }
    assertArrayEquals(expected, a.channel(0), 0f);
  }

  @Test
  void extensibleFloat32Stereo() {
    byte[] file = riff(chunk("fmt ", fmtExtensible(3, 2, 48000, 32, 32)),
        chunk("data", floats32(0.5f, -0.5f, 0.25f, -0.25f)));
    WavAudio a = WavDecoder.decode(file);
    assertEquals("float32-extensible", a.encoding());
    assertArrayEquals(new float[] {0.5f, 0.25f}, a.channel(0), 0f);
    assertArrayEquals(new float[] {-0.5f, -0.25f}, a.channel(1), 0f);
    assertArrayEquals(new float[] {0f, 0f}, a.mono(), 0f);
  }

  @Test
  void extensibleRejections() {
    assertReason(riff(chunk("fmt ", fmtExtensible(2, 1, 8000, 4, 4)), chunk("data", new byte[8])),
        "MS-ADPCM (WAVE_FORMAT_EXTENSIBLE, SubFormat tag 0x0002)");
    byte[] badGuid = fmtExtensible(1, 1, 8000, 16, 16);
    badGuid[39] = 0x70;
    assertReason(riff(chunk("fmt ", badGuid), chunk("data", new byte[8])),
        "unknown SubFormat GUID 0100000000001000800000aa00389b70");
    assertReason(riff(chunk("fmt ", fmtExtensible(1, 1, 8000, 16, 20)), chunk("data", new byte[8])),
        "20 valid bits per sample in a 16-bit container");
    assertReason(riff(chunk("fmt ", Arrays.copyOf(fmtExtensible(1, 1, 8000, 16, 16), 18)),
        chunk("data", new byte[8])), "WAVE_FORMAT_EXTENSIBLE fmt chunk too short");
  }

  @Test
  void pcm8IsUnsignedWithOffset128() {
    byte[] data = {(byte) 128, 0, (byte) 255, 64};
    WavAudio a = WavDecoder.decode(riff(chunk("fmt ", fmt(1, 1, 8000, 8)), chunk("data", data)));
    assertEquals("pcm8", a.encoding());
    assertArrayEquals(new float[] {0f, -1f, 127 / 128f, -0.5f}, a.channel(0), 0f);
  }

  @Test
  void accessorsReturnCopies() {
    WavAudio a = WavDecoder.decode(pcm16File());
    float[][] s = a.samples();
    s[0][0] = 99f;
    float[] c = a.channel(0);
    c[1] = 99f;
    float[] m = a.mono();
    m[2] = 99f;
    assertArrayEquals(SAMPLES, a.channel(0), 0f);
    assertNotSame(a.mono(), a.mono());
    assertEquals(a, WavDecoder.decode(pcm16File()));
    assertEquals("WavAudio[16000 Hz, 1 ch, 6 frames, pcm16]", a.toString());
  }

  @Test
  void ofCopiesItsInput() {
    float[][] x = {{0.1f, 0.2f}, {0.3f, 0.4f}};
    WavAudio a = WavAudio.of(8000, 32, "float32", x);
    x[0][0] = 5f;
    assertEquals(0.1f, a.channel(0)[0]);
    assertEquals(0.2f, a.mono()[0], 1e-7f);
    assertEquals(2.5e-4, a.durationSeconds(), 1e-15);
    assertThrows(IllegalArgumentException.class,
        () -> WavAudio.of(8000, 32, "float32", new float[][] {{1f}, {}}));
    assertThrows(IllegalArgumentException.class,
        () -> WavAudio.of(8000, 32, "float32", new float[][] {new float[0]}));
  }

  /** Bytes allocated so far by this thread (HotSpot); 0 where the JVM cannot tell. */
  private static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t) {
      return t.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return 0;
  }
}
