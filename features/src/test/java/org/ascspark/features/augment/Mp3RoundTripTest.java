package org.ascspark.features.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
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
import org.ascspark.features.augment.codec.Mp3Codec;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tests of {@link Mp3RoundTrip} and {@link Mp3Codec}: codec delay measured by cross-correlation at
 * every legal (sample rate, bit rate) pair, output length and alignment, SNR, tone level,
 * determinism, thread safety, silence on stdout, validation and speed. Measured values are logged.
 */
class Mp3RoundTripTest {

  private static final Logger LOG = LoggerFactory.getLogger(Mp3RoundTripTest.class);

  private static final int SR = 44100;
  private static final int[] MP3_RATES_HZ =
      {44100, 48000, 32000, 22050, 24000, 16000, 11025, 12000, 8000};
  private static final int[] ALL_KBPS =
      {8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320};

  /**
   * The delay the implementation trims (1105 = LAME encoder 576 + decoder 529, after the tag frame
   * is skipped) and LAME's preset input scale are measured, not assumed, at every legal pair. The
   * probe: 2000 samples of digital silence (so a silent first audio frame cannot be mistaken for
   * the tag frame), a 4096-sample noise burst, then a 500 Hz tone of a third of a second. The delay
   * is the lag of the cross-correlation maximum between the burst and the output over 0..2999;
   * the scale is the tone's output/input RMS ratio (within 0.002, or 0.01 below 32 kbps).
   * Without the tag-frame skip the lag is 2257 (MPEG-1) or 1681 (MPEG-2) wherever LAME writes the
   * tag frame, e.g. from 56 kbps at 44.1 kHz.
   */
  @Test
  void codecDelayAndLevelAtEveryLegalRateAndBitrate() {
    int lead = 2000;
    int burst = 4096;
    for (int sr : MP3_RATES_HZ) {
      int tone = sr / 3;
      float[] burstOnly = new float[lead + burst + tone];
      System.arraycopy(broadband(burst, 11), 0, burstOnly, lead, burst);
      float[] x = burstOnly.clone();
      for (int i = lead + burst; i < x.length; i++) {
        x[i] = (float) (0.25 * Math.sin(2 * Math.PI * 500.0 * i / sr));
      }
      float[] padded = Arrays.copyOf(x, x.length + Mp3Codec.tailPaddingSamples(sr));
      StringBuilder line = new StringBuilder();
      for (int kbps : ALL_KBPS) {
        if (!Mp3Codec.isLegalBitrate(sr, kbps)) {
          continue;
        }
        Mp3Codec.Decoded d = Mp3Codec.decode(Mp3Codec.encode(padded, sr, kbps));
        assertEquals(sr, d.sampleRateHz(), "decoded rate at " + kbps + " kbps");
        float[] y = d.samples();
        int lag = argMaxCorrelation(burstOnly, y, 0, 2999);
        assertEquals(
            Mp3Codec.CODEC_DELAY_SAMPLES, lag, "delay at " + sr + " Hz, " + kbps + " kbps");
        assertTrue(y.length >= lag + x.length, "decoded stream covers the input");
        int from = lead + burst + tone / 4;
        int to = lead + burst + 3 * tone / 4;
        double scale = rms(Arrays.copyOfRange(y, lag, lag + x.length), from, to) / rms(x, from, to);
        line.append(String.format(" %d:%d/%.4f", kbps, lag, scale));
        // Below 32 kbps the coding error itself moves a tone's level by up to ~0.05 dB.
        assertEquals(Mp3Codec.lameInputScale(kbps), scale, kbps < 32 ? 0.01 : 0.002,
            "LAME input scale at " + sr + " Hz, " + kbps + " kbps");
      }
      LOG.info("MP3 at {} Hz, kbps:delay/scale ->{}", sr, line);
    }
  }

  @Test
  void outputHasInputLengthAndPeakCorrelationAtLagZero() {
    // Odd lengths, MP3 rates, an MPEG-2 rate, a rate MP3 lacks (resampled to 44.1 kHz and back),
    // and MPEG-2-only bit rates at 44.1 kHz (coded at 22.05 kHz).
    int[][] cases = {
      {44100, 32}, {44100, 64}, {44100, 128}, {44100, 320}, {48000, 64}, {16000, 32},
      {20000, 64}, {44100, 16}, {96000, 128}
    };
    for (int[] c : cases) {
      int sr = c[0];
      int kbps = c[1];
      float[] x = broadband(sr + 12345, 3);
      float[] y = Mp3RoundTrip.roundTrip(x, sr, kbps);
      assertEquals(x.length, y.length, "length at " + sr + " Hz, " + kbps + " kbps");
      int lag = argMaxCorrelation(x, y, -40, 40);
      LOG.info("MP3 {} kbps at {} Hz (codec {} Hz): cross-correlation peak at lag {}", kbps, sr,
          Mp3RoundTrip.codecSampleRateHz(sr, kbps), lag);
      assertTrue(Math.abs(lag) <= 1, "lag " + lag + " at " + sr + " Hz, " + kbps + " kbps");
    }
  }

  /**
   * SNR of a music-like signal (harmonic notes over a quiet noise floor), 5 s at 44.1 kHz, after
   * delay and level compensation; logged, asserted with margin: &gt; 15 dB at 128 kbps and rising
   * with the bit rate.
   */
  @Test
  void snrIsReasonableAndRisesWithBitrate() {
    float[] x = musicLike(5 * SR, SR, 5);
    double previous = Double.NEGATIVE_INFINITY;
    StringBuilder line = new StringBuilder();
    for (int kbps : new int[] {32, 64, 128, 320}) {
      float[] y = Mp3RoundTrip.roundTrip(x, SR, kbps);
      double snr = snrDb(x, y);
      line.append(String.format(" %d kbps %.1f dB;", kbps, snr));
      assertTrue(snr > previous, "SNR should rise with the bit rate" + line);
      previous = snr;
      if (kbps == 128) {
        assertTrue(snr > 15, "SNR at 128 kbps: " + snr);
      }
    }
    LOG.info("MP3 SNR, music-like 5 s at 44.1 kHz:{}", line);
  }

  /** The brief asks for 1 dB; with LAME's preset scale compensated the level is within 0.05 dB. */
  @Test
  void toneLevelIsPreserved() {
    for (int sr : new int[] {44100, 16000}) {
      float[] x = new float[2 * sr];
      double amp = Math.pow(10, -12 / 20.0);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (amp * Math.sin(2 * Math.PI * 1000.0 * i / sr));
      }
      for (int kbps : new int[] {32, 64, 128}) {
        float[] y = Mp3RoundTrip.roundTrip(x, sr, kbps);
        int from = sr / 4;
        int to = x.length - sr / 4;
        double gainDb = 20 * Math.log10(rms(y, from, to) / rms(x, from, to));
        LOG.info("MP3 1 kHz tone at -12 dBFS, {} Hz, {} kbps: level change {} dB", sr, kbps,
            String.format("%.3f", gainDb));
        assertEquals(0.0, gainDb, 0.05, "tone level at " + sr + " Hz, " + kbps + " kbps");
      }
    }
  }

  @Test
  void deterministicPerSeedAndInputNotModified() {
    Mp3RoundTrip aug = new Mp3RoundTrip(List.of(32, 64, 128));
    float[] x = musicLike(SR, SR, 9);
    float[] before = x.clone();
    WaveformAugmentation.Applied a = aug.apply(x, SR, RecordSeeds.rng(42, "aug/clip-1/0"));
    WaveformAugmentation.Applied b = aug.apply(x, SR, RecordSeeds.rng(42, "aug/clip-1/0"));
    assertArrayEquals(before, x, "input not modified");
    assertArrayEquals(a.samples(), b.samples(), "same seed, same samples");
    assertEquals(a.params(), b.params());
    assertTrue(List.of(32, 64, 128).contains(a.params().get("bitrate_kbps")), "" + a.params());
    assertEquals(Set.of("bitrate_kbps"), a.params().keySet());
    // The codec itself is deterministic: two encodes give the same bytes.
    assertArrayEquals(Mp3Codec.encode(x, SR, 64), Mp3Codec.encode(x, SR, 64));
    // Every configured bit rate gets drawn, and only those.
    Set<Object> drawn = new HashSet<>();
    for (int v = 0; v < 40; v++) {
      SplittableRandom rng = RecordSeeds.rng(7, "aug/clip-2/" + v);
      drawn.add(aug.apply(new float[64], SR, rng).params().get("bitrate_kbps"));
    }
    assertEquals(Set.of(32, 64, 128), drawn);
    // Serializable (Spark ships it to executors): a copy gives the same result.
    Mp3RoundTrip copy = Mp3RoundTripTest.serialCopy(aug);
    assertArrayEquals(
        a.samples(), copy.apply(x, SR, RecordSeeds.rng(42, "aug/clip-1/0")).samples());
  }

  @Test
  void concurrentUseGivesTheSameSamplesAsSequential() throws Exception {
    float[] x = musicLike(SR / 2, SR, 13);
    int[] kbps = {32, 64, 128, 192, 32, 64, 128, 192};
    List<float[]> expected = new ArrayList<>();
    for (int k : kbps) {
      expected.add(Mp3RoundTrip.roundTrip(x, SR, k));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> got = new ArrayList<>();
      for (int k : kbps) {
        got.add(pool.submit(() -> Mp3RoundTrip.roundTrip(x, SR, k)));
      }
      for (int i = 0; i < kbps.length; i++) {
        assertArrayEquals(expected.get(i), got.get(i).get(), "job " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void printsNothing() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    try {
      System.setOut(capture);
      System.setErr(capture);
      for (int kbps : new int[] {8, 32, 128, 320}) {
        Mp3RoundTrip.roundTrip(broadband(SR / 4, 1), SR, kbps);
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    assertEquals("", captured.toString(StandardCharsets.UTF_8));
  }

  @Test
  void edgeLengths() {
    Mp3RoundTrip aug = new Mp3RoundTrip(List.of(64));
    assertEquals(0, aug.apply(new float[0], SR, new SplittableRandom(1)).samples().length);
    assertEquals(1, aug.apply(new float[] {0.5f}, SR, new SplittableRandom(1)).samples().length);
    assertEquals(1153, aug.apply(new float[1153], 22050, new SplittableRandom(1)).samples().length);
  }

  @Test
  void invalidBitratesFailNamingTheKey() {
    List<List<Integer>> bad = new ArrayList<>();
    bad.add(List.of());
    bad.add(null);
    bad.add(List.of(64, 100));
    bad.add(List.of(0));
    bad.add(List.of(-32));
    bad.add(List.of(640));
    bad.add(List.of(64, 64));
    for (List<Integer> b : bad) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new Mp3RoundTrip(b), "" + b);
      assertTrue(e.getMessage().contains("bitrates-kbps"), e.getMessage());
    }
    assertEquals(List.of(32, 64, 128), new Mp3RoundTrip(List.of(32, 64, 128)).bitratesKbps());
    assertEquals("mp3", new Mp3RoundTrip(List.of(8)).name());
    assertThrows(IllegalArgumentException.class,
        () -> new Mp3RoundTrip(List.of(64)).apply(new float[10], 0, new SplittableRandom(1)));
  }

  /** Logs the CPU cost of a 10 s 44.1 kHz round trip (STACK.md: about 150 ms). */
  @Test
  void timingPerTenSecondClip() {
    float[] x = musicLike(10 * SR, SR, 21);
    Mp3RoundTrip.roundTrip(x, SR, 128); // warm-up (JIT)
    StringBuilder line = new StringBuilder();
    for (int kbps : new int[] {32, 64, 128}) {
      long best = Long.MAX_VALUE;
      for (int r = 0; r < 2; r++) {
        long t0 = System.nanoTime();
        float[] y = Mp3RoundTrip.roundTrip(x, SR, kbps);
        best = Math.min(best, System.nanoTime() - t0);
        assertEquals(x.length, y.length);
      }
      line.append(String.format(" %d kbps %.0f ms;", kbps, best / 1e6));
      assertTrue(best < 5_000_000_000L, "10 s clip took " + best / 1e6 + " ms");
    }
    LOG.info("MP3 round trip of a 10 s 44.1 kHz clip (best of 2):{}", line);
  }

  @Test
  void codecSampleRateChoice() {
    assertEquals(44100, Mp3RoundTrip.codecSampleRateHz(44100, 128));
    assertEquals(16000, Mp3RoundTrip.codecSampleRateHz(16000, 64));
    assertEquals(44100, Mp3RoundTrip.codecSampleRateHz(16000, 192));
    assertEquals(44100, Mp3RoundTrip.codecSampleRateHz(8000, 80));
    assertEquals(8000, Mp3RoundTrip.codecSampleRateHz(8000, 64));
    assertEquals(22050, Mp3RoundTrip.codecSampleRateHz(44100, 8));
    assertEquals(22050, Mp3RoundTrip.codecSampleRateHz(48000, 144));
    assertEquals(44100, Mp3RoundTrip.codecSampleRateHz(96000, 320));
  }

  // ---- signals and measures ----

  /** White noise through a one-pole low-pass (pole 0.5), amplitude about 0.2. */
  static float[] broadband(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    double lp = 0;
    for (int i = 0; i < n; i++) {
      lp = 0.5 * lp + 0.5 * (r.nextDouble() * 2 - 1);
      x[i] = (float) (0.4 * lp);
    }
    return x;
  }

  /**
   * Harmonic notes (three voices, 8 harmonics at 1/h amplitude, a new random note every 250 ms
   * with a 10 ms attack and exponential decay) plus noise 35 dB down: a crude stand-in for music.
   */
  static float[] musicLike(int n, int sr, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] y = new double[n];
    int note = sr / 4;
    for (int voice = 0; voice < 3; voice++) {
      for (int start = 0; start < n; start += note) {
        double f0 = 110 * Math.pow(2, r.nextInt(36) / 12.0);
        double phase = r.nextDouble() * 2 * Math.PI;
        for (int i = start; i < Math.min(n, start + note); i++) {
          double t = (double) (i - start) / sr;
          double env = Math.min(1, t / 0.01) * Math.exp(-t * 4);
          double s = 0;
          for (int h = 1; h <= 8 && h * f0 < sr / 2.0; h++) {
            s += Math.sin(2 * Math.PI * h * f0 * t + phase * h) / h;
          }
          y[i] += 0.12 * env * s;
        }
      }
    }
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (y[i] + 0.004 * (r.nextDouble() * 2 - 1));
    }
    return x;
  }

  /** The lag in [minLag, maxLag] maximising sum_i x[i] y[i + lag] (over indices inside both). */
  static int argMaxCorrelation(float[] x, float[] y, int minLag, int maxLag) {
    int best = minLag;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int lag = minLag; lag <= maxLag; lag++) {
      double s = 0;
      int from = Math.max(0, -lag);
      int to = Math.min(x.length, y.length - lag);
      for (int i = from; i < to; i++) {
        s += (double) x[i] * y[i + lag];
      }
      if (s > bestValue) {
        bestValue = s;
        best = lag;
      }
    }
    return best;
  }

  /** Java-serializes and deserializes an object, as Spark does when shipping a closure. */
  @SuppressWarnings("unchecked")
  static <T extends Serializable> T serialCopy(T value) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(value);
      }
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (T) in.readObject();
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new AssertionError("serialization failed for " + value, e);
    }
  }

  static double snrDb(float[] x, float[] y) {
    double signal = 0;
    double noise = 0;
    for (int i = 0; i < x.length; i++) {
      signal += (double) x[i] * x[i];
      double d = (double) x[i] - y[i];
      noise += d * d;
    }
    return 10 * Math.log10(signal / noise);
  }

  static double rms(float[] x, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += (double) x[i] * x[i];
    }
    return Math.sqrt(s / (to - from));
  }
}
