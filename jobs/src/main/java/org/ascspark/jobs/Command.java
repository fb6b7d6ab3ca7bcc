package org.ascspark.jobs;

import java.util.Set;
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
   * Runs the command with a loaded config; the typed config is validated first, before any work.
   *
   * @param config the effective config
   * @return the process exit code
   * @throws Exception on failure (reported by {@link Asc})
   */
  int run(JobConfig config) throws Exception;
}
