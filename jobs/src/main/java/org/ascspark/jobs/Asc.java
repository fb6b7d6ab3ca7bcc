package org.ascspark.jobs;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.dataset.DatasetLayoutException;
import org.ascspark.pipeline.spark.NativeLibraries;
import org.ascspark.training.train.TrainingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of {@code ./asc <command> [--config FILE] [key=value ...]} and of the shaded jar's
 * manifest. Each command also has its own main class for {@code spark-submit --class}.
 */
public final class Asc {
  private static final Logger LOG = LoggerFactory.getLogger(Asc.class);

  /** Exit code of a bad command line or config value. */
  public static final int EXIT_USAGE = 2;
  /** Exit code of a failed job. */
  public static final int EXIT_FAILED = 1;

  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    for (Command c : List.of(new SynthJob(), new IngestJob(), new FeaturesJob(), new TrainJob(),
        new EvaluateJob(), new ComplexityJob(), new TeacherOutputsJob(), new DistillJob(), new CompressJob(),
        new AblateJob(), new PresetJob(), new DemoJob())) {
      COMMANDS.put(c.name(), c);
    }
  }

  private Asc() {}

  /** @param args {@code <command> [options]} */
  public static void main(String[] args) {
    NativeLibraries.configureThisJvm(); // before anything loads ND4J
    System.exit(execute(args));
  }

  /**
   * Runs a command line without exiting the JVM (tests call this).
   *
   * @param args {@code <command> [options]}
   * @return the exit code
   */
  public static int execute(String... args) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")
        || args[0].equals("-h")) {
      System.out.print(usage());
      return args.length == 0 ? EXIT_USAGE : 0;
    }
    Command c = COMMANDS.get(args[0]);
    if (c == null) {
      System.err.println("error: unknown command '" + args[0] + "'\n");
      System.err.print(usage());
      return EXIT_USAGE;
    }
    return execute(c, Arrays.copyOfRange(args, 1, args.length));
  }

  /**
   * Runs one command: parse, load and validate config, log it, run, report.
   *
   * @param c the command
   * @param args its arguments
   * @return the exit code
   */
  public static int execute(Command c, String[] args) {
    JobConfig config;
    try {
      CommandLine cl = CommandLine.parse(List.of(args), c.flags());
      if (cl.help()) {
        System.out.println("usage: ./asc " + c.name() + " [--config FILE]... [key=value | --key value]...");
        System.out.println(c.summary() + "\n");
        System.out.println("Config keys (defaults from conf/" + c.section() + ".conf):");
        System.out.print(JobConfig.help(c.section()));
        if (!c.extraSections().isEmpty()) {
          System.out.println("\nAlso read: the keys of " + c.extraSections().entrySet().stream()
              .map(e -> e.getKey() + (e.getKey().equals(e.getValue()) ? "" : " (the " + e.getValue() + " keys)"))
              .toList() + ", in --config files or as <section>.<key>=value (./asc <job> --help lists them).");
        }
        return 0;
      }
      config = JobConfig.load(c.section(), c.prepare(cl), c.extraSections());
    } catch (InvalidConfigException | IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("(./asc " + c.name() + " --help lists the config keys)");
      return EXIT_USAGE;
    }
    try {
      return c.run(config);
    } catch (InvalidConfigException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("(./asc " + c.name() + " --help lists the config keys)");
      return EXIT_USAGE;
    } catch (DatasetLayoutException | TrainingException e) {
      System.err.println("error: " + e.getMessage());
      return EXIT_FAILED;
    } catch (Exception e) {
      LOG.error("{} failed", c.name(), e);
      System.err.println("error: " + c.name() + " failed: " + e);
      return EXIT_FAILED;
    }
  }

  /** @return the help text listing every command */
  static String usage() {
    StringBuilder sb = new StringBuilder("usage: ./asc <command> [--config FILE]... [key=value]...\n\n");
    sb.append("commands:\n");
    for (Command c : COMMANDS.values()) {
      sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
    }
    sb.append(String.format("  %-10s %s%n", "help", "this list"));
    sb.append("\n./asc <command> --help lists the command's config keys with defaults.\n");
    return sb.toString();
  }

  /** Logs the effective config at the start of a job (STYLE.md rule 5). */
  static void logConfig(JobConfig config) {
    LOG.info("effective config (hash {}):\n{}", config.hash().substring(0, 12), config.render());
  }
}
