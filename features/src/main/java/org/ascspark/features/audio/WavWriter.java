package org.ascspark.features.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes float samples as a canonical RIFF/WAVE file (a {@code fmt } chunk and a {@code data}
 * chunk, nothing else).
 *
 * <p>Conventions: float input is full scale in [-1, 1); integer PCM is little-endian two's
 * complement (8-bit is unsigned with offset 128, as the WAV format requires), obtained by rounding
 * {@code x * 2^(bits-1)} to the nearest integer and clipping to the representable range; float
 * output uses format tag 3 (IEEE float). Channels are interleaved frame by frame.
 */
public final class WavWriter {

  /** Sample encodings this writer produces. */
  public enum Encoding {
    PCM_8(8, 1), PCM_16(16, 1), PCM_24(24, 1), PCM_32(32, 1), FLOAT_32(32, 3), FLOAT_64(64, 3);

    final int bitsPerSample;
    final int formatTag;

    Encoding(int bitsPerSample, int formatTag) {
      this.bitsPerSample = bitsPerSample;
      this.formatTag = formatTag;
    }

    /** @return bits per sample of this encoding */
    public int bitsPerSample() {
      return bitsPerSample;
    }
  }

  private WavWriter() {}

  /**
   * Encodes a mono signal as 24-bit PCM, the TAU Urban Acoustic Scenes format.
   *
   * @param samples mono samples, full scale [-1, 1)
   * @param sampleRateHz sample rate in Hz, positive
   * @return the complete WAV file bytes
   */
  public static byte[] pcm24Mono(float[] samples, int sampleRateHz) {
    return encode(new float[][] {samples}, sampleRateHz, Encoding.PCM_24);
  }

  /**
   * Encodes channels with the given encoding.
   *
   * @param channels samples [nChannels][nFrames], all channels of equal length, full scale [-1, 1)
   * @param sampleRateHz sample rate in Hz, positive
   * @param encoding sample encoding
   * @return the complete WAV file bytes
   */
  public static byte[] encode(float[][] channels, int sampleRateHz, Encoding encoding) {
    if (channels.length == 0) {
      throw new IllegalArgumentException("at least one channel is required");
    }
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sampleRateHz must be positive, got " + sampleRateHz);
    }
    int frames = channels[0].length;
    for (float[] c : channels) {
      if (c.length != frames) {
        throw new IllegalArgumentException("channels differ in length");
      }
    }
    int nCh = channels.length;
    int bytesPerSample = encoding.bitsPerSample / 8;
    long dataBytes = (long) frames * nCh * bytesPerSample;
    if (dataBytes + 44 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("signal too long for a RIFF file: " + dataBytes + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate((int) (44 + dataBytes + (dataBytes & 1)));
    b.order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'R', 'I', 'F', 'F'});
    b.putInt((int) (36 + dataBytes + (dataBytes & 1)));
    b.put(new byte[] {'W', 'A', 'V', 'E'});
    b.put(new byte[] {'f', 'm', 't', ' '});
    b.putInt(16);
    b.putShort((short) encoding.formatTag);
    b.putShort((short) nCh);
    b.putInt(sampleRateHz);
    b.putInt(sampleRateHz * nCh * bytesPerSample);
    b.putShort((short) (nCh * bytesPerSample));
    b.putShort((short) encoding.bitsPerSample);
    b.put(new byte[] {'d', 'a', 't', 'a'});
    b.putInt((int) dataBytes);
    for (int i = 0; i < frames; i++) {
      for (int ch = 0; ch < nCh; ch++) {
        putSample(b, channels[ch][i], encoding);
      }
    }
    return b.array();
  }

  private static void putSample(ByteBuffer b, float x, Encoding encoding) {
    switch (encoding) {
      case PCM_8 -> b.put((byte) (quantise(x, 8) + 128));
      case PCM_16 -> b.putShort((short) quantise(x, 16));
      case PCM_24 -> {
        int v = (int) quantise(x, 24);
        b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
      }
      case PCM_32 -> b.putInt((int) quantise(x, 32));
      case FLOAT_32 -> b.putFloat(x);
      case FLOAT_64 -> b.putDouble(x);
      default -> throw new IllegalStateException("unhandled encoding " + encoding);
    }
  }

  /** Rounds x * 2^(bits-1) to the nearest integer, clipped to [-2^(bits-1), 2^(bits-1) - 1]. */
  static long quantise(float x, int bits) {
    double full = Math.scalb(1.0, bits - 1);
    double v = Math.rint((double) x * full);
    if (Double.isNaN(v)) {
      return 0;
    }
    return (long) Math.max(-full, Math.min(full - 1, v));
  }
}
