package org.ascspark.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, validating access to one section of a {@link Config}. Every failure is an {@link
 * InvalidConfigException} naming the full key and the bad value; typed job configs are built from
 * it in one place, before any work starts (STYLE.md rule 5).
 */
public final class ConfigReader {
  private final Config config;
  private final String section;

  /**
   * @param config resolved configuration
   * @param section dotted section path, e.g. {@code ingest}
   */
  public ConfigReader(Config config, String section) {
    this.config = config;
    this.section = section;
  }

  /** @return the full dotted key of a key in this section */
  public String key(String key) {
    return section + "." + key;
  }

  private <T> T get(String key, java.util.function.Function<String, T> getter, String what) {
    String full = key(key);
    try {
      if (!config.hasPathOrNull(full)) {
        throw new InvalidConfigException(full, "missing (a value is required)");
      }
      if (config.getIsNull(full)) {
        throw new InvalidConfigException(full, "is null (a value is required)");
      }
      return getter.apply(full);
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw new InvalidConfigException(full, "'" + raw(full) + "' is not " + what);
    }
  }

  private String raw(String full) {
    try {
      return String.valueOf(config.getValue(full).unwrapped());
    } catch (ConfigException e) {
      return "?";
    }
  }

  /** @return a non-blank string */
  public String string(String key) {
    String v = get(key, config::getString, "a string");
    if (v.isBlank()) {
      throw new InvalidConfigException(key(key), "must not be empty");
    }
    return v;
  }

  /** @return a string that may be empty */
  public String stringOrEmpty(String key) {
    return get(key, config::getString, "a string");
  }

  /** @return one of the allowed strings (compared exactly) */
  public String oneOf(String key, Collection<String> allowed) {
    String v = string(key);
    if (!allowed.contains(v)) {
      throw new InvalidConfigException(key(key), "'" + v + "' is not one of " + allowed);
    }
    return v;
  }

  /** @return an integer within [min, max] */
  public int intIn(String key, int min, int max) {
    long v = get(key, config::getLong, "an integer");
    if (v < min || v > max) {
      throw new InvalidConfigException(key(key), v + " is outside [" + min + ", " + max + "]");
    }
    return (int) v;
  }

  /** @return a long within [min, max] */
  public long longIn(String key, long min, long max) {
    long v = get(key, config::getLong, "an integer");
    if (v < min || v > max) {
      throw new InvalidConfigException(key(key), v + " is outside [" + min + ", " + max + "]");
    }
    return v;
  }

  /** @return a finite double within [min, max] */
  public double doubleIn(String key, double min, double max) {
    double v = get(key, config::getDouble, "a number");
    if (!Double.isFinite(v) || v < min || v > max) {
      throw new InvalidConfigException(key(key), v + " is outside [" + min + ", " + max + "]");
    }
    return v;
  }

  /** @return a double strictly greater than {@code exclusiveMin} and at most {@code max} */
  public double doubleAbove(String key, double exclusiveMin, double max) {
    double v = get(key, config::getDouble, "a number");
    if (!Double.isFinite(v) || v <= exclusiveMin || v > max) {
      throw new InvalidConfigException(
          key(key), v + " must be > " + exclusiveMin + " and <= " + max);
    }
    return v;
  }

  /**
   * A length given as an integer number of samples or as a time with unit {@code ms} or {@code s}
   * (e.g. {@code 40ms}, {@code 0.02s}), converted at the given rate and rounded to the nearest
   * sample.
   *
   * @param key key in this section
   * @param sampleRateHz rate for time values
   * @param min smallest allowed number of samples
   * @return samples
   */
  public int samples(String key, int sampleRateHz, int min) {
    String full = key(key);
    String raw = get(key, k -> String.valueOf(config.getAnyRef(k)), "a length").strip();
    long n;
    try {
      if (raw.endsWith("ms")) {
        n = Math.round(Double.parseDouble(raw.substring(0, raw.length() - 2).strip()) * sampleRateHz / 1000.0);
      } else if (raw.endsWith("s")) {
        n = Math.round(Double.parseDouble(raw.substring(0, raw.length() - 1).strip()) * sampleRateHz);
      } else {
        double d = Double.parseDouble(raw);
        if (d != Math.rint(d)) {
          throw new InvalidConfigException(full, "'" + raw + "' samples is not a whole number "
              + "(give a time with a unit, e.g. 40ms or 0.04s)");
        }
        n = (long) d;
      }
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(full,
          "'" + raw + "' is not a length (samples, or a time such as 40ms or 0.04s)");
    }
    if (n < min || n > Integer.MAX_VALUE) {
      throw new InvalidConfigException(full, "'" + raw + "' is " + n + " samples at " + sampleRateHz
          + " Hz; must be at least " + min);
    }
    return (int) n;
  }

  /** @return a boolean */
  public boolean bool(String key) {
    return get(key, config::getBoolean, "true or false");
  }

  /** @return a list of non-blank strings */
  public List<String> stringList(String key) {
    List<String> v = get(key, config::getStringList, "a list of strings");
    for (String s : v) {
      if (s.isBlank()) {
        throw new InvalidConfigException(key(key), "contains an empty string: " + v);
      }
    }
    return List.copyOf(v);
  }

  /** @return a flat map of string settings (e.g. {@code spark.conf}) */
  public Map<String, String> stringMap(String key) {
    String full = key(key);
    if (!config.hasPath(full)) {
      return Map.of();
    }
    Config sub;
    try {
      sub = config.getConfig(full);
    } catch (ConfigException.WrongType e) {
      throw new InvalidConfigException(full, "'" + raw(full) + "' is not an object of settings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>(sub.root().keySet());
    keys.sort(null);
    for (String k : keys) {
      ConfigValue v = sub.root().get(k);
      out.put(k, String.valueOf(v.unwrapped()));
    }
    return out;
  }
}
