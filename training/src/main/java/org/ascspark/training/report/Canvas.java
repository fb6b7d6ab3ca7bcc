package org.ascspark.training.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Drawing helpers shared by {@link Plots}: headless set-up, image creation, fonts, a colour palette,
 * "nice" axis ticks, text placement and PNG output. Package-private: not an API.
 */
final class Canvas {

    static {
        // Before any AWT class that reads it is initialised; an explicit setting is left alone.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Tableau 10 (Tableau's default categorical palette), in order. */
    static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2),
        new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
        new Color(0x9C755F), new Color(0xBAB0AC)};
    static final Color TEXT = new Color(0x222222);
    static final Color MUTED = new Color(0x666666);
    static final Color GRID = new Color(0xE3E3E3);
    static final Color AXIS = new Color(0x444444);

    static final String FAMILY = Font.SANS_SERIF;

    private Canvas() {
    }

    /** Makes sure the headless property is set; calling it forces this class's static initialiser. */
    static void ensureHeadless() {
        // the static block above does the work
    }

    /**
     * @param width  pixels
     * @param height pixels
     * @return a white RGB image
     */
    static BufferedImage image(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return img;
    }

    /**
     * @param img the image
     * @return a graphics context with anti-aliasing for shapes and text
     */
    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        return g;
    }

    static Font font(int style, float size) {
        return new Font(FAMILY, style, 1).deriveFont(size);
    }

    /** Draws a bold title centred at the top and, when not empty, a muted subtitle under it. */
    static void title(Graphics2D g, int width, String title, String subtitle) {
        g.setColor(TEXT);
        g.setFont(font(Font.BOLD, 20f));
        centred(g, title, width / 2.0, 34);
        if (subtitle != null && !subtitle.isEmpty()) {
            g.setColor(MUTED);
            g.setFont(font(Font.PLAIN, 13f));
            centred(g, fit(g, subtitle, width - 40), width / 2.0, 56);
        }
    }

    /** Draws text with its horizontal centre at cx and its baseline at y. */
    static void centred(Graphics2D g, String s, double cx, double y) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (cx - fm.stringWidth(s) / 2.0), (float) y);
    }

    /** Draws text ending at x, baseline at y. */
    static void rightAligned(Graphics2D g, String s, double x, double y) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (x - fm.stringWidth(s)), (float) y);
    }

    /** Draws text centred on (cx, cy) both ways. */
    static void centredBoth(Graphics2D g, String s, double cx, double cy) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (cx - fm.stringWidth(s) / 2.0), (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
    }

    /** Draws text rotated by -90 degrees (reading upwards), centred vertically on cy, baseline at x. */
    static void vertical(Graphics2D g, String s, double x, double cy) {
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2, x, cy);
        centred(g, s, x, cy);
        g.setTransform(saved);
    }

    /**
     * Draws text rotated by -45 degrees so that it ends at (x, y) and runs down-left from there: column
     * labels under a chart.
     */
    static void diagonal(Graphics2D g, String s, double x, double y) {
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 4, x, y);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (x - fm.stringWidth(s)), (float) (y + fm.getAscent() / 2.0));
        g.setTransform(saved);
    }

    /** @return s, shortened with an ellipsis to fit maxWidth pixels in the current font */
    static String fit(Graphics2D g, String s, int maxWidth) {
        FontMetrics fm = g.getFontMetrics();
        if (fm.stringWidth(s) <= maxWidth) {
            return s;
        }
        String e = "\u2026";
        int n = s.length();
        while (n > 0 && fm.stringWidth(s.substring(0, n) + e) > maxWidth) {
            n--;
        }
        return s.substring(0, n) + e;
    }

    static BasicStroke stroke(float width) {
        return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{8f, 5f}, 0f);
    }

    /**
     * Axis ticks at "nice" steps (1, 2, 2.5 or 5 times a power of ten) covering [lo, hi].
     *
     * @param lo     lower data bound
     * @param hi     upper data bound (&ge; lo)
     * @param target about how many intervals
     * @return ascending ticks, the first &le; lo and the last &ge; hi
     */
    static double[] niceTicks(double lo, double hi, int target) {
        if (!(hi > lo)) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double raw = (hi - lo) / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            if (m * mag >= raw) {
                step = m * mag;
                break;
            }
        }
        double first = Math.floor(lo / step + 1e-9) * step;
        double last = Math.ceil(hi / step - 1e-9) * step;
        List<Double> ticks = new ArrayList<>();
        for (double t = first; t <= last + step * 1e-6; t += step) {
            ticks.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
        }
        return ticks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** @return a tick label with as few decimals as the step needs */
    static String tickLabel(double v, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
        if (step < 1 && Math.abs(step * Math.pow(10, decimals) - Math.rint(step * Math.pow(10, decimals))) > 1e-6) {
            decimals++;
        }
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }

    /**
     * Writes an image as PNG, through {@code <file>.tmp} in the same folder and a move, so a reader never
     * sees half a file.
     *
     * @param img  the image
     * @param file destination; the parent folder is created when missing
     */
    static void writePng(BufferedImage img, Path file) {
        try {
            Path abs = file.toAbsolutePath();
            Path parent = abs.getParent();
            Files.createDirectories(parent);
            Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
            try {
                if (!ImageIO.write(img, "png", tmp.toFile())) {
                    throw new IllegalStateException("no PNG writer available");
                }
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
