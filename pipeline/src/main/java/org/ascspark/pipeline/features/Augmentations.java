package org.ascspark.pipeline.features;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ascspark.features.augment.AacRoundTrip;
import org.ascspark.features.augment.DeviceImpulseResponse;
import org.ascspark.features.augment.FftBinScaling;
import org.ascspark.features.augment.ImpulseResponses;
import org.ascspark.features.augment.Mp3RoundTrip;
import org.ascspark.features.augment.PitchShift;
import org.ascspark.features.augment.RandomGain;
import org.ascspark.features.augment.SpectrumAugmentation;
import org.ascspark.features.augment.SpeedChange;
import org.ascspark.features.augment.TempoChange;
import org.ascspark.features.augment.WaveformAugmentation;
import org.ascspark.features.spectral.FeatureExtractor;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;

/**
 * Builds the configured augmentation chains ({@code features.augment}). Only augmentations a chain
 * uses are built, each once, and every problem (an unknown name, a bad parameter, a missing IR
 * folder, a spectrum step on a front end without an STFT) fails here, before any work, naming the
 * key.
 */
public final class Augmentations {
  /** Augmentation names a chain may use. */
  public static final List<String> NAMES =
      List.of("fftbin", "speccorr", "dir", "mp3", "aac", "tempo", "speed", "pitch", "gain");

  private static final String CHAINS = "features.augment.chains";

  private Augmentations() {}

  /**
   * @param config job config
   * @param sampleRateHz rate of the clips (impulse responses are resampled to it)
   * @param extractor the front end (a spectrum step needs an STFT)
   * @return the chains, in config order; empty when none are configured
   * @throws InvalidConfigException naming the bad key
   */
  public static AugmentSettings settings(JobConfig config, int sampleRateHz,
      FeatureExtractor extractor) {
    ConfigReader a = config.reader("features.augment");
    List<AugmentationChain> chains = build(config, sampleRateHz, extractor);
    boolean correct = a.bool("correct");
    if (correct && extractor.stftParams() == null) {
      throw new InvalidConfigException(a.key("correct"), "spectrum correction acts on the STFT, which the "
          + extractor.name() + " front end does not have (features.frontend)");
    }
    return new AugmentSettings(chains, a.longIn("seed", Long.MIN_VALUE, Long.MAX_VALUE), correct,
        a.string("reference-device"), a.intIn("max-pairs-per-device", 0, Integer.MAX_VALUE), null);
  }

  /**
   * @param config job config
   * @param sampleRateHz rate of the clips
   * @param extractor the front end
   * @return the chains alone
   */
  public static List<AugmentationChain> build(JobConfig config, int sampleRateHz,
      FeatureExtractor extractor) {
    List<List<String>> chains = chainNames(config);
    Map<String, Object> built = new LinkedHashMap<>();
    List<AugmentationChain> out = new ArrayList<>();
    for (int c = 0; c < chains.size(); c++) {
      List<WaveformAugmentation> steps = new ArrayList<>();
      SpectrumAugmentation spectrum = null;
      for (String name : chains.get(c)) {
        Object aug = built.computeIfAbsent(name, n -> create(config, n, sampleRateHz));
        if (aug instanceof SpectrumAugmentation s) {
          if (spectrum != null) {
            throw new InvalidConfigException(CHAINS, "chain " + (c + 1) + " " + chains.get(c)
                + " has more than one spectrum augmentation");
          }
          if (extractor.stftParams() == null) {
            throw new InvalidConfigException(CHAINS, "'" + name + "' acts on the STFT, which the "
                + extractor.name() + " front end does not have (features.frontend)");
          }
          spectrum = s;
        } else {
          steps.add((WaveformAugmentation) aug);
        }
      }
      out.add(new AugmentationChain(String.join("+", chains.get(c)), steps, spectrum));
    }
    return out;
  }

  /** Reads {@code chains}: a list of lists of names (a bare name is a chain of one). */
  static List<List<String>> chainNames(JobConfig config) {
    ConfigList list;
    try {
      list = config.config().getList(CHAINS);
    } catch (RuntimeException e) {
      throw new InvalidConfigException(CHAINS, "must be a list of chains, e.g. [[fftbin], [mp3, tempo]]");
    }
    List<List<String>> chains = new ArrayList<>();
    for (int c = 0; c < list.size(); c++) {
      ConfigValue v = list.get(c);
      List<String> names = new ArrayList<>();
      if (v.valueType() == ConfigValueType.STRING) {
        names.add((String) v.unwrapped());
      } else if (v.valueType() == ConfigValueType.LIST) {
        for (ConfigValue n : (ConfigList) v) {
          names.add(String.valueOf(n.unwrapped()));
        }
      } else {
        throw new InvalidConfigException(CHAINS, "chain " + (c + 1) + " is not a list of names: "
            + v.render());
      }
      if (names.isEmpty()) {
        throw new InvalidConfigException(CHAINS, "chain " + (c + 1) + " is empty");
      }
      for (String n : names) {
        if (!NAMES.contains(n)) {
          throw new InvalidConfigException(CHAINS, "unknown augmentation '" + n + "' in chain "
              + (c + 1) + " (known: " + String.join(", ", NAMES) + ")");
        }
      }
      chains.add(List.copyOf(names));
    }
    return chains;
  }

  private static Object create(JobConfig config, String name, int sampleRateHz) {
    ConfigReader r = config.reader("features.augment." + name);
    return build(r.key(""), () -> switch (name) {
      case "fftbin" -> new FftBinScaling(r.doubleIn("max-db", 0, 60),
          r.intIn("control-points", 2, 4096));
      case "dir" -> {
        String dir = r.stringOrEmpty("ir-dir");
        if (dir.isBlank()) {
          throw new InvalidConfigException(r.key("ir-dir"),
              "is required by the dir augmentation (a folder of impulse-response WAVs)");
        }
        yield new DeviceImpulseResponse(ImpulseResponses.load(Path.of(dir), sampleRateHz));
      }
      case "mp3" -> new Mp3RoundTrip(config.config().getIntList(r.key("bitrates-kbps")));
      case "aac" -> new AacRoundTrip(config.config().getIntList(r.key("bitrates-kbps")));
      case "tempo" -> TempoChange.ofFactors(config.config().getDoubleList(r.key("factors")));
      case "speed" -> SpeedChange.ofFactors(config.config().getDoubleList(r.key("factors")));
      case "pitch" -> PitchShift.ofSemitones(config.config().getDoubleList(r.key("semitones")));
      case "speccorr" -> new PendingSpectrumCorrection(r.stringList("devices"));
      case "gain" -> new RandomGain(r.doubleIn("min-db", -60, 60), r.doubleIn("max-db", -60, 60), false);
      default -> throw new IllegalStateException("unhandled augmentation " + name);
    });
  }

  /** Runs a constructor; its IllegalArgumentException (naming the key) becomes a config error. */
  private static <T> T build(String section, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      String first = msg.split("[ =(:]", 2)[0];
      String key = first.matches("[a-z][a-z-]*") ? section + first : section.replaceAll("\\.$", "");
      throw new InvalidConfigException(key, msg);
    } catch (com.typesafe.config.ConfigException e) {
      throw new InvalidConfigException(section.replaceAll("\\.$", ""), e.getMessage());
    }
  }
}
