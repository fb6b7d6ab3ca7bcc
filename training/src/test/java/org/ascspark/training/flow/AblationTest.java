package org.ascspark.training.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.training.TrainingFixtures;
import org.ascspark.training.TrainingSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Ablation} on the shared fixture's clips: the sets it expands, the runs it trains (two at a
 * time), the table it writes, and that a rerun or a run lost half-way recomputes only what is missing.
 */
class AblationTest {
  static final Map<String, String> EXTRA = Map.of("features", "features", "train", "train", "evaluate", "evaluate");

  static JobConfig job(String... args) {
    return JobConfig.load("ablate", CommandLine.parse(List.of(args), Set.of()), EXTRA);
  }

  static List<String> names(AblationConfig c) {
    return c.sets().stream().map(AblationConfig.AugmentationSet::name).toList();
  }

  @Test
  void setsExpandInOrderAndDuplicatesRunOnce() {
    AblationConfig three = AblationConfig.from(job());
    assertEquals(List.of("none", "fftbin", "speccorr", "mp3", "all", "all-but-fftbin", "all-but-speccorr",
        "all-but-mp3"), names(three));
    assertEquals(List.of(List.of("speccorr"), List.of("mp3")),
        three.sets().get(5).chains(three.augmentations()), "leave-one-out drops one augmentation's chains");

    // with two augmentations, leaving one out gives the singles again: run once
    AblationConfig two = AblationConfig.from(job("augmentations={a=[[fftbin]], b=[[mp3, tempo], [aac]]}"));
    assertEquals(List.of("none", "a", "b", "all"), names(two));
    assertEquals(List.of(List.of("fftbin"), List.of("mp3", "tempo"), List.of("aac")),
        two.sets().get(3).chains(two.augmentations()));
    AblationConfig explicit = AblationConfig.from(job("augmentations={a=[[fftbin]], b=[[mp3]], c=[[gain]]}",
        "sets=[[c, a], none, [a, c]]", "reference=a+c"));
    assertEquals(List.of("a+c", "none"), names(explicit), "members in config order, the same set once");
  }

  @Test
  void equalStepsDividesTheEpochsByTheRowsPerClip(@TempDir Path work) {
    String clips = TrainingFixtures.root().resolve("ingest").toString();
    JobConfig job = job("clips=" + clips, "work=" + work, "augmentations={a=[[fftbin]], b=[[mp3], [aac]]}",
        "sets=[none, each, all]", "equal-steps=true", "train.epochs=12");
    List<Integer> epochs = new java.util.ArrayList<>();
    for (AblationConfig.AugmentationSet s : AblationConfig.from(job).sets()) {
      epochs.add(Ablation.plan(TrainingSpark.get(), AblationConfig.from(job), job, s).train().epochs());
    }
    assertEquals(List.of(12, 6, 4, 3), epochs, "none x1, a x2, b x3, all x4 rows per clip");
  }

  @Test
  void badSettingsFailNamingTheKey() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> AblationConfig.from(job("sets=[none, [fftbin, opus]]")));
    assertTrue(e.getMessage().contains("ablate.sets") && e.getMessage().contains("opus"), e.getMessage());
    e = assertThrows(InvalidConfigException.class, () -> AblationConfig.from(job("sets=[some]")));
    assertTrue(e.getMessage().contains("'some' is not one of"), e.getMessage());
    e = assertThrows(InvalidConfigException.class, () -> AblationConfig.from(job("sets=[each]")));
    assertTrue(e.getMessage().contains("ablate.reference") && e.getMessage().contains("'none'"), e.getMessage());
    e = assertThrows(InvalidConfigException.class, () -> AblationConfig.from(job("augmentations={a=[]}")));
    assertTrue(e.getMessage().contains("ablate.augmentations.a"), e.getMessage());
    e = assertThrows(InvalidConfigException.class, () -> AblationConfig.from(job("augmentations={all=[[mp3]]}")));
    assertTrue(e.getMessage().contains("not a usable name"), e.getMessage());
    e = assertThrows(InvalidConfigException.class, () -> job("train.epochz=1"));
    assertTrue(e.getMessage().contains("train.epochz"), e.getMessage());
  }

  @Test
  void runsEverySetWritesTheTableAndReusesFinishedRuns(@TempDir Path work) throws Exception {
    String clips = TrainingFixtures.root().resolve("ingest").toString();
    String[] args = {"clips=" + clips, "work=" + work, "augmentations={gain=[[gain]], fftbin=[[fftbin]]}",
        "sets=[none, each, all, leave-one-out]", "parallel-runs=2", "features.mel.n-mels=32",
        "train.model=sp4asc", "train.width=0.25", "train.epochs=1", "train.batch-size=16", "train.dropout=0",
        "train.crop-s=0.5", "spark.master=local[2]"};
    JobConfig job = job(args);
    Ablation.Result r = Ablation.run(TrainingSpark.get(), AblationConfig.from(job), job);
    assertEquals(List.of("none", "fftbin", "gain", "all"), r.rows().stream().map(Ablation.Row::set).toList());
    assertEquals(4, r.computed());
    for (Ablation.Row row : r.rows()) {
      assertEquals(1, row.epochs());
      assertTrue(row.clips() > 0 && row.accuracy() >= 0 && row.accuracy() <= 1, row.toString());
      assertTrue(row.parameters() > 1000, row.toString());
      assertTrue(Files.exists(Path.of(row.run(), "last.zip")));
      assertTrue(row.groups().keySet().containsAll(List.of("real", "seen", "unseen")), row.groups().toString());
    }
    assertEquals(4, r.rows().stream().map(Ablation.Row::run).distinct().count());
    Ablation.Row all = r.rows().get(3);
    assertEquals("[[fftbin], [gain]]", all.chains());
    // the sets' features differ by their augmented variants only
    long featureFolders;
    try (var s = Files.list(work.resolve("features"))) {
      featureFolders = s.filter(Files::isDirectory).count();
    }
    assertEquals(4, featureFolders);

    List<String> csv = Files.readAllLines(r.table().csv());
    assertEquals(5, csv.size());
    List<String> header = List.of(csv.get(0).split(","));
    assertTrue(header.containsAll(List.of("set", "accuracy", "macro_accuracy", "unseen_accuracy", "log_loss",
        "delta_accuracy_vs_none", "delta_unseen_vs_none", "parameters")), header.toString());
    String[] none = csv.get(1).split(",");
    assertEquals("0.000000", none[header.indexOf("delta_accuracy_vs_none")]);
    String[] last = csv.get(4).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
    assertEquals(all.accuracy() - r.rows().get(0).accuracy(),
        Double.parseDouble(last[header.indexOf("delta_accuracy_vs_none")]), 1e-6);
    assertEquals(all.groups().get("unseen").accuracy() - r.rows().get(0).groups().get("unseen").accuracy(),
        Double.parseDouble(last[header.indexOf("delta_unseen_vs_none")]), 1e-6);
    String md = Files.readString(r.table().markdown());
    assertTrue(md.contains("| all | `[[fftbin], [gain]]` |"), md);
    String html = Files.readString(r.table().html());
    assertTrue(html.contains("<svg id=\"accuracy-chart\"") && html.contains("<svg id=\"delta-chart\"")
        && html.contains("<table id=\"results\">"), html);
    assertEquals(4 * 4 * 2, html.split("<rect x=").length - 1 - 4 * 2, "4 sets x 4 series in each chart, plus legends");

    // a rerun reuses every finished run
    Ablation.Result again = Ablation.run(TrainingSpark.get(), AblationConfig.from(job), job);
    assertEquals(0, again.computed());
    assertEquals(r.rows().stream().map(Ablation.Row::accuracy).toList(),
        again.rows().stream().map(Ablation.Row::accuracy).toList());
    // a run killed after training, before its result was written: only it is completed
    Files.delete(Path.of(r.rows().get(1).run(), Ablation.RESULT_FILE));
    Ablation.Result resumed = Ablation.run(TrainingSpark.get(), AblationConfig.from(job), job);
    assertEquals(1, resumed.computed());
    assertEquals(r.rows().get(1).accuracy(), resumed.rows().get(1).accuracy(), 1e-12,
        "the finished training is evaluated again, not retrained");
  }
}
