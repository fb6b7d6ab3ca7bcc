package org.ascspark.training.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One epoch of a training run, one row of the training job's {@code history.csv}.
 *
 * <p>Any of the doubles may be {@code NaN} when not measured (no validation set, first epoch timing).
 *
 * @param epoch            epoch number (&ge; 0; the training job counts from 1)
 * @param trainLoss        mean training loss over the epoch (the loss function's units, e.g. nats)
 * @param valLoss          validation loss after the epoch
 * @param valAccuracy      validation accuracy after the epoch, a fraction in [0, 1] (not a percentage)
 * @param learningRate     learning rate used in the epoch (its last value when scheduled)
 * @param samplesPerSecond training throughput, examples per second
 * @param seconds          wall time of the epoch, s
 */
public record EpochRecord(int epoch, double trainLoss, double valLoss, double valAccuracy, double learningRate,
                          double samplesPerSecond, double seconds) {

    /** The CSV header line, exactly as {@code history.csv} has it. */
    public static final String CSV_HEADER =
            "epoch,train_loss,val_loss,val_accuracy,learning_rate,samples_per_s,seconds";

    private static final int FIELDS = 7;

    /** Validates the epoch number. */
    public EpochRecord {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
    }

    /**
     * This record as a CSV line without a line terminator, in {@link #CSV_HEADER} order. Doubles are
     * written with {@link Double#toString(double)} (shortest text that reads back to the same value;
     * {@code NaN}, {@code Infinity} as Java spells them), so a write/read round trip is exact.
     *
     * @return the line
     */
    public String toCsvLine() {
        return epoch + "," + trainLoss + "," + valLoss + "," + valAccuracy + "," + learningRate + ","
                + samplesPerSecond + "," + seconds;
    }

    /**
     * Parses one CSV data line in {@link #CSV_HEADER} order. Fields may be surrounded by blanks; an empty
     * field or {@code nan} (any case) reads as NaN.
     *
     * @param line the line, without its terminator
     * @return the record
     * @throws IllegalArgumentException when the line does not have 7 fields or a field is not a number
     */
    public static EpochRecord parseCsvLine(String line) {
        Objects.requireNonNull(line, "line");
        String[] f = line.split(",", -1);
        if (f.length != FIELDS) {
            throw new IllegalArgumentException("expected " + FIELDS + " comma-separated fields (" + CSV_HEADER
                    + "), got " + f.length + ": '" + line + "'");
        }
        int epoch;
        try {
            epoch = Integer.parseInt(f[0].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("epoch is not an integer: '" + f[0] + "'", e);
        }
        return new EpochRecord(epoch, num(f[1], "train_loss"), num(f[2], "val_loss"), num(f[3], "val_accuracy"),
                num(f[4], "learning_rate"), num(f[5], "samples_per_s"), num(f[6], "seconds"));
    }

    private static double num(String s, String column) {
        String t = s.strip();
        if (t.isEmpty() || t.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " is not a number: '" + s + "'", e);
        }
    }

    /**
     * Writes the header and one line per record, UTF-8, LF line endings, replacing the file.
     *
     * @param file    destination; its parent folder is created when missing
     * @param records epochs in the order to write
     * @throws UncheckedIOException when the file cannot be written
     */
    public static void writeCsv(Path file, List<EpochRecord> records) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(records, "records");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write(CSV_HEADER);
                w.write('\n');
                for (EpochRecord r : records) {
                    w.write(r.toCsvLine());
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Reads a file written by {@link #writeCsv} (or by any tool writing the same columns): the first
     * non-blank line must be exactly {@link #CSV_HEADER} (a UTF-8 byte-order mark and surrounding blanks
     * are ignored); blank lines are skipped; LF or CRLF line endings.
     *
     * @param file the CSV file
     * @return the records in file order
     * @throws IllegalArgumentException when the header differs or a line does not parse; the message
     *                                  names the file and the line number
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static List<EpochRecord> readCsv(Path file) {
        Objects.requireNonNull(file, "file");
        List<EpochRecord> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            boolean header = false;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String t = (lineNo == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line).strip();
                if (t.isEmpty()) {
                    continue;
                }
                if (!header) {
                    if (!t.equals(CSV_HEADER)) {
                        throw new IllegalArgumentException(file + " line " + lineNo + ": expected header '"
                                + CSV_HEADER + "', got '" + t + "'");
                    }
                    header = true;
                    continue;
                }
                try {
                    out.add(parseCsvLine(t));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": " + e.getMessage(), e);
                }
            }
            if (!header) {
                throw new IllegalArgumentException(file + ": empty, expected header '" + CSV_HEADER + "'");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }
}
