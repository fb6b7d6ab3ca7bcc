package org.ascspark.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.spark.SparkSessions;
import org.ascspark.training.eval.MetricsResult;
import org.ascspark.training.flow.PresetConfig;
import org.ascspark.training.flow.PresetRun;

/**
 * {@code ./asc preset name=<system>}: a seed system's recipe ({@code conf/presets/<system>.conf}) end
 * to end. Also the main class for {@code spark-submit --class org.ascspark.jobs.PresetJob}.
 */
public final class PresetJob implements Command {

  /** @param args config overrides, e.g. {@code name=qti-bcresnet clips=work/ingest scale.epochs=0.1} */
  public static void main(String[] args) {
    System.exit(Asc.execute(new PresetJob(), args));
  }

  @Override
  public String name() {
    return "preset";
  }

  @Override
  public String summary() {
    return "a seed system's recipe end to end: features -> [teacher -> distilled] model -> evaluate -> compress";
  }

  @Override
  public String section() {
    return "preset";
  }

  @Override
  public Map<String, String> extraSections() {
    return PresetConfig.SECTIONS;
  }

  /** Loads the preset that {@code name} names first, so the command line's other settings win. */
  @Override
  public CommandLine prepare(CommandLine commandLine) {
    String name = commandLine.overrides().getOrDefault("name", commandLine.overrides().getOrDefault("preset.name", ""));
    if (name.isEmpty()) {
      return commandLine;
    }
    List<String> files = new ArrayList<>();
    files.add(new java.io.File(name).isFile() ? name : "presets/" + name);
    files.addAll(commandLine.configFiles());
    return new CommandLine(files, commandLine.overrides(), commandLine.help());
  }

  @Override
  public int run(JobConfig config) throws Exception {
    PresetConfig cfg = PresetConfig.from(config);
    SparkSession spark = SparkSessions.open(config, name());
    PresetRun.Result r;
    try {
      Asc.logConfig(config);
      r = PresetRun.run(spark, cfg, config);
    } finally {
      spark.stop();
    }
    System.out.println();
    System.out.println("preset " + cfg.name() + (cfg.system().isEmpty() ? "" : " (" + cfg.system() + ")") + " finished.");
    for (PresetRun.BranchResult b : r.branches()) {
      System.out.println("  " + b.branch().name() + ": " + b.model());
    }
    MetricsResult m = r.evaluation().metrics();
    if (m != null) {
      System.out.printf(Locale.ROOT, "Evaluation (%d clips): accuracy %.1f%% (macro %.1f%%), log loss %.3f%n",
          r.evaluation().clips(), 100 * m.accuracyMicro(), 100 * m.accuracyMacro(), m.logLoss());
    }
    System.out.println("Report: " + r.report().toAbsolutePath());
    return 0;
  }
}
