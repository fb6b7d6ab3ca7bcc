package org.ascspark.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The effective configuration of one job: the defaults in {@code conf/<section>.conf} (shipped in
 * the jar under {@code asc-conf/}), then each {@code --config} file, then command-line overrides,
 * later layers winning.
 *
 * <p>Every key a user sets must exist in the defaults (a typo is an error naming the key, never a
 * silently ignored setting); the one exception is the free-form map {@code spark.conf}. A
 * {@code --config} file may also hold other jobs' sections ({@link #SHARED_SECTIONS}), whose keys are
 * checked against those jobs' defaults. Override
 * values are typed by the default they replace: numbers and booleans are parsed (a number that does
 * not parse stays text for the typed reader to judge, e.g. {@code hop=20ms}), strings are taken
 * verbatim (so {@code out=s3a://bucket/x} is not read as a HOCON comment), lists use HOCON syntax.
 */
public final class JobConfig {
  /** Classpath folder holding the default config files. */
  public static final String RESOURCE_DIR = "asc-conf/";

  private static final String SPARK_CONF = "spark.conf";

  /**
   * Sections a shared {@code --config} file (a preset) may hold besides the job's own, each with the
   * job whose keys it takes: every job's section, and {@code teacher} (the train keys of a teacher).
   */
  public static final Map<String, String> SHARED_SECTIONS = sharedSections();

  private static final Map<String, Config> DEFAULTS = new java.util.concurrent.ConcurrentHashMap<>();

  private static Map<String, String> sharedSections() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String job : List.of("synth", "ingest", "features", "train", "evaluate", "complexity",
        "teacher-outputs", "distill", "compress", "ablate", "preset", "demo")) {
      m.put(job, job);
    }
    m.put("teacher", "train");
    return java.util.Collections.unmodifiableMap(m);
  }

  private final String section;
  private final Config config;

  private JobConfig(String section, Config config) {
    this.section = section;
    this.config = config;
  }

  /**
   * Loads the layered configuration of a job.
   *
   * @param section the job's section and default file name, e.g. {@code ingest}
   * @param commandLine parsed arguments
   * @return the resolved configuration
   * @throws InvalidConfigException naming the key of an unknown or malformed setting
   */
  public static JobConfig load(String section, CommandLine commandLine) {
    return load(section, commandLine, Map.of());
  }

  /**
   * Loads the layered configuration of a job that also reads other jobs' sections.
   *
   * <p>A {@code --config} file may hold the sections of any job (a preset holds the front end, the
   * training and the evaluation of one system); keys of this job's defaults are merged, keys of
   * another job's section are checked against that job's defaults (a typo is still an error) and
   * kept in {@link #config()}, where a job that runs other jobs finds them. On the command line, only
   * this job's keys and those of {@code extraSections} are accepted.
   *
   * @param section the job's section and default file name, e.g. {@code ingest}
   * @param commandLine parsed arguments
   * @param extraSections further sections this job reads, each mapped to the job section whose keys
   *     it takes (e.g. {@code teacher -> train}, {@code features -> features})
   * @return the resolved configuration
   * @throws InvalidConfigException naming the key of an unknown or malformed setting
   */
  public static JobConfig load(String section, CommandLine commandLine, Map<String, String> extraSections) {
    Config defaults = defaults(section);
    Config merged = defaults;
    for (String file : commandLine.configFiles()) {
      Config user = parseUserConfig(file);
      for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
        String key = e.getKey();
        if (!isKnown(defaults, key)) {
          String other = ConfigUtil.splitPath(key).get(0);
          String job = extraSections.getOrDefault(other, SHARED_SECTIONS.get(other));
          if (job == null) {
            throw new InvalidConfigException(key, "unknown key in " + file + " (known keys: "
                + knownKeys(defaults, section) + "; or a section of another job: "
                + String.join(", ", SHARED_SECTIONS.keySet()) + ")");
          }
          foreignKey(other, job, key, "in " + file);
        }
      }
      merged = user.withFallback(merged);
    }
    for (Map.Entry<String, String> o : commandLine.overrides().entrySet()) {
      String key;
      ConfigValue value;
      String other = isValidPath(o.getKey()) ? ConfigUtil.splitPath(o.getKey()).get(0) : "";
      if (!isKnownRelative(defaults, section, o.getKey()) && extraSections.containsKey(other)) {
        key = o.getKey();
        String typedBy = foreignKey(other, extraSections.get(other), key, "on the command line");
        value = typedValue(defaults(extraSections.get(other)), typedBy, o.getValue());
      } else {
        key = qualify(defaults, section, o.getKey());
        value = typedValue(defaults, key, o.getValue());
      }
      merged = merged.withValue(key, value);
    }
    try {
      return new JobConfig(section, merged.resolve());
    } catch (ConfigException e) {
      throw new InvalidConfigException(section, e.getMessage());
    }
  }

  /**
   * A job's config built from layers that were already loaded and checked (e.g. the sections of a
   * preset that {@code ./asc preset} read), over the job's defaults, then overrides.
   *
   * @param section the job's section
   * @param layers configs holding this job's keys (full paths), later ones winning
   * @param overrides key=value settings, relative to the section or full, typed as on the command line
   * @return the resolved configuration
   * @throws InvalidConfigException naming a key the job does not know
   */
  public static JobConfig of(String section, List<Config> layers, Map<String, String> overrides) {
    Config defaults = defaults(section);
    Config merged = defaults;
    for (Config layer : layers) {
      for (Map.Entry<String, ConfigValue> e : layer.entrySet()) {
        if (!isKnown(defaults, e.getKey())) {
          throw new InvalidConfigException(e.getKey(),
              "unknown key for '" + section + "' (known keys: " + knownKeys(defaults, section) + ")");
        }
      }
      merged = layer.withFallback(merged);
    }
    for (Map.Entry<String, String> o : overrides.entrySet()) {
      String key = qualify(defaults, section, o.getKey());
      merged = merged.withValue(key, typedValue(defaults, key, o.getValue()));
    }
    try {
      return new JobConfig(section, merged.resolve());
    } catch (ConfigException e) {
      throw new InvalidConfigException(section, e.getMessage());
    }
  }

  /**
   * Checks a key of another job's section against that job's defaults.
   *
   * @return the key as that job's defaults spell it (e.g. {@code teacher.epochs -> train.epochs})
   */
  private static String foreignKey(String sectionName, String job, String key, String where) {
    String inJob = job + key.substring(sectionName.length());
    Config jobDefaults = defaults(job);
    if (!isKnown(jobDefaults, inJob)) {
      throw new InvalidConfigException(key, "unknown key " + where + ": section '" + sectionName
          + "' takes the keys of ./asc " + job + " (known keys: " + knownKeys(jobDefaults, job) + ")");
    }
    return inJob;
  }

  private static boolean isKnownRelative(Config defaults, String section, String key) {
    String relative = section + "." + key;
    return isValidPath(relative) && defaults.hasPathOrNull(relative)
        || isValidPath(key) && defaults.hasPathOrNull(key)
        || key.startsWith(SPARK_CONF + ".");
  }

  /**
   * Parses a {@code --config} argument: a HOCON file, or else the name of a file shipped under
   * {@code conf/} (in the jar), with or without {@code .conf}, e.g. {@code frontends/clova}.
   *
   * @param file a path or a shipped config's name
   * @return the parsed, unresolved config
   * @throws InvalidConfigException when there is no such file or it does not parse
   */
  public static Config parseUserConfig(String file) {
    File f = new File(file);
    String resource = RESOURCE_DIR + (file.endsWith(".conf") ? file : file + ".conf");
    try {
      if (f.isFile()) {
        return ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
      }
      if (JobConfig.class.getClassLoader().getResource(resource) != null) {
        return ConfigFactory.parseResources(JobConfig.class.getClassLoader(), resource,
            ConfigParseOptions.defaults().setAllowMissing(false));
      }
    } catch (ConfigException e) {
      throw new InvalidConfigException("--config", "cannot parse " + file + ": " + e.getMessage());
    }
    throw new InvalidConfigException("--config",
        "no file " + file + " and no shipped config conf/" + resource.substring(RESOURCE_DIR.length()));
  }

  /**
   * @param section job section
   * @return the shipped defaults for that job (unresolved includes resolved)
   */
  public static Config defaults(String section) {
    return DEFAULTS.computeIfAbsent(section, JobConfig::parseDefaults);
  }

  private static Config parseDefaults(String section) {
    String resource = RESOURCE_DIR + section + ".conf";
    if (JobConfig.class.getClassLoader().getResource(resource) == null) {
      throw new IllegalStateException("no default config " + resource + " on the classpath");
    }
    return ConfigFactory.parseResources(
        JobConfig.class.getClassLoader(), resource,
        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
  }

  /** @return the resolved configuration (all sections) */
  public Config config() {
    return config;
  }

  /** @return a typed, validating reader over this job's section */
  public ConfigReader reader() {
    return new ConfigReader(config, section);
  }

  /** @return a typed, validating reader over another section, e.g. {@code spark} */
  public ConfigReader reader(String otherSection) {
    return new ConfigReader(config, otherSection);
  }

  /** @return the job's section name */
  public String section() {
    return section;
  }

  /**
   * The effective settings of this job (its section and {@code spark}) as formatted HOCON, the text
   * logged at start and written beside every output.
   *
   * @return HOCON text
   */
  public String render() {
    return render(new String[0]);
  }

  /**
   * @param alsoSections further sections to include, e.g. {@code train} for a job that trains with
   *     the train section's settings
   * @return {@link #render()} with those sections
   */
  public String render(String... alsoSections) {
    Config c = relevant();
    for (String s : alsoSections) {
      if (config.hasPath(s) && !s.equals(section)) {
        c = c.withFallback(config.getConfig(s).atPath(s));
      }
    }
    return c.root().render(
        ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
  }

  /**
   * SHA-256 of the job's own section, rendered as canonical JSON (keys sorted). Spark settings are
   * excluded: they do not change results.
   *
   * @return 64 hex digits
   */
  public String hash() {
    return sha256(config.getConfig(section).root().render(ConfigRenderOptions.concise()));
  }

  private Config relevant() {
    Config c = config.getConfig(section).atPath(section);
    if (config.hasPath("spark")) {
      c = c.withFallback(config.getConfig("spark").atPath("spark"));
    }
    return c;
  }

  /**
   * Help text for a job: every key of its defaults file (its section, the sections it includes, and
   * {@code spark}), in file order, with its default and the comment written above it.
   *
   * @param section job section
   * @return text, one key per paragraph
   */
  public static String help(String section) {
    Config defaults = defaults(section);
    List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(defaults.entrySet());
    // the job's own section first, then sections its defaults include (distill: train), then spark
    entries.sort(Comparator
        .comparing((Map.Entry<String, ConfigValue> e) -> e.getKey().startsWith(section + ".") ? 0
            : e.getKey().startsWith("spark.") ? 2 : 1)
        .thenComparing(e -> lineOf(e.getValue().origin())));
    List<String> sparkObjects = new ArrayList<>();
    if (defaults.hasPath(SPARK_CONF)) {
      sparkObjects.add(SPARK_CONF);
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ConfigValue> e : entries) {
      appendKeyHelp(sb, e.getKey(), e.getValue());
    }
    for (String path : sparkObjects) {
      appendKeyHelp(sb, path, defaults.getValue(path));
    }
    return sb.toString();
  }

  private static void appendKeyHelp(StringBuilder sb, String key, ConfigValue value) {
    sb.append("  ").append(key).append(" = ").append(value.render(ConfigRenderOptions.concise()))
        .append('\n');
    for (String comment : value.origin().comments()) {
      sb.append("      ").append(comment.strip()).append('\n');
    }
  }

  private static int lineOf(ConfigOrigin origin) {
    return origin.lineNumber() < 0 ? Integer.MAX_VALUE : origin.lineNumber();
  }

  private static boolean isKnown(Config defaults, String fullKey) {
    return defaults.hasPathOrNull(fullKey) || fullKey.startsWith(SPARK_CONF + ".");
  }

  /** Maps a user-given key (relative to the section, or full) to a full path known in defaults. */
  private static String qualify(Config defaults, String section, String key) {
    String relative = section + "." + key;
    if (isValidPath(relative) && defaults.hasPathOrNull(relative)) {
      return relative;
    }
    if (isValidPath(key) && defaults.hasPathOrNull(key)) {
      return key;
    }
    if (key.startsWith(SPARK_CONF + ".") && key.length() > SPARK_CONF.length() + 1) {
      // spark.conf.spark.sql.shuffle.partitions=8: the rest is one (dotted) Spark key.
      return SPARK_CONF + "." + ConfigUtil.quoteString(key.substring(SPARK_CONF.length() + 1));
    }
    throw new InvalidConfigException(
        key, "unknown key for '" + section + "' (known keys: " + knownKeys(defaults, section) + ")");
  }

  private static boolean isValidPath(String path) {
    try {
      ConfigUtil.splitPath(path);
      return true;
    } catch (ConfigException e) {
      return false;
    }
  }

  private static String knownKeys(Config defaults, String section) {
    TreeSet<String> keys = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
      String k = e.getKey();
      keys.add(k.startsWith(section + ".") ? k.substring(section.length() + 1) : k);
    }
    return String.join(", ", keys);
  }

  private static ConfigValue typedValue(Config defaults, String key, String raw) {
    ConfigValueType type =
        defaults.hasPath(key) ? defaults.getValue(key).valueType() : ConfigValueType.STRING;
    String origin = "command line " + key + "=" + raw;
    switch (type) {
      case NUMBER:
        try {
          if (raw.matches("[+-]?\\d+")) {
            return ConfigValueFactory.fromAnyRef(Long.parseLong(raw), origin);
          }
          return ConfigValueFactory.fromAnyRef(Double.parseDouble(raw), origin);
        } catch (NumberFormatException e) {
          // Kept as text: lengths also accept times (40ms); the typed reader validates the value.
          return ConfigValueFactory.fromAnyRef(raw, origin);
        }
      case BOOLEAN:
        if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
          return ConfigValueFactory.fromAnyRef(Boolean.parseBoolean(raw.toLowerCase()), origin);
        }
        throw new InvalidConfigException(key, "'" + raw + "' is not true or false");
      case LIST:
      case OBJECT:
        try {
          String text = type == ConfigValueType.LIST && !raw.strip().startsWith("[")
              ? "[" + raw + "]" : raw;
          return ConfigFactory.parseString("v = " + text).getValue("v");
        } catch (ConfigException e) {
          throw new InvalidConfigException(key, "'" + raw + "' is not a valid "
              + type.name().toLowerCase() + " (HOCON syntax, e.g. [a, b]): " + e.getMessage());
        }
      default:
        return ConfigValueFactory.fromAnyRef(raw, origin);
    }
  }

  /**
   * @param text any text
   * @return SHA-256 of its UTF-8 bytes as 64 hex digits
   */
  public static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
