package org.ascspark.pipeline.synth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ascspark.features.audio.WavWriter;
import org.ascspark.features.synth.DeviceProfile;
import org.ascspark.features.synth.DeviceProfiles;
import org.ascspark.features.synth.LocationProfile;
import org.ascspark.features.synth.SceneRecipes;
import org.ascspark.features.RecordSeeds;
import org.ascspark.pipeline.Parallel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a deterministic synthetic acoustic-scene dataset in the TAU Urban Acoustic Scenes 2020
 * Mobile development layout, the embedded default dataset of the demo and the tests.
 *
 * <p>Layout under the output folder:
 * <ul>
 *   <li>{@code audio/<scene>-<city>-<location>-<segment>-<device>.wav}: mono 24-bit PCM at
 *       {@code sampleRateHz} ({@link WavWriter#pcm24Mono});</li>
 *   <li>{@code meta.csv}: {@code filename scene_label identifier source_label}, all files;</li>
 *   <li>{@code evaluation_setup/fold1_train.csv} and {@code fold1_evaluate.csv}
 *       ({@code filename scene_label}) and {@code fold1_test.csv} ({@code filename}, the evaluate
 *       files);</li>
 *   <li>{@code synth_config.txt}: the options that determined the output and the generator
 *       version (STYLE.md rule 7).</li>
 * </ul>
 * CSVs are tab-separated, UTF-8, with a header line, rows sorted by file name, lines ending in LF
 * (CRLF with {@link SynthOptions#crlf()}). File names in the CSVs carry the {@code audio/} prefix.
 *
 * <p>Content: for each segment of the {@link SynthPlan}, the sound at the microphones is rendered
 * once ({@link SceneRecipes#render}, random stream from (seed, {@code source/<pairKey>}), location
 * profile from (seed, identifier)) and recorded by each of its devices
 * ({@link DeviceProfile#record}, noise stream from (seed, {@code device/<file stem>})). All
 * recordings of a segment are therefore time-aligned transforms of the same source. Nothing depends
 * on thread scheduling: the same options give byte-identical files for any {@code threads}.
 *
 * <p>Existing files of the same names are overwritten; other files in the folder are left alone.
 */
public final class SynthDataset {

  /** Version of the generator recipes, written to {@code synth_config.txt}. */
  public static final String GENERATOR_VERSION = "synth-1";

  private static final Logger LOG = LoggerFactory.getLogger(SynthDataset.class);

  private SynthDataset() {}

  /**
   * Generates and writes the dataset.
   *
   * @param o options
   * @param outDir output folder, created if missing
   * @return counts, sizes and time
   * @throws UncheckedIOException if a file cannot be written
   */
  public static SynthSummary write(SynthOptions o, Path outDir) {
    long t0 = System.nanoTime();
    List<SynthPlan.Segment> plan = SynthPlan.of(o);
    int totalFiles = plan.stream().mapToInt(s -> s.devices().size()).sum();
    LOG.info("synth: writing {} segments, {} files of {} s at {} Hz to {} with {} threads; {}",
        plan.size(), totalFiles, o.clipSeconds(), o.sampleRateHz(), outDir, o.threads(),
        o.describe().trim().replace('\n', ' '));
    Path audio = outDir.resolve("audio");
    Path setup = outDir.resolve("evaluation_setup");
    try {
      Files.createDirectories(audio);
      Files.createDirectories(setup);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the dataset folders under " + outDir, e);
    }
    long bytes = writeAudio(o, outDir, plan, totalFiles);
    writeCsvs(o, outDir, plan);
    writeText(outDir.resolve("synth_config.txt"),
        "generator=" + GENERATOR_VERSION + "\n" + o.describe() + "segments=" + plan.size()
            + "\nfiles=" + totalFiles + "\n");
    Map<String, Map<String, Integer>> counts = new TreeMap<>();
    for (SynthPlan.Segment s : plan) {
      for (String d : s.devices()) {
        counts.computeIfAbsent(s.fold(), k -> new TreeMap<>()).merge(d, 1, Integer::sum);
      }
    }
    long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
    SynthSummary summary = new SynthSummary(plan.size(), totalFiles, bytes,
        totalFiles * (double) o.clipSamples() / o.sampleRateHz(), counts, elapsedMillis);
    LOG.info("synth: wrote {} files, {} bytes, in {} ms; files by fold and device: {}",
        totalFiles, bytes, elapsedMillis, summary.filesByFoldAndDevice());
    return summary;
  }

  /** Renders and writes every segment's recordings in parallel; returns the bytes written. */
  private static long writeAudio(
      SynthOptions o, Path outDir, List<SynthPlan.Segment> plan, int totalFiles) {
    AtomicInteger done = new AtomicInteger();
    int every = Math.max(1, totalFiles / 10);
    List<Parallel.Task<Long>> tasks = new ArrayList<>();
    for (SynthPlan.Segment s : plan) {
      tasks.add(() -> writeSegment(o, outDir, s, done, every, totalFiles));
    }
    try {
      return Parallel.run(o.threads(), "synth", tasks).stream().mapToLong(Long::longValue).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("synthetic dataset generation failed", e);
    }
  }

  /** Renders one segment's source and writes one file per device; returns the bytes written. */
  private static long writeSegment(
      SynthOptions o, Path outDir, SynthPlan.Segment s, AtomicInteger done, int every,
      int totalFiles) {
    int fs = o.sampleRateHz();
    LocationProfile location = LocationProfile.of(o.seed(), s.identifier());
    float[] source = SceneRecipes.render(s.scene(), location, o.clipSamples(), fs,
        RecordSeeds.rng(o.seed(), "source/" + s.pairKey()));
    long bytes = 0;
    for (String device : s.devices()) {
      DeviceProfile profile = DeviceProfiles.byName(device).orElseThrow();
      String name = s.filename(device);
      String stem = name.substring("audio/".length(), name.length() - ".wav".length());
      float[] recording = profile.record(source, fs, RecordSeeds.rng(o.seed(), "device/" + stem));
      byte[] wav = WavWriter.pcm24Mono(recording, fs);
      Path path = outDir.resolve(name);
      try {
        Files.write(path, wav);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + path, e);
      }
      bytes += wav.length;
      int d = done.incrementAndGet();
      if (d % every == 0 || d == totalFiles) {
        LOG.info("synth: {}/{} files", d, totalFiles);
      }
    }
    return bytes;
  }

  /** Writes meta.csv and the three fold files. */
  private static void writeCsvs(SynthOptions o, Path outDir, List<SynthPlan.Segment> plan) {
    String eol = o.crlf() ? "\r\n" : "\n";
    List<String[]> rows = new ArrayList<>();
    for (SynthPlan.Segment s : plan) {
      for (String d : s.devices()) {
        rows.add(new String[] {s.filename(d), s.scene().label(), s.identifier(), d, s.fold()});
      }
    }
    rows.sort((x, y) -> x[0].compareTo(y[0]));
    StringBuilder meta = new StringBuilder("filename\tscene_label\tidentifier\tsource_label" + eol);
    StringBuilder train = new StringBuilder("filename\tscene_label" + eol);
    StringBuilder evaluate = new StringBuilder("filename\tscene_label" + eol);
    StringBuilder test = new StringBuilder("filename" + eol);
    for (String[] r : rows) {
      meta.append(r[0]).append('\t').append(r[1]).append('\t').append(r[2]).append('\t')
          .append(r[3]).append(eol);
      if (r[4].equals(SynthPlan.TRAIN)) {
        train.append(r[0]).append('\t').append(r[1]).append(eol);
      } else {
        evaluate.append(r[0]).append('\t').append(r[1]).append(eol);
        test.append(r[0]).append(eol);
      }
    }
    writeText(outDir.resolve("meta.csv"), meta.toString());
    Path setup = outDir.resolve("evaluation_setup");
    writeText(setup.resolve("fold1_train.csv"), train.toString());
    writeText(setup.resolve("fold1_evaluate.csv"), evaluate.toString());
    writeText(setup.resolve("fold1_test.csv"), test.toString());
  }

  private static void writeText(Path path, String text) {
    try {
      Files.writeString(path, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }
}
