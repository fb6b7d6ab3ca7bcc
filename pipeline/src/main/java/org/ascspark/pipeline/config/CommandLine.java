package org.ascspark.pipeline.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one command: {@code [--config FILE]... [--help] [--flag]... [--key VALUE]...
 * [key=value]...}.
 *
 * <p>{@code --key VALUE} and {@code --key=VALUE} are the same as {@code key=VALUE}. Flags are the
 * boolean options a command declares (e.g. {@code overwrite}); {@code --overwrite} sets that key to
 * {@code true}. Keys may be given relative to the command's config section ({@code out=...}) or in
 * full ({@code ingest.out=...}); {@link JobConfig} resolves them.
 *
 * @param configFiles HOCON files given with {@code --config}, later ones win
 * @param overrides key=value pairs in command-line order
 * @param help whether {@code --help} or {@code -h} was given
 */
public record CommandLine(List<String> configFiles, Map<String, String> overrides, boolean help) {

  /** Copies the collections so the record is immutable. */
  public CommandLine {
    configFiles = List.copyOf(configFiles);
    overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
  }

  /**
   * Parses the arguments that follow the command name.
   *
   * @param args the arguments
   * @param booleanFlags keys (relative to the section) that may be given as bare {@code --key}
   * @return the parsed command line
   * @throws IllegalArgumentException naming the argument that cannot be understood
   */
  public static CommandLine parse(List<String> args, Set<String> booleanFlags) {
    List<String> files = new ArrayList<>();
    Map<String, String> overrides = new LinkedHashMap<>();
    boolean help = false;
    Set<String> flags = new LinkedHashSet<>(booleanFlags);
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--help") || a.equals("-h")) {
        help = true;
      } else if (a.equals("--config")) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("--config needs a file argument");
        }
        files.add(args.get(++i));
      } else if (a.startsWith("--config=")) {
        files.add(a.substring("--config=".length()));
      } else if (a.startsWith("--")) {
        String body = a.substring(2);
        int eq = body.indexOf('=');
        if (eq > 0) {
          overrides.put(body.substring(0, eq), body.substring(eq + 1));
        } else if (flags.contains(body)) {
          overrides.put(body, "true");
        } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
          overrides.put(body, args.get(++i));
        } else {
          throw new IllegalArgumentException("option " + a + " needs a value (--" + body + " VALUE)");
        }
      } else {
        int eq = a.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(
              "cannot understand argument '" + a + "': expected key=value, --key value or --config FILE");
        }
        overrides.put(a.substring(0, eq), a.substring(eq + 1));
      }
    }
    return new CommandLine(files, overrides, help);
  }
}
