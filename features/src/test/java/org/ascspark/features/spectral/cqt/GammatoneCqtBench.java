package org.ascspark.features.spectral.cqt;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ascspark.features.spectral.CqtParams;
import org.ascspark.features.spectral.DeltaParams;
import org.ascspark.features.spectral.GammatoneParams;
import org.ascspark.features.spectral.LogParams;
import org.ascspark.features.spectral.StftParams;
import org.ascspark.features.spectral.WindowType;
import org.ascspark.features.spectral.gammatone.GammatoneExtractor;
import org.visnow.jlargearrays.ConcurrencyUtils;

/**
 * Speed of the AIT front ends (seed 001 §2.1) on one 10 s, 44.1 kHz clip, on the calling thread
 * with JTransforms pinned to one thread: CQT with 128 bins, 24 per octave from 32.7 Hz, hop 326;
 * gammatone with n_fft 4096, 2048-sample Hann, hop 326, 128 bands 50 Hz..22.05 kHz, power; both in
 * dB with top-db 80, no deltas. A main, not a test: compiled with the tests, never run by them.
 *
 * <p>Usage (after {@code mvn -pl features test-compile}): {@code java -cp
 * features/target/classes:features/target/test-classes:<runtime classpath>
 * org.ascspark.features.spectral.cqt.GammatoneCqtBench [--warmup N] [--iterations N]}, best
 * under {@code taskset -c 0}.
 */
public final class GammatoneCqtBench {

  private static final int SAMPLE_RATE_HZ = 44100;
  private static final int SECONDS = 10;

  private GammatoneCqtBench() {}

  /**
   * Runs the benchmark and prints ms/clip.
   *
   * @param args options, see the class comment
   */
  public static void main(String[] args) {
    int warmup = 10;
    int iterations = 20;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--iterations" -> iterations = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    ConcurrencyUtils.setNumberOfThreads(1);
    LogParams db = new LogParams(LogParams.Kind.DB, 1e-10, 80);
    long b0 = System.nanoTime();
    CqtExtractor cqt = new CqtExtractor(SAMPLE_RATE_HZ,
        new CqtParams(24, 32.70319566257483, 128, 326, 1.0), db, DeltaParams.NONE);
    long b1 = System.nanoTime();
    GammatoneExtractor gt = new GammatoneExtractor(SAMPLE_RATE_HZ,
        new StftParams(WindowType.HANN, true, 2048, 326, 4096, true, StftParams.PadMode.REFLECT,
            0.0, 2.0),
        new GammatoneParams(128, 50.0, 22050.0, 1.0), db, DeltaParams.NONE);
    long b2 = System.nanoTime();
    float[] x = signal(SAMPLE_RATE_HZ * SECONDS, 42L);
    System.out.printf("GammatoneCqtBench: %d s at %d Hz; java %s%n", SECONDS, SAMPLE_RATE_HZ,
        System.getProperty("java.version"));
    System.out.printf("CQT: L = %d, %d stored kernel coefficients, built in %.0f ms%n",
        cqt.transform().fftLength(), cqt.transform().storedCoefficients(), (b1 - b0) / 1e6);
    System.out.printf("gammatone: %d stored weights, built in %.0f ms%n",
        gt.filterbank().storedWeights(), (b2 - b1) / 1e6);
    double sink = 0;
    for (int i = 0; i < warmup; i++) {
      sink += cqt.extract(x)[0][i % 128][0] + gt.extract(x)[0][i % 128][0];
    }
    double[] tc = new double[iterations];
    double[] tg = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      float[][][] c = cqt.extract(x);
      long t1 = System.nanoTime();
      float[][][] g = gt.extract(x);
      long t2 = System.nanoTime();
      sink += c[0][i % 128][i % 100] + g[0][i % 128][i % 100];
      tc[i] = (t1 - t0) / 1e6;
      tg[i] = (t2 - t1) / 1e6;
    }
    System.out.printf("cqt (log, [1][128][%d]): median %.1f ms/clip, min %.1f%n",
        cqt.frames(x.length), median(tc), min(tc));
    System.out.printf("gammatone (STFT + weights + log, [1][128][%d]): median %.1f ms/clip, "
        + "min %.1f%n", gt.frames(x.length), median(tg), min(tg));
    System.out.printf("(%d iterations after %d warm-up; checksum %.3f)%n", iterations, warmup,
        sink);
  }

  /** Three tones with slow amplitude modulation plus white noise (rms 0.05), fixed seed. */
  static float[] signal(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      double t = (double) i / SAMPLE_RATE_HZ;
      double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 0.3 * t);
      double u1 = 1.0 - rng.nextDouble();
      double u2 = rng.nextDouble();
      double gauss = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      x[i] = (float) (0.2 * env * Math.sin(2 * Math.PI * 220 * t)
          + 0.1 * Math.sin(2 * Math.PI * 1250 * t + 0.5)
          + 0.05 * (1 - env) * Math.sin(2 * Math.PI * 6100 * t) + 0.05 * gauss);
    }
    return x;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }
}
