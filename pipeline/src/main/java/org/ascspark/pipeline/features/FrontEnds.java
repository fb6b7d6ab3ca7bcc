package org.ascspark.pipeline.features;

import java.util.List;
import java.util.Locale;
import org.ascspark.features.spectral.CqtParams;
import org.ascspark.features.spectral.DeltaParams;
import org.ascspark.features.spectral.FeatureExtractor;
import org.ascspark.features.spectral.GammatoneParams;
import org.ascspark.features.spectral.LogMelExtractor;
import org.ascspark.features.spectral.LogParams;
import org.ascspark.features.spectral.MelParams;
import org.ascspark.features.spectral.StftParams;
import org.ascspark.features.spectral.WindowType;
import org.ascspark.features.spectral.cqt.CqtExtractor;
import org.ascspark.features.spectral.gammatone.GammatoneExtractor;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;

/**
 * Builds the configured front end ({@code features.frontend} and its sections) for a sample rate.
 * Every invalid value, including those only the DSP code can judge (an FFT shorter than the window,
 * a band edge above Nyquist, empty mel filters), fails here, before any work, naming the key.
 */
public final class FrontEnds {
  /** Front ends by name. */
  public static final List<String> NAMES = List.of("logmel", "gammatone", "cqt");

  private FrontEnds() {}

  /**
   * @param config the job config ({@code features} section)
   * @param sampleRateHz rate of the clips
   * @return the extractor
   * @throws InvalidConfigException naming the bad key
   */
  public static FeatureExtractor build(JobConfig config, int sampleRateHz) {
    ConfigReader f = config.reader("features");
    String frontend = f.oneOf("frontend", NAMES);
    LogParams log = build("features.log", () -> logParams(config.reader("features.log")));
    DeltaParams deltas = build("features.deltas", () -> deltaParams(config.reader("features.deltas")));
    double nyquist = sampleRateHz / 2.0;
    switch (frontend) {
      case "logmel": {
        StftParams stft = stftParams(config.reader("features.stft"), sampleRateHz);
        ConfigReader m = config.reader("features.mel");
        MelParams mel = build("features.mel", () -> new MelParams(
            m.intIn("n-mels", 1, 4096), m.doubleIn("f-min-hz", 0, 1e6),
            orNyquist(m.doubleIn("f-max-hz", 0, 1e6), nyquist),
            MelParams.Scale.valueOf(upper(m.oneOf("scale", List.of("htk", "slaney")))),
            MelParams.Norm.valueOf(upper(m.oneOf("norm", List.of("none", "slaney"))))));
        return build("features.mel", () -> new LogMelExtractor(sampleRateHz, stft, mel, log, deltas));
      }
      case "gammatone": {
        StftParams stft = stftParams(config.reader("features.stft"), sampleRateHz);
        ConfigReader g = config.reader("features.gammatone");
        GammatoneParams gp = build("features.gammatone", () -> new GammatoneParams(
            g.intIn("n-bands", 1, 4096), g.doubleAbove("f-min-hz", 0, 1e6),
            orNyquist(g.doubleIn("f-max-hz", 0, 1e6), nyquist), g.doubleAbove("width", 0, 100)));
        return build("features.gammatone",
            () -> new GammatoneExtractor(sampleRateHz, stft, gp, log, deltas));
      }
      default: {
        ConfigReader c = config.reader("features.cqt");
        CqtParams cp = build("features.cqt", () -> new CqtParams(
            c.intIn("bins-per-octave", 1, 1000), c.doubleAbove("f-min-hz", 0, 1e6),
            c.intIn("n-bins", 1, 10_000), c.samples("hop", sampleRateHz, 1),
            c.doubleAbove("filter-scale", 0, 100)));
        return build("features.cqt", () -> new CqtExtractor(sampleRateHz, cp, log, deltas));
      }
    }
  }

  static StftParams stftParams(ConfigReader s, int sampleRateHz) {
    return build("features.stft", () -> new StftParams(
        WindowType.valueOf(upper(s.oneOf("window", List.of("hann", "hamming")))),
        s.bool("periodic"),
        s.samples("window-length", sampleRateHz, 2),
        s.samples("hop", sampleRateHz, 1),
        s.intIn("n-fft", 2, 1 << 20),
        s.bool("center"),
        StftParams.PadMode.valueOf(upper(s.oneOf("pad-mode", List.of("reflect", "constant")))),
        s.doubleIn("pre-emphasis", 0, 0.999_999),
        s.doubleIn("power", 1, 2)));
  }

  static LogParams logParams(ConfigReader l) {
    return new LogParams(
        LogParams.Kind.valueOf(upper(l.oneOf("kind", List.of("natural", "db", "none")))),
        l.doubleAbove("floor", 0, 1), l.doubleIn("top-db", 0, 1000));
  }

  static DeltaParams deltaParams(ConfigReader d) {
    return new DeltaParams(d.intIn("order", 0, 2), d.intIn("width", 3, 999),
        DeltaParams.Stacking.valueOf(upper(d.oneOf("stacking", List.of("channels", "frequency")))));
  }

  private static double orNyquist(double fMaxHz, double nyquist) {
    return fMaxHz == 0 ? nyquist : fMaxHz;
  }

  private static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }

  /** Runs a constructor; its IllegalArgumentException (which names the key) becomes a config error. */
  private static <T> T build(String section, java.util.function.Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      String key = msg.contains(" ") ? section + "." + msg.substring(0, msg.indexOf(' ')) : section;
      throw new InvalidConfigException(key, msg);
    }
  }
}
