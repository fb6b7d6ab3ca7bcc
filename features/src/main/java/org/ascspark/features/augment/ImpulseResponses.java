package org.ascspark.features.augment;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.ascspark.features.audio.Resampler;
import org.ascspark.features.audio.WavAudio;
import org.ascspark.features.audio.WavDecoder;
import org.ascspark.features.audio.WavFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable set of device (microphone) impulse responses for {@link DeviceImpulseResponse},
 * e.g. the 40 measured responses in {@code shared/data/micirp}.
 *
 * <p><b>Conventions</b>, applied identically by {@link #load} and {@link #of}:
 * <ul>
 *   <li>Order: by file name, {@link String#compareTo} (locale-independent), so index {@code i}, and
 *       with it the IR an augmentation seed draws, is the same on every machine.</li>
 *   <li>Channels are averaged to mono; the IR is resampled to the target rate with
 *       {@link Resampler} (zero phase: the peak stays where it was in time).</li>
 *   <li>Nothing is trimmed: samples before the main peak (pre-ringing, here up to ~100 samples
 *       holding 7-50% of the energy) are part of the response. Alignment is handled instead by
 *       recording the <em>main peak</em>, the index of the largest |h| (first on ties), which
 *       {@link DeviceImpulseResponse} treats as time zero.</li>
 *   <li>Level: each IR is scaled to unit energy, {@code sum h[k]^2 = 1} (computed in double), so
 *       the responses are level-normalised among themselves and white noise keeps its power
 *       through any of them. Polarity is kept as measured (some responses peak negative).</li>
 * </ul>
 *
 * <p>Errors are {@link IllegalArgumentException}s naming the config key {@value #KEY_IR_DIR}: a
 * missing folder, a folder without {@code .wav} files, an undecodable file, an all-zero response.
 * Undecodable files fail the load rather than being skipped, so a broken IR set never silently
 * shrinks.
 */
public final class ImpulseResponses implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final Logger LOG = LoggerFactory.getLogger(ImpulseResponses.class);

  /** Config key of the impulse-response folder, named in errors. */
  public static final String KEY_IR_DIR = "ir-dir";

  /** Sample rate of every IR, Hz. */
  private final int sampleRateHz;
  /** IR names in index order. */
  private final List<String> names;
  /** IRs [index][samples], mono, unit energy; never exposed without copying. */
  private final float[][] irs;
  /** Main-peak index of each IR. */
  private final int[] peakIndices;

  private ImpulseResponses(int sampleRateHz, List<String> names, float[][] irs, int[] peaks) {
    this.sampleRateHz = sampleRateHz;
    this.names = names;
    this.irs = irs;
    this.peakIndices = peaks;
  }

  /**
   * Loads every {@code *.wav} file (extension case-insensitive; not recursive) of a folder.
   *
   * @param dir the folder, e.g. {@code ../shared/data/micirp}
   * @param sampleRateHz rate to resample every IR to, in Hz, positive (the clips' rate)
   * @return the IRs, mono, at {@code sampleRateHz}, unit energy, in file-name order
   * @throws IllegalArgumentException naming {@value #KEY_IR_DIR} when the folder is missing or
   *     not a folder, holds no {@code .wav} file, or a file cannot be decoded or is all zeros
   * @throws UncheckedIOException naming the file when reading fails
   */
  public static ImpulseResponses load(Path dir, int sampleRateHz) {
    Objects.requireNonNull(dir, "dir");
    checkRate(sampleRateHz);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(KEY_IR_DIR + ": impulse-response folder "
          + (Files.exists(dir) ? "is not a folder: " : "does not exist: ")
          + dir.toAbsolutePath());
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
          .filter(Files::isRegularFile)
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(
          KEY_IR_DIR + ": cannot list impulse-response folder " + dir.toAbsolutePath(), e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(KEY_IR_DIR + ": no .wav impulse responses in "
          + dir.toAbsolutePath());
    }
    List<String> names = new ArrayList<>(files.size());
    List<float[]> irs = new ArrayList<>(files.size());
    List<Integer> rates = new ArrayList<>(files.size());
    for (Path f : files) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(f);
      } catch (IOException e) {
        throw new UncheckedIOException(KEY_IR_DIR + ": cannot read impulse response " + f, e);
      }
      WavAudio audio;
      try {
        audio = WavDecoder.decode(bytes);
      } catch (WavFormatException e) {
        throw new IllegalArgumentException(KEY_IR_DIR + ": cannot decode impulse response " + f
            + ": " + e.reason(), e);
      }
      names.add(f.getFileName().toString());
      irs.add(downmix(audio.samples()));
      rates.add(audio.sampleRateHz());
    }
    ImpulseResponses out = build(names, irs, rates, sampleRateHz, dir.toString());
    LOG.info("loaded {} impulse responses from {} at {} Hz ({} to {} samples)", out.size(),
        dir.toAbsolutePath(), sampleRateHz, out.minLength(), out.maxLength());
    return out;
  }

  /**
   * Builds a set from responses held in memory, with the same conventions as {@link #load}
   * (except that the given order is kept).
   *
   * @param names one distinct name per IR, recorded as the augmentation's {@code ir} parameter
   * @param irs mono responses at {@code irSampleRateHz}, each non-empty, finite, not all zero;
   *     not modified
   * @param irSampleRateHz the responses' sample rate in Hz
   * @param sampleRateHz rate to resample them to, in Hz
   * @return the set, unit energy per IR
   * @throws IllegalArgumentException if the lists are empty or differ in size, a name repeats, or
   *     an IR is empty, non-finite or all zeros
   */
  public static ImpulseResponses of(
      List<String> names, List<float[]> irs, int irSampleRateHz, int sampleRateHz) {
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(irs, "irs");
    checkRate(irSampleRateHz);
    checkRate(sampleRateHz);
    if (names.isEmpty() || names.size() != irs.size()) {
      throw new IllegalArgumentException("need at least one impulse response and one name per "
          + "response, got " + names.size() + " names and " + irs.size() + " responses");
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("impulse-response names repeat: " + names);
    }
    List<float[]> copies = new ArrayList<>(irs.size());
    List<Integer> rates = new ArrayList<>(irs.size());
    for (float[] h : irs) {
      copies.add(Objects.requireNonNull(h, "ir").clone());
      rates.add(irSampleRateHz);
    }
    return build(List.copyOf(names), copies, rates, sampleRateHz, "in-memory set");
  }

  private static ImpulseResponses build(List<String> names, List<float[]> raw,
      List<Integer> rates, int sampleRateHz, String where) {
    int k = names.size();
    float[][] irs = new float[k][];
    int[] peaks = new int[k];
    for (int i = 0; i < k; i++) {
      String name = names.get(i);
      float[] h = raw.get(i);
      if (h.length == 0) {
        throw new IllegalArgumentException(
            KEY_IR_DIR + ": impulse response " + name + " (" + where + ") is empty");
      }
      float[] r = Resampler.resample(h, rates.get(i), sampleRateHz);
      double energy = 0;
      for (float v : r) {
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException(KEY_IR_DIR + ": impulse response " + name + " ("
              + where + ") holds NaN or infinite samples");
        }
        energy += (double) v * v;
      }
      if (energy == 0) {
        throw new IllegalArgumentException(KEY_IR_DIR + ": impulse response " + name + " ("
            + where + ") is all zeros");
      }
      double g = 1.0 / Math.sqrt(energy);
      int peak = 0;
      for (int j = 0; j < r.length; j++) {
        r[j] = (float) (r[j] * g);
        if (Math.abs(r[j]) > Math.abs(r[peak])) {
          peak = j;
        }
      }
      irs[i] = r;
      peaks[i] = peak;
    }
    return new ImpulseResponses(sampleRateHz, Collections.unmodifiableList(names), irs, peaks);
  }

  /** Channel average, in double, as a new array. */
  private static float[] downmix(float[][] channels) {
    if (channels.length == 1) {
      return channels[0];
    }
    int n = channels[0].length;
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (float[] c : channels) {
        s += c[i];
      }
      out[i] = (float) (s / channels.length);
    }
    return out;
  }

  private static void checkRate(int sampleRateHz) {
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, got " + sampleRateHz);
    }
  }

  /** @return the sample rate of every IR in the set, in Hz */
  public int sampleRateHz() {
    return sampleRateHz;
  }

  /** @return the number of IRs, at least 1 */
  public int size() {
    return irs.length;
  }

  /** @return the IR names (file names for {@link #load}), in index order, unmodifiable */
  public List<String> names() {
    return names;
  }

  /**
   * @param index IR index in [0, {@link #size()})
   * @return its name, e.g. {@code Altec_639.wav}
   */
  public String name(int index) {
    return names.get(index);
  }

  /**
   * @param index IR index in [0, {@link #size()})
   * @return a copy of the IR: mono, at {@link #sampleRateHz()}, unit energy
   */
  public float[] ir(int index) {
    return irs[index].clone();
  }

  /** The stored IR, for {@link DeviceImpulseResponse}; callers must not modify it. */
  float[] irShared(int index) {
    return irs[index];
  }

  /**
   * @param index IR index in [0, {@link #size()})
   * @return the index of its main peak, the sample with the largest |h| (first on ties)
   */
  public int peakIndex(int index) {
    return peakIndices[index];
  }

  /** @return length of the shortest IR, in samples */
  public int minLength() {
    int m = Integer.MAX_VALUE;
    for (float[] h : irs) {
      m = Math.min(m, h.length);
    }
    return m;
  }

  /** @return length of the longest IR, in samples */
  public int maxLength() {
    int m = 0;
    for (float[] h : irs) {
      m = Math.max(m, h.length);
    }
    return m;
  }

  @Override
  public String toString() {
    return "ImpulseResponses[" + size() + " at " + sampleRateHz + " Hz]";
  }
}
