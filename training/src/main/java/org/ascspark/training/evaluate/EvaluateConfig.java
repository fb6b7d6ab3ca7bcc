package org.ascspark.training.evaluate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;

/**
 * The {@code evaluate} section, typed and validated (conf/evaluate.conf documents every key).
 *
 * @param model the model zip (a run folder is resolved to its {@code best.zip})
 * @param features features folder, "" = the model's training features
 * @param split split to predict
 * @param out output folder, "" = {@code <run folder>/eval-<split>}
 * @param batchSize windows per forward pass
 * @param ttaPasses SpecAugment passes per window, 0 = none
 * @param timeMasks TTA time masks
 * @param maxTimeWidth TTA largest time mask
 * @param freqMasks TTA frequency masks
 * @param maxFreqWidth TTA largest frequency mask
 * @param seed seed of the TTA masks
 * @param deviceGroups group name to its devices, in report order
 * @param fuseWith further model zips whose clip probabilities are fused with the model's (each on
 *     its own training features), empty for none
 * @param fusion how: {@code mean} or {@code prod} (AIT's PROD fusion)
 */
public record EvaluateConfig(String model, String features, String split, String out,
    int batchSize, int ttaPasses, int timeMasks, int maxTimeWidth, int freqMasks, int maxFreqWidth,
    long seed, Map<String, Set<String>> deviceGroups, List<String> fuseWith, String fusion) {

  /** Fusion methods. */
  public static final List<String> FUSIONS = List.of("mean", "prod");

  /** The usual groups first, in this order. */
  private static final List<String> GROUP_ORDER = List.of("real", "seen", "unseen");

  /**
   * @param config the job config
   * @return the validated settings
   * @throws InvalidConfigException naming the bad key
   */
  public static EvaluateConfig from(JobConfig config) {
    ConfigReader r = config.reader("evaluate");
    ConfigReader t = config.reader("evaluate.tta");
    String model = resolveModel(r.string("model"), r.key("model"));
    List<String> fuseWith = new ArrayList<>();
    for (String m : r.stringList("fuse-with")) {
      fuseWith.add(resolveModel(m, r.key("fuse-with")));
    }
    String out = r.stringOrEmpty("out");
    String split = r.oneOf("split", List.of("train", "evaluate", "test", "unassigned"));
    if (out.isEmpty()) {
      out = new File(model).getAbsoluteFile().getParent() + "/eval-" + split;
    }
    return new EvaluateConfig(model, r.stringOrEmpty("features"), split, out,
        r.intIn("batch-size", 1, 1 << 16), r.intIn("tta-passes", 0, 1000),
        t.intIn("time-masks", 0, 100), t.intIn("max-time-width", 0, 100_000),
        t.intIn("freq-masks", 0, 100), t.intIn("max-freq-width", 0, 100_000),
        r.longIn("seed", Long.MIN_VALUE, Long.MAX_VALUE),
        deviceGroups(config.config(), r.key("device-groups")), List.copyOf(fuseWith),
        r.oneOf("fusion", FUSIONS));
  }

  /**
   * @param model a model zip or a run folder
   * @param key the config key, for messages
   * @return the model zip
   */
  public static String resolveModel(String model, String key) {
    File f = new File(model);
    if (f.isDirectory()) {
      File best = new File(f, "best.zip");
      if (!best.isFile()) {
        throw new InvalidConfigException(key, "'" + model + "' is a folder without best.zip (give a"
            + " run folder written by ./asc train, or a model zip)");
      }
      return best.getPath();
    }
    if (!f.isFile()) {
      throw new InvalidConfigException(key, "'" + model + "' does not exist");
    }
    return model;
  }

  /**
   * @param all the whole config
   * @param key path of an object of device lists, e.g. {@code evaluate.device-groups}
   * @return group name to devices, real / seen / unseen first
   * @throws InvalidConfigException naming the key when the object is malformed
   */
  public static Map<String, Set<String>> deviceGroups(Config all, String key) {
    Config groups;
    try {
      groups = all.getConfig(key);
    } catch (ConfigException e) {
      throw new InvalidConfigException(key, "is not an object of device lists");
    }
    List<String> names = new ArrayList<>();
    for (String g : GROUP_ORDER) {
      if (groups.hasPath(g)) {
        names.add(g);
      }
    }
    List<String> rest = new ArrayList<>(groups.root().keySet());
    rest.removeAll(GROUP_ORDER);
    rest.sort(null);
    names.addAll(rest);
    Map<String, Set<String>> out = new LinkedHashMap<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String g : names) {
      List<String> devices;
      try {
        devices = groups.getStringList(g);
      } catch (ConfigException e) {
        throw new InvalidConfigException(key + "." + g, "is not a list of device names");
      }
      if (devices.isEmpty()) {
        continue;
      }
      for (String d : devices) {
        if (!seen.add(d)) {
          throw new InvalidConfigException(key + "." + g, "device '" + d + "' is in two groups");
        }
      }
      out.put(g, new LinkedHashSet<>(devices));
    }
    return out;
  }
}
