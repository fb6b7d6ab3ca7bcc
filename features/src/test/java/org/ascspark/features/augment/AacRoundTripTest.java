package org.ascspark.features.augment;

import static org.ascspark.features.augment.Mp3RoundTripTest.argMaxCorrelation;
import static org.ascspark.features.augment.Mp3RoundTripTest.broadband;
import static org.ascspark.features.augment.Mp3RoundTripTest.musicLike;
import static org.ascspark.features.augment.Mp3RoundTripTest.rms;
import static org.ascspark.features.augment.Mp3RoundTripTest.snrDb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ascspark.features.RecordSeeds;
import org.ascspark.features.augment.codec.AacCodec;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tests of {@link AacRoundTrip} and {@link AacCodec}: codec delay measured by cross-correlation,
 * output length and alignment, tail kept, SNR, tone level, determinism, thread safety,
 * validation, licence of the loaded FFmpeg and speed. Measured values are logged. Signal
 * generators and measures are shared with {@link Mp3RoundTripTest}.
 */
class AacRoundTripTest {

  private static final Logger LOG = LoggerFactory.getLogger(AacRoundTripTest.class);

  private static final int SR = 44100;

  /**
   * The 1024-sample delay the implementation trims is measured, not assumed: 2000 samples of
   * silence, a 4096-sample noise burst, a 500 Hz tone of a third of a second and 2048 zeros go
   * through the raw codec; the delay is the lag of the cross-correlation maximum between the
   * burst and the decoded stream over 0..2999, at several rates and bit rates.
   */
  @Test
  void codecDelayIsMeasuredByCrossCorrelation() {
    int lead = 2000;
    int burst = 4096;
    for (int sr : new int[] {44100, 48000, 32000, 22050, 16000, 8000}) {
      int tone = sr / 3;
      float[] burstOnly = new float[lead + burst + tone];
      System.arraycopy(broadband(burst, 11), 0, burstOnly, lead, burst);
      float[] x = burstOnly.clone();
      for (int i = lead + burst; i < x.length; i++) {
        x[i] = (float) (0.25 * Math.sin(2 * Math.PI * 500.0 * i / sr));
      }
      float[] padded = Arrays.copyOf(x, x.length + AacCodec.TAIL_PADDING_SAMPLES);
      StringBuilder line = new StringBuilder();
      for (int kbps : new int[] {16, 32, 64, 128}) {
        if (kbps > AacCodec.maxBitrateKbps(sr)) {
          continue;
        }
        float[] y = AacCodec.roundTrip(padded, sr, kbps);
        int lag = argMaxCorrelation(burstOnly, y, 0, 2999);
        line.append(String.format(" %d:%d", kbps, lag));
        assertEquals(AacCodec.CODEC_DELAY_SAMPLES, lag, "delay at " + sr + " Hz, " + kbps + " kbps");
        assertTrue(y.length >= lag + x.length, "decoded stream covers the input");
        assertEquals(0, y.length % AacCodec.FRAME_SAMPLES, "whole frames");
      }
      LOG.info("AAC at {} Hz, kbps:delay ->{}", sr, line);
    }
  }

  @Test
  void outputHasInputLengthAndPeakCorrelationAtLagZero() {
    // Odd lengths; AAC rates; 20 kHz and 16 kHz at 128 kbps (above AAC's 96 kbps maximum there)
    // go through 44.1 kHz.
    int[][] cases = {
      {44100, 32}, {44100, 64}, {44100, 128}, {44100, 256}, {48000, 64}, {16000, 32},
      {8000, 16}, {20000, 64}, {16000, 128}, {96000, 128}, {44100, 8}
    };
    for (int[] c : cases) {
      int sr = c[0];
      int kbps = c[1];
      float[] x = broadband(sr + 12345, 3);
      float[] y = AacRoundTrip.roundTrip(x, sr, kbps);
      assertEquals(x.length, y.length, "length at " + sr + " Hz, " + kbps + " kbps");
      int lag = argMaxCorrelation(x, y, -40, 40);
      LOG.info("AAC {} kbps at {} Hz (codec {} Hz): cross-correlation peak at lag {}, SNR {} dB",
          kbps, sr, AacRoundTrip.codecSampleRateHz(sr, kbps), lag,
          String.format("%.1f", snrDb(x, y)));
      assertTrue(Math.abs(lag) <= 1, "lag " + lag + " at " + sr + " Hz, " + kbps + " kbps");
    }
  }

  /** The last samples survive: thanks to the 2048 padding zeros the tail is not cut. */
  @Test
  void tailIsKept() {
    for (int n : new int[] {SR, SR + 1, SR + 1023, SR + 1024}) {
      float[] x = broadband(n, 17);
      float[] y = AacRoundTrip.roundTrip(x, SR, 128);
      float[] xt = Arrays.copyOfRange(x, n - 512, n);
      float[] yt = Arrays.copyOfRange(y, n - 512, n);
      double snr = snrDb(xt, yt);
      assertTrue(snr > 10, "SNR of the last 512 samples, n = " + n + ": " + snr);
    }
  }

  /**
   * SNR of a music-like signal, 5 s at 44.1 kHz, logged and asserted with margin (measured 11.8,
   * 23.3, 27.7 and 41.7 dB at 32, 64, 128 and 256 kbps; asserted: rising, and &gt; 15 dB at
   * 128 kbps). Broadband noise gets much lower waveform SNR (logged in the alignment test).
   */
  @Test
  void snrIsReasonableAndRisesWithBitrate() {
    float[] x = musicLike(5 * SR, SR, 5);
    double previous = Double.NEGATIVE_INFINITY;
    StringBuilder line = new StringBuilder();
    for (int kbps : new int[] {32, 64, 128, 256}) {
      float[] y = AacRoundTrip.roundTrip(x, SR, kbps);
      double snr = snrDb(x, y);
      line.append(String.format(" %d kbps %.1f dB;", kbps, snr));
      assertTrue(snr > previous, "SNR should rise with the bit rate" + line);
      previous = snr;
      if (kbps == 128) {
        assertTrue(snr > 15, "SNR at 128 kbps: " + snr);
      }
    }
    LOG.info("AAC SNR, music-like 5 s at 44.1 kHz:{}", line);
  }

  /** Within 1 dB (measured: +0.51 dB at 32 kbps and 44.1 kHz, within 0.02 dB otherwise). */
  @Test
  void toneLevelIsPreserved() {
    for (int sr : new int[] {44100, 16000}) {
      float[] x = new float[2 * sr];
      double amp = Math.pow(10, -12 / 20.0);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (amp * Math.sin(2 * Math.PI * 1000.0 * i / sr));
      }
      for (int kbps : new int[] {32, 64, 128}) {
        float[] y = AacRoundTrip.roundTrip(x, sr, kbps);
        int from = sr / 4;
        int to = x.length - sr / 4;
        double gainDb = 20 * Math.log10(rms(y, from, to) / rms(x, from, to));
        LOG.info("AAC 1 kHz tone at -12 dBFS, {} Hz, {} kbps: level change {} dB", sr, kbps,
            String.format("%.3f", gainDb));
        assertEquals(0.0, gainDb, 1.0, "tone level at " + sr + " Hz, " + kbps + " kbps");
      }
    }
  }

  @Test
  void deterministicPerSeedAndInputNotModified() {
    AacRoundTrip aug = new AacRoundTrip(List.of(32, 64, 128));
    float[] x = musicLike(SR, SR, 9);
    float[] before = x.clone();
    WaveformAugmentation.Applied a = aug.apply(x, SR, RecordSeeds.rng(42, "aug/clip-1/0"));
    WaveformAugmentation.Applied b = aug.apply(x, SR, RecordSeeds.rng(42, "aug/clip-1/0"));
    assertArrayEquals(before, x, "input not modified");
    assertArrayEquals(a.samples(), b.samples(), "same seed, same samples");
    assertEquals(a.params(), b.params());
    assertTrue(List.of(32, 64, 128).contains(a.params().get("bitrate_kbps")), "" + a.params());
    assertEquals(Set.of("bitrate_kbps"), a.params().keySet());
    // The codec itself is deterministic at every rate, also through the resampling path.
    for (int sr : new int[] {SR, 16000, 20000}) {
      float[] z = broadband(sr / 2 + 7, 4);
      assertArrayEquals(AacRoundTrip.roundTrip(z, sr, 64), AacRoundTrip.roundTrip(z, sr, 64));
    }
    Set<Object> drawn = new HashSet<>();
    for (int v = 0; v < 40; v++) {
      SplittableRandom rng = RecordSeeds.rng(7, "aug/clip-2/" + v);
      drawn.add(aug.apply(new float[64], SR, rng).params().get("bitrate_kbps"));
    }
    assertEquals(Set.of(32, 64, 128), drawn);
    AacRoundTrip copy = Mp3RoundTripTest.serialCopy(aug);
    assertArrayEquals(
        a.samples(), copy.apply(x, SR, RecordSeeds.rng(42, "aug/clip-1/0")).samples());
  }

  @Test
  void concurrentUseGivesTheSameSamplesAsSequential() throws Exception {
    float[] x = musicLike(SR / 2, SR, 13);
    int[] kbps = {32, 64, 128, 192, 32, 64, 128, 192, 16, 48, 96, 256};
    List<float[]> expected = new ArrayList<>();
    for (int k : kbps) {
      expected.add(AacRoundTrip.roundTrip(x, SR, k));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 3; round++) {
        List<Future<float[]>> got = new ArrayList<>();
        for (int k : kbps) {
          got.add(pool.submit(() -> AacRoundTrip.roundTrip(x, SR, k)));
        }
        for (int i = 0; i < kbps.length; i++) {
          assertArrayEquals(expected.get(i), got.get(i).get(), "round " + round + ", job " + i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void edgeLengths() {
    AacRoundTrip aug = new AacRoundTrip(List.of(64));
    assertEquals(0, aug.apply(new float[0], SR, new SplittableRandom(1)).samples().length);
    assertEquals(1, aug.apply(new float[] {0.5f}, SR, new SplittableRandom(1)).samples().length);
    assertEquals(1025, aug.apply(new float[1025], 22050, new SplittableRandom(1)).samples().length);
    float[] silence = aug.apply(new float[3000], SR, new SplittableRandom(1)).samples();
    assertArrayEquals(new float[3000], silence, 0f, "silence stays silent (-0.0 allowed)");
  }

  @Test
  void invalidBitratesFailNamingTheKey() {
    List<List<Integer>> bad = new ArrayList<>();
    bad.add(List.of());
    bad.add(null);
    bad.add(List.of(64, 300));
    bad.add(List.of(0));
    bad.add(List.of(7));
    bad.add(List.of(-32));
    bad.add(List.of(257));
    bad.add(List.of(64, 64));
    bad.add(Arrays.asList(64, null));
    for (List<Integer> b : bad) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new AacRoundTrip(b), "" + b);
      assertTrue(e.getMessage().contains("bitrates-kbps"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AacRoundTrip.roundTrip(new float[10], SR, 512));
    assertTrue(e.getMessage().contains("bitrates-kbps"), e.getMessage());
    assertEquals(List.of(32, 64, 128), new AacRoundTrip(List.of(32, 64, 128)).bitratesKbps());
    assertEquals("aac", new AacRoundTrip(List.of(8)).name());
    assertThrows(IllegalArgumentException.class,
        () -> new AacRoundTrip(List.of(64)).apply(new float[10], 0, new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class,
        () -> AacCodec.roundTrip(new float[10], 20000, 64), "20 kHz is no AAC rate");
    assertThrows(IllegalArgumentException.class,
        () -> AacCodec.roundTrip(new float[10], 16000, 128), "above AAC's maximum at 16 kHz");
  }

  @Test
  void codecSampleRateChoice() {
    assertEquals(44100, AacRoundTrip.codecSampleRateHz(44100, 256));
    assertEquals(48000, AacRoundTrip.codecSampleRateHz(48000, 128));
    assertEquals(16000, AacRoundTrip.codecSampleRateHz(16000, 96));
    assertEquals(44100, AacRoundTrip.codecSampleRateHz(16000, 128));
    assertEquals(8000, AacRoundTrip.codecSampleRateHz(8000, 48));
    assertEquals(44100, AacRoundTrip.codecSampleRateHz(8000, 64));
    assertEquals(44100, AacRoundTrip.codecSampleRateHz(20000, 32));
    assertEquals(96000, AacRoundTrip.codecSampleRateHz(96000, 32));
  }

  /** The FFmpeg we load must be the LGPL build: GPL code must not ship. */
  @Test
  void loadedFfmpegIsLgpl() {
    String license = AacCodec.license();
    String config = AacCodec.configuration();
    LOG.info("libavcodec licence: {}; configuration: {}", license, config);
    assertTrue(license.startsWith("LGPL"), license);
    assertFalse(config.contains("--enable-gpl"), config);
    assertFalse(config.contains("--enable-nonfree"), config);
  }

  /** Logs the cost of a 10 s 44.1 kHz round trip (STACK.md: about 50x real time). */
  @Test
  void timingPerTenSecondClip() {
    float[] x = musicLike(10 * SR, SR, 21);
    AacRoundTrip.roundTrip(x, SR, 128); // warm-up
    StringBuilder line = new StringBuilder();
    for (int kbps : new int[] {32, 64, 128}) {
      long best = Long.MAX_VALUE;
      for (int r = 0; r < 2; r++) {
        long t0 = System.nanoTime();
        float[] y = AacRoundTrip.roundTrip(x, SR, kbps);
        best = Math.min(best, System.nanoTime() - t0);
        assertEquals(x.length, y.length);
      }
      line.append(String.format(" %d kbps %.0f ms;", kbps, best / 1e6));
      assertTrue(best < 5_000_000_000L, "10 s clip took " + best / 1e6 + " ms");
    }
    LOG.info("AAC round trip of a 10 s 44.1 kHz clip (best of 2):{}", line);
  }
}
