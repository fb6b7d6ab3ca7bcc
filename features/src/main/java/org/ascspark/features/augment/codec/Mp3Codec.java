package org.ascspark.features.augment.codec;

import de.sciss.jump3r.lowlevel.LameEncoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import javax.sound.sampled.AudioFormat;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.JavaLayerException;

/**
 * In-memory MPEG-1/2/2.5 Layer III encode (jump3r 1.0.5, a Java port of LAME 3.98; LGPL-2.1) and
 * decode (JLayer 1.0.1.4; LGPL-2.1) of mono signals. No files, no printing: jump3r's own decoder
 * (which is file-based and prints to stdout) is not used.
 *
 * <p><b>Encoding.</b> Constant bit rate, mono channel mode, LAME quality {@link #LAME_QUALITY};
 * the output sample rate is forced to the input rate (without it LAME silently resamples to
 * 22.05 kHz or lower at low bit rates). Samples are converted to 16-bit PCM by
 * {@code round(x * 32768)} clipped to [-32768, 32767] (no dither, so the codec is deterministic);
 * values outside [-1, 1) clip. LAME's CBR presets scale the input by {@link #lameInputScale}
 * (0.95, i.e. -0.45 dB, up to 160 kbps), so the decoded level is that much lower than the
 * input's. When the frame is large enough (from 56 kbps at 44.1 kHz), LAME starts the stream with
 * a tag frame that it fills in only when writing to a file; in memory it stays an all-zero
 * placeholder.
 *
 * <p><b>Decoding.</b> A leading tag frame (Xing/"Info"/"VBRI", or the all-zero placeholder) is
 * skipped, not decoded (decoding it would add one frame of silence, 1152 samples for MPEG-1 and
 * 576 for MPEG-2/2.5). JLayer's synthesis output is captured in float before its 16-bit clip and
 * divided by JLayer's internal scale 32700, giving unity gain.
 *
 * <p><b>Delay.</b> With the tag frame skipped, decoded sample {@code k + }{@link
 * #CODEC_DELAY_SAMPLES} corresponds to input sample {@code k}: LAME's encoder delay of 576 samples
 * plus the 529-sample delay of the hybrid synthesis filterbank (LAME's {@code ENCDELAY} and
 * {@code DECDELAY}, lame.h), for every sample rate and bit rate (measured in {@code
 * Mp3RoundTripTest}). The decoded stream covers at least {@code n + 576} samples of an
 * {@code n}-sample input; callers wanting every input sample back pad the input with at least
 * {@link #tailPaddingSamples(int)} zeros.
 *
 * <p>Thread-safe: every call builds its own encoder and decoder. jump3r keeps no shared mutable
 * state; JLayer builds one static table lazily and unsafely, which this class builds once during
 * its own initialisation (concurrent use is tested).
 */
public final class Mp3Codec {

  /** LAME quality (0 best and slowest .. 9 worst): 5, LAME's "-q 5" (jump3r's QUALITY_MIDDLE). */
  public static final int LAME_QUALITY = LameEncoder.QUALITY_MIDDLE;

  /** Encoder (576) plus decoder (529) delay in samples at the codec's sample rate. */
  public static final int CODEC_DELAY_SAMPLES = 576 + 529;

  /** The nine sample rates MP3 defines, in Hz: MPEG-1, MPEG-2, MPEG-2.5. */
  private static final int[] MPEG1_RATES_HZ = {44100, 48000, 32000};
  private static final int[] MPEG2_RATES_HZ = {22050, 24000, 16000};
  private static final int[] MPEG25_RATES_HZ = {11025, 12000, 8000};

  /** Layer III bit rates in kbps by header index (index 0 is "free format", 15 invalid). */
  private static final int[] MPEG1_L3_KBPS = {
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320
  };
  private static final int[] MPEG2_L3_KBPS = {
    0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160
  };

  /** Highest bit rate LAME encodes at the MPEG-2.5 rates. */
  private static final int MPEG25_MAX_KBPS = 64;

  /** Samples fed to the encoder per call. */
  private static final int CHUNK_SAMPLES = 8192;

  static {
    // JLayer's LayerIIIDecoder fills a static table lazily and publishes it before filling it, so
    // the first decodes racing on two threads can see a half-built table. Decoding once here,
    // during class initialisation (which the JVM runs exactly once, before any other thread may
    // use this class), builds it safely.
    decode(encode(new float[3 * 1152], 44100, 128));
  }

  private Mp3Codec() {}

  /**
   * Whether MP3 can carry a sample rate directly.
   *
   * @param sampleRateHz sample rate in Hz
   * @return true for 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100 and 48000 Hz
   */
  public static boolean isMp3SampleRate(int sampleRateHz) {
    return mpegVersion(sampleRateHz) != 0;
  }

  /**
   * Whether a constant bit rate is defined for Layer III at a sample rate and supported by LAME:
   * 32..320 kbps at the MPEG-1 rates (32, 44.1, 48 kHz), 8..160 kbps at the MPEG-2 rates (16,
   * 22.05, 24 kHz), 8..64 kbps at the MPEG-2.5 rates (8, 11.025, 12 kHz; LAME's limit).
   *
   * @param sampleRateHz sample rate in Hz
   * @param bitrateKbps bit rate in kbit/s
   * @return true if the pair is legal
   */
  public static boolean isLegalBitrate(int sampleRateHz, int bitrateKbps) {
    int v = mpegVersion(sampleRateHz);
    if (v == 0 || bitrateKbps <= 0 || (v == 25 && bitrateKbps > MPEG25_MAX_KBPS)) {
      return false;
    }
    int[] table = v == 1 ? MPEG1_L3_KBPS : MPEG2_L3_KBPS;
    for (int i = 1; i < table.length; i++) {
      if (table[i] == bitrateKbps) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a bit rate is legal for Layer III at some sample rate.
   *
   * @param bitrateKbps bit rate in kbit/s
   * @return true for 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320
   */
  public static boolean isLegalBitrate(int bitrateKbps) {
    return isLegalBitrate(44100, bitrateKbps) || isLegalBitrate(22050, bitrateKbps);
  }

  /**
   * Samples per Layer III frame at a sample rate.
   *
   * @param sampleRateHz an MP3 sample rate
   * @return 1152 for MPEG-1 rates, 576 for MPEG-2 and MPEG-2.5 rates
   */
  public static int frameSamples(int sampleRateHz) {
    int v = mpegVersion(sampleRateHz);
    if (v == 0) {
      throw new IllegalArgumentException("not an MP3 sample rate: " + sampleRateHz + " Hz");
    }
    return v == 1 ? 1152 : 576;
  }

  /**
   * The gain LAME applies to the input before encoding at a constant bit rate: the "scale" column
   * of its ABR/CBR preset table ({@code abr_switch_map} in LAME 3.98 presets.c, which jump3r
   * ports): 0.95 up to 160 kbps (144 included), 0.97 at 192, 0.98 at 224, 1.0 at 256 and 320 kbps.
   * Measured on 500 Hz tones at every legal (sample rate, bit rate) pair in {@code
   * Mp3RoundTripTest}. Divide decoded samples by it to restore the input level.
   *
   * @param bitrateKbps a Layer III bit rate in kbit/s
   * @return the linear gain in (0, 1]
   */
  public static double lameInputScale(int bitrateKbps) {
    if (!isLegalBitrate(bitrateKbps)) {
      throw new IllegalArgumentException(bitrateKbps + " kbps is not a Layer III bit rate");
    }
    if (bitrateKbps <= 160) {
      return 0.95;
    }
    return switch (bitrateKbps) {
      case 192 -> 0.97;
      case 224 -> 0.98;
      default -> 1.0;
    };
  }

  /**
   * Zeros to append to an input so that its last sample is decoded completely: the codec delay
   * plus two frames, rounded up to a whole frame count, so LAME's flush never cuts signal.
   *
   * @param sampleRateHz an MP3 sample rate
   * @return padding in samples
   */
  public static int tailPaddingSamples(int sampleRateHz) {
    int frame = frameSamples(sampleRateHz);
    return (CODEC_DELAY_SAMPLES + frame - 1) / frame * frame + 2 * frame;
  }

  /**
   * Encodes mono samples to a constant-bit-rate MP3 stream.
   *
   * @param samples mono samples, full scale [-1, 1); not modified
   * @param sampleRateHz their sample rate, one of the MP3 rates ({@link #isMp3SampleRate})
   * @param bitrateKbps bit rate, legal at that rate ({@link #isLegalBitrate(int, int)})
   * @return the MP3 stream: LAME's tag frame where it writes one (see above), then the audio
   *     frames
   * @throws IllegalArgumentException for an unsupported rate or bit rate
   * @throws IllegalStateException if the encoder fails or does not honour the requested format
   */
  public static byte[] encode(float[] samples, int sampleRateHz, int bitrateKbps) {
    Objects.requireNonNull(samples, "samples");
    if (!isMp3SampleRate(sampleRateHz)) {
      throw new IllegalArgumentException("not an MP3 sample rate: " + sampleRateHz + " Hz");
    }
    if (!isLegalBitrate(sampleRateHz, bitrateKbps)) {
      throw new IllegalArgumentException(
          bitrateKbps + " kbps is not a Layer III bit rate at " + sampleRateHz + " Hz");
    }
    AudioFormat pcm16 =
        new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, sampleRateHz, 16, 1, 2, sampleRateHz,
            false);
    LameEncoder enc;
    try {
      enc = new LameEncoder(pcm16, bitrateKbps, LameEncoder.CHANNEL_MODE_MONO, LAME_QUALITY, false);
      // The constructor lets LAME choose the output rate; setFormat re-initialises with it forced.
      AudioFormat target = new AudioFormat(sampleRateHz, 16, 1, true, false);
      enc.setFormat(pcm16, target);
    } catch (RuntimeException e) {
      throw new IllegalStateException("jump3r could not be initialised for " + bitrateKbps
          + " kbps at " + sampleRateHz + " Hz: " + e.getMessage(), e);
    }
    try {
      if (enc.getEffectiveSampleRate() != sampleRateHz
          || enc.getEffectiveBitRate() != bitrateKbps) {
        throw new IllegalStateException("jump3r chose " + enc.getEffectiveBitRate() + " kbps at "
            + enc.getEffectiveSampleRate() + " Hz instead of " + bitrateKbps + " kbps at "
            + sampleRateHz + " Hz");
      }
      // LAME's documented worst case for the output buffer: 1.25 x samples + 7200 bytes.
      byte[] out = new byte[CHUNK_SAMPLES + CHUNK_SAMPLES / 4 + 7200];
      byte[] pcm = new byte[2 * CHUNK_SAMPLES];
      ByteArrayOutputStream mp3 =
          new ByteArrayOutputStream(samples.length / 8 * bitrateKbps / 44 + 8192);
      for (int start = 0; start < samples.length; start += CHUNK_SAMPLES) {
        int n = Math.min(CHUNK_SAMPLES, samples.length - start);
        toPcm16(samples, start, n, pcm);
        int written = enc.encodeBuffer(pcm, 0, 2 * n, out);
        mp3.write(out, 0, written);
      }
      int flushed = enc.encodeFinish(out);
      if (flushed < 0) {
        throw new IllegalStateException("jump3r flush failed with code " + flushed);
      }
      mp3.write(out, 0, flushed);
      return mp3.toByteArray();
    } catch (RuntimeException e) {
      if (e instanceof IllegalStateException) {
        throw e;
      }
      throw new IllegalStateException("jump3r failed: " + e, e);
    } finally {
      enc.close();
    }
  }

  /**
   * Decodes a mono (or the first channel of a stereo) Layer III stream held in memory.
   *
   * @param mp3 the stream, as written by {@link #encode}; not modified
   * @return the samples, full scale, starting with the codec delay ({@link #CODEC_DELAY_SAMPLES}
   *     samples before the first input sample), and the stream's sample rate
   * @throws IllegalStateException if the stream holds no decodable frame or JLayer fails
   */
  public static Decoded decode(byte[] mp3) {
    Objects.requireNonNull(mp3, "mp3");
    int skip = tagFrameBytes(mp3);
    Bitstream bits = new Bitstream(new ByteArrayInputStream(mp3, skip, mp3.length - skip));
    Decoder decoder = new Decoder();
    FloatSynthesisBuffer buffer = new FloatSynthesisBuffer();
    decoder.setOutputBuffer(buffer);
    int frames = 0;
    try {
      for (Header h = bits.readFrame(); h != null; h = bits.readFrame()) {
        decoder.decodeFrame(h, bits);
        bits.closeFrame();
        frames++;
      }
    } catch (JavaLayerException | RuntimeException e) {
      throw new IllegalStateException(
          "JLayer failed to decode MP3 frame " + frames + ": " + e.getMessage(), e);
    }
    if (frames == 0) {
      throw new IllegalStateException("no MP3 frame found in " + mp3.length + " bytes");
    }
    return new Decoded(buffer.samples(), decoder.getOutputFrequency());
  }

  /**
   * Decoded audio.
   *
   * @param samples mono samples, full scale, codec delay included
   * @param sampleRateHz the stream's sample rate in Hz
   */
  public record Decoded(float[] samples, int sampleRateHz) {

    /** Compares contents, not array identity. */
    @Override
    public boolean equals(Object o) {
      return o instanceof Decoded d && d.sampleRateHz == sampleRateHz
          && Arrays.equals(d.samples, samples);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(samples) + sampleRateHz;
    }

    @Override
    public String toString() {
      return "Decoded[" + samples.length + " samples at " + sampleRateHz + " Hz]";
    }
  }

  /**
   * Length in bytes of a leading tag frame, or 0 if the stream does not start with one. A tag frame
   * is a first frame holding "Xing"/"Info" right after its side information or "VBRI" at byte 36,
   * or one whose bytes after the header are all zero: the placeholder jump3r writes in memory
   * (from 56 kbps at 44.1 kHz, 64 kbps at 48 kHz, 40 kbps at 32 kHz, ...; below that LAME writes no
   * tag). Such a frame decodes to one frame of silence and leaves the decoder state at zero, so
   * skipping it only removes that silence.
   */
  static int tagFrameBytes(byte[] b) {
    if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xE0) != 0xE0) {
      return 0;
    }
    int versionBits = (b[1] >> 3) & 3; // 0: MPEG-2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
    int layerBits = (b[1] >> 1) & 3; // 1: Layer III
    boolean crc = (b[1] & 1) == 0;
    int bitrateIndex = (b[2] >> 4) & 0xF;
    int rateIndex = (b[2] >> 2) & 3;
    int padding = (b[2] >> 1) & 1;
    boolean mono = ((b[3] >> 6) & 3) == 3;
    if (versionBits == 1 || layerBits != 1 || bitrateIndex == 0 || bitrateIndex == 15
        || rateIndex == 3) {
      return 0;
    }
    boolean mpeg1 = versionBits == 3;
    int[] rates = mpeg1 ? MPEG1_RATES_HZ : versionBits == 2 ? MPEG2_RATES_HZ : MPEG25_RATES_HZ;
    int rateHz = rates[rateIndex];
    int kbps = (mpeg1 ? MPEG1_L3_KBPS : MPEG2_L3_KBPS)[bitrateIndex];
    int frameBytes = (mpeg1 ? 144000 : 72000) * kbps / rateHz + padding;
    int sideInfo = mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17);
    int xingAt = 4 + (crc ? 2 : 0) + sideInfo;
    if (frameBytes > b.length) {
      return 0;
    }
    String xing = ascii(b, xingAt);
    String vbri = ascii(b, 36);
    boolean tag = xing.equals("Xing") || xing.equals("Info") || vbri.equals("VBRI");
    boolean emptyBody = true;
    for (int i = 4; i < frameBytes && emptyBody; i++) {
      emptyBody = b[i] == 0;
    }
    return tag || emptyBody ? frameBytes : 0;
  }

  private static String ascii(byte[] b, int off) {
    return off + 4 <= b.length ? new String(b, off, 4, StandardCharsets.ISO_8859_1) : "";
  }

  /** 1 for MPEG-1 rates, 2 for MPEG-2 rates, 25 for MPEG-2.5 rates, else 0. */
  private static int mpegVersion(int sampleRateHz) {
    for (int r : MPEG1_RATES_HZ) {
      if (r == sampleRateHz) {
        return 1;
      }
    }
    for (int r : MPEG2_RATES_HZ) {
      if (r == sampleRateHz) {
        return 2;
      }
    }
    for (int r : MPEG25_RATES_HZ) {
      if (r == sampleRateHz) {
        return 25;
      }
    }
    return 0;
  }

  /** Writes {@code n} samples from {@code x[start..]} as 16-bit little-endian PCM into pcm. */
  private static void toPcm16(float[] x, int start, int n, byte[] pcm) {
    for (int i = 0; i < n; i++) {
      long v = Math.round(x[start + i] * 32768.0);
      int s = (int) Math.max(-32768, Math.min(32767, v));
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
  }
}
