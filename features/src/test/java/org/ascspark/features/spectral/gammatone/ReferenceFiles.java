package org.ascspark.features.spectral.gammatone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ascspark.features.spectral.DeltaParams;
import org.ascspark.features.spectral.LogParams;
import org.ascspark.features.spectral.StftParams;
import org.ascspark.features.spectral.WindowType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test access to the gammatone-* and cqt-* reference files written by
 * tools/reference/make_spectral_refs.py (and to the input signals in stft-signals.json): JSON
 * whose arrays are base64 little-endian float32 with a "NAME_shape" list beside them. Includes a
 * small JSON reader (objects to Map, arrays to List, numbers to Double), so no JSON library is
 * needed. Public because the cqt tests (another package) use it too.
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
    try (InputStream in = ReferenceFiles.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + DIR + name
            + " (run python3 tools/reference/make_spectral_refs.py)");
      }
      Reader r = new Reader(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      Object v = r.value();
      r.skipSpace();
      if (r.pos != r.text.length()) {
        throw r.error("trailing characters");
      }
      return obj(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /** Casts a parsed value to an object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> obj(Object o) {
    return (Map<String, Object>) o;
  }

  /** Casts a parsed value to an array. */
  @SuppressWarnings("unchecked")
  public static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  /** @return m[key] as an int */
  public static int integer(Map<String, Object> m, String key) {
    return (int) Math.round((Double) m.get(key));
  }

  /** @return m[key] as a double */
  public static double number(Map<String, Object> m, String key) {
    return (Double) m.get(key);
  }

  /** @return m[key], a list of numbers, as doubles */
  public static double[] numbers(Map<String, Object> m, String key) {
    List<Object> l = list(m.get(key));
    double[] out = new double[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (Double) l.get(i);
    }
    return out;
  }

  /** @return the shape stored beside array {@code key} */
  public static int[] shape(Map<String, Object> m, String key) {
    double[] s = numbers(m, key + "_shape");
    int[] out = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = (int) s[i];
    }
    return out;
  }

  /** @return the flat float32 values of array {@code key} */
  public static float[] floats(Map<String, Object> m, String key) {
    byte[] bytes = Base64.getDecoder().decode((String) m.get(key));
    float[] out = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  /** @return 2-d array {@code key} [rows][cols] */
  public static float[][] matrix(Map<String, Object> m, String key) {
    int[] s = shape(m, key);
    float[] f = floats(m, key);
    float[][] out = new float[s[0]][s[1]];
    for (int i = 0; i < s[0]; i++) {
      System.arraycopy(f, i * s[1], out[i], 0, s[1]);
    }
    return out;
  }

  /** @return 3-d array {@code key} [a][b][c] */
  public static float[][][] cube(Map<String, Object> m, String key) {
    int[] s = shape(m, key);
    float[] f = floats(m, key);
    float[][][] out = new float[s[0]][s[1]][s[2]];
    for (int i = 0; i < s[0]; i++) {
      for (int j = 0; j < s[1]; j++) {
        System.arraycopy(f, (i * s[1] + j) * s[2], out[i][j], 0, s[2]);
      }
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

  /** Recursive-descent reader for the JSON the generator writes (RFC 8259 values). */
  private static final class Reader {
    private final String text;
    private int pos;

    Reader(String text) {
      this.text = text;
    }

    Object value() {
      skipSpace();
      if (pos >= text.length()) {
        throw error("unexpected end");
      }
      char c = text.charAt(pos);
      if (c == '{') {
        pos++;
        Map<String, Object> m = new HashMap<>();
        if (peekAfterSpace() == '}') {
          pos++;
          return m;
        }
        do {
          skipSpace();
          String key = string();
          skipSpace();
          expect(':');
          m.put(key, value());
        } while (nextIsComma('}'));
        return m;
      }
      if (c == '[') {
        pos++;
        List<Object> l = new ArrayList<>();
        if (peekAfterSpace() == ']') {
          pos++;
          return l;
        }
        do {
          l.add(value());
        } while (nextIsComma(']'));
        return l;
      }
      if (c == '"') {
        return string();
      }
      for (String word : new String[] {"true", "false", "null"}) {
        if (text.startsWith(word, pos)) {
          pos += word.length();
          return word.equals("null") ? null : Boolean.valueOf(word);
        }
      }
      int start = pos;
      while (pos < text.length() && "+-.eE0123456789".indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
      if (start == pos) {
        throw error("unexpected '" + c + "'");
      }
      return Double.valueOf(text.substring(start, pos));
    }

    /** After a value: true on ',' (more follow), false on the closing bracket. */
    private boolean nextIsComma(char close) {
      char c = peekAfterSpace();
      pos++;
      if (c == ',') {
        return true;
      }
      if (c != close) {
        throw error("expected ',' or '" + close + "'");
      }
      return false;
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        if (pos >= text.length()) {
          throw error("unterminated string");
        }
        char c = text.charAt(pos++);
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = text.charAt(pos++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
            pos += 4;
          }
          default -> b.append(e);
        }
      }
    }

    private char peekAfterSpace() {
      skipSpace();
      return pos < text.length() ? text.charAt(pos) : '\0';
    }

    void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private void expect(char c) {
      if (pos >= text.length() || text.charAt(pos) != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("JSON: " + what + " at offset " + pos);
    }
  }
}
