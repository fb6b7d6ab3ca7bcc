package org.ascspark.training.complexity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ascspark.training.eval.ComplexityRules;

/**
 * Plain-text rendering of complexity counts for a terminal or a log: a fixed-width per-layer table
 * (numbers right-aligned with thousands separators), a totals row and, for a {@link ComplexityReport},
 * the summary lines and the rule verdicts. LF line endings, ASCII only except for names taken from the
 * graph.
 */
public final class ComplexityTable {

    private static final String[] HEADER = {"layer", "type", "output", "raw params", "params", "non-zero",
            "MACs", "note"};
    /** Columns that hold numbers and are right-aligned. */
    private static final boolean[] RIGHT = {false, false, false, true, true, true, true, false};

    private ComplexityTable() {
    }

    /**
     * The per-layer table with a totals row.
     *
     * @param model the counts
     * @return the table, one line per layer, ending with a newline
     */
    public static String render(ModelComplexity model) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (LayerComplexity l : model.layers()) {
            rows.add(new String[]{l.name(), l.type(), l.outputShape(), num(l.rawParameters()),
                    num(l.parameters()), num(l.nonZeroParameters()), num(l.macs()), l.note()});
        }
        rows.add(new String[]{"total", "", "", num(model.rawParameters()), num(model.parameters()),
                num(model.nonZeroParameters()), num(model.macsPerInference()), ""});
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("input ").append(String.join(", ", model.inputShapes())).append('\n');
        for (int k = 0; k < rows.size(); k++) {
            if (k == 1 || k == rows.size() - 1) {
                sb.append(rule(width)).append('\n');
            }
            sb.append(line(rows.get(k), width)).append('\n');
        }
        return sb.toString();
    }

    /**
     * The per-layer table followed by the summary the spec asks for: parameters and non-zero parameters
     * with BN folded, MACs per inference, per 1 s and per clip, sizes at fp32/fp16/int8, the size at the
     * stored precision and both rule verdicts with their reasons.
     *
     * @param report the report
     * @return the text, ending with a newline
     */
    public static String render(ComplexityReport report) {
        ModelComplexity m = report.model();
        ComplexityRules.Report r = report.rules();
        ComplexityRules.Input in = r.input();
        StringBuilder sb = new StringBuilder(render(m));
        sb.append(String.format(Locale.ROOT, "parameters (BN folded): %s (raw %s, trainable %s); non-zero %s%n",
                num(in.parameters()), num(m.rawParameters()), num(m.trainableParameters()),
                num(in.nonZeroParameters())));
        sb.append(String.format(Locale.ROOT,
                "MACs: %s per inference on %.3g s; %.3f M per 1 s; %.3f M per clip of %.3g s%n",
                num(in.macsPerInference()), in.inputSeconds(), r.macsPer1s() / 1e6, r.macsPerClip() / 1e6,
                in.clipSeconds()));
        sb.append(String.format(Locale.ROOT,
                "size (all parameters, KB = 1024 B): fp32 %.2f KB, fp16 %.2f KB, int8 %.2f KB%n",
                r.sizeKbFp32(), r.sizeKbFp16(), r.sizeKbInt8()));
        sb.append(String.format(Locale.ROOT, "size (non-zero parameters, stored as %s): %.2f KB%n",
                report.precision(), r.nonZeroSizeKbStored()));
        for (ComplexityRules.RuleCheck c : report.checks()) {
            sb.append(c.rule()).append(": ").append(c.pass() ? "PASS" : "FAIL");
            if (!c.pass()) {
                sb.append(" (").append(c.reason()).append(')');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append("  ");
            }
            String c = cells[i];
            String pad = " ".repeat(width[i] - c.length());
            if (i == cells.length - 1) {
                sb.append(c);
            } else {
                sb.append(RIGHT[i] ? pad + c : c + pad);
            }
        }
        return sb.toString().stripTrailing();
    }

    private static String rule(int[] width) {
        int total = 0;
        for (int i = 0; i < width.length; i++) {
            total += width[i] + (i > 0 ? 2 : 0);
        }
        return "-".repeat(total);
    }

    private static String num(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
