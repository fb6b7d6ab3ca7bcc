package org.ascspark.features.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.ascspark.features.RecordSeeds;
import org.ascspark.features.audio.WavWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tests of {@link DeviceImpulseResponse} and {@link ImpulseResponses}: identity for a (delayed)
 * unit impulse, agreement with a direct time-domain convolution, length, alignment, level,
 * determinism, loader conventions and errors, and the 40 real micirp responses when
 * {@code ../shared/data/micirp} exists.
 */
class DeviceImpulseResponseTest {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceImpulseResponseTest.class);

  private static final int SR = 44100;

  @Test
  void unitImpulseIsTheIdentity() {
    float[] x = noise(10_000, 1);
    // A plain unit impulse, and one delayed by 37 samples (its peak is compensated).
    float[] delta = {1f};
    float[] delayed = new float[64];
    delayed[37] = 1f;
    for (float[] h : List.of(delta, delayed)) {
      ImpulseResponses irs = ImpulseResponses.of(List.of("delta"), List.of(h), SR, SR);
      WaveformAugmentation.Applied a =
          new DeviceImpulseResponse(irs).apply(x, SR, new SplittableRandom(3));
      assertEquals(x.length, a.samples().length);
      for (int i = 0; i < x.length; i++) {
        // float epsilon: at most a couple of ulps of the sample (FFT round-off in double, one
        // rounding to float, and the RMS gain 1 +- 1e-16).
        assertEquals(x[i], a.samples()[i], 2 * Math.ulp(Math.abs(x[i])) + 1e-12, "sample " + i);
      }
      assertEquals("delta", a.params().get("ir"));
    }
  }

  /** FFT convolution against the textbook sum, in double, atol 1e-5 (float output rounding). */
  @Test
  void matchesDirectConvolution() {
    SplittableRandom r = new SplittableRandom(5);
    int[][] shapes = {{1000, 300, 37}, {257, 1000, 999}, {1, 1, 0}, {4096, 4096, 0}, {500, 17, 8}};
    for (int[] s : shapes) {
      float[] x = uniform(s[0], r);
      float[] h = uniform(s[1], r);
      int peak = s[2];
      float[] got = DeviceImpulseResponse.convolveAligned(x, h, peak);
      assertEquals(x.length, got.length);
      double maxErr = 0;
      for (int t = 0; t < x.length; t++) {
        double want = 0;
        for (int k = 0; k < h.length; k++) {
          int j = t + peak - k;
          if (j >= 0 && j < x.length) {
            want += (double) h[k] * x[j];
          }
        }
        maxErr = Math.max(maxErr, Math.abs(want - got[t]));
      }
      assertTrue(maxErr < 1e-5, "max error " + maxErr + " for shape " + s[0] + "x" + s[1]);
    }
  }

  @Test
  void outputKeepsLengthAndRmsAndInputIsNotModified() {
    SplittableRandom r = new SplittableRandom(8);
    float[] h = decayingIr(2000, 50, r);
    ImpulseResponses irs = ImpulseResponses.of(List.of("synthetic"), List.of(h), SR, SR);
    DeviceImpulseResponse aug = new DeviceImpulseResponse(irs);
    for (int n : new int[] {0, 1, 7, 1999, 2000, 44_101}) {
      float[] x = noise(n, n);
      float[] before = x.clone();
      float[] y = aug.apply(x, SR, new SplittableRandom(1)).samples();
      assertArrayEquals(before, x, "input not modified");
      assertEquals(n, y.length, "length");
      if (n > 0) {
        assertEquals(rms(x), rms(y), 1e-6 * rms(x), "RMS kept at n=" + n);
      }
    }
    float[] silence = new float[1000];
    assertArrayEquals(silence, aug.apply(silence, SR, new SplittableRandom(1)).samples());
  }

  /** A band-limited pulse peaking at sample 200 with a noisy decaying tail: output is aligned. */
  @Test
  void peakDelayIsCompensated() {
    SplittableRandom r = new SplittableRandom(9);
    float[] h = new float[3000];
    for (int k = 0; k < h.length; k++) {
      double d = k - 200;
      h[k] = (float) Math.exp(-d * d / 8.0);
      if (k > 200) {
        h[k] += (float) (0.05 * Math.exp(-(k - 200) / 400.0) * (r.nextDouble() * 2 - 1));
      }
    }
    ImpulseResponses irs = ImpulseResponses.of(List.of("pulse"), List.of(h), SR, SR);
    assertEquals(200, irs.peakIndex(0));
    float[] x = noise(20_000, 4);
    float[] y = new DeviceImpulseResponse(irs).apply(x, SR, new SplittableRandom(1)).samples();
    assertEquals(0, Mp3RoundTripTest.argMaxCorrelation(x, y, -400, 400));
  }

  @Test
  void deterministicPerSeedAndDrawsEveryResponse() {
    SplittableRandom r = new SplittableRandom(10);
    List<String> names = List.of("a.wav", "b.wav", "c.wav");
    List<float[]> hs = List.of(decayingIr(100, 3, r), decayingIr(200, 5, r), decayingIr(50, 0, r));
    DeviceImpulseResponse aug = new DeviceImpulseResponse(ImpulseResponses.of(names, hs, SR, SR));
    float[] x = noise(5000, 2);
    WaveformAugmentation.Applied a1 = aug.apply(x, SR, RecordSeeds.rng(1, "aug/c/1"));
    WaveformAugmentation.Applied a2 = aug.apply(x, SR, RecordSeeds.rng(1, "aug/c/1"));
    assertArrayEquals(a1.samples(), a2.samples());
    assertEquals(a1.params(), a2.params());
    assertEquals(Set.of("ir"), a1.params().keySet());
    Set<Object> drawn = new HashSet<>();
    for (int v = 0; v < 30; v++) {
      drawn.add(aug.apply(new float[8], SR, RecordSeeds.rng(1, "aug/c/" + v)).params().get("ir"));
    }
    assertEquals(Set.copyOf(names), drawn);
    assertEquals("dir", aug.name());
    // Serializable (Spark ships it to executors): a copy gives the same result.
    DeviceImpulseResponse copy = Mp3RoundTripTest.serialCopy(aug);
    assertArrayEquals(a1.samples(), copy.apply(x, SR, RecordSeeds.rng(1, "aug/c/1")).samples());
  }

  @Test
  void wrongSampleRateIsRejected() {
    ImpulseResponses irs = ImpulseResponses.of(List.of("d"), List.of(new float[] {1f}), SR, SR);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DeviceImpulseResponse(irs).apply(new float[10], 48000, new SplittableRandom(1)));
    assertTrue(e.getMessage().contains("48000"), e.getMessage());
  }

  @Test
  void loaderConventions(@TempDir Path dir) throws IOException {
    // b.wav: stereo 48 kHz, both channels a scaled impulse at 10 -> downmixed, resampled, unit
    // energy. a.wav: mono 44.1 kHz. notes.txt: ignored. Order: by file name.
    float[] stereo = new float[480];
    stereo[10] = 0.5f;
    Files.write(dir.resolve("b.wav"), WavWriter.encode(new float[][] {stereo, stereo}, 48000,
        WavWriter.Encoding.FLOAT_32));
    float[] mono = new float[300];
    mono[5] = -0.25f;
    mono[6] = 0.1f;
    Files.write(dir.resolve("a.WAV"), WavWriter.pcm24Mono(mono, SR));
    Files.writeString(dir.resolve("notes.txt"), "not audio");
    ImpulseResponses irs = ImpulseResponses.load(dir, SR);
    assertEquals(List.of("a.WAV", "b.wav"), irs.names());
    assertEquals(SR, irs.sampleRateHz());
    for (int i = 0; i < irs.size(); i++) {
      assertEquals(1.0, energy(irs.ir(i)), 1e-6, "unit energy of " + irs.name(i));
    }
    assertEquals(5, irs.peakIndex(0));
    assertTrue(irs.ir(0)[5] < 0, "polarity kept");
    assertEquals(441, irs.ir(1).length, "480 samples at 48 kHz -> ceil(480 * 44100 / 48000)");
    // Impulse at 10 / 48000 s lands near 9.19 samples at 44.1 kHz.
    assertEquals(9, irs.peakIndex(1));
  }

  @Test
  void missingFolderFailsNamingKeyAndPath(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-folder");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImpulseResponses.load(missing, SR));
    assertTrue(e.getMessage().contains("ir-dir"), e.getMessage());
    assertTrue(e.getMessage().contains("no-such-folder"), e.getMessage());
  }

  @Test
  void emptyFolderFailsNamingKey(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("readme.txt"), "no wavs here");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImpulseResponses.load(dir, SR));
    assertTrue(e.getMessage().contains("ir-dir"), e.getMessage());
    assertTrue(e.getMessage().contains("no .wav"), e.getMessage());
  }

  @Test
  void undecodableOrSilentFileFailsNamingIt(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("good.wav"), WavWriter.pcm24Mono(new float[] {0, 1, 0}, SR));
    Files.writeString(dir.resolve("broken.wav"), "this is not RIFF");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImpulseResponses.load(dir, SR));
    assertTrue(e.getMessage().contains("ir-dir"), e.getMessage());
    assertTrue(e.getMessage().contains("broken.wav"), e.getMessage());
    Files.delete(dir.resolve("broken.wav"));
    Files.write(dir.resolve("silent.wav"), WavWriter.pcm24Mono(new float[100], SR));
    e = assertThrows(IllegalArgumentException.class, () -> ImpulseResponses.load(dir, SR));
    assertTrue(e.getMessage().contains("silent.wav"), e.getMessage());
  }

  /** The 40 micirp responses: all load, and a 10 s clip convolves with each quickly. */
  @Test
  void realMicirpResponses() {
    Path micirp = sharedDataDir().resolve("micirp");
    Assumptions.assumeTrue(Files.isDirectory(micirp), "no ../shared/data/micirp: skipped");
    long t0 = System.nanoTime();
    ImpulseResponses irs = ImpulseResponses.load(micirp, SR);
    long loadNs = System.nanoTime() - t0;
    assertEquals(40, irs.size());
    // White noise: its cross-correlation with the output is the aligned IR itself, so the peak
    // sits at lag 0 exactly when the IR's main peak was compensated.
    float[] x = uniform(10 * SR, new SplittableRandom(77));
    double xRms = rms(x);
    DeviceImpulseResponse aug = new DeviceImpulseResponse(irs);
    aug.apply(x, SR, new SplittableRandom(0)); // warm-up (JIT, FFT plan)
    long total = 0;
    long worst = 0;
    for (int i = 0; i < irs.size(); i++) {
      assertEquals(1.0, energy(irs.ir(i)), 1e-5, irs.name(i));
      ImpulseResponses one =
          ImpulseResponses.of(List.of(irs.name(i)), List.of(irs.ir(i)), SR, SR);
      long t = System.nanoTime();
      float[] y = new DeviceImpulseResponse(one).apply(x, SR, new SplittableRandom(0)).samples();
      long dt = System.nanoTime() - t;
      total += dt;
      worst = Math.max(worst, dt);
      assertEquals(x.length, y.length);
      assertEquals(xRms, rms(y), 1e-5 * xRms, irs.name(i));
      int lag = Mp3RoundTripTest.argMaxCorrelation(x, y, -5, 5);
      int negLag = Mp3RoundTripTest.argMaxCorrelation(x, negate(y), -5, 5);
      // Polarity is kept as measured, so the main peak may be negative.
      int used = irs.ir(i)[irs.peakIndex(i)] >= 0 ? lag : negLag;
      assertEquals(0, used, "alignment with " + irs.name(i));
    }
    LOG.info("micirp: loaded {} IRs ({} to {} samples at {} Hz) in {} ms; 10 s clip convolution "
        + "mean {} ms, worst {} ms", irs.size(), irs.minLength(), irs.maxLength(), SR,
        loadNs / 1_000_000, total / irs.size() / 1_000_000, worst / 1_000_000);
    assertTrue(worst < 2_000_000_000L, "one 10 s convolution took " + worst / 1e6 + " ms");
  }

  // ---- helpers ----

  /** {@code asc.shared.dir} (set by surefire) or {@code ../../shared}, then {@code data}. */
  private static Path sharedDataDir() {
    List<Path> candidates = new ArrayList<>();
    String prop = System.getProperty("asc.shared.dir");
    if (prop != null && !prop.isBlank()) {
      candidates.add(Paths.get(prop));
    }
    candidates.add(Paths.get("../../shared"));
    for (Path shared : candidates) {
      if (Files.isDirectory(shared.resolve("data"))) {
        return shared.resolve("data");
      }
    }
    return Paths.get("../../shared/data");
  }

  private static float[] noise(int n, long seed) {
    return Mp3RoundTripTest.broadband(n, seed);
  }

  private static float[] uniform(int n, SplittableRandom r) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return x;
  }

  /** Noise decaying over about n/5 samples with a unit spike at {@code peak}. */
  private static float[] decayingIr(int n, int peak, SplittableRandom r) {
    float[] h = new float[n];
    for (int k = 0; k < n; k++) {
      h[k] = (float) (0.3 * Math.exp(-5.0 * k / n) * (r.nextDouble() * 2 - 1));
    }
    h[peak] = 1f;
    return h;
  }

  private static float[] negate(float[] y) {
    float[] out = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = -y[i];
    }
    return out;
  }

  private static double energy(float[] h) {
    double e = 0;
    for (float v : h) {
      e += (double) v * v;
    }
    return e;
  }

  private static double rms(float[] x) {
    return x.length == 0 ? 0 : Math.sqrt(energy(x) / x.length);
  }
}
