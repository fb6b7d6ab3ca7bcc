package org.ascspark.pipeline.synth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.ascspark.features.synth.DeviceProfile;
import org.ascspark.features.synth.DeviceProfiles;

/**
 * Options of the synthetic dataset generator ({@link SynthDataset}), immutable and validated on
 * construction: an invalid value fails with an {@link IllegalArgumentException} naming the field
 * and the value.
 *
 * <p>Size: the dataset has {@code 10 scenes × cities × locationsPerCity × segmentsPerLocation}
 * segments. Every segment is recorded by device {@code a}; evaluate-fold segments are recorded by
 * every listed device (a balanced test set, as in TAU); each of b, c, s1, s2, s3 records
 * {@code seenDeviceFraction} of the train-fold segments of each scene (at least one), so device a
 * dominates the training fold. With the defaults (4 cities, 3 locations, 2 segments, 1.0 s clips,
 * fraction 0.5): 240 segments, 1280 files (560 train, 720 evaluate), about 169 MB of 24-bit WAV.
 *
 * <p>{@code threads} changes only the speed: the output is byte-identical for any value.
 *
 * @param seed global seed; same options and seed give byte-identical files
 * @param cities number of cities, at least 1; at most {@link #CITY_NAMES}{@code .size()} unless
 *     {@code cityNames} is given
 * @param cityNames explicit city names (lower-case letters, digits, underscores; no '-'), or empty
 *     to take the first {@code cities} of {@link #CITY_NAMES}; when given, its size must equal
 *     {@code cities}
 * @param locationsPerCity recording locations per (scene, city), at least 1; together with
 *     {@code cities} at least 2 locations per scene are needed so both folds get each scene
 * @param segmentsPerLocation segments per (scene, city, location), at least 1
 * @param clipSeconds clip length in seconds, in (0, 60]; 10.0 is TAU 2020, 1.0 TAU 2022
 * @param sampleRateHz sample rate in Hz, 8000 to 192000 (TAU: 44100)
 * @param devices devices to record with, a subset of a, b, c, s1-s6 containing {@code a}
 * @param seenDeviceFraction fraction of each scene's train-fold segments recorded by each of b, c,
 *     s1, s2, s3, in (0, 1]
 * @param evaluateLocationFraction fraction of each scene's locations put in the evaluate fold, in
 *     (0, 1); rounded, at least one location in each fold
 * @param threads worker threads, at least 1
 * @param crlf whether CSV lines end with CRLF instead of LF
 */
public record SynthOptions(
    long seed, int cities, List<String> cityNames, int locationsPerCity, int segmentsPerLocation,
    double clipSeconds, int sampleRateHz, List<String> devices, double seenDeviceFraction,
    double evaluateLocationFraction, int threads, boolean crlf) {

  /** The fixed list of city names used when no explicit names are given. */
  public static final List<String> CITY_NAMES = List.of("barcelona", "helsinki", "lisbon",
      "london", "lyon", "milan", "paris", "prague", "stockholm", "vienna", "amsterdam", "berlin");

  /** Devices that appear only in the evaluate fold. */
  public static final Set<String> UNSEEN_DEVICES = Set.of("s4", "s5", "s6");

  private static final Pattern CITY = Pattern.compile("[a-z][a-z0-9_]*");

  /** Validates and copies the lists. */
  public SynthOptions {
    cityNames = List.copyOf(Objects.requireNonNull(cityNames, "cityNames"));
    devices = List.copyOf(Objects.requireNonNull(devices, "devices"));
    if (cities < 1) {
      throw invalid("cities", cities, "must be at least 1");
    }
    if (cityNames.isEmpty()) {
      if (cities > CITY_NAMES.size()) {
        throw invalid("cities", cities, "must be at most " + CITY_NAMES.size()
            + " unless cityNames are given");
      }
    } else {
      if (cityNames.size() != cities) {
        throw invalid("cities", cities, "must equal the number of cityNames " + cityNames);
      }
      Set<String> seen = new HashSet<>();
      for (String c : cityNames) {
        if (c == null || !CITY.matcher(c).matches()) {
          throw invalid("cityNames", cityNames, "names must be lower-case letters, digits or '_',"
              + " starting with a letter: '" + c + "'");
        }
        if (!seen.add(c)) {
          throw invalid("cityNames", cityNames, "repeats '" + c + "'");
        }
      }
    }
    if (locationsPerCity < 1) {
      throw invalid("locationsPerCity", locationsPerCity, "must be at least 1");
    }
    if ((long) cities * locationsPerCity < 2) {
      throw invalid("locationsPerCity", locationsPerCity,
          "cities × locationsPerCity must be at least 2 (one location per fold and scene)");
    }
    if (segmentsPerLocation < 1) {
      throw invalid("segmentsPerLocation", segmentsPerLocation, "must be at least 1");
    }
    if (!(clipSeconds > 0 && clipSeconds <= 60)) {
      throw invalid("clipSeconds", clipSeconds, "must be in (0, 60]");
    }
    if (sampleRateHz < 8000 || sampleRateHz > 192000) {
      throw invalid("sampleRateHz", sampleRateHz, "must be in [8000, 192000]");
    }
    if (Math.round(clipSeconds * sampleRateHz) < 1) {
      throw invalid("clipSeconds", clipSeconds, "gives no samples at " + sampleRateHz + " Hz");
    }
    Set<String> seenDevices = new HashSet<>();
    for (String d : devices) {
      if (d == null || DeviceProfiles.byName(d).isEmpty()) {
        throw invalid("devices", devices, "unknown device '" + d + "' (known: a, b, c, s1-s6)");
      }
      if (!seenDevices.add(d)) {
        throw invalid("devices", devices, "repeats '" + d + "'");
      }
    }
    if (!seenDevices.contains("a")) {
      throw invalid("devices", devices, "must contain the reference device 'a'");
    }
    if (!(seenDeviceFraction > 0 && seenDeviceFraction <= 1)) {
      throw invalid("seenDeviceFraction", seenDeviceFraction, "must be in (0, 1]");
    }
    if (!(evaluateLocationFraction > 0 && evaluateLocationFraction < 1)) {
      throw invalid("evaluateLocationFraction", evaluateLocationFraction, "must be in (0, 1)");
    }
    if (threads < 1) {
      throw invalid("threads", threads, "must be at least 1");
    }
  }

  /**
   * The defaults: seed 42, 4 cities, 3 locations per city, 2 segments per location, 1.0 s clips at
   * 44100 Hz, all nine devices, seen-device fraction 0.5, evaluate-location fraction 0.3, one
   * thread per available processor, LF line endings.
   *
   * @return the default options
   */
  public static SynthOptions defaults() {
    return builder().build();
  }

  /** @return a builder holding the defaults */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder holding these options */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.seed = seed;
    b.cities = cities;
    b.cityNames = cityNames;
    b.locationsPerCity = locationsPerCity;
    b.segmentsPerLocation = segmentsPerLocation;
    b.clipSeconds = clipSeconds;
    b.sampleRateHz = sampleRateHz;
    b.devices = devices;
    b.seenDeviceFraction = seenDeviceFraction;
    b.evaluateLocationFraction = evaluateLocationFraction;
    b.threads = threads;
    b.crlf = crlf;
    return b;
  }

  /** @return the city names in use: {@code cityNames} if given, else the first {@code cities} */
  public List<String> resolvedCities() {
    return cityNames.isEmpty() ? CITY_NAMES.subList(0, cities) : cityNames;
  }

  /** @return the clip length in samples, {@code round(clipSeconds * sampleRateHz)} */
  public int clipSamples() {
    return (int) Math.round(clipSeconds * sampleRateHz);
  }

  /** @return the listed devices' profiles, in the canonical order a, b, c, s1, ..., s6 */
  public List<DeviceProfile> deviceProfiles() {
    List<DeviceProfile> out = new ArrayList<>();
    for (DeviceProfile p : DeviceProfiles.all()) {
      if (devices.contains(p.name())) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The options that determine the output, one {@code key=value} per line (everything except
   * {@code threads}), as written beside the dataset.
   *
   * @return the description, LF line endings
   */
  public String describe() {
    return String.format(Locale.ROOT,
        "seed=%d\ncities=%s\nlocationsPerCity=%d\nsegmentsPerLocation=%d\nclipSeconds=%s\n"
            + "sampleRateHz=%d\ndevices=%s\nseenDeviceFraction=%s\nevaluateLocationFraction=%s\n"
            + "crlf=%s\n",
        seed, String.join(",", resolvedCities()), locationsPerCity, segmentsPerLocation,
        clipSeconds, sampleRateHz, String.join(",", devices), seenDeviceFraction,
        evaluateLocationFraction, crlf);
  }

  private static IllegalArgumentException invalid(String field, Object value, String why) {
    return new IllegalArgumentException("SynthOptions." + field + " = " + value + ": " + why);
  }

  /** A mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private long seed = 42;
    private int cities = 4;
    private List<String> cityNames = List.of();
    private int locationsPerCity = 3;
    private int segmentsPerLocation = 2;
    private double clipSeconds = 1.0;
    private int sampleRateHz = 44100;
    private List<String> devices = List.of("a", "b", "c", "s1", "s2", "s3", "s4", "s5", "s6");
    private double seenDeviceFraction = 0.5;
    private double evaluateLocationFraction = 0.3;
    private int threads = Runtime.getRuntime().availableProcessors();
    private boolean crlf;

    private Builder() {}

    /**
     * @param v global seed
     * @return this
     */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /**
     * @param v number of cities from {@link #CITY_NAMES}; clears explicit names
     * @return this
     */
    public Builder cities(int v) {
      cities = v;
      cityNames = List.of();
      return this;
    }

    /**
     * @param v explicit city names; also sets {@code cities} to their number
     * @return this
     */
    public Builder cityNames(List<String> v) {
      cityNames = v;
      cities = v.size();
      return this;
    }

    /**
     * @param v locations per (scene, city)
     * @return this
     */
    public Builder locationsPerCity(int v) {
      locationsPerCity = v;
      return this;
    }

    /**
     * @param v segments per (scene, city, location)
     * @return this
     */
    public Builder segmentsPerLocation(int v) {
      segmentsPerLocation = v;
      return this;
    }

    /**
     * @param v clip length in seconds
     * @return this
     */
    public Builder clipSeconds(double v) {
      clipSeconds = v;
      return this;
    }

    /**
     * @param v sample rate in Hz
     * @return this
     */
    public Builder sampleRateHz(int v) {
      sampleRateHz = v;
      return this;
    }

    /**
     * @param v device labels
     * @return this
     */
    public Builder devices(List<String> v) {
      devices = v;
      return this;
    }

    /**
     * @param v fraction of train segments per scene recorded by each of b, c, s1-s3
     * @return this
     */
    public Builder seenDeviceFraction(double v) {
      seenDeviceFraction = v;
      return this;
    }

    /**
     * @param v fraction of each scene's locations in the evaluate fold
     * @return this
     */
    public Builder evaluateLocationFraction(double v) {
      evaluateLocationFraction = v;
      return this;
    }

    /**
     * @param v worker threads
     * @return this
     */
    public Builder threads(int v) {
      threads = v;
      return this;
    }

    /**
     * @param v whether CSV lines end with CRLF
     * @return this
     */
    public Builder crlf(boolean v) {
      crlf = v;
      return this;
    }

    /** @return the validated options */
    public SynthOptions build() {
      return new SynthOptions(seed, cities, cityNames, locationsPerCity, segmentsPerLocation,
          clipSeconds, sampleRateHz, devices, seenDeviceFraction, evaluateLocationFraction,
          threads, crlf);
    }
  }
}
