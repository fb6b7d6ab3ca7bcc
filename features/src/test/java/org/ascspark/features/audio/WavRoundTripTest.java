package org.ascspark.features.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** WavWriter to WavDecoder round trips for every encoding, mono and stereo. */
class WavRoundTripTest {

  private static final int SAMPLE_RATE_HZ = 22050;

  static Stream<Arguments> encodingsAndChannels() {
    return Stream.of(WavWriter.Encoding.values())
        .flatMap(e -> Stream.of(Arguments.of(e, 1), Arguments.of(e, 2)));
  }

  /** Random full-scale samples plus the extremes -1, 0, the largest float below 1 and tiny values. */
  private static float[][] signal(int channels, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int frames = 1000;
    float[][] x = new float[channels][frames];
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < frames; i++) {
        x[c][i] = (float) (rng.nextDouble() * 2 - 1);
      }
      x[c][0] = -1f;
      x[c][1] = 0f;
      x[c][2] = Math.nextDown(1f);
      x[c][3] = 1e-9f;
      x[c][4] = -0.5f;
    }
    return x;
  }

  @ParameterizedTest(name = "{0}, {1} channel(s)")
  @MethodSource("encodingsAndChannels")
  void roundTripIsExactUpToQuantisation(WavWriter.Encoding encoding, int channels) {
    float[][] x = signal(channels, 42L + encoding.ordinal() * 10L + channels);
    WavAudio a = WavDecoder.decode(WavWriter.encode(x, SAMPLE_RATE_HZ, encoding));

    int bits = encoding.bitsPerSample();
    boolean isFloat = encoding == WavWriter.Encoding.FLOAT_32
        || encoding == WavWriter.Encoding.FLOAT_64;
    assertEquals(SAMPLE_RATE_HZ, a.sampleRateHz());
    assertEquals(channels, a.channelCount());
    assertEquals(x[0].length, a.frames());
    assertEquals(bits, a.bitsPerSample());
    assertEquals((isFloat ? "float" : "pcm") + bits, a.encoding());
    assertEquals(x[0].length / (double) SAMPLE_RATE_HZ, a.durationSeconds(), 1e-12);

    float[][] y = a.samples();
    for (int c = 0; c < channels; c++) {
      if (isFloat) {
        assertArrayEquals(x[c], y[c], 0f, "float encodings are lossless, channel " + c);
        continue;
      }
      // Expected: the writer's integer, converted back by v / 2^(bits-1) in double, then float.
      double full = Math.scalb(1.0, bits - 1);
      // One quantisation step bounds the error (half a step from rounding, one where +1 clips);
      // float32 rounding of 32-bit PCM adds at most half an ulp of 1.
      double tol = Math.max(1 / full, Math.ulp(1f) / 2);
      for (int i = 0; i < x[c].length; i++) {
        float expected = (float) (WavWriter.quantise(x[c][i], bits) / full);
        assertEquals(expected, y[c][i], 0f, "channel " + c + " frame " + i);
        assertTrue(Math.abs(y[c][i] - x[c][i]) <= tol,
            "channel " + c + " frame " + i + ": " + x[c][i] + " -> " + y[c][i]);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(WavWriter.Encoding.class)
  void monoIsTheMeanOfTheChannels(WavWriter.Encoding encoding) {
    float[][] x = signal(2, 7L + encoding.ordinal());
    WavAudio a = WavDecoder.decode(WavWriter.encode(x, SAMPLE_RATE_HZ, encoding));
    float[][] y = a.samples();
    float[] mono = a.mono();
    for (int i = 0; i < mono.length; i++) {
      assertEquals((float) (((double) y[0][i] + y[1][i]) / 2), mono[i], 0f, "frame " + i);
    }
  }

  @Test
  void pcm24MonoWritesTheTauFormat() {
    float[] x = signal(1, 3L)[0];
    WavAudio a = WavDecoder.decode(WavWriter.pcm24Mono(x, 44100));
    assertEquals("pcm24", a.encoding());
    assertEquals(44100, a.sampleRateHz());
    assertArrayEquals(a.channel(0), a.mono(), 0f);
  }
}
