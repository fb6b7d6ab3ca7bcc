package org.ascspark.features.augment.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_CH_LAYOUT_MONO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.util.Arrays;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * In-memory AAC-LC encode and decode of mono signals with FFmpeg 5.0's native AAC encoder
 * ({@code "aac"}) and decoder, through the raw libavcodec API of the JavaCPP presets
 * ({@code org.bytedeco:ffmpeg:5.0-1.5.7}, linux-x86_64 natives). That is the presets' default
 * build, configured with {@code --enable-version3} and without {@code --enable-gpl} or
 * {@code --enable-nonfree}: {@code avcodec_license()} reports "LGPL version 3 or later" (checked
 * in {@code AacRoundTripTest}; the GPL build is the separate {@code -gpl} classifier, not used).
 * No container, no files, no processes.
 *
 * <p><b>Round trip.</b> {@link #roundTrip} encodes with {@code AV_SAMPLE_FMT_FLTP}, one channel
 * (mono layout), constant target bit rate (the encoder's default "twoloop" coder, single thread),
 * {@code AV_CODEC_FLAG_GLOBAL_HEADER} set so the AudioSpecificConfig goes to the encoder's
 * extradata; a decoder context opened with that extradata is fed every packet as it comes out
 * ({@code avcodec_send_packet}/{@code avcodec_receive_frame}); both codecs are flushed at the end.
 * The input goes in whole frames of {@link #FRAME_SAMPLES} samples; the last one is zero-filled.
 * Samples are passed as floats unchanged (no clipping on the way in or out).
 *
 * <p><b>Delay.</b> The encoder reports {@code initial_padding} = 1024 priming samples and the
 * decoder does not remove them (only a demuxer's skip-samples side data would), so decoded sample
 * {@code k + }{@link #CODEC_DELAY_SAMPLES} corresponds to input sample {@code k}; the value is
 * checked against {@code initial_padding} on every call and measured by cross-correlation in
 * {@code AacRoundTripTest}. The decoded stream covers at least the input plus that delay rounded
 * up to whole frames; callers wanting every input sample back append at least
 * {@link #TAIL_PADDING_SAMPLES} zeros (the encoder's look-ahead otherwise loses the tail).
 *
 * <p><b>Bit rate.</b> FFmpeg clamps the bit rate to the AAC maximum of 6144 bits per channel per
 * 1024-sample frame ({@link #maxBitrateKbps}); {@link #roundTrip} refuses a bit rate above it
 * rather than code at another rate than the one asked for.
 *
 * <p><b>Natives.</b> The FFmpeg libraries are loaded once, on first use, by JavaCPP, which
 * unpacks them into its cache directory ({@code ~/.javacpp/cache}, or the system property
 * {@code org.bytedeco.javacpp.cachedir}: set it on Spark executors to a writable local folder).
 * FFmpeg's log level is set to {@code AV_LOG_ERROR} then, so the encoder's informational
 * messages do not reach stderr. Where the natives cannot be loaded (another platform, no
 * writable cache) every call throws {@link IllegalStateException} saying so.
 *
 * <p>Thread-safe: each call allocates its own encoder and decoder contexts, frames and packets and
 * frees them in {@code finally} blocks. Deterministic: the same input, rate and bit rate give the
 * same output (the encoder's noise substitution uses a per-context generator with a fixed seed).
 */
public final class AacCodec {

  /** Samples per AAC-LC frame (the encoder's {@code frame_size}). */
  public static final int FRAME_SAMPLES = 1024;

  /**
   * Encoder priming delay in samples at the codec rate ({@code initial_padding}); the decoder
   * adds none. Measured by cross-correlation in {@code AacRoundTripTest}.
   */
  public static final int CODEC_DELAY_SAMPLES = 1024;

  /** Zeros to append to the input so the encoder's look-ahead does not cut the tail. */
  public static final int TAIL_PADDING_SAMPLES = 2 * FRAME_SAMPLES;

  /** Lowest bit rate accepted, kbit/s. */
  public static final int MIN_BITRATE_KBPS = 8;

  /** Sample rates AAC defines (MPEG-4 sampling frequency index 0..12), Hz. */
  private static final int[] AAC_RATES_HZ = {
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
  };

  /** {@code AVERROR(EAGAIN)} on Linux (EAGAIN = 11); the presets do not export the macro. */
  private static final int AVERROR_EAGAIN = -11;

  /** Null if the natives loaded, else why not. */
  private static final Throwable LOAD_FAILURE = loadNatives();

  private AacCodec() {}

  private static Throwable loadNatives() {
    try {
      Loader.load(avutil.class);
      Loader.load(avcodec.class);
      av_log_set_level(AV_LOG_ERROR);
      return null;
    } catch (LinkageError | RuntimeException e) {
      return e;
    }
  }

  /**
   * Throws unless the FFmpeg natives are loaded.
   *
   * @throws IllegalStateException naming the platform and the cause if they could not be loaded
   */
  public static void requireNatives() {
    if (LOAD_FAILURE != null) {
      throw new IllegalStateException("AAC codec unavailable: the FFmpeg natives of "
          + "org.bytedeco:ffmpeg:5.0-1.5.7 (built for linux-x86_64 only here) could not be loaded "
          + "on " + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
          + " (JavaCPP cache: system property org.bytedeco.javacpp.cachedir = "
          + System.getProperty("org.bytedeco.javacpp.cachedir") + "): " + LOAD_FAILURE,
          LOAD_FAILURE);
    }
  }

  /** @return whether the FFmpeg natives loaded on this machine */
  public static boolean isAvailable() {
    return LOAD_FAILURE == null;
  }

  /**
   * @return the licence string of the loaded libavcodec ({@code avcodec_license()}), e.g.
   *     "LGPL version 3 or later"
   * @throws IllegalStateException if the natives could not be loaded
   */
  public static String license() {
    requireNatives();
    return avcodec.avcodec_license().getString();
  }

  /**
   * @return libavcodec's build configuration ({@code avcodec_configuration()})
   * @throws IllegalStateException if the natives could not be loaded
   */
  public static String configuration() {
    requireNatives();
    return avcodec.avcodec_configuration().getString();
  }

  /**
   * Whether AAC carries a sample rate directly.
   *
   * @param sampleRateHz sample rate in Hz
   * @return true for 96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000,
   *     11025, 8000 and 7350 Hz
   */
  public static boolean isAacSampleRate(int sampleRateHz) {
    for (int r : AAC_RATES_HZ) {
      if (r == sampleRateHz) {
        return true;
      }
    }
    return false;
  }

  /**
   * The highest mono bit rate AAC allows at a sample rate: 6144 bits per 1024-sample frame,
   * rounded down to whole kbit/s (264 kbps at 44.1 kHz, 96 at 16 kHz, 48 at 8 kHz).
   *
   * @param sampleRateHz sample rate in Hz, positive
   * @return the maximum bit rate in kbit/s
   */
  public static int maxBitrateKbps(int sampleRateHz) {
    return (int) (6144L * sampleRateHz / FRAME_SAMPLES / 1000);
  }

  /**
   * Encodes a mono signal to AAC-LC and decodes it again, entirely in memory.
   *
   * @param samples mono samples, full scale, not modified; typically already followed by
   *     {@link #TAIL_PADDING_SAMPLES} zeros
   * @param sampleRateHz an AAC sample rate ({@link #isAacSampleRate})
   * @param bitrateKbps target bit rate in kbit/s, {@value #MIN_BITRATE_KBPS} to
   *     {@link #maxBitrateKbps}{@code (sampleRateHz)}
   * @return the whole decoded stream, {@link #CODEC_DELAY_SAMPLES} samples late, a multiple of
   *     {@link #FRAME_SAMPLES} long and at least {@code samples.length + CODEC_DELAY_SAMPLES}
   * @throws IllegalArgumentException for an unsupported rate or bit rate
   * @throws IllegalStateException if the natives are missing or FFmpeg reports an error
   */
  public static float[] roundTrip(float[] samples, int sampleRateHz, int bitrateKbps) {
    Objects.requireNonNull(samples, "samples");
    requireNatives();
    if (!isAacSampleRate(sampleRateHz)) {
      throw new IllegalArgumentException(sampleRateHz + " Hz is not an AAC sample rate");
    }
    if (bitrateKbps < MIN_BITRATE_KBPS || bitrateKbps > maxBitrateKbps(sampleRateHz)) {
      throw new IllegalArgumentException("AAC bit rate " + bitrateKbps + " kbps outside "
          + MIN_BITRATE_KBPS + ".." + maxBitrateKbps(sampleRateHz) + " kbps at " + sampleRateHz
          + " Hz");
    }
    AVCodecContext enc = null;
    AVCodecContext dec = null;
    AVFrame in = null;
    AVFrame out = null;
    AVPacket pkt = null;
    try {
      AVCodec encoder = avcodec_find_encoder_by_name("aac");
      AVCodec decoder = avcodec_find_decoder(AV_CODEC_ID_AAC);
      if (encoder == null || encoder.isNull() || decoder == null || decoder.isNull()) {
        throw new IllegalStateException("FFmpeg build lacks the native AAC encoder or decoder");
      }
      enc = avcodec_alloc_context3(encoder);
      dec = avcodec_alloc_context3(decoder);
      in = av_frame_alloc();
      out = av_frame_alloc();
      pkt = av_packet_alloc();
      if (isNull(enc) || isNull(dec) || isNull(in) || isNull(out) || isNull(pkt)) {
        throw new IllegalStateException("FFmpeg could not allocate AAC codec state");
      }
      enc.sample_fmt(AV_SAMPLE_FMT_FLTP);
      enc.sample_rate(sampleRateHz);
      enc.channels(1);
      enc.channel_layout(AV_CH_LAYOUT_MONO);
      enc.bit_rate(bitrateKbps * 1000L);
      enc.thread_count(1);
      enc.flags(enc.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
      check(avcodec_open2(enc, encoder, (AVDictionary) null), "open AAC encoder");
      if (enc.frame_size() != FRAME_SAMPLES || enc.initial_padding() != CODEC_DELAY_SAMPLES) {
        throw new IllegalStateException("AAC encoder frame_size " + enc.frame_size()
            + ", initial_padding " + enc.initial_padding() + "; expected " + FRAME_SAMPLES
            + " and " + CODEC_DELAY_SAMPLES);
      }
      int extraSize = enc.extradata_size();
      if (extraSize <= 0) {
        throw new IllegalStateException("AAC encoder produced no extradata");
      }
      BytePointer extra = new BytePointer(av_mallocz(extraSize + AV_INPUT_BUFFER_PADDING_SIZE));
      if (extra.isNull()) {
        throw new IllegalStateException("FFmpeg could not allocate AAC extradata");
      }
      byte[] config = new byte[extraSize];
      enc.extradata().get(config, 0, extraSize);
      extra.put(config, 0, extraSize);
      dec.extradata(extra); // owned and freed by the decoder context from here on
      dec.extradata_size(extraSize);
      dec.sample_rate(sampleRateHz);
      dec.channels(1);
      dec.channel_layout(AV_CH_LAYOUT_MONO);
      dec.thread_count(1);
      check(avcodec_open2(dec, decoder, (AVDictionary) null), "open AAC decoder");

      in.nb_samples(FRAME_SAMPLES);
      in.format(AV_SAMPLE_FMT_FLTP);
      in.channels(1);
      in.channel_layout(AV_CH_LAYOUT_MONO);
      in.sample_rate(sampleRateHz);
      check(av_frame_get_buffer(in, 0), "allocate AAC input frame");

      int frames = (samples.length + FRAME_SAMPLES - 1) / FRAME_SAMPLES;
      FloatArray decoded = new FloatArray(frames * FRAME_SAMPLES + 3 * FRAME_SAMPLES);
      float[] chunk = new float[FRAME_SAMPLES];
      for (int f = 0; f < frames; f++) {
        int from = f * FRAME_SAMPLES;
        int len = Math.min(FRAME_SAMPLES, samples.length - from);
        System.arraycopy(samples, from, chunk, 0, len);
        Arrays.fill(chunk, len, FRAME_SAMPLES, 0f);
        check(av_frame_make_writable(in), "make AAC input frame writable");
        new FloatPointer(in.data(0)).put(chunk, 0, FRAME_SAMPLES);
        in.pts(from);
        check(avcodec_send_frame(enc, in), "send frame to AAC encoder");
        drainEncoder(enc, dec, pkt, out, decoded);
      }
      check(avcodec_send_frame(enc, null), "flush AAC encoder");
      drainEncoder(enc, dec, pkt, out, decoded);
      check(avcodec_send_packet(dec, null), "flush AAC decoder");
      drainDecoder(dec, out, decoded);
      return decoded.toArray();
    } finally {
      if (pkt != null) {
        av_packet_free(pkt);
      }
      if (out != null) {
        av_frame_free(out);
      }
      if (in != null) {
        av_frame_free(in);
      }
      if (dec != null) {
        avcodec_free_context(dec);
      }
      if (enc != null) {
        avcodec_free_context(enc);
      }
    }
  }

  /** Moves every packet the encoder has ready into the decoder, collecting decoded frames. */
  private static void drainEncoder(
      AVCodecContext enc, AVCodecContext dec, AVPacket pkt, AVFrame out, FloatArray decoded) {
    while (true) {
      int r = avcodec_receive_packet(enc, pkt);
      if (r == AVERROR_EAGAIN || r == AVERROR_EOF) {
        return;
      }
      check(r, "receive packet from AAC encoder");
      try {
        check(avcodec_send_packet(dec, pkt), "send packet to AAC decoder");
      } finally {
        av_packet_unref(pkt);
      }
      drainDecoder(dec, out, decoded);
    }
  }

  /** Appends every frame the decoder has ready. */
  private static void drainDecoder(AVCodecContext dec, AVFrame out, FloatArray decoded) {
    while (true) {
      int r = avcodec_receive_frame(dec, out);
      if (r == AVERROR_EAGAIN || r == AVERROR_EOF) {
        return;
      }
      check(r, "receive frame from AAC decoder");
      try {
        if (out.format() != AV_SAMPLE_FMT_FLTP || out.channels() != 1) {
          throw new IllegalStateException("AAC decoder returned sample format " + out.format()
              + " with " + out.channels() + " channels; expected planar float mono");
        }
        decoded.append(new FloatPointer(out.data(0)), out.nb_samples());
      } finally {
        avutil.av_frame_unref(out);
      }
    }
  }

  private static boolean isNull(Pointer p) {
    return p == null || p.isNull();
  }

  private static void check(int result, String what) {
    if (result < 0) {
      byte[] buf = new byte[256];
      av_strerror(result, buf, buf.length);
      int end = 0;
      while (end < buf.length && buf[end] != 0) {
        end++;
      }
      throw new IllegalStateException("FFmpeg failed to " + what + ": error " + result + " ("
          + new String(buf, 0, end, java.nio.charset.StandardCharsets.US_ASCII) + ")");
    }
  }

  /** A growable float array. */
  private static final class FloatArray {
    private float[] data;
    private int size;

    FloatArray(int capacity) {
      data = new float[Math.max(16, capacity)];
    }

    void append(FloatPointer p, int n) {
      if (size + n > data.length) {
        data = Arrays.copyOf(data, Math.max(size + n, 2 * data.length));
      }
      p.get(data, size, n);
      size += n;
    }

    float[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
