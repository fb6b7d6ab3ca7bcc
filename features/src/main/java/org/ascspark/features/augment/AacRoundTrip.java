package org.ascspark.features.augment;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ascspark.features.audio.Resampler;
import org.ascspark.features.augment.codec.AacCodec;

/**
 * AAC codec round trip (SPEC.md section 3): encode the clip to AAC-LC at a bit rate drawn
 * uniformly from the configured list, decode it, and remove the codec delay, so the output is
 * sample-aligned with the input and exactly as long.
 *
 * <p><b>Codec.</b> {@link AacCodec}: FFmpeg 5.0's native AAC encoder and decoder through the
 * JavaCPP presets (LGPL build, linux-x86_64 natives), mono, planar float in and out (no 16-bit
 * quantisation, no clipping), entirely in memory. Deterministic: the same input and bit rate give
 * the same output; the only randomness is the bit-rate draw.
 *
 * <p><b>Codec sample rate.</b> The clip is coded at its own rate when AAC defines it (96, 88.2,
 * 64, 48, 44.1, 32, 24, 22.05, 16, 12, 11.025, 8, 7.35 kHz) and the drawn bit rate is within
 * AAC's mono maximum there ({@link AacCodec#maxBitrateKbps}: 6144 bits per 1024-sample frame,
 * e.g. 96 kbps at 16 kHz); otherwise it is resampled with {@link Resampler} (zero phase, so
 * alignment is kept) to {@value #FALLBACK_RATE_HZ} Hz and back ({@link #codecSampleRateHz}).
 *
 * <p><b>Alignment.</b> The input gets {@link AacCodec#TAIL_PADDING_SAMPLES} = 2048 zeros appended
 * before encoding (the encoder's look-ahead otherwise loses the tail); the first
 * {@link AacCodec#CODEC_DELAY_SAMPLES} = 1024 decoded samples (the encoder's priming,
 * {@code initial_padding}; the decoder adds no delay) are dropped and the next {@code n} kept.
 * The delay is measured by cross-correlation in {@code AacRoundTripTest}.
 *
 * <p><b>Level.</b> Unity gain: a 1 kHz tone at -12 dBFS keeps its level within 0.02 dB from
 * 64 kbps, and within 0.6 dB at 32 kbps and 44.1 kHz (measured in {@code AacRoundTripTest}). The
 * decoder output is not clipped, so it may exceed full scale where the input came close to it.
 *
 * <p><b>Quality.</b> Waveform SNR of a music-like test signal at 44.1 kHz: about 12, 23, 28 and
 * 42 dB at 32, 64, 128 and 256 kbps; of broadband noise much lower (2 to 11 dB from 32 to
 * 128 kbps), as the encoder codes noise-like bands perceptually (noise substitution).
 *
 * <p>Parameters recorded: {@code {"bitrate_kbps": b}}. Cost: measured in {@code AacRoundTripTest}
 * (about 90-120 ms of one core per 10 s of 44.1 kHz
 * audio, i.e. roughly 100x real time). Needs the FFmpeg natives: where they
 * cannot be loaded {@link #apply} throws {@link IllegalStateException}. Immutable, thread-safe,
 * serializable.
 */
public final class AacRoundTrip extends CodecRoundTrip {

  private static final long serialVersionUID = 1L;

  /** Name in configs and in the {@code augmentation} column. */
  public static final String NAME = "aac";



  /** Lowest configurable bit rate, kbit/s. */
  public static final int MIN_BITRATE_KBPS = AacCodec.MIN_BITRATE_KBPS;

  /** Highest configurable bit rate, kbit/s (AAC's mono maximum at 44.1 kHz is 264). */
  public static final int MAX_BITRATE_KBPS = 256;

  /** Codec rate used when the clip's rate is not an AAC rate or too low for the bit rate. */
  public static final int FALLBACK_RATE_HZ = 44100;


  /**
   * Creates the augmentation.
   *
   * @param bitratesKbps bit rates in kbit/s to draw from uniformly, non-empty, no duplicates, each
   *     in {@value #MIN_BITRATE_KBPS}..{@value #MAX_BITRATE_KBPS}, e.g. {@code [32, 64, 128]}
   * @throws IllegalArgumentException naming {@value #KEY_BITRATES} and the value if invalid
   */
  public AacRoundTrip(List<Integer> bitratesKbps) {
    super(bitratesKbps, v -> v >= MIN_BITRATE_KBPS && v <= MAX_BITRATE_KBPS, "AAC bit rates in kbps from " + MIN_BITRATE_KBPS + " to " + MAX_BITRATE_KBPS);
  }

  /** @return {@value #NAME} */
  @Override
  public String name() {
    return NAME;
  }

  @Override
  protected float[] code(float[] samples, int sampleRateHz, int bitrateKbps) {
    return roundTrip(samples, sampleRateHz, bitrateKbps);
  }

  /**
   * The deterministic core of {@link #apply}: one AAC round trip at a given bit rate.
   *
   * @param samples mono samples, full scale, not modified
   * @param sampleRateHz their sample rate in Hz, positive
   * @param bitrateKbps bit rate in kbit/s, {@value #MIN_BITRATE_KBPS}..{@value #MAX_BITRATE_KBPS}
   * @return new array of {@code samples.length} decoded samples aligned with the input
   * @throws IllegalStateException if the FFmpeg natives are missing or the codec fails
   */
  public static float[] roundTrip(float[] samples, int sampleRateHz, int bitrateKbps) {
    Objects.requireNonNull(samples, "samples");
    if (bitrateKbps < MIN_BITRATE_KBPS || bitrateKbps > MAX_BITRATE_KBPS) {
      throw new IllegalArgumentException(KEY_BITRATES + ": " + bitrateKbps + " kbps is outside "
          + MIN_BITRATE_KBPS + ".." + MAX_BITRATE_KBPS);
    }
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sampleRateHz must be positive, got " + sampleRateHz);
    }
    AacCodec.requireNatives();
    int n = samples.length;
    if (n == 0) {
      return new float[0];
    }
    int codecHz = codecSampleRateHz(sampleRateHz, bitrateKbps);
    float[] atCodec = codecHz == sampleRateHz
        ? samples
        : Resampler.resample(samples, sampleRateHz, codecHz);
    int m = atCodec.length;
    float[] padded = Arrays.copyOf(atCodec, m + AacCodec.TAIL_PADDING_SAMPLES);
    float[] y = AacCodec.roundTrip(padded, codecHz, bitrateKbps);
    int delay = AacCodec.CODEC_DELAY_SAMPLES;
    if (y.length < delay + m) {
      throw new IllegalStateException("AAC decoder returned " + y.length + " samples, need "
          + (delay + m) + " (" + m + " plus the " + delay + "-sample codec delay)");
    }
    float[] aligned = Arrays.copyOfRange(y, delay, delay + m);
    if (codecHz == sampleRateHz) {
      return aligned;
    }
    return Arrays.copyOf(Resampler.resample(aligned, codecHz, sampleRateHz), n);
  }

  /**
   * The sample rate the codec runs at: the clip's rate if AAC defines it and allows the bit rate
   * there ({@link AacCodec#maxBitrateKbps}), else {@value #FALLBACK_RATE_HZ} Hz.
   *
   * @param sampleRateHz the clip's sample rate in Hz
   * @param bitrateKbps bit rate in kbit/s
   * @return the codec sample rate in Hz
   */
  public static int codecSampleRateHz(int sampleRateHz, int bitrateKbps) {
    if (AacCodec.isAacSampleRate(sampleRateHz)
        && bitrateKbps <= AacCodec.maxBitrateKbps(sampleRateHz)) {
      return sampleRateHz;
    }
    return FALLBACK_RATE_HZ;
  }

  @Override
  public String toString() {
    return "AacRoundTrip" + bitratesKbps() + " kbps";
  }
}
