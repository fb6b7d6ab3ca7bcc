package org.ascspark.features.augment;

import java.util.Arrays;
import java.util.List;
import org.ascspark.features.audio.Resampler;
import org.ascspark.features.augment.codec.Mp3Codec;

/**
 * MP3 codec round trip (SPEC.md section 3): encode the clip to constant-bit-rate MP3 at a bit rate
 * drawn uniformly from the configured list, decode it, and remove the codec delay, so the output is
 * sample-aligned with the input and exactly as long.
 *
 * <p><b>Codec.</b> {@link Mp3Codec}: jump3r 1.0.5 (LAME 3.98) encoder, mono, CBR, LAME quality 5,
 * 16-bit PCM in (samples outside [-1, 1) clip), no dither; JLayer 1.0.1.4 decoder with float
 * output (no 16-bit clip on the way out). Everything happens in memory: no files, no output.
 * Deterministic: the same input and bit rate give the same output bytes; the only randomness is
 * the bit-rate draw.
 *
 * <p><b>Codec sample rate.</b> The clip is coded at its own rate when MP3 carries that rate at the
 * drawn bit rate (32..320 kbps at 32/44.1/48 kHz, 8..160 kbps at 16/22.05/24 kHz, 8..64 kbps at
 * 8/11.025/12 kHz); otherwise it is resampled with {@link Resampler} (zero phase, so alignment is
 * kept) to 44.1 kHz, or to 22.05 kHz for 8, 16, 24 and 144 kbps, which MPEG-1 does not define,
 * and back ({@link #codecSampleRateHz}).
 *
 * <p><b>Level.</b> LAME scales its input by 0.95 (-0.45 dB) up to 160 kbps, 0.97 at 192 and 0.98
 * at 224 kbps ({@link Mp3Codec#lameInputScale}); the decoded samples are divided by that factor, so
 * the round trip has unity gain (a tone keeps its level within 0.01 dB). The decoder output is
 * not clipped, so the compensated output may exceed full scale where the input came close to it.
 *
 * <p><b>Alignment.</b> The input gets {@link Mp3Codec#tailPaddingSamples} zeros appended before
 * encoding so LAME's final frame does not cut the tail; the decoder skips LAME's tag frame and the
 * first {@link Mp3Codec#CODEC_DELAY_SAMPLES} = 1105 decoded samples (encoder 576 + decoder 529) are
 * dropped; then the first {@code n} samples are kept. The delay was measured by cross-correlation
 * at every legal (sample rate, bit rate) pair and is constant (see {@code Mp3RoundTripTest}).
 *
 * <p>Parameters recorded: {@code {"bitrate_kbps": b}}. Cost: about 100-130 ms of one core per
 * 10 s of 44.1 kHz audio, i.e. 80-100x real time (measured in {@code Mp3RoundTripTest}).
 * Immutable, thread-safe, serializable.
 */
public final class Mp3RoundTrip extends CodecRoundTrip {

  private static final long serialVersionUID = 1L;

  /** Name in configs and in the {@code augmentation} column. */
  public static final String NAME = "mp3";



  /** Codec rate used when the clip's rate is not an MP3 rate for the drawn MPEG-1 bit rate. */
  public static final int FALLBACK_MPEG1_RATE_HZ = 44100;

  /** Codec rate used for bit rates only MPEG-2 defines (8, 16, 24, 144 kbps) at other rates. */
  public static final int FALLBACK_MPEG2_RATE_HZ = 22050;


  /**
   * Creates the augmentation.
   *
   * @param bitratesKbps bit rates in kbit/s to draw from uniformly, non-empty, no duplicates, each
   *     a Layer III bit rate (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224,
   *     256, 320), e.g. {@code [32, 64, 128]}
   * @throws IllegalArgumentException naming {@value #KEY_BITRATES} and the value if invalid
   */
  public Mp3RoundTrip(List<Integer> bitratesKbps) {
    super(bitratesKbps, Mp3Codec::isLegalBitrate, "MP3 Layer III bit rates in kbps (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320)");
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
   * The deterministic core of {@link #apply}: one MP3 round trip at a given bit rate.
   *
   * @param samples mono samples, full scale, not modified
   * @param sampleRateHz their sample rate in Hz, positive
   * @param bitrateKbps a Layer III bit rate in kbit/s
   * @return new array of {@code samples.length} decoded samples aligned with the input
   */
  public static float[] roundTrip(float[] samples, int sampleRateHz, int bitrateKbps) {
    if (!Mp3Codec.isLegalBitrate(bitrateKbps)) {
      throw new IllegalArgumentException(
          KEY_BITRATES + ": " + bitrateKbps + " kbps is not an MP3 Layer III bit rate");
    }
    int n = samples.length;
    int codecHz = codecSampleRateHz(sampleRateHz, bitrateKbps);
    float[] atCodec = codecHz == sampleRateHz
        ? samples
        : Resampler.resample(samples, sampleRateHz, codecHz);
    int m = atCodec.length;
    float[] padded = Arrays.copyOf(atCodec, m + Mp3Codec.tailPaddingSamples(codecHz));
    Mp3Codec.Decoded decoded = Mp3Codec.decode(Mp3Codec.encode(padded, codecHz, bitrateKbps));
    if (decoded.sampleRateHz() != codecHz) {
      throw new IllegalStateException("MP3 decoded at " + decoded.sampleRateHz()
          + " Hz, encoded at " + codecHz + " Hz");
    }
    float[] y = decoded.samples();
    int delay = Mp3Codec.CODEC_DELAY_SAMPLES;
    if (y.length < delay + m) {
      throw new IllegalStateException("MP3 decoder returned " + y.length + " samples, need "
          + (delay + m) + " (" + m + " plus the " + delay + "-sample codec delay)");
    }
    float[] aligned = new float[m];
    double gain = 1.0 / Mp3Codec.lameInputScale(bitrateKbps);
    for (int i = 0; i < m; i++) {
      aligned[i] = (float) (y[delay + i] * gain);
    }
    if (codecHz == sampleRateHz) {
      return aligned;
    }
    return Arrays.copyOf(Resampler.resample(aligned, codecHz, sampleRateHz), n);
  }

  /**
   * The sample rate the codec runs at for a clip rate and bit rate: the clip's rate if MP3 defines
   * the bit rate there, else {@value #FALLBACK_MPEG1_RATE_HZ} Hz for bit rates of 32 kbps and up
   * except 144, else {@value #FALLBACK_MPEG2_RATE_HZ} Hz.
   *
   * @param sampleRateHz the clip's sample rate in Hz
   * @param bitrateKbps a Layer III bit rate in kbit/s
   * @return the codec sample rate in Hz
   */
  public static int codecSampleRateHz(int sampleRateHz, int bitrateKbps) {
    if (Mp3Codec.isLegalBitrate(sampleRateHz, bitrateKbps)) {
      return sampleRateHz;
    }
    return Mp3Codec.isLegalBitrate(FALLBACK_MPEG1_RATE_HZ, bitrateKbps)
        ? FALLBACK_MPEG1_RATE_HZ
        : FALLBACK_MPEG2_RATE_HZ;
  }

  @Override
  public String toString() {
    return "Mp3RoundTrip" + bitratesKbps() + " kbps";
  }
}
