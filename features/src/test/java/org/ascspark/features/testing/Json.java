package org.ascspark.features.testing;

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
 * Reads the JSON reference files of the features tests (written by tools/reference/make_*_refs.py),
 * so the module needs no JSON dependency.
 *
 * <p>Parsing: RFC 8259 values, recursive descent, no duplicate-key checks. Objects become {@code
 * Map<String, Object>} (insertion ordered), arrays {@code List<Object>}, numbers {@code Double},
 * {@code true}/{@code false} {@code Boolean} and {@code null} null. Malformed text throws {@link
 * IllegalArgumentException} naming the character offset.
 *
 * <p>Float arrays come in either of the generators' two encodings, both read by {@link #floats}:
 * a JSON list of numbers, or a string holding base64 of little-endian float32 bytes ("float32le",
 * e.g. {@code "input_f32le_b64"}). A multi-dimensional array {@code NAME} is stored flat,
 * row-major, with its shape as a list of integers in {@code NAME_shape} beside it ({@link
 * #matrix}, {@link #cube}).
 */
public final class Json {

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Parses one JSON document.
   *
   * @param text the JSON text
   * @return the value (Map, List, Double, String, Boolean or null)
   */
  public static Object parse(String text) {
    Json p = new Json(text);
    Object v = p.value();
    p.skipSpace();
    if (p.pos != p.text.length()) {
      throw p.error("trailing characters");
    }
    return v;
  }

  /**
   * Reads and parses a JSON object from the test classpath.
   *
   * @param path absolute resource path, e.g. {@code /spectral-reference/delta-savgol.json}
   * @param hint how to make a missing file, appended to the error
   * @return the parsed top-level object
   */
  public static Map<String, Object> resource(String path, String hint) {
    try (InputStream in = Json.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path + " (" + hint + ")");
      }
      return obj(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return a parsed value cast to an object */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> obj(Object o) {
    return (Map<String, Object>) o;
  }

  /** @return a parsed value cast to an array */
  @SuppressWarnings("unchecked")
  public static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  /** @return m[key], a number, as a double */
  public static double number(Map<String, Object> m, String key) {
    return (Double) m.get(key);
  }

  /** @return m[key], a number with an integral value, as an int */
  public static int integer(Map<String, Object> m, String key) {
    return toInt(number(m, key), key);
  }

  /** @return m[key] as a string */
  public static String string(Map<String, Object> m, String key) {
    return (String) m.get(key);
  }

  /** @return m[key] as a boolean */
  public static boolean bool(Map<String, Object> m, String key) {
    return (Boolean) m.get(key);
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

  /** @return the shape stored beside array {@code key} (list {@code key_shape}) */
  public static int[] shape(Map<String, Object> m, String key) {
    double[] s = numbers(m, key + "_shape");
    int[] out = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = toInt(s[i], key + "_shape");
    }
    return out;
  }

  /**
   * The flat float values of array {@code key}, in either encoding: a list of numbers (each rounded
   * to float) or a base64 string of little-endian float32 bytes.
   *
   * @param m the object holding the array
   * @param key the array's key
   * @return the values, flat (row-major for a multi-dimensional array)
   */
  public static float[] floats(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v instanceof String b64) {
      byte[] bytes = Base64.getDecoder().decode(b64);
      if (bytes.length % 4 != 0) {
        throw new IllegalArgumentException(
            key + ": " + bytes.length + " bytes is not a whole number of float32 values");
      }
      float[] out = new float[bytes.length / 4];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      return out;
    }
    if (v instanceof List<?> l) {
      float[] out = new float[l.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (double) (Double) l.get(i);
      }
      return out;
    }
    throw new IllegalArgumentException(
        key + ": expected a list of numbers or base64 float32le, got " + v);
  }

  /** @return 2-d array {@code key} [shape[0]][shape[1]] */
  public static float[][] matrix(Map<String, Object> m, String key) {
    int[] s = shape(m, key);
    float[] f = floats(m, key);
    float[][] out = new float[s[0]][s[1]];
    for (int i = 0; i < s[0]; i++) {
      System.arraycopy(f, i * s[1], out[i], 0, s[1]);
    }
    return out;
  }

  /** @return 3-d array {@code key} [shape[0]][shape[1]][shape[2]] */
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

  private static int toInt(double v, String key) {
    int i = (int) v;
    if (i != v) {
      throw new IllegalArgumentException(key + " = " + v + " is not an int");
    }
    return i;
  }

  private Object value() {
    skipSpace();
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        return number();
    }
  }

  private Map<String, Object> object() {
    Map<String, Object> m = new LinkedHashMap<>();
    pos++;
    skipSpace();
    if (peek() == '}') {
      pos++;
      return m;
    }
    while (true) {
      skipSpace();
      String key = string();
      skipSpace();
      expect(':');
      m.put(key, value());
      skipSpace();
      if (peek() == ',') {
        pos++;
      } else {
        expect('}');
        return m;
      }
    }
  }

  private List<Object> array() {
    List<Object> a = new ArrayList<>();
    pos++;
    skipSpace();
    if (peek() == ']') {
      pos++;
      return a;
    }
    while (true) {
      a.add(value());
      skipSpace();
      if (peek() == ',') {
        pos++;
      } else {
        expect(']');
        return a;
      }
    }
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
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
          }
          b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> b.append(e);
      }
    }
  }

  private Double number() {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    if (start == pos) {
      throw error("unexpected character '" + text.charAt(pos) + "'");
    }
    try {
      return Double.valueOf(text.substring(start, pos));
    } catch (NumberFormatException e) {
      throw error("bad number '" + text.substring(start, pos) + "'");
    }
  }

  private Object literal(String word, Object v) {
    if (!text.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
    return v;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("JSON: " + what + " at offset " + pos);
  }
}
