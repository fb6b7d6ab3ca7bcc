package org.ascspark.training.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.ascspark.training.eval.Metrics;
import org.ascspark.training.eval.MetricsResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report's PNG plots (SPEC.md §10), drawn with Java2D and written with ImageIO, headless: no
 * display and no dependency beyond the JDK. {@code java.awt.headless} is set to {@code true} before AWT
 * is first used unless the property is already set.
 *
 * <p>All plots are {@value #WIDTH} x {@value #HEIGHT} pixels, RGB on white, with a title, axis labels and
 * a legend where more than one colour carries meaning. Accuracies are shown as percentages.
 * <ul>
 *   <li>{@link #confusionMatrix}: rows are true classes, columns predicted classes; each cell shows its
 *       count and is shaded by its share of the row (row-normalised, i.e. recall along the diagonal),
 *       white = 0 % to dark blue = 100 %, with a colour bar.</li>
 *   <li>{@link #deviceAccuracy}: one bar per device, coloured by device group (groups in the order of
 *       {@link MetricsResult#groups()}, {@value Metrics#OTHER_GROUP} in grey), devices ordered by group
 *       then name, with the overall (micro) accuracy as a dashed line.</li>
 *   <li>{@link #trainingCurves}: top panel training and validation loss, bottom panel validation accuracy
 *       with the best epoch marked, against the epoch number. NaN values are left out (lines break).</li>
 * </ul>
 */
public final class Plots {

    static {
        Canvas.ensureHeadless();
    }

    /** Width of every plot, pixels. */
    public static final int WIDTH = 900;
    /** Height of every plot, pixels. */
    public static final int HEIGHT = 700;

    private static final Logger LOG = LoggerFactory.getLogger(Plots.class);

    /** Sequential ramp for the heat map: white, mid blue, dark blue (ColorBrewer "Blues" end points). */
    private static final Color[] RAMP = {new Color(0xF7FBFF), new Color(0x6BAED6), new Color(0x08306B)};
    private static final Color OVERALL = new Color(0xB2182B);
    private static final Color OTHER = new Color(0xA0A0A0);

    private Plots() {
    }

    // ------------------------------------------------------------------------------------------------
    // Confusion matrix
    // ------------------------------------------------------------------------------------------------

    /**
     * Writes the confusion-matrix heat map.
     *
     * @param metrics evaluation result
     * @param png     destination file
     */
    public static void writeConfusionMatrix(MetricsResult metrics, Path png) {
        Canvas.writePng(confusionMatrix(metrics), png);
        LOG.info("wrote confusion matrix plot {}", png);
    }

    /**
     * Draws the confusion-matrix heat map.
     *
     * @param metrics evaluation result (K &ge; 1 classes)
     * @return a {@value #WIDTH} x {@value #HEIGHT} image
     */
    public static BufferedImage confusionMatrix(MetricsResult metrics) {
        Objects.requireNonNull(metrics, "metrics");
        long[][] cm = metrics.confusion();
        List<String> names = metrics.classNames();
        int k = names.size();
        BufferedImage img = Canvas.image(WIDTH, HEIGHT);
        Graphics2D g = Canvas.graphics(img);
        Canvas.title(g, WIDTH, "Confusion matrix",
                String.format(Locale.ROOT, "N = %d, accuracy %s (micro), %s (macro); rows: true class, columns: "
                        + "predicted class; shading: share of the row", metrics.numItems(),
                        pct(metrics.accuracyMicro()), pct(metrics.accuracyMacro())));

        // Label font: as large as fits, 9..13 pt; long names are shortened with an ellipsis.
        float labelSize = k <= 10 ? 13f : k <= 20 ? 11f : 9f;
        g.setFont(Canvas.font(Font.PLAIN, labelSize));
        FontMetrics fm = g.getFontMetrics();
        int maxLabel = 170;
        int labelW = 0;
        for (String n : names) {
            labelW = Math.max(labelW, Math.min(maxLabel, fm.stringWidth(n)));
        }
        int top = 80;
        int left = 36 + labelW + 10;
        int right = 110;
        int bottom = (int) Math.ceil(labelW * Math.sqrt(0.5)) + fm.getHeight() + 44;
        int cell = Math.max(4, Math.min((WIDTH - left - right) / k, (HEIGHT - top - bottom) / k));
        int size = cell * k;
        int x0 = left + Math.max(0, (WIDTH - left - right - size) / 2);
        int y0 = top;

        long[] rowSum = new long[k];
        long max = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                rowSum[i] += cm[i][j];
                max = Math.max(max, cm[i][j]);
            }
        }
        String widest = Long.toString(max);
        float countSize = 14f;
        g.setFont(Canvas.font(Font.BOLD, countSize));
        while (countSize > 7f && g.getFontMetrics().stringWidth(widest) > cell - 6) {
            countSize -= 1f;
            g.setFont(Canvas.font(Font.BOLD, countSize));
        }
        boolean showShare = cell >= 46;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double share = rowSum[i] == 0 ? 0 : cm[i][j] / (double) rowSum[i];
                g.setColor(ramp(share));
                g.fillRect(x0 + j * cell, y0 + i * cell, cell, cell);
                g.setColor(share > 0.5 ? Color.WHITE : Canvas.TEXT);
                double cx = x0 + j * cell + cell / 2.0;
                double cy = y0 + i * cell + cell / 2.0;
                if (countSize > 7f) {
                    g.setFont(Canvas.font(Font.BOLD, countSize));
                    Canvas.centredBoth(g, Long.toString(cm[i][j]), cx, showShare ? cy - 7 : cy);
                }
                if (showShare && rowSum[i] > 0) {
                    g.setFont(Canvas.font(Font.PLAIN, 10f));
                    Canvas.centredBoth(g, String.format(Locale.ROOT, "%.0f%%", 100 * share), cx, cy + 10);
                }
            }
        }
        // Grid and frame; the diagonal outlined.
        g.setColor(new Color(0xFFFFFF));
        g.setStroke(Canvas.stroke(1f));
        for (int i = 1; i < k; i++) {
            g.draw(new Line2D.Double(x0, y0 + i * cell, x0 + size, y0 + i * cell));
            g.draw(new Line2D.Double(x0 + i * cell, y0, x0 + i * cell, y0 + size));
        }
        g.setColor(new Color(0xF28E2B));
        g.setStroke(Canvas.stroke(1.5f));
        for (int i = 0; i < k; i++) {
            g.draw(new Rectangle2D.Double(x0 + i * cell + 1, y0 + i * cell + 1, cell - 2, cell - 2));
        }
        g.setColor(Canvas.AXIS);
        g.setStroke(Canvas.stroke(1f));
        g.drawRect(x0, y0, size, size);

        // Class labels.
        g.setFont(Canvas.font(Font.PLAIN, labelSize));
        g.setColor(Canvas.TEXT);
        for (int i = 0; i < k; i++) {
            String n = Canvas.fit(g, names.get(i), maxLabel);
            Canvas.rightAligned(g, n, x0 - 8, y0 + i * cell + cell / 2.0 + fm.getAscent() / 2.0 - 2);
            Canvas.diagonal(g, n, x0 + j(i, cell) + 4, y0 + size + 8);
        }
        g.setFont(Canvas.font(Font.BOLD, 14f));
        Canvas.centred(g, "Predicted class", x0 + size / 2.0, HEIGHT - 14);
        Canvas.vertical(g, "True class", 20, y0 + size / 2.0);

        // Colour bar: 0 % at the bottom to 100 % at the top.
        int bx = x0 + size + 30;
        int bw = 18;
        int bh = Math.min(size, 360);
        int by = y0 + (size - bh) / 2;
        for (int y = 0; y < bh; y++) {
            g.setColor(ramp(1.0 - y / (double) (bh - 1)));
            g.fillRect(bx, by + y, bw, 1);
        }
        g.setColor(Canvas.AXIS);
        g.drawRect(bx, by, bw, bh);
        g.setFont(Canvas.font(Font.PLAIN, 11f));
        for (int p = 0; p <= 100; p += 25) {
            double y = by + bh - bh * p / 100.0;
            g.draw(new Line2D.Double(bx + bw, y, bx + bw + 4, y));
            g.drawString(p + "%", bx + bw + 7, (float) (y + 4));
        }
        g.setFont(Canvas.font(Font.PLAIN, 12f));
        Canvas.centred(g, "row share", bx + bw / 2.0, by - 10);
        g.dispose();
        return img;
    }

    private static double j(int index, int cell) {
        return index * cell + cell / 2.0;
    }

    /** @return the heat-map colour for a share in [0, 1] */
    static Color ramp(double t) {
        double u = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
        int i = Math.min(RAMP.length - 2, (int) Math.floor(u));
        double f = u - i;
        Color a = RAMP[i];
        Color b = RAMP[i + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    // ------------------------------------------------------------------------------------------------
    // Per-device accuracy
    // ------------------------------------------------------------------------------------------------

    /**
     * Writes the per-device accuracy bar chart.
     *
     * @param metrics evaluation result
     * @param png     destination file
     */
    public static void writeDeviceAccuracy(MetricsResult metrics, Path png) {
        Canvas.writePng(deviceAccuracy(metrics), png);
        LOG.info("wrote per-device accuracy plot {}", png);
    }

    /**
     * Draws the per-device accuracy bar chart.
     *
     * @param metrics evaluation result
     * @return a {@value #WIDTH} x {@value #HEIGHT} image
     */
    public static BufferedImage deviceAccuracy(MetricsResult metrics) {
        Objects.requireNonNull(metrics, "metrics");
        // Device -> group and group -> colour, groups in the result's order.
        Map<String, String> groupOf = new LinkedHashMap<>();
        Map<String, Color> colourOf = new LinkedHashMap<>();
        int ci = 0;
        for (MetricsResult.GroupMetrics gm : metrics.groups().values()) {
            colourOf.put(gm.group(), Metrics.OTHER_GROUP.equals(gm.group()) ? OTHER
                    : Canvas.PALETTE[ci++ % Canvas.PALETTE.length]);
            for (String d : gm.devices()) {
                groupOf.putIfAbsent(d, gm.group());
            }
        }
        // Bars: devices ordered by group (in group order), then by name; ungrouped devices last.
        List<MetricsResult.DeviceMetrics> bars = new ArrayList<>();
        for (String group : colourOf.keySet()) {
            for (MetricsResult.DeviceMetrics d : metrics.devices().values()) {
                if (group.equals(groupOf.get(d.device()))) {
                    bars.add(d);
                }
            }
        }
        for (MetricsResult.DeviceMetrics d : metrics.devices().values()) {
            if (!groupOf.containsKey(d.device())) {
                bars.add(d);
            }
        }

        BufferedImage img = Canvas.image(WIDTH, HEIGHT);
        Graphics2D g = Canvas.graphics(img);
        Canvas.title(g, WIDTH, "Accuracy per device",
                String.format(Locale.ROOT, "N = %d, %d devices; overall accuracy %s (micro), %s (macro)",
                        metrics.numItems(), bars.size(), pct(metrics.accuracyMicro()), pct(metrics.accuracyMacro())));

        // Legend row under the title: one swatch per group, then the overall line.
        List<LegendItem> legend = new ArrayList<>();
        if (colourOf.isEmpty()) {
            legend.add(new LegendItem("device", Canvas.PALETTE[0], false));
        } else {
            for (Map.Entry<String, Color> e : colourOf.entrySet()) {
                MetricsResult.GroupMetrics gm = metrics.groups().get(e.getKey());
                legend.add(new LegendItem(e.getKey() + " " + pct(gm.accuracyMicro()), e.getValue(), false));
            }
        }
        legend.add(new LegendItem("overall " + pct(metrics.accuracyMicro()), OVERALL, true));
        drawLegendRow(g, legend, WIDTH / 2.0, 82);

        g.setFont(Canvas.font(Font.PLAIN, 12f));
        int n = bars.size();
        Rectangle plot = new Rectangle(80, 110, WIDTH - 80 - 40, 0);
        int slot = n == 0 ? plot.width : plot.width / n;
        int maxName = 0;
        for (MetricsResult.DeviceMetrics d : bars) {
            maxName = Math.max(maxName, g.getFontMetrics().stringWidth(d.device()));
        }
        boolean rotate = maxName > slot - 6;
        int nameSpace = rotate ? (int) Math.ceil(Math.min(maxName, 150) * Math.sqrt(0.5)) + 16 : 40;
        plot.height = HEIGHT - plot.y - nameSpace - 40;

        // Y axis 0..100 %, grid every 10 %.
        g.setFont(Canvas.font(Font.PLAIN, 12f));
        for (int p = 0; p <= 100; p += 10) {
            double y = plot.y + plot.height - plot.height * p / 100.0;
            g.setColor(Canvas.GRID);
            g.draw(new Line2D.Double(plot.x, y, plot.x + plot.width, y));
            g.setColor(Canvas.TEXT);
            Canvas.rightAligned(g, p + "%", plot.x - 8, y + 4);
        }
        g.setFont(Canvas.font(Font.BOLD, 14f));
        Canvas.vertical(g, "Accuracy", 24, plot.y + plot.height / 2.0);

        int barW = (int) Math.max(2, Math.min(70, slot * 0.7));
        for (int i = 0; i < n; i++) {
            MetricsResult.DeviceMetrics d = bars.get(i);
            double cx = plot.x + slot * (i + 0.5);
            double acc = Double.isFinite(d.accuracy()) ? d.accuracy() : 0;
            double h = plot.height * acc;
            String group = groupOf.get(d.device());
            g.setColor(group == null ? (colourOf.isEmpty() ? Canvas.PALETTE[0] : OTHER) : colourOf.get(group));
            g.fill(new Rectangle2D.Double(cx - barW / 2.0, plot.y + plot.height - h, barW, h));
            g.setColor(Canvas.TEXT);
            g.setFont(Canvas.font(Font.PLAIN, 12f));
            double ny = plot.y + plot.height + 8;
            if (rotate) {
                Canvas.diagonal(g, Canvas.fit(g, d.device(), 150), cx + 4, ny);
            } else {
                Canvas.centred(g, d.device(), cx, ny + 12);
                g.setColor(Canvas.MUTED);
                g.setFont(Canvas.font(Font.PLAIN, 10f));
                Canvas.centred(g, "n=" + d.count(), cx, ny + 26);
            }
        }
        g.setColor(Canvas.AXIS);
        g.setStroke(Canvas.stroke(1f));
        g.draw(new Line2D.Double(plot.x, plot.y + plot.height, plot.x + plot.width, plot.y + plot.height));
        g.draw(new Line2D.Double(plot.x, plot.y, plot.x, plot.y + plot.height));

        if (Double.isFinite(metrics.accuracyMicro())) {
            double y = plot.y + plot.height - plot.height * metrics.accuracyMicro();
            g.setColor(OVERALL);
            g.setStroke(Canvas.dashed(2f));
            g.draw(new Line2D.Double(plot.x, y, plot.x + plot.width, y));
            g.setStroke(Canvas.stroke(1f));
        }
        // Value labels last, on a white patch, so the overall line never hides them.
        if (slot >= 30) {
            g.setFont(Canvas.font(Font.PLAIN, 11f));
            FontMetrics vfm = g.getFontMetrics();
            for (int i = 0; i < n; i++) {
                double acc = Double.isFinite(bars.get(i).accuracy()) ? bars.get(i).accuracy() : 0;
                String v = String.format(Locale.ROOT, "%.1f", 100 * acc);
                double cx = plot.x + slot * (i + 0.5);
                double base = plot.y + plot.height - plot.height * acc - 5;
                int w = vfm.stringWidth(v);
                g.setColor(Color.WHITE);
                g.fill(new Rectangle2D.Double(cx - w / 2.0 - 2, base - vfm.getAscent(), w + 4, vfm.getAscent() + 2));
                g.setColor(Canvas.TEXT);
                Canvas.centred(g, v, cx, base);
            }
        }
        g.setColor(Canvas.TEXT);
        g.setFont(Canvas.font(Font.BOLD, 14f));
        Canvas.centred(g, "Device", plot.x + plot.width / 2.0, HEIGHT - 12);
        g.dispose();
        return img;
    }

    /** One legend entry: a filled swatch, or a dashed line when {@code line}. */
    private record LegendItem(String label, Color colour, boolean line) {
    }

    private static void drawLegendRow(Graphics2D g, List<LegendItem> items, double cx, double y) {
        g.setFont(Canvas.font(Font.PLAIN, 12f));
        FontMetrics fm = g.getFontMetrics();
        int gap = 22;
        int sw = 22;
        double total = 0;
        for (LegendItem it : items) {
            total += sw + 6 + fm.stringWidth(it.label()) + gap;
        }
        total -= gap;
        double x = cx - total / 2.0;
        for (LegendItem it : items) {
            g.setColor(it.colour());
            if (it.line()) {
                g.setStroke(Canvas.dashed(2f));
                g.draw(new Line2D.Double(x, y - 4, x + sw, y - 4));
                g.setStroke(Canvas.stroke(1f));
            } else {
                g.fill(new Rectangle2D.Double(x + 4, y - 11, sw - 8, 14));
            }
            g.setColor(Canvas.TEXT);
            g.drawString(it.label(), (float) (x + sw + 6), (float) y);
            x += sw + 6 + fm.stringWidth(it.label()) + gap;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Training curves
    // ------------------------------------------------------------------------------------------------

    /**
     * Writes the training curves.
     *
     * @param history epochs in any order (drawn sorted by epoch); non-empty
     * @param png     destination file
     */
    public static void writeTrainingCurves(List<EpochRecord> history, Path png) {
        Canvas.writePng(trainingCurves(history), png);
        LOG.info("wrote training curves plot {}", png);
    }

    /**
     * Draws training and validation loss (top) and validation accuracy (bottom) against the epoch.
     *
     * @param history epochs in any order; non-empty
     * @return a {@value #WIDTH} x {@value #HEIGHT} image
     * @throws IllegalArgumentException when the history is empty
     */
    public static BufferedImage trainingCurves(List<EpochRecord> history) {
        Objects.requireNonNull(history, "history");
        if (history.isEmpty()) {
            throw new IllegalArgumentException("no epochs to plot");
        }
        List<EpochRecord> h = new ArrayList<>(history);
        h.sort((a, b) -> Integer.compare(a.epoch(), b.epoch()));
        int n = h.size();
        double[] x = new double[n];
        double[] train = new double[n];
        double[] val = new double[n];
        double[] acc = new double[n];
        int best = -1;
        for (int i = 0; i < n; i++) {
            EpochRecord r = h.get(i);
            x[i] = r.epoch();
            train[i] = r.trainLoss();
            val[i] = r.valLoss();
            acc[i] = 100 * r.valAccuracy();
            if (Double.isFinite(acc[i]) && (best < 0 || acc[i] > acc[best])) {
                best = i;
            }
        }
        BufferedImage img = Canvas.image(WIDTH, HEIGHT);
        Graphics2D g = Canvas.graphics(img);
        String sub = String.format(Locale.ROOT, "%d epochs", n);
        if (best >= 0) {
            sub += String.format(Locale.ROOT, "; best validation accuracy %.2f %% at epoch %d", acc[best],
                    (int) x[best]);
        }
        EpochRecord last = h.get(n - 1);
        if (Double.isFinite(last.seconds()) && Double.isFinite(last.samplesPerSecond())) {
            sub += String.format(Locale.ROOT, "; last epoch %.0f s, %.1f samples/s", last.seconds(),
                    last.samplesPerSecond());
        }
        Canvas.title(g, WIDTH, "Training curves", sub);

        double xLo = x[0];
        double xHi = x[n - 1];
        if (xHi == xLo) {
            xLo -= 1;
            xHi += 1;
        }
        double[] xTicks = Canvas.niceTicks(xLo, xHi, Math.min(10, Math.max(1, (int) (xHi - xLo))));
        double xPad = 0.02 * (xHi - xLo);
        double step = xTicks.length > 1 ? xTicks[1] - xTicks[0] : 1;
        if (step < 1) {
            xTicks = Canvas.niceTicks(xLo, xHi, (int) Math.max(1, xHi - xLo));
        }
        Rectangle top = new Rectangle(90, 80, WIDTH - 90 - 40, 300);
        Rectangle bottom = new Rectangle(90, 430, WIDTH - 90 - 40, 200);
        boolean markers = n <= 40;

        xLo -= xPad;
        xHi += xPad;
        panel(g, top, xLo, xHi, xTicks, "Loss", List.of(
                new Series("train loss", Canvas.PALETTE[0], train),
                new Series("validation loss", Canvas.PALETTE[1], val)), x, markers, false, -1);
        panel(g, bottom, xLo, xHi, xTicks, "Validation accuracy (%)", List.of(
                new Series("validation accuracy", Canvas.PALETTE[4], acc)), x, markers, true, best);
        g.setColor(Canvas.TEXT);
        g.setFont(Canvas.font(Font.BOLD, 14f));
        Canvas.centred(g, "Epoch", bottom.x + bottom.width / 2.0, HEIGHT - 14);
        g.dispose();
        return img;
    }

    /** One line of a panel. */
    private record Series(String label, Color colour, double[] y) {
    }

    private static void panel(Graphics2D g, Rectangle r, double xLo, double xHi, double[] xTicks, String yLabel,
                              List<Series> series, double[] x, boolean markers, boolean percent, int best) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.y()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        boolean empty = lo > hi;
        if (empty) {
            lo = 0;
            hi = percent ? 100 : 1;
        }
        if (!percent && lo > 0 && lo < 0.35 * hi) {
            lo = 0; // losses: start at 0 unless that squashes the curves
        }
        if (!(hi > lo)) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        // The axis spans the data with 4 % headroom (0 stays the bottom for losses), not snapped to ticks,
        // so extreme points do not sit on the frame and no empty band is added.
        double pad = 0.04 * (hi - lo);
        double yLo = lo == 0 && !percent ? 0 : lo - pad;
        double yHi = hi + pad;
        if (percent) {
            yLo = Math.max(0, yLo);
            yHi = Math.min(100, yHi);
        }
        double[] yTicks = Canvas.niceTicks(yLo, yHi, 5);
        double yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : 1;
        double fyLo = yLo;
        double fyHi = yHi;
        java.util.function.DoubleUnaryOperator px = v -> r.x + (v - xLo) / (xHi - xLo) * r.width;
        java.util.function.DoubleUnaryOperator py = v -> r.y + r.height - (v - fyLo) / (fyHi - fyLo) * r.height;

        g.setFont(Canvas.font(Font.PLAIN, 12f));
        for (double t : yTicks) {
            if (t < yLo - 1e-9 || t > yHi + 1e-9) {
                continue;
            }
            double y = py.applyAsDouble(t);
            g.setColor(Canvas.GRID);
            g.draw(new Line2D.Double(r.x, y, r.x + r.width, y));
            g.setColor(Canvas.TEXT);
            Canvas.rightAligned(g, Canvas.tickLabel(t, yStep), r.x - 8, y + 4);
        }
        double xStep = xTicks.length > 1 ? xTicks[1] - xTicks[0] : 1;
        for (double t : xTicks) {
            if (t < xLo - 1e-9 || t > xHi + 1e-9) {
                continue;
            }
            double xx = px.applyAsDouble(t);
            g.setColor(Canvas.GRID);
            g.draw(new Line2D.Double(xx, r.y, xx, r.y + r.height));
            g.setColor(Canvas.TEXT);
            Canvas.centred(g, Canvas.tickLabel(t, xStep), xx, r.y + r.height + 17);
        }
        g.setColor(Canvas.AXIS);
        g.setStroke(Canvas.stroke(1f));
        g.draw(new Rectangle2D.Double(r.x, r.y, r.width, r.height));
        g.setFont(Canvas.font(Font.BOLD, 14f));
        g.setColor(Canvas.TEXT);
        Canvas.vertical(g, yLabel, r.x - 58, r.y + r.height / 2.0);
        if (empty) {
            g.setFont(Canvas.font(Font.ITALIC, 14f));
            g.setColor(Canvas.MUTED);
            Canvas.centredBoth(g, "no data", r.x + r.width / 2.0, r.y + r.height / 2.0);
        }

        java.awt.Shape clip = g.getClip();
        g.clip(new Rectangle2D.Double(r.x - 5, r.y - 5, r.width + 10, r.height + 10));
        if (best >= 0) {
            double bx = px.applyAsDouble(x[best]);
            g.setColor(Canvas.MUTED);
            g.setStroke(Canvas.dashed(1f));
            g.draw(new Line2D.Double(bx, r.y, bx, r.y + r.height));
        }
        for (Series s : series) {
            g.setColor(s.colour());
            g.setStroke(Canvas.stroke(2.2f));
            Path2D.Double path = new Path2D.Double();
            boolean pen = false;
            for (int i = 0; i < x.length; i++) {
                double v = s.y()[i];
                if (!Double.isFinite(v)) {
                    pen = false;
                    continue;
                }
                double xx = px.applyAsDouble(x[i]);
                double yy = py.applyAsDouble(v);
                if (pen) {
                    path.lineTo(xx, yy);
                } else {
                    path.moveTo(xx, yy);
                    pen = true;
                }
            }
            g.draw(path);
            if (markers) {
                for (int i = 0; i < x.length; i++) {
                    if (Double.isFinite(s.y()[i])) {
                        g.fill(new Ellipse2D.Double(px.applyAsDouble(x[i]) - 3.5, py.applyAsDouble(s.y()[i]) - 3.5,
                                7, 7));
                    }
                }
            }
        }
        g.setClip(clip);

        // Legend box in the inside corner that covers the fewest data points (top right when tied).
        g.setFont(Canvas.font(Font.PLAIN, 12f));
        FontMetrics fm = g.getFontMetrics();
        List<String> labels = new ArrayList<>();
        for (Series s : series) {
            labels.add(s.label());
        }
        if (best >= 0) {
            labels.add(String.format(Locale.ROOT, "best epoch (%d)", (int) x[best]));
        }
        int w = 0;
        for (String l : labels) {
            w = Math.max(w, fm.stringWidth(l));
        }
        int boxW = w + 46;
        int boxH = labels.size() * 18 + 10;
        int[][] corners = {
            {r.x + r.width - boxW - 10, r.y + 10}, {r.x + r.width - boxW - 10, r.y + r.height - boxH - 10},
            {r.x + 10, r.y + 10}, {r.x + 10, r.y + r.height - boxH - 10}};
        int bx = corners[0][0];
        int by = corners[0][1];
        long fewest = Long.MAX_VALUE;
        for (int[] c : corners) {
            Rectangle2D box = new Rectangle2D.Double(c[0] - 4, c[1] - 4, boxW + 8, boxH + 8);
            long hits = 0;
            for (Series s : series) {
                for (int i = 0; i < x.length; i++) {
                    // the points and the midpoints of the segments to the next point
                    double v = s.y()[i];
                    if (!Double.isFinite(v)) {
                        continue;
                    }
                    double xx = px.applyAsDouble(x[i]);
                    double yy = py.applyAsDouble(v);
                    hits += box.contains(xx, yy) ? 1 : 0;
                    if (i + 1 < x.length && Double.isFinite(s.y()[i + 1])) {
                        for (int q = 1; q < 4; q++) {
                            double f = q / 4.0;
                            double mx = xx + f * (px.applyAsDouble(x[i + 1]) - xx);
                            double my = yy + f * (py.applyAsDouble(s.y()[i + 1]) - yy);
                            hits += box.contains(mx, my) ? 1 : 0;
                        }
                    }
                }
            }
            if (hits < fewest) {
                fewest = hits;
                bx = c[0];
                by = c[1];
            }
        }
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(bx, by, boxW, boxH);
        g.setColor(Canvas.GRID);
        g.drawRect(bx, by, boxW, boxH);
        for (int i = 0; i < labels.size(); i++) {
            double ly = by + 19 + i * 18;
            if (i < series.size()) {
                g.setColor(series.get(i).colour());
                g.setStroke(Canvas.stroke(2.2f));
            } else {
                g.setColor(Canvas.MUTED);
                g.setStroke(Canvas.dashed(1f));
            }
            g.draw(new Line2D.Double(bx + 8, ly - 4, bx + 32, ly - 4));
            g.setStroke(Canvas.stroke(1f));
            g.setColor(Canvas.TEXT);
            g.drawString(labels.get(i), bx + 38, (float) ly);
        }
    }

    /** @return a fraction as a percentage with two decimals, or "n/a" for NaN */
    static String pct(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f %%", 100 * fraction) : "n/a";
    }
}
