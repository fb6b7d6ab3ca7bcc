package org.ascspark.features.spectral.gammatone;

import static org.ascspark.features.testing.Json.floats;
import static org.ascspark.features.testing.Json.integer;
import static org.ascspark.features.testing.Json.list;
import static org.ascspark.features.testing.Json.number;
import static org.ascspark.features.testing.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.ascspark.features.spectral.DeltaParams;
import org.ascspark.features.spectral.LogParams;
import org.ascspark.features.spectral.StftParams;
import org.ascspark.features.spectral.WindowType;
import org.ascspark.features.testing.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test access to the gammatone-* and cqt-* reference files written by
 * tools/reference/make_spectral_refs.py (and to the input signals in stft-signals.json): loading,
 * the generator's config maps turned into params, and the log-domain feature assertion. Parsing
 * and array decoding are {@link Json}'s. Public because the cqt tests (another package) use it
 * too.
 */
public final class ReferenceFiles {

  private static final Logger LOG = LoggerFactory.getLogger(ReferenceFiles.class);

  private static final String DIR = "/spectral-reference/";

  private ReferenceFiles() {}

  /**
   * @param name file name under spectral-reference/
   * @return the parsed top-level object
   */
  public static Map<String, Object> load(String name) {
    return Json.resource(DIR + name, "run python3 tools/reference/make_spectral_refs.py");
  }

  /** @return the input signals of stft-signals.json by name (float32 samples) */
  public static Map<String, float[]> signals() {
    Map<String, float[]> out = new HashMap<>();
    for (Object o : list(load("stft-signals.json").get("signals"))) {
      Map<String, Object> s = obj(o);
      out.put((String) s.get("name"), floats(s, "samples"));
    }
    return out;
  }

  /** @return STFT settings from a generator config */
  public static StftParams stft(Map<String, Object> c) {
    return new StftParams(
        "hann".equals(c.get("window")) ? WindowType.HANN : WindowType.HAMMING,
        (Boolean) c.get("periodic"),
        integer(c, "win"),
        integer(c, "hop"),
        integer(c, "n_fft"),
        (Boolean) c.get("center"),
        "reflect".equals(c.get("pad_mode"))
            ? StftParams.PadMode.REFLECT
            : StftParams.PadMode.CONSTANT,
        number(c, "pre_emphasis"),
        number(c, "power"));
  }

  /** @return log settings from a generator config */
  public static LogParams log(Map<String, Object> c) {
    LogParams.Kind kind = switch ((String) c.get("log")) {
      case "natural" -> LogParams.Kind.NATURAL;
      case "db" -> LogParams.Kind.DB;
      default -> LogParams.Kind.NONE;
    };
    return new LogParams(kind, number(c, "floor"), number(c, "top_db"));
  }

  /** @return delta settings from a generator config */
  public static DeltaParams deltas(Map<String, Object> c) {
    return new DeltaParams(integer(c, "delta_order"), integer(c, "delta_width"),
        "channels".equals(c.get("stacking"))
            ? DeltaParams.Stacking.CHANNELS
            : DeltaParams.Stacking.FREQUENCY);
  }

  /**
   * Asserts compressed (and delta) features against the reference, with a bound on the linear
   * values carried through the log: for linear value v (raised to the floor / top-db level lo
   * where those clip) with bound e, |d log| &lt;= m max(ln((v + e) / v), ln(v / max(v - e, lo)))
   * + 1e-4 (m = 1 for natural log, 10 / ln 10 for power dB, 20 / ln 10 for magnitude dB; 1e-4 for
   * float32 logs below 250 in size). Delta
   * rows get the largest static bound of their band (delta filters of widths 3..9 have
   * sum |c| &lt; 1).
   *
   * @param what label for messages
   * @param feats features under test [channels][bins][frames]
   * @param expect reference features, same shape
   * @param linRef reference linear static values [bands][frames]
   * @param linBound bound on the linear error [bands][frames]
   * @param log log settings
   * @param power whether the linear values are powers (10 log10) or magnitudes (20 log10)
   * @param deltas delta settings (for the layout)
   * @return worst error as a fraction of its bound
   */
  public static double assertFeaturesWithin(String what, float[][][] feats, float[][][] expect,
      float[][] linRef, double[][] linBound, LogParams log, boolean power, DeltaParams deltas) {
    int nBands = linRef.length;
    int frames = linRef[0].length;
    double mult;
    double lo;
    if (log.kind() == LogParams.Kind.NATURAL) {
      mult = 1;
      lo = log.floor();
    } else {
      mult = (power ? 10 : 20) / Math.log(10);
      lo = log.floor();
      if (log.topDb() > 0) {
        double maxDb = Double.NEGATIVE_INFINITY;
        for (float[] row : linRef) {
          for (float v : row) {
            maxDb = Math.max(maxDb, mult * Math.log(Math.max(v, log.floor())));
          }
        }
        lo = Math.max(lo, Math.exp((maxDb - log.topDb()) / mult));
      }
    }
    double[][] staticBound = new double[nBands][frames];
    double[] bandMax = new double[nBands];
    for (int i = 0; i < nBands; i++) {
      for (int t = 0; t < frames; t++) {
        // the log of anything in [v - e, v + e], where values at or below lo read as lo
        double v = Math.max(linRef[i][t], lo);
        double down = Math.max(v - linBound[i][t], lo);
        staticBound[i][t] = mult * Math.max(Math.log1p(linBound[i][t] / v), Math.log(v / down))
            + 1e-4;
        bandMax[i] = Math.max(bandMax[i], staticBound[i][t]);
      }
    }
    assertEquals(expect.length, feats.length, what + ": channels");
    assertEquals(expect[0].length, feats[0].length, what + ": bins");
    double worst = 0;
    double worstAbs = 0;
    String where = "";
    String whereAbs = "";
    for (int ch = 0; ch < feats.length; ch++) {
      for (int b = 0; b < feats[ch].length; b++) {
        // part index: channel (CHANNELS) or block of nBands rows (FREQUENCY)
        int part = deltas.stacking() == DeltaParams.Stacking.CHANNELS ? ch : b / nBands;
        int band = b % nBands;
        for (int t = 0; t < frames; t++) {
          double e = Math.abs(feats[ch][b][t] - expect[ch][b][t]);
          double allowed = part == 0 ? staticBound[band][t] : bandMax[band];
          if (e > worstAbs) {
            worstAbs = e;
            whereAbs = String.format(" at [%d][%d][%d] (%s vs %s)", ch, b, t, feats[ch][b][t],
                expect[ch][b][t]);
          }
          if (e / allowed > worst) {
            worst = e / allowed;
            where = String.format(" at [%d][%d][%d]: got %s, expected %s, allowed %.3g",
                ch, b, t, feats[ch][b][t], expect[ch][b][t], allowed);
          }
        }
      }
    }
    assertTrue(worst <= 1, what + ": feature error exceeds bound by " + worst + where);
    LOG.debug("{}: features, worst error / bound {}, max abs error {}{}", what, worst, worstAbs,
        whereAbs);
    return worst;
  }
}
