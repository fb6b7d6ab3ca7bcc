package org.ascspark.training.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The DCASE task 1 submission file (SPEC.md §7): UTF-8 text, tab-separated, LF line endings.
 *
 * <pre>
 * filename&#9;scene_label&#9;&lt;class 0&gt;&#9;&lt;class 1&gt;&#9;...&#9;&lt;class K-1&gt;
 * &lt;filename&gt;&#9;&lt;predicted class&gt;&#9;&lt;p_0&gt;&#9;...&#9;&lt;p_K-1&gt;
 * </pre>
 * <ul>
 *   <li>Class columns follow the model's label order.</li>
 *   <li>{@code filename} is written exactly as given (no path rewriting); {@code scene_label} is the
 *       argmax of the probabilities as given (ties to the lowest index, {@link Metrics#argmax}).</li>
 *   <li>Each probability is written with {@value #DECIMALS} decimals, {@code Locale.ROOT} (dot as
 *       decimal separator, no grouping), e.g. {@code 0.250000}; values are written as given, not
 *       renormalised. The last line ends with LF too.</li>
 *   <li>Rows appear in the order given.</li>
 * </ul>
 * Filenames and class names must be non-empty, unique, and free of tabs, CR and LF.
 */
public final class SubmissionFile {

    /** Number of decimals written for each probability. */
    public static final int DECIMALS = 6;

    /** First two header columns. */
    public static final String FILENAME_COLUMN = "filename";
    /** Second header column: the predicted class name. */
    public static final String SCENE_LABEL_COLUMN = "scene_label";

    private static final String FORMAT = "%." + DECIMALS + "f";

    private SubmissionFile() {
    }

    /**
     * One row: a clip and its class probabilities.
     *
     * @param filename   clip file name as it should appear in the submission
     * @param sceneLabel predicted class name
     * @param probs      class probabilities [K] in label order (copied)
     */
    public record Row(String filename, String sceneLabel, double[] probs) {
        /** Copies the probabilities. */
        public Row {
            Objects.requireNonNull(filename, "filename");
            Objects.requireNonNull(sceneLabel, "sceneLabel");
            probs = Objects.requireNonNull(probs, "probs").clone();
        }

        /** @return a copy of the probabilities [K] */
        @Override
        public double[] probs() {
            return probs.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Row r && filename.equals(r.filename) && sceneLabel.equals(r.sceneLabel)
                    && Arrays.equals(probs, r.probs);
        }

        @Override
        public int hashCode() {
            return Objects.hash(filename, sceneLabel, Arrays.hashCode(probs));
        }

        @Override
        public String toString() {
            return "Row[" + filename + ", " + sceneLabel + ", " + Arrays.toString(probs) + "]";
        }
    }

    /**
     * A parsed submission file.
     *
     * @param classNames class names [K] from the header, in column order
     * @param rows       rows in file order
     */
    public record Table(List<String> classNames, List<Row> rows) {
        /** Copies the lists. */
        public Table {
            classNames = List.copyOf(classNames);
            rows = List.copyOf(rows);
        }
    }

    /**
     * Builds the rows from predictions: filename = {@link Prediction#clipId()}, scene label = argmax.
     *
     * @param classNames  class names [K]
     * @param predictions predictions, each with K probabilities
     * @return the table to write
     * @throws IllegalArgumentException on a probability count mismatch or duplicate filenames
     */
    public static Table fromPredictions(List<String> classNames, List<Prediction> predictions) {
        validateClassNames(classNames);
        List<Row> rows = new ArrayList<>(predictions.size());
        for (Prediction p : predictions) {
            double[] probs = p.probs();
            checkLength(probs.length, classNames.size(), p.clipId());
            rows.add(new Row(p.clipId(), classNames.get(Metrics.argmax(probs)), probs));
        }
        Table t = new Table(classNames, rows);
        validate(t);
        return t;
    }

    /**
     * Writes predictions in the submission format.
     *
     * @param out         destination; not closed
     * @param classNames  class names [K] in the model's label order
     * @param predictions one per clip; clip ids become filenames
     * @throws IOException              on a write failure
     * @throws IllegalArgumentException on duplicate filenames, a probability count not equal to K,
     *                                  or names with tabs or line breaks
     */
    public static void write(Writer out, List<String> classNames, List<Prediction> predictions) throws IOException {
        write(out, fromPredictions(classNames, predictions));
    }

    /**
     * Writes predictions to a file (UTF-8), replacing it.
     *
     * @param path        destination file
     * @param classNames  class names [K]
     * @param predictions one per clip
     * @throws IOException on a write failure
     */
    public static void write(Path path, List<String> classNames, List<Prediction> predictions) throws IOException {
        Table t = fromPredictions(classNames, predictions);
        try (Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            write(w, t);
        }
    }

    /**
     * Writes a table; its scene labels are written as given (they must be class names).
     *
     * @param out   destination; not closed
     * @param table the rows
     * @throws IOException on a write failure
     */
    public static void write(Writer out, Table table) throws IOException {
        validate(table);
        StringBuilder sb = new StringBuilder();
        sb.append(FILENAME_COLUMN).append('\t').append(SCENE_LABEL_COLUMN);
        for (String c : table.classNames()) {
            sb.append('\t').append(c);
        }
        sb.append('\n');
        out.write(sb.toString());
        for (Row r : table.rows()) {
            sb.setLength(0);
            sb.append(r.filename()).append('\t').append(r.sceneLabel());
            for (double p : r.probs) {
                sb.append('\t').append(String.format(Locale.ROOT, FORMAT, p));
            }
            sb.append('\n');
            out.write(sb.toString());
        }
    }

    /**
     * @param table the rows
     * @return the file content as a string
     */
    public static String format(Table table) {
        StringWriter w = new StringWriter();
        try {
            write(w, table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * Reads a submission file (UTF-8).
     *
     * @param path the file
     * @return the parsed table
     * @throws IOException              on a read failure
     * @throws IllegalArgumentException on a malformed file (see {@link #read(Reader)})
     */
    public static Table read(Path path) throws IOException {
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return read(r);
        }
    }

    /**
     * Parses a submission file. Accepts LF or CRLF line endings; skips no lines (an empty line is an
     * error except after the final LF).
     *
     * @param in the text; not closed
     * @return the parsed table
     * @throws IOException              on a read failure
     * @throws IllegalArgumentException on a bad header, a row with the wrong number of columns, an
     *                                  unparsable probability, an unknown scene label, or duplicate
     *                                  filenames; the message names the line
     */
    public static Table read(Reader in) throws IOException {
        BufferedReader br = in instanceof BufferedReader b ? b : new BufferedReader(in);
        String header = br.readLine();
        if (header == null) {
            throw new IllegalArgumentException("submission file is empty: no header line");
        }
        String[] h = header.split("\t", -1);
        if (h.length < 3 || !h[0].equals(FILENAME_COLUMN) || !h[1].equals(SCENE_LABEL_COLUMN)) {
            throw new IllegalArgumentException("line 1: header must be 'filename<TAB>scene_label<TAB><class>...',"
                    + " got '" + header + "'");
        }
        List<String> classNames = List.of(Arrays.copyOfRange(h, 2, h.length));
        validateClassNames(classNames);
        Set<String> classSet = new HashSet<>(classNames);
        List<Row> rows = new ArrayList<>();
        String line;
        int lineNo = 1;
        while ((line = br.readLine()) != null) {
            lineNo++;
            String[] f = line.split("\t", -1);
            if (f.length != classNames.size() + 2) {
                throw new IllegalArgumentException("line " + lineNo + ": " + f.length + " columns, expected "
                        + (classNames.size() + 2) + " (filename, scene_label and " + classNames.size()
                        + " probabilities)");
            }
            if (!classSet.contains(f[1])) {
                throw new IllegalArgumentException("line " + lineNo + ": scene_label '" + f[1]
                        + "' is not one of the header's classes " + classNames);
            }
            double[] probs = new double[classNames.size()];
            for (int c = 0; c < probs.length; c++) {
                try {
                    probs[c] = Double.parseDouble(f[c + 2]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + lineNo + ": probability for class '"
                            + classNames.get(c) + "' is not a number: '" + f[c + 2] + "'", e);
                }
            }
            rows.add(new Row(f[0], f[1], probs));
        }
        Table t = new Table(classNames, rows);
        validate(t);
        return t;
    }

    private static void validate(Table t) {
        validateClassNames(t.classNames());
        Set<String> classSet = new HashSet<>(t.classNames());
        Set<String> seen = new HashSet<>();
        for (Row r : t.rows()) {
            checkName(r.filename(), "filename");
            if (!seen.add(r.filename())) {
                throw new IllegalArgumentException("duplicate filename '" + r.filename() + "'");
            }
            checkLength(r.probs.length, t.classNames().size(), r.filename());
            if (!classSet.contains(r.sceneLabel())) {
                throw new IllegalArgumentException("scene_label '" + r.sceneLabel() + "' of '" + r.filename()
                        + "' is not a class name");
            }
            for (double p : r.probs) {
                if (!Double.isFinite(p)) {
                    throw new IllegalArgumentException("non-finite probability " + p + " for '" + r.filename() + "'");
                }
            }
        }
    }

    private static void checkLength(int got, int k, String filename) {
        if (got != k) {
            throw new IllegalArgumentException("'" + filename + "' has " + got + " probabilities but there are "
                    + k + " class names");
        }
    }

    private static void validateClassNames(List<String> classNames) {
        Objects.requireNonNull(classNames, "classNames");
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("no class names");
        }
        if (new HashSet<>(classNames).size() != classNames.size()) {
            throw new IllegalArgumentException("duplicate class names: " + classNames);
        }
        for (String c : classNames) {
            checkName(c, "class name");
        }
    }

    private static void checkName(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " is null or empty");
        }
        if (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(what + " '" + s.replace("\t", "\\t").replace("\n", "\\n")
                    .replace("\r", "\\r") + "' contains a tab or line break");
        }
    }

    /**
     * Parses a submission from a string (convenience for tests and small files).
     *
     * @param text file content
     * @return the parsed table
     */
    public static Table parse(String text) {
        try {
            return read(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
