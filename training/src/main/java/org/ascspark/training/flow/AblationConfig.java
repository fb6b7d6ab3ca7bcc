package org.ascspark.training.flow;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;

/**
 * Settings of {@code ./asc ablate} ({@code conf/ablate.conf}): the augmentations under study, the
 * sets of them to run, and where.
 *
 * @param clips ingest output
 * @param work working folder
 * @param augmentations name to the chains it adds (each chain a list of step names), in file order
 *     (names given on one line, e.g. on the command line, in alphabetical order)
 * @param sets the distinct sets to run, in order
 * @param reference name of the set the others are compared with
 * @param checkpoint {@code last} or {@code best}
 * @param equalSteps whether each set's epochs are divided by its rows per clip (1 + its chains)
 * @param parallelRuns runs at the same time
 */
public record AblationConfig(String clips, String work, Map<String, List<List<String>>> augmentations,
    List<AugmentationSet> sets, String reference, String checkpoint, boolean equalSteps, int parallelRuns) {

  /** Set keywords of {@code ablate.sets}. */
  public static final List<String> KEYWORDS = List.of("none", "each", "all", "leave-one-out");

  /**
   * One set of augmentations.
   *
   * @param name its name in the table and the run folder: {@code none}, an augmentation's name,
   *     {@code all}, {@code all-but-<name>}, or the members joined by {@code +}
   * @param members augmentation names, in the order of {@code ablate.augmentations}
   */
  public record AugmentationSet(String name, List<String> members) {
    /** Copies the members. */
    public AugmentationSet {
      members = List.copyOf(members);
    }

    /**
     * @param augmentations name to chains
     * @return the chains of the members, concatenated: the set's {@code features.augment.chains}
     */
    public List<List<String>> chains(Map<String, List<List<String>>> augmentations) {
      List<List<String>> out = new ArrayList<>();
      for (String m : members) {
        out.addAll(augmentations.get(m));
      }
      return out;
    }
  }

  /** Copies the collections. */
  public AblationConfig {
    augmentations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(augmentations));
    sets = List.copyOf(sets);
  }

  /**
   * @param job the ablate job's config
   * @return validated settings
   * @throws InvalidConfigException naming the bad key
   */
  public static AblationConfig from(JobConfig job) {
    ConfigReader r = job.reader();
    Map<String, List<List<String>>> augs = new LinkedHashMap<>();
    com.typesafe.config.Config augConfig = job.config().getConfig("ablate.augmentations");
    // HOCON objects keep no order: file order (line), then name (several on one line, e.g. the command line)
    List<String> ordered = new ArrayList<>(augConfig.root().keySet());
    ordered.sort(java.util.Comparator.comparingInt((String n) -> augConfig.root().get(n).origin().lineNumber())
        .thenComparing(n -> n));
    for (String name : ordered) {
      String key = r.key("augmentations." + name);
      if (!name.matches("[a-z0-9][a-z0-9-]*") || KEYWORDS.contains(name)) {
        throw new InvalidConfigException(key, "'" + name + "' is not a usable name (lower-case letters,"
            + " digits and '-', not one of " + KEYWORDS + ")");
      }
      List<List<String>> chains = new ArrayList<>();
      ConfigValue v = augConfig.root().get(name);
      if (v.valueType() != ConfigValueType.LIST) {
        throw new InvalidConfigException(key, "expected a list of chains, e.g. [[mp3]] or [[mp3, tempo]]");
      }
      for (ConfigValue chain : (com.typesafe.config.ConfigList) v) {
        if (chain.valueType() != ConfigValueType.LIST || ((com.typesafe.config.ConfigList) chain).isEmpty()) {
          throw new InvalidConfigException(key, "expected a list of non-empty chains, e.g. [[mp3]], got "
              + v.render(com.typesafe.config.ConfigRenderOptions.concise()));
        }
        List<String> steps = new ArrayList<>();
        for (Object o : ((com.typesafe.config.ConfigList) chain).unwrapped()) {
          steps.add(String.valueOf(o));
        }
        chains.add(steps);
      }
      if (chains.isEmpty()) {
        throw new InvalidConfigException(key, "adds no chain");
      }
      augs.put(name, chains);
    }
    List<AugmentationSet> sets = sets(job, r, augs);
    String reference = r.string("reference");
    if (sets.stream().noneMatch(s -> s.name().equals(reference))) {
      throw new InvalidConfigException(r.key("reference"), "'" + reference + "' is not among the sets "
          + sets.stream().map(AugmentationSet::name).toList());
    }
    return new AblationConfig(r.string("clips"), r.string("work"), augs, sets, reference,
        r.oneOf("checkpoint", List.of("last", "best")), r.bool("equal-steps"), r.intIn("parallel-runs", 1, 64));
  }

  private static List<AugmentationSet> sets(JobConfig job, ConfigReader r, Map<String, List<List<String>>> augs) {
    List<String> names = new ArrayList<>(augs.keySet());
    List<AugmentationSet> all = new ArrayList<>();
    String key = r.key("sets");
    for (ConfigValue v : job.config().getList("ablate.sets")) {
      if (v.valueType() == ConfigValueType.LIST) {
        List<String> members = new ArrayList<>();
        for (Object o : ((com.typesafe.config.ConfigList) v).unwrapped()) {
          String m = String.valueOf(o);
          if (!augs.containsKey(m)) {
            throw new InvalidConfigException(key, "'" + m + "' is not one of ablate.augmentations " + names);
          }
          members.add(m);
        }
        List<String> ordered = names.stream().filter(members::contains).toList();
        all.add(new AugmentationSet(ordered.isEmpty() ? "none" : String.join("+", ordered), ordered));
        continue;
      }
      String word = String.valueOf(v.unwrapped());
      switch (word) {
        case "none" -> all.add(new AugmentationSet("none", List.of()));
        case "each" -> names.forEach(n -> all.add(new AugmentationSet(n, List.of(n))));
        case "all" -> all.add(new AugmentationSet("all", names));
        case "leave-one-out" -> names.forEach(n -> all.add(new AugmentationSet("all-but-" + n,
            names.stream().filter(m -> !m.equals(n)).toList())));
        default -> throw new InvalidConfigException(key, "'" + word + "' is not one of " + KEYWORDS
            + " or a list of augmentation names");
      }
    }
    // Sets with the same members run once, under their first (simplest) name.
    List<AugmentationSet> distinct = new ArrayList<>();
    Set<Set<String>> seen = new LinkedHashSet<>();
    for (AugmentationSet s : all) {
      if (seen.add(new TreeSet<>(s.members()))) {
        distinct.add(s.members().size() == 1 ? new AugmentationSet(s.members().get(0), s.members()) : s);
      }
    }
    if (distinct.isEmpty()) {
      throw new InvalidConfigException(key, "no set to run");
    }
    return distinct;
  }
}
