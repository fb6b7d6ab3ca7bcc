package org.ascspark.training.flow;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.training.compress.CompressConfig;

/**
 * Settings of {@code ./asc preset} ({@code conf/preset.conf} plus the preset file's {@code preset}
 * section).
 *
 * @param name the preset's name (folder and run names)
 * @param clips ingest output
 * @param work working folder
 * @param scaleEpochs multiplier of every epoch count
 * @param dataFraction multiplier of {@code features.fraction}
 * @param scaleWidth multiplier of model widths
 * @param system display name of the system
 * @param seedReport the report the recipe follows
 * @param teacher whether a teacher is trained and the model distilled from it
 * @param initFromTeacher whether the student starts from the teacher's weights
 * @param branches the front-end branches (one with an empty front end when the preset has none)
 * @param checkpoint {@code best}, {@code last} or {@code swa}
 * @param compress compression methods run on the final models
 */
public record PresetConfig(String name, String clips, String work, double scaleEpochs, double dataFraction,
    double scaleWidth, String system, String seedReport, boolean teacher, boolean initFromTeacher,
    List<Branch> branches, String checkpoint, List<String> compress) {

  /**
   * One front end of the recipe, with its own chain of runs.
   *
   * @param name its name in run and folder names ({@code main} for a single branch)
   * @param frontend a config file whose {@code features} section overrides the preset's, "" = none
   */
  public record Branch(String name, String frontend) {}

  /** The sections a preset holds besides {@code preset}, each with the job whose keys it takes. */
  public static final java.util.Map<String, String> SECTIONS = sections();

  private static java.util.Map<String, String> sections() {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String s : List.of("features", "teacher", "teacher-outputs", "distill", "train", "evaluate", "compress")) {
      m.put(s, JobConfig.SHARED_SECTIONS.get(s));
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Copies the lists. */
  public PresetConfig {
    branches = List.copyOf(branches);
    compress = List.copyOf(compress);
  }

  /**
   * @param job the preset job's config (the preset file already merged)
   * @return validated settings
   * @throws InvalidConfigException naming the bad key
   */
  public static PresetConfig from(JobConfig job) {
    ConfigReader r = job.reader();
    String name = r.stringOrEmpty("name");
    if (name.isEmpty()) {
      throw new InvalidConfigException(r.key("name"), "give the preset to run, e.g. name=qti-bcresnet (one of"
          + " the files under conf/presets/) or name=path/to/preset.conf");
    }
    String shortName = new java.io.File(name).getName().replaceFirst("\\.conf$", "");
    if (!shortName.matches("[A-Za-z0-9._-]+")) {
      throw new InvalidConfigException(r.key("name"), "'" + shortName + "' may only contain letters, digits,"
          + " '.', '_' and '-'");
    }
    String work = r.stringOrEmpty("work");
    if (work.isEmpty()) {
      work = "work/preset-" + shortName;
    }
    List<Branch> branches = new ArrayList<>();
    String key = r.key("branches");
    for (Config b : job.config().getConfigList("preset.branches")) {
      if (!b.hasPath("name") || !b.hasPath("frontend")) {
        throw new InvalidConfigException(key, "each branch needs a name and a frontend, e.g. {name = mel,"
            + " frontend = \"frontends/ait-mel\"}");
      }
      String bn = b.getString("name");
      if (!bn.matches("[a-z0-9-]+") || branches.stream().anyMatch(x -> x.name().equals(bn))) {
        throw new InvalidConfigException(key, "branch name '" + bn + "' is repeated or not lower-case letters,"
            + " digits and '-'");
      }
      String frontend = b.getString("frontend");
      JobConfig.parseUserConfig(frontend); // fails naming the file when it is missing
      branches.add(new Branch(bn, frontend));
    }
    if (branches.isEmpty()) {
      branches.add(new Branch("main", ""));
    }
    List<String> compress = r.stringList("compress");
    for (String m : compress) {
      if (!CompressConfig.METHODS.contains(m)) {
        throw new InvalidConfigException(r.key("compress"), "'" + m + "' is not one of " + CompressConfig.METHODS);
      }
    }
    boolean teacher = r.bool("teacher");
    boolean initFromTeacher = r.bool("init-from-teacher");
    if (initFromTeacher && !teacher) {
      throw new InvalidConfigException(r.key("init-from-teacher"), "needs preset.teacher = true");
    }
    return new PresetConfig(shortName, r.string("clips"), work, r.doubleAbove("scale.epochs", 0, 100),
        r.doubleAbove("scale.data-fraction", 0, 1), r.doubleAbove("scale.width", 0, 64),
        r.stringOrEmpty("system"), r.stringOrEmpty("seed-report"), teacher, initFromTeacher, branches,
        r.oneOf("checkpoint", List.of("best", "last", "swa")), compress);
  }
}
