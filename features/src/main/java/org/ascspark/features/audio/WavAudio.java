package org.ascspark.features.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * Immutable decoded audio: float samples per channel plus the format they came from.
 *
 * <p>Conventions: samples are full scale in [-1, 1] (integer PCM is divided by 2^(bits-1), see
 * {@link WavDecoder}); channels are de-interleaved, shape [channelCount][frames]; all channels have
 * the same length, at least one frame, and only finite values. Every accessor that returns an array
 * returns a fresh copy, so instances are safe to share between threads and callers may modify what
 * they get back (a 10 s 44.1 kHz mono copy is 1.7 MB, negligible next to decoding it).
 */
public final class WavAudio {

  private final int sampleRateHz;
  private final int bitsPerSample;
  private final String encoding;
  private final float[][] samples;

  /** Takes ownership of {@code samples}; callers inside the package must not keep a reference. */
  WavAudio(int sampleRateHz, int bitsPerSample, String encoding, float[][] samples) {
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sampleRateHz must be positive, got " + sampleRateHz);
    }
    if (bitsPerSample <= 0) {
      throw new IllegalArgumentException("bitsPerSample must be positive, got " + bitsPerSample);
    }
    Objects.requireNonNull(encoding, "encoding");
    if (samples.length == 0) {
      throw new IllegalArgumentException("at least one channel is required");
    }
    int frames = samples[0].length;
    if (frames == 0) {
      throw new IllegalArgumentException("at least one frame is required");
    }
    for (int c = 0; c < samples.length; c++) {
      if (samples[c].length != frames) {
        throw new IllegalArgumentException(
            "channel " + c + " has " + samples[c].length + " frames, channel 0 has " + frames);
      }
    }
    this.sampleRateHz = sampleRateHz;
    this.bitsPerSample = bitsPerSample;
    this.encoding = encoding;
    this.samples = samples;
  }

  /**
   * Creates audio from samples, copying them.
   *
   * @param sampleRateHz sample rate in Hz, positive
   * @param bitsPerSample bits per sample of the source encoding (container size), positive
   * @param encoding encoding name, e.g. {@code "pcm16"} or {@code "float32"}
   * @param samples samples [channelCount][frames], at least one channel and one frame, equal lengths
   * @return the audio, owning a deep copy of {@code samples}
   */
  public static WavAudio of(int sampleRateHz, int bitsPerSample, String encoding, float[][] samples) {
    float[][] copy = new float[samples.length][];
    for (int c = 0; c < samples.length; c++) {
      copy[c] = samples[c].clone();
    }
    return new WavAudio(sampleRateHz, bitsPerSample, encoding, copy);
  }

  /** @return sample rate in Hz */
  public int sampleRateHz() {
    return sampleRateHz;
  }

  /** @return number of channels, at least 1 */
  public int channelCount() {
    return samples.length;
  }

  /**
   * Returns the bits per sample of the source encoding: the container size (for
   * WAVE_FORMAT_EXTENSIBLE with fewer valid bits, e.g. 20 valid bits in 24, this is 24).
   *
   * @return bits per sample: 8, 16, 24, 32 or 64
   */
  public int bitsPerSample() {
    return bitsPerSample;
  }

  /**
   * Returns the name of the source encoding: {@code pcm8}, {@code pcm16}, {@code pcm24},
   * {@code pcm32}, {@code float32} or {@code float64}, with the suffix {@code -extensible} when the
   * file used WAVE_FORMAT_EXTENSIBLE (e.g. {@code pcm24-extensible}).
   *
   * @return the encoding name
   */
  public String encoding() {
    return encoding;
  }

  /** @return number of frames (samples per channel), at least 1 */
  public int frames() {
    return samples[0].length;
  }

  /** @return duration in seconds, {@code frames / sampleRateHz} */
  public double durationSeconds() {
    return (double) frames() / sampleRateHz;
  }

  /**
   * Returns all channels.
   *
   * @return a deep copy of the samples [channelCount][frames], full scale [-1, 1]
   */
  public float[][] samples() {
    float[][] copy = new float[samples.length][];
    for (int c = 0; c < samples.length; c++) {
      copy[c] = samples[c].clone();
    }
    return copy;
  }

  /**
   * Returns one channel.
   *
   * @param channel channel index in [0, channelCount)
   * @return a copy of that channel's samples [frames]
   */
  public float[] channel(int channel) {
    if (channel < 0 || channel >= samples.length) {
      throw new IndexOutOfBoundsException(
          "channel " + channel + " of " + samples.length + " channels");
    }
    return samples[channel].clone();
  }

  /**
   * Returns the mean over channels, computed in double and rounded to float once per frame. For
   * mono audio this is a copy of the single channel.
   *
   * @return mono downmix [frames]
   */
  public float[] mono() {
    if (samples.length == 1) {
      return samples[0].clone();
    }
    int n = frames();
    int nCh = samples.length;
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int c = 0; c < nCh; c++) {
        sum += samples[c][i];
      }
      out[i] = (float) (sum / nCh);
    }
    return out;
  }

  /** Equal when format fields and every sample are equal. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof WavAudio other)) {
      return false;
    }
    return sampleRateHz == other.sampleRateHz
        && bitsPerSample == other.bitsPerSample
        && encoding.equals(other.encoding)
        && Arrays.deepEquals(samples, other.samples);
  }

  /** Hash over format fields and samples, consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return Objects.hash(sampleRateHz, bitsPerSample, encoding, Arrays.deepHashCode(samples));
  }

  /** A summary without samples, e.g. {@code WavAudio[44100 Hz, 1 ch, 441000 frames, pcm24]}. */
  @Override
  public String toString() {
    return "WavAudio[" + sampleRateHz + " Hz, " + samples.length + " ch, " + frames() + " frames, "
        + encoding + "]";
  }
}
