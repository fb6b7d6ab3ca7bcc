package org.ascspark.features.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ascspark.features.spectral.DeltaParams;
import org.ascspark.features.spectral.LogMelExtractor;
import org.ascspark.features.spectral.LogParams;
import org.ascspark.features.spectral.MelParams;
import org.ascspark.features.spectral.Stft;
import org.ascspark.features.spectral.StftParams;
import org.ascspark.features.spectral.WindowType;
import org.visnow.jlargearrays.ConcurrencyUtils;

/**
 * Log-mel speed benchmark (issue 3 item 6, SPEC §12): one 10 s, 44.1 kHz clip, n_fft 2048, hop
 * 1024, Hann periodic, centred with reflect padding, power 2, 256 HTK mels without normalisation,
 * natural log with floor 1e-10 (ln(max(mel, 1e-10))), on the calling thread only. A main, not a
 * test: it is compiled with the tests and never run by them, and nothing asserts on time.
 *
 * <p>f-min-hz defaults to 20 Hz, not torchaudio's 0: with f_min 0 the lowest of 256 HTK filters at
 * n_fft 2048 / 44.1 kHz is empty (narrower than one bin), which this project rejects as a
 * configuration error. The cost is the same either way.
 *
 * <p>Usage: {@code LogMelBench [--warmup N] [--iterations N] [--f-min-hz F] [--signal-out FILE]
 * [--features-out FILE]}. The signal (float32 little-endian, 441000 samples) and the log-mel
 * ([256][frames] float32 little-endian, row-major) can be written for the torchaudio comparison
 * (tools/bench/torchaudio_logmel.py). See tools/bench/logmel.sh and docs/benchmarks.md.
 */
public final class LogMelBench {

  static final int SAMPLE_RATE_HZ = 44100;
  static final int SECONDS = 10;

  private LogMelBench() {}

  /**
   * Runs the benchmark and prints ms/clip.
   *
   * @param args options, see the class comment
   * @throws IOException when an output file cannot be written
   */
  public static void main(String[] args) throws IOException {
    int warmup = 100;
    int iterations = 300;
    double fMinHz = 20.0;
    Path signalOut = null;
    Path featuresOut = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--iterations" -> iterations = Integer.parseInt(args[++i]);
        case "--f-min-hz" -> fMinHz = Double.parseDouble(args[++i]);
        case "--signal-out" -> signalOut = Path.of(args[++i]);
        case "--features-out" -> featuresOut = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    // JTransforms would only use worker threads from n = 8192 on; pin it to one anyway.
    ConcurrencyUtils.setNumberOfThreads(1);

    StftParams stft = new StftParams(WindowType.HANN, true, 2048, 1024, 2048, true,
        StftParams.PadMode.REFLECT, 0.0, 2.0);
    MelParams mel = new MelParams(256, fMinHz, SAMPLE_RATE_HZ / 2.0, MelParams.Scale.HTK,
        MelParams.Norm.NONE);
    LogParams log = new LogParams(LogParams.Kind.NATURAL, 1e-10, 0.0);
    LogMelExtractor ex = new LogMelExtractor(SAMPLE_RATE_HZ, stft, mel, log, DeltaParams.NONE);
    float[] x = signal(SAMPLE_RATE_HZ * SECONDS, 42L);

    System.out.printf("LogMelBench: %d s at %d Hz, n_fft 2048, hop 1024, 256 HTK mel (f_min %.1f"
        + " Hz, %d stored weights), ln(max(mel, 1e-10)); java %s; thread '%s'%n",
        SECONDS, SAMPLE_RATE_HZ, fMinHz, ex.filterbank().storedWeights(),
        System.getProperty("java.version"), Thread.currentThread().getName());

    double sink = 0;
    for (int i = 0; i < warmup; i++) {
      sink += ex.extract(x)[0][0][i % 10];
      sink += Stft.spectrogram(x, stft)[i % 10][0];
    }
    double[] full = new double[iterations];
    double[] stftOnly = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      float[][][] f = ex.extract(x);
      long t1 = System.nanoTime();
      float[][] s = Stft.spectrogram(x, stft);
      long t2 = System.nanoTime();
      sink += f[0][i % 256][i % 10] + s[i % 10][i % 1025];
      full[i] = (t1 - t0) / 1e6;
      stftOnly[i] = (t2 - t1) / 1e6;
    }
    System.out.printf("log-mel (STFT + mel + log, fused): median %.2f ms/clip, mean %.2f, min %.2f"
        + " (%d iterations after %d warm-up)%n",
        median(full), mean(full), min(full), iterations, warmup);
    System.out.printf("STFT alone (Stft.spectrogram, [frames][1025] floats): median %.2f ms/clip,"
        + " min %.2f%n", median(stftOnly), min(stftOnly));
    System.out.printf("(checksum %.3f)%n", sink);

    if (signalOut != null) {
      writeFloats(signalOut, x);
      System.out.println("wrote signal to " + signalOut);
    }
    if (featuresOut != null) {
      float[][] lm = ex.extract(x)[0];
      float[] flat = new float[lm.length * lm[0].length];
      for (int m = 0; m < lm.length; m++) {
        System.arraycopy(lm[m], 0, flat, m * lm[0].length, lm[0].length);
      }
      writeFloats(featuresOut, flat);
      System.out.printf("wrote log-mel [%d][%d] to %s%n", lm.length, lm[0].length, featuresOut);
    }
  }

  /**
   * The benchmark clip: three tones with slow amplitude modulation plus white noise (rms 0.05),
   * from a fixed seed.
   */
  static float[] signal(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      double t = (double) i / SAMPLE_RATE_HZ;
      double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 0.3 * t);
      double v = 0.2 * env * Math.sin(2 * Math.PI * 220 * t)
          + 0.1 * Math.sin(2 * Math.PI * 1250 * t + 0.5)
          + 0.05 * (1 - env) * Math.sin(2 * Math.PI * 6100 * t)
          + 0.05 * gaussian(rng);
      x[i] = (float) v;
    }
    return x;
  }

  private static double gaussian(SplittableRandom rng) {
    // Box-Muller from two uniforms in (0, 1]
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static void writeFloats(Path p, float[] v) throws IOException {
    ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    bb.asFloatBuffer().put(v);
    Files.write(p, bb.array());
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }
}
