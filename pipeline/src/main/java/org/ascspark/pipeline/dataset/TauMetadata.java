package org.ascspark.pipeline.dataset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Parses the metadata of a TAU Urban Acoustic Scenes development set (2020 Mobile, 10 s clips, or
 * 2022 Mobile, 1 s clips): {@code meta.csv} ({@code filename scene_label identifier source_label})
 * and {@code evaluation_setup/fold<N>_{train,evaluate,test}.csv}.
 *
 * <p>Conventions: files are tab-separated, UTF-8 (a byte-order mark is ignored), lines end in LF or
 * CRLF, blank lines are ignored. Labels and devices come from meta.csv, never from a fixed list.
 * Fold files may omit their header; the test fold may omit the label column.
 *
 * <p>Accounting: every meta.csv row becomes one {@link ListedClip} or one {@link Reject}; fold-file
 * rows naming a file that meta.csv does not list, and repeated fold-file rows, are listed items of
 * their own and become rejects. Hence {@code listed = clips + rejects} always holds.
 */
public final class TauMetadata {

  private static final Pattern URI_OR_DRIVE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

  /** Split names, in fold-file order. */
  public static final String TRAIN = "train";
  /** Evaluate split. */
  public static final String EVALUATE = "evaluate";
  /** Listed only in the test fold file. */
  public static final String TEST = "test";
  /** Listed in no fold file. */
  public static final String UNASSIGNED = "unassigned";

  /**
   * The parsed dataset.
   *
   * @param clips consistent rows, in meta.csv order
   * @param rejects rows that are not, in the order found
   * @param listed number of listed items (meta.csv rows + orphan and repeated fold rows)
   * @param labels distinct scene labels of meta.csv, sorted
   * @param devices distinct devices of meta.csv, sorted
   */
  public record Listing(
      List<ListedClip> clips, List<Reject> rejects, int listed, List<String> labels,
      List<String> devices) {}

  /**
   * The text of one CSV file.
   *
   * @param name the name used in messages, e.g. {@code evaluation_setup/fold1_train.csv}
   * @param text the whole file
   */
  public record CsvText(String name, String text) {}

  private TauMetadata() {}

  /** A meta.csv row under construction; {@code reject} set once something is wrong with it. */
  private static final class Row {
    final int line;
    final String filename;
    String label;
    String identifier;
    String device;
    String split = UNASSIGNED;
    int splitLine;
    String splitFile;
    boolean inTest;
    String reject;

    Row(int line, String filename) {
      this.line = line;
      this.filename = filename;
    }
  }

  /**
   * Parses meta.csv and the fold files.
   *
   * @param meta meta.csv
   * @param train the train fold file
   * @param evaluate the evaluate fold file
   * @param test the test fold file, or null when the dataset has none
   * @param referenceDevice the device other devices are aligned to (TAU: {@code a})
   * @return the listing
   * @throws DatasetLayoutException when meta.csv's header is not the TAU layout
   */
  public static Listing parse(
      CsvText meta, CsvText train, CsvText evaluate, CsvText test, String referenceDevice) {
    List<Reject> rejects = new ArrayList<>();
    int[] listed = {0};
    Map<String, Row> rows = new LinkedHashMap<>();
    List<Row> rejectedRows = new ArrayList<>();
    parseMeta(meta, rows, rejectedRows, listed);

    TreeSet<String> labels = new TreeSet<>();
    for (Row r : rows.values()) {
      labels.add(r.label);
    }
    Map<String, Row> allByName = new HashMap<>(rows);
    for (Row r : rejectedRows) {
      allByName.putIfAbsent(r.filename, r);
    }
    for (CsvText fold : new CsvText[] {train, evaluate, test}) {
      if (fold == null) {
        continue;
      }
      String split = fold == train ? TRAIN : fold == evaluate ? EVALUATE : TEST;
      applyFold(fold, split, allByName, labels, rejects, listed);
    }

    Map<String, String> referenceByPair = new HashMap<>();
    Map<String, Integer> clipIds = new HashMap<>();
    List<ListedClip> clips = new ArrayList<>();
    List<Row> accepted = new ArrayList<>();
    for (Row r : rows.values()) {
      if (r.reject == null) {
        Integer other = clipIds.putIfAbsent(clipId(r.filename), r.line);
        if (other != null) {
          r.reject = meta.name() + " line " + r.line + ": clip id '" + clipId(r.filename)
              + "' is also the id of line " + other + " (file names differ only in folder or extension)";
        }
      }
      if (r.reject != null) {
        rejectedRows.add(r);
        continue;
      }
      accepted.add(r);
      if (r.device.equals(referenceDevice)) {
        referenceByPair.putIfAbsent(pairKey(r.filename, r.device), r.filename);
      }
    }
    TreeSet<String> devices = new TreeSet<>();
    TreeSet<String> acceptedLabels = new TreeSet<>();
    for (Row r : accepted) {
      String pairKey = pairKey(r.filename, r.device);
      String ref = r.device.equals(referenceDevice) ? null : referenceByPair.get(pairKey);
      clips.add(new ListedClip(clipId(r.filename), r.filename, r.label, r.identifier,
          cityOf(r.identifier), r.device, r.split, r.inTest, pairKey, ref, r.line));
      devices.add(r.device);
      acceptedLabels.add(r.label);
    }
    rejectedRows.sort((a, b) -> Integer.compare(a.line, b.line));
    List<Reject> all = new ArrayList<>();
    for (Row r : rejectedRows) {
      all.add(new Reject(r.filename, r.reject, Reject.METADATA));
    }
    all.addAll(rejects);
    return new Listing(List.copyOf(clips), List.copyOf(all), listed[0],
        List.copyOf(acceptedLabels), List.copyOf(devices));
  }

  private static void parseMeta(CsvText meta, Map<String, Row> rows, List<Row> rejectedRows,
      int[] listed) {
    List<String> lines = lines(meta.text());
    int headerIndex = firstNonBlank(lines);
    if (headerIndex < 0) {
      throw new DatasetLayoutException(meta.name() + " is empty: expected a header line "
          + "'filename<TAB>scene_label<TAB>identifier<TAB>source_label' and one row per file");
    }
    String header = lines.get(headerIndex);
    List<String> columns = List.of(header.split("\t", -1)).stream().map(String::strip).toList();
    int fn = columns.indexOf("filename");
    int lab = columns.indexOf("scene_label");
    int id = columns.indexOf("identifier");
    int src = columns.indexOf("source_label");
    if (fn < 0 || lab < 0) {
      String hint = !header.contains("\t") && (header.contains(",") || header.contains(";"))
          ? " (the TAU CSVs are tab-separated; this looks comma- or semicolon-separated)" : "";
      throw new DatasetLayoutException(meta.name() + " line " + (headerIndex + 1)
          + ": header must name the tab-separated columns filename and scene_label "
          + "(TAU: filename, scene_label, identifier, source_label), found '" + header + "'" + hint);
    }
    for (int i = headerIndex + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      listed[0]++;
      int lineNo = i + 1;
      String[] f = line.split("\t", -1);
      String filename = f[0].strip();
      if (f.length != columns.size()) {
        Row bad = new Row(lineNo, f.length > fn ? f[fn].strip() : filename);
        bad.reject = meta.name() + " line " + lineNo + ": expected " + columns.size()
            + " tab-separated fields, found " + f.length;
        rejectedRows.add(bad);
        continue;
      }
      filename = f[fn].strip();
      Row r = new Row(lineNo, filename);
      r.label = f[lab].strip();
      r.identifier = id >= 0 ? f[id].strip() : "";
      r.device = src >= 0 ? f[src].strip() : "";
      String problem = pathProblem(filename);
      if (problem == null && r.label.isEmpty()) {
        problem = "empty scene_label";
      }
      if (problem == null && r.device.isEmpty()) {
        r.device = deviceFromName(filename);
        if (r.device == null) {
          problem = "no source_label and the file name has no '-<device>' suffix";
        }
      }
      if (problem == null && r.identifier.isEmpty()) {
        r.identifier = identifierFromName(filename);
        if (r.identifier == null) {
          problem = "no identifier and the file name is not '<scene>-<city>-<location>-...'";
        }
      }
      if (problem == null && rows.containsKey(filename)) {
        problem = "duplicate row: the file is already listed on line " + rows.get(filename).line;
      }
      if (problem != null) {
        r.reject = meta.name() + " line " + lineNo + ": " + problem;
        rejectedRows.add(r);
      } else {
        rows.put(filename, r);
      }
    }
  }

  private static void applyFold(CsvText fold, String split, Map<String, Row> byName,
      TreeSet<String> labels, List<Reject> rejects, int[] listed) {
    List<String> lines = lines(fold.text());
    Map<String, Integer> seen = new HashMap<>();
    int start = firstNonBlank(lines);
    if (start < 0) {
      return;
    }
    if (lines.get(start).split("\t", -1)[0].strip().equals("filename")) {
      start++;
    }
    for (int i = start; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int lineNo = i + 1;
      String[] f = line.split("\t", -1);
      String filename = f[0].strip();
      String label = f.length > 1 ? f[1].strip() : null;
      String where = fold.name() + " line " + lineNo + ": ";
      Integer first = seen.putIfAbsent(filename, lineNo);
      if (first != null) {
        listed[0]++;
        rejects.add(new Reject(filename, where + "duplicate row (first on line " + first + ")",
            Reject.METADATA));
        continue;
      }
      Row r = byName.get(filename);
      if (r == null) {
        listed[0]++;
        String problem = pathProblem(filename);
        rejects.add(new Reject(filename,
            where + (problem != null ? problem : "file is not listed in meta.csv"), Reject.METADATA));
        continue;
      }
      if (r.reject != null) {
        continue; // already a reject row of its own (meta.csv problem)
      }
      if (label != null && !label.isEmpty() && !labels.contains(label)) {
        r.reject = where + "unknown label '" + label + "' (labels in meta.csv: "
            + String.join(", ", labels) + ")";
      } else if (label != null && !label.isEmpty() && !label.equals(r.label)) {
        r.reject = where + "label '" + label + "' contradicts meta.csv line " + r.line
            + " ('" + r.label + "')";
      } else if (split.equals(TEST)) {
        r.inTest = true;
        if (r.split.equals(UNASSIGNED)) {
          r.split = TEST;
          r.splitLine = lineNo;
          r.splitFile = fold.name();
        }
      } else if (!r.split.equals(UNASSIGNED)) {
        r.reject = where + "also listed in " + r.splitFile + " line " + r.splitLine
            + " (a file cannot be in both " + r.split + " and " + split + ")";
      } else {
        r.split = split;
        r.splitLine = lineNo;
        r.splitFile = fold.name();
      }
    }
  }

  /**
   * @param filename a listed file name
   * @return why the name may not be read (absolute, a URI, or escaping the root with {@code ..}),
   *     or null when it is a plain relative path inside the dataset root
   */
  public static String pathProblem(String filename) {
    if (filename.isEmpty()) {
      return "empty filename";
    }
    if (filename.startsWith("/") || filename.startsWith("\\") || URI_OR_DRIVE.matcher(filename).matches()) {
      return "absolute path or URI '" + filename + "': file names must be relative to the dataset root";
    }
    for (String part : filename.split("[/\\\\]")) {
      if (part.equals("..")) {
        return "path '" + filename + "' escapes the dataset root ('..')";
      }
    }
    return null;
  }

  /** @return the file name without folder and extension */
  static String stem(String filename) {
    String base = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
    int dot = base.lastIndexOf('.');
    return dot > 0 ? base.substring(0, dot) : base;
  }

  /** @return the clip id: the relative name without extension and without a leading audio/ */
  public static String clipId(String filename) {
    String s = filename.replace('\\', '/');
    if (s.toLowerCase(Locale.ROOT).startsWith("audio/")) {
      s = s.substring("audio/".length());
    }
    int slash = s.lastIndexOf('/');
    int dot = s.lastIndexOf('.');
    return dot > slash + 1 ? s.substring(0, dot) : s;
  }

  /** @return the stem without its {@code -<device>} suffix (the stem itself if it has none) */
  public static String pairKey(String filename, String device) {
    String stem = stem(filename);
    String suffix = "-" + device;
    return stem.endsWith(suffix) && stem.length() > suffix.length()
        ? stem.substring(0, stem.length() - suffix.length()) : stem;
  }

  /** @return the city of an identifier {@code <city>-<location>}: all before the last '-' */
  public static String cityOf(String identifier) {
    int dash = identifier.lastIndexOf('-');
    return dash > 0 ? identifier.substring(0, dash) : identifier;
  }

  private static String deviceFromName(String filename) {
    String stem = stem(filename);
    int dash = stem.lastIndexOf('-');
    return dash > 0 && dash < stem.length() - 1 ? stem.substring(dash + 1) : null;
  }

  private static String identifierFromName(String filename) {
    String[] parts = stem(filename).split("-");
    return parts.length >= 4 ? parts[1] + "-" + parts[2] : null;
  }

  private static List<String> lines(String text) {
    String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
    List<String> out = new ArrayList<>();
    for (String l : t.split("\n", -1)) {
      out.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
    }
    return out;
  }

  private static int firstNonBlank(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        return i;
      }
    }
    return -1;
  }
}
