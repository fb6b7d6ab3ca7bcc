package org.ascspark.features.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ascspark.features.augment.DeviceImpulseResponse;
import org.ascspark.features.augment.FftBinScaling;
import org.ascspark.features.augment.ImpulseResponses;
import org.ascspark.features.augment.Mixup;
import org.ascspark.features.augment.AacRoundTrip;
import org.ascspark.features.augment.Mp3RoundTrip;
import org.ascspark.features.augment.PitchShift;
import org.ascspark.features.augment.RandomGain;
import org.ascspark.features.augment.SpecAugment;
import org.ascspark.features.augment.SpeedChange;
import org.ascspark.features.augment.TempoChange;
import org.ascspark.features.augment.TimeShift;
import org.ascspark.features.augment.WaveformAugmentation;
import org.ascspark.features.spectral.FftThreads;
import org.ascspark.features.spectral.Stft;
import org.ascspark.features.spectral.StftParams;
import org.ascspark.features.spectral.WindowType;

/**
 * Speed of every device augmentation in {@code org.ascspark.features.augment} (issue 4 item 3, SPEC
 * §12) on one thread: one 10 s, 44.1 kHz clip (the {@link LogMelBench#signal} clip: three tones
 * with slow amplitude modulation plus white noise, seed 42), JTransforms pinned to the calling
 * thread with {@link FftThreads#oneThreadPerTask()}. A main, not a test: it is compiled with the
 * tests and never run by them, and nothing asserts on time.
 *
 * <p>What is timed, per case: one call of the augmentation on the clip (or on its STFT power
 * spectrum, or on a [1][128][431] feature array), with a fresh {@link SplittableRandom} per call
 * seeded from the run index (so list-drawing augmentations see different draws; the seeding itself
 * is outside the timed span). Wave-form cases: {@link RandomGain}; {@link TempoChange} with each
 * Clova factor alone ({@code TempoChange.ofFactors(List.of(f))}, default length mode repeat, sox
 * WSOLA defaults); {@link SpeedChange} at 0.9 and 1.1; {@link PitchShift} at -2 and +2 semitones;
 * {@link Mp3RoundTrip} and {@link AacRoundTrip} at 32, 64 and 128 kbps; {@link DeviceImpulseResponse} over the
 * {@code micirp} set (one IR drawn per call, so the median spans IR lengths; loading is timed
 * once, separately). Spectrum case: {@link FftBinScaling} (6 dB, 16 control points, the
 * {@code conf/features.conf} defaults) on the power spectrum [431][1025] of the clip with n_fft
 * 2048, hop 1024, Hann periodic, centred, reflect padding; the STFT is computed once, outside the
 * timed span. Feature cases on a [1][128][431] array: {@link SpecAugment} (valeo: 2 time masks up
 * to 128 frames, 2 frequency masks up to 16 bins, zero), {@link Mixup} (α 0.2: the λ draw plus
 * the mix of two arrays) and {@link TimeShift} (random roll up to 431 frames).
 *
 * <p>Each case runs {@code warmup} untimed calls, then {@code iterations} timed calls (MP3: four
 * times the warm-up, since jump3r and JLayer take about 20 calls to be compiled, and
 * {@code slow-iterations} timed calls; the sub-millisecond feature and gain cases ten times both,
 * so that the JIT has compiled them); reported: median and min ms per 10 s clip and "x real time
 * per core" = 10 s / median.
 *
 * <p>Usage: {@code AugmentationBench [--warmup N] [--iterations N] [--slow-iterations N]
 * [--ir-dir DIR] [--only SUBSTRING]}. The IR folder defaults to the system property
 * {@code ascspark.bench.irDir}, else {@code ../shared/data/micirp} relative to the working
 * directory (tools/bench/augmentations.sh runs from the repository root); when it is absent the
 * DIR case is skipped with a note. See docs/benchmarks.md.
 */
public final class AugmentationBench {

  static final int SAMPLE_RATE_HZ = 44100;
  static final int SECONDS = 10;
  static final long SIGNAL_SEED = 42L;

  /** Feature shape for the training-time cases: 128 mel bands, 431 frames (10 s, hop 1024). */
  static final int BINS = 128;
  static final int FRAMES = 431;

  /** One timed operation; returns a value folded into a checksum so the work is not eliminated. */
  @FunctionalInterface
  interface Op {
    double run(SplittableRandom rng);
  }

  /** One benchmark case and its result. */
  record Case(String name, String params, String input, int warmup, int iterations, Op op) {}

  /** Timing of one case, in ms per call. */
  record Result(Case c, double medianMs, double minMs) {}

  private AugmentationBench() {}

  /**
   * Runs the benchmark and prints a Markdown table.
   *
   * @param args options, see the class comment
   */
  public static void main(String[] args) {
    int warmup = 5;
    int iterations = 20;
    int slowIterations = 15;
    String only = null;
    Path irDir = Path.of(System.getProperty("ascspark.bench.irDir", "../shared/data/micirp"));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--iterations" -> iterations = Integer.parseInt(args[++i]);
        case "--slow-iterations" -> slowIterations = Integer.parseInt(args[++i]);
        case "--ir-dir" -> irDir = Path.of(args[++i]);
        case "--only" -> only = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (warmup < 0 || iterations < 1 || slowIterations < 1) {
      throw new IllegalArgumentException("need warmup >= 0, iterations >= 1, slow-iterations >= 1;"
          + " got " + warmup + ", " + iterations + ", " + slowIterations);
    }
    FftThreads.oneThreadPerTask();

    float[] x = LogMelBench.signal(SAMPLE_RATE_HZ * SECONDS, SIGNAL_SEED);
    System.out.printf(Locale.ROOT, "AugmentationBench: %d s at %d Hz (seed %d); java %s; thread"
        + " '%s'; warm-up %d, timed %d (MP3: warm-up x4, timed %d; sub-ms cases: both x10)%n",
        SECONDS, SAMPLE_RATE_HZ, SIGNAL_SEED, System.getProperty("java.version"),
        Thread.currentThread().getName(), warmup, iterations, slowIterations);

    List<Case> cases = new ArrayList<>();
    int fastWarmup = 10 * warmup;
    int fastIterations = 10 * iterations;

    cases.add(waveCase("RandomGain", "±6 dB, no clip", fastWarmup, fastIterations,
        new RandomGain(-6, 6, false), x));
    for (double f : TempoChange.CLOVA_FACTORS) {
      cases.add(waveCase("TempoChange", "factor " + f + ", length repeat, WSOLA 82/14.68/12 ms",
          warmup, iterations, TempoChange.ofFactors(List.of(f)), x));
    }
    for (double f : List.of(0.9, 1.1)) {
      cases.add(waveCase("SpeedChange", "factor " + f + ", length repeat", warmup, iterations,
          SpeedChange.ofFactors(List.of(f)), x));
    }
    for (double s : List.of(-2.0, 2.0)) {
      cases.add(waveCase("PitchShift", String.format(Locale.ROOT, "%+.0f semitones", s), warmup,
          iterations, PitchShift.ofSemitones(List.of(s)), x));
    }
    for (int kbps : List.of(32, 64, 128)) {
      cases.add(waveCase("Mp3RoundTrip", kbps + " kbps", 4 * warmup, slowIterations,
          new Mp3RoundTrip(List.of(kbps)), x));
    }
    for (int kbps : List.of(32, 64, 128)) {
      cases.add(waveCase("AacRoundTrip", kbps + " kbps", 4 * warmup, slowIterations,
          new AacRoundTrip(List.of(kbps)), x));
    }
    if (Files.isDirectory(irDir)) {
      long t0 = System.nanoTime();
      ImpulseResponses irs = ImpulseResponses.load(irDir, SAMPLE_RATE_HZ);
      long t1 = System.nanoTime();
      System.out.printf(Locale.ROOT, "loaded %d impulse responses from %s in %.0f ms (lengths %d to"
          + " %d samples at %d Hz; not part of the DIR timing)%n", irs.size(), irDir,
          (t1 - t0) / 1e6, irs.minLength(), irs.maxLength(), SAMPLE_RATE_HZ);
      cases.add(waveCase("DeviceImpulseResponse", irs.size() + " micirp IRs, one drawn per call",
          warmup, Math.max(iterations, 2 * irs.size()), new DeviceImpulseResponse(irs), x));
    } else {
      System.out.println("NOTE: impulse-response folder " + irDir.toAbsolutePath().normalize()
          + " not found; DeviceImpulseResponse skipped (pass --ir-dir DIR)");
    }

    StftParams stft = new StftParams(WindowType.HANN, true, 2048, 1024, 2048, true,
        StftParams.PadMode.REFLECT, 0.0, 2.0);
    float[][] power = Stft.spectrogram(x, stft);
    FftBinScaling fftbin = new FftBinScaling(6.0, 16);
    cases.add(new Case("FftBinScaling", "6 dB, 16 control points (STFT not timed)",
        "power STFT [" + power.length + "][" + power[0].length + "]", fastWarmup, fastIterations,
        rng -> fftbin.apply(power, SAMPLE_RATE_HZ, 2048, true, rng).spectrum()[7][100]));

    float[][][] featA = features(11L);
    float[][][] featB = features(12L);
    String feat = "features [1][" + BINS + "][" + FRAMES + "]";
    SpecAugment specAugment = new SpecAugment(2, 128, 2, 16, SpecAugment.MaskValue.ZERO);
    cases.add(new Case("SpecAugment", "2 time masks ≤ 128 frames, 2 freq masks ≤ 16 bins, zero",
        feat, fastWarmup, fastIterations, rng -> specAugment.apply(featA, rng)[0][5][7]));
    SpecAugment specAugmentMean = new SpecAugment(2, 128, 2, 16, SpecAugment.MaskValue.MEAN);
    cases.add(new Case("SpecAugment", "same, mask value mean", feat, fastWarmup, fastIterations,
        rng -> specAugmentMean.apply(featA, rng)[0][5][7]));
    Mixup mixup = new Mixup(0.2, false);
    cases.add(new Case("Mixup", "α 0.2, λ draw + mix of two arrays", feat, fastWarmup,
        fastIterations, rng -> Mixup.mix(featA, featB, mixup.drawLambda(rng)).mixed()[0][5][7]));
    cases.add(new Case("TimeShift", "random roll, shift within ±" + FRAMES + " frames", feat,
        fastWarmup, fastIterations,
        rng -> TimeShift.randomRoll(featA, FRAMES, rng).features()[0][5][7]));
    cases.add(new Case("TimeShift", "random crop to 400 frames", feat, fastWarmup, fastIterations,
        rng -> TimeShift.crop(featA, 400, rng).features()[0][5][7]));

    List<Result> results = new ArrayList<>();
    double sink = 0;
    for (Case c : cases) {
      if (only != null && !(c.name() + " " + c.params()).contains(only)) {
        continue;
      }
      for (int i = 0; i < c.warmup(); i++) {
        sink += c.op().run(new SplittableRandom(1_000_000L + i));
      }
      double[] ms = new double[c.iterations()];
      for (int i = 0; i < c.iterations(); i++) {
        SplittableRandom rng = new SplittableRandom(i);
        long t0 = System.nanoTime();
        sink += c.op().run(rng);
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      Result r = new Result(c, median(ms), Arrays.stream(ms).min().orElseThrow());
      results.add(r);
      System.out.printf(Locale.ROOT, "%-22s %-55s median %9.3f ms  min %9.3f ms%n", c.name(),
          c.params(), r.medianMs(), r.minMs());
    }

    System.out.println();
    System.out.println("| augmentation | parameters | input | runs (warm-up + timed) | median ms"
        + " per 10 s clip | min ms | × real time per core |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Result r : results) {
      Case c = r.c();
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %d + %d | %s | %s | %s |%n", c.name(),
          c.params(), c.input(), c.warmup(), c.iterations(), fmt(r.medianMs()), fmt(r.minMs()),
          fmtTimes(SECONDS * 1000.0 / r.medianMs()));
    }
    System.out.printf(Locale.ROOT, "%n(checksum %.3f)%n", sink);
  }

  private static Case waveCase(String name, String params, int warmup, int iterations,
      WaveformAugmentation aug, float[] x) {
    return new Case(name, params, "wave [" + x.length + "]", warmup, iterations, rng -> {
      float[] y = aug.apply(x, SAMPLE_RATE_HZ, rng).samples();
      return y[y.length / 3] + y.length;
    });
  }

  /** A log-mel-like feature array [1][BINS][FRAMES] from a fixed seed (values in [-20, 0)). */
  static float[][][] features(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[][][] f = new float[1][BINS][FRAMES];
    for (int b = 0; b < BINS; b++) {
      for (int t = 0; t < FRAMES; t++) {
        f[0][b][t] = (float) (-20.0 * rng.nextDouble());
      }
    }
    return f;
  }

  private static String fmt(double ms) {
    if (ms >= 100) {
      return String.format(Locale.ROOT, "%.0f", ms);
    } else if (ms >= 10) {
      return String.format(Locale.ROOT, "%.1f", ms);
    } else if (ms >= 1) {
      return String.format(Locale.ROOT, "%.2f", ms);
    }
    return String.format(Locale.ROOT, "%.3f", ms);
  }

  private static String fmtTimes(double t) {
    if (t >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", t).replace(',', ' ');
    }
    return String.format(Locale.ROOT, "%.0f", t);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }
}
