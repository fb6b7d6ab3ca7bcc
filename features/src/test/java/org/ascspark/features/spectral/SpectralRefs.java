package org.ascspark.features.spectral;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the reference files written by tools/reference/make_spectral_refs.py: JSON whose arrays
 * are base64 little-endian float32 strings with a "&lt;name&gt;_shape" list beside them. Contains a
 * small JSON parser (objects → LinkedHashMap, arrays → List, numbers → Double) so the module
 * needs no JSON dependency.
 */
final class SpectralRefs {

  static final String DIR = "/spectral-reference/";

  private SpectralRefs() {}

  /** Parses a resource under spectral-reference/. */
  static Map<String, Object> load(String name) {
    try (InputStream in = SpectralRefs.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + DIR + name
            + " (run tools/reference/make_spectral_refs.py)");
      }
      return obj(new Parser(new String(in.readAllBytes(), StandardCharsets.UTF_8)).parse());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  static int integer(Map<String, Object> m, String key) {
    return ((Double) m.get(key)).intValue();
  }

  static double number(Map<String, Object> m, String key) {
    return (Double) m.get(key);
  }

  static String string(Map<String, Object> m, String key) {
    return (String) m.get(key);
  }

  static boolean bool(Map<String, Object> m, String key) {
    return (Boolean) m.get(key);
  }

  static int[] shape(Map<String, Object> m, String key) {
    List<Object> s = list(m.get(key + "_shape"));
    int[] out = new int[s.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Double) s.get(i)).intValue();
    }
    return out;
  }

  /** Flat float32 values of an array entry. */
  static float[] flat(Map<String, Object> m, String key) {
    byte[] bytes = Base64.getDecoder().decode(string(m, key));
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[bytes.length / 4];
    bb.asFloatBuffer().get(out);
    return out;
  }

  static float[][] matrix(Map<String, Object> m, String key) {
    int[] s = shape(m, key);
    float[] f = flat(m, key);
    float[][] out = new float[s[0]][s[1]];
    for (int i = 0; i < s[0]; i++) {
      System.arraycopy(f, i * s[1], out[i], 0, s[1]);
    }
    return out;
  }

  static float[][][] cube(Map<String, Object> m, String key) {
    int[] s = shape(m, key);
    float[] f = flat(m, key);
    float[][][] out = new float[s[0]][s[1]][s[2]];
    for (int i = 0; i < s[0]; i++) {
      for (int j = 0; j < s[1]; j++) {
        System.arraycopy(f, (i * s[1] + j) * s[2], out[i][j], 0, s[2]);
      }
    }
    return out;
  }

  /** Input signals by name, from stft-signals.json. */
  static Map<String, float[]> signals() {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Object o : list(load("stft-signals.json").get("signals"))) {
      Map<String, Object> s = obj(o);
      out.put(string(s, "name"), flat(s, "samples"));
    }
    return out;
  }

  /** STFT settings from a config map of the generator. */
  static StftParams stft(Map<String, Object> c) {
    return new StftParams(
        "hann".equals(string(c, "window")) ? WindowType.HANN : WindowType.HAMMING,
        bool(c, "periodic"),
        integer(c, "win"),
        integer(c, "hop"),
        integer(c, "n_fft"),
        bool(c, "center"),
        "reflect".equals(string(c, "pad_mode"))
            ? StftParams.PadMode.REFLECT
            : StftParams.PadMode.CONSTANT,
        number(c, "pre_emphasis"),
        number(c, "power"));
  }

  static MelParams mel(Map<String, Object> c) {
    return new MelParams(
        integer(c, "n_mels"),
        number(c, "fmin"),
        number(c, "fmax"),
        "htk".equals(string(c, "mel_scale")) ? MelParams.Scale.HTK : MelParams.Scale.SLANEY,
        "slaney".equals(string(c, "mel_norm")) ? MelParams.Norm.SLANEY : MelParams.Norm.NONE);
  }

  static LogParams log(Map<String, Object> c) {
    LogParams.Kind kind = switch (string(c, "log")) {
      case "natural" -> LogParams.Kind.NATURAL;
      case "db" -> LogParams.Kind.DB;
      default -> LogParams.Kind.NONE;
    };
    return new LogParams(kind, number(c, "floor"), number(c, "top_db"));
  }

  static DeltaParams deltas(Map<String, Object> c) {
    return new DeltaParams(
        integer(c, "delta_order"),
        integer(c, "delta_width"),
        "channels".equals(string(c, "stacking"))
            ? DeltaParams.Stacking.CHANNELS
            : DeltaParams.Stacking.FREQUENCY);
  }

  /** Minimal recursive-descent JSON parser (RFC 8259 values; no duplicate-key checks). */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    Object parse() {
      Object v = value();
      ws();
      if (i != s.length()) {
        throw err("trailing characters");
      }
      return v;
    }

    private Object value() {
      ws();
      if (i >= s.length()) {
        throw err("unexpected end");
      }
      char c = s.charAt(i);
      if (c == '{') {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        ws();
        if (s.charAt(i) == '}') {
          i++;
          return m;
        }
        while (true) {
          ws();
          String k = str();
          ws();
          expect(':');
          m.put(k, value());
          ws();
          if (s.charAt(i) == ',') {
            i++;
          } else {
            expect('}');
            return m;
          }
        }
      }
      if (c == '[') {
        List<Object> l = new ArrayList<>();
        i++;
        ws();
        if (s.charAt(i) == ']') {
          i++;
          return l;
        }
        while (true) {
          l.add(value());
          ws();
          if (s.charAt(i) == ',') {
            i++;
          } else {
            expect(']');
            return l;
          }
        }
      }
      if (c == '"') {
        return str();
      }
      if (s.startsWith("true", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("false", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      if (s.startsWith("null", i)) {
        i += 4;
        return null;
      }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      if (start == i) {
        throw err("unexpected character '" + c + "'");
      }
      return Double.parseDouble(s.substring(start, i));
    }

    private String str() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> b.append(e);
        }
      }
    }

    private void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private void expect(char c) {
      if (i >= s.length() || s.charAt(i) != c) {
        throw err("expected '" + c + "'");
      }
      i++;
    }

    private IllegalStateException err(String what) {
      return new IllegalStateException("JSON: " + what + " at offset " + i);
    }
  }
}
