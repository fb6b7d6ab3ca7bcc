package org.ascspark.jobs;

import java.util.Map;
import java.util.Set;
import org.ascspark.pipeline.config.CommandLine;
import org.ascspark.pipeline.config.JobConfig;

/** One {@code ./asc <command>}: a thin main that parses config and calls one library entry point. */
public interface Command {
  /** @return the command name typed after {@code ./asc} */
  String name();

  /** @return one line for {@code ./asc help} */
  String summary();

  /** @return the config section and default file ({@code conf/<section>.conf}) */
  String section();

  /** @return keys of the section that may be given as bare {@code --key} flags */
  default Set<String> flags() {
    return Set.of();
  }

  /**
   * @return other jobs' sections this command reads, each mapped to the job whose keys it takes;
   *     their keys are accepted on the command line (e.g. {@code train.epochs=3} for ablate)
   */
  default Map<String, String> extraSections() {
    return Map.of();
  }

  /**
   * @param commandLine the parsed arguments
   * @return the arguments the config is loaded from (a command may add a config file a key names)
   */
  default CommandLine prepare(CommandLine commandLine) {
    return commandLine;
  }

  /**
   * Runs the command with a loaded config; the typed config is validated first, before any work.
   *
   * @param config the effective config
   * @return the process exit code
   * @throws Exception on failure (reported by {@link Asc})
   */
  int run(JobConfig config) throws Exception;
}
