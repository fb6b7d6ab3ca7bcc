package org.ascspark.training.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import org.ascspark.training.eval.Metrics;
import org.ascspark.training.eval.MetricsResult;
import org.ascspark.training.eval.Prediction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PNG plots: written, decodable, of the stated size, not blank, with the colours that carry meaning. */
class PlotsTest {

    @TempDir
    Path tmp;

    private static BufferedImage read(Path png) throws Exception {
        assertTrue(Files.size(png) > 1000, png + " is suspiciously small");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " does not decode as an image");
        assertEquals(Plots.WIDTH, img.getWidth());
        assertEquals(Plots.HEIGHT, img.getHeight());
        return img;
    }

    private static Set<Integer> colours(BufferedImage img) {
        Set<Integer> s = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                s.add(img.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return s;
    }

    private static double nonWhiteShare(BufferedImage img) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    n++;
                }
            }
        }
        return n / (double) (img.getWidth() * img.getHeight());
    }

    @Test
    void confusionMatrixIsWrittenAndShaded() throws Exception {
        MetricsResult m = ReportFixtures.metrics();
        Path png = tmp.resolve("sub/cm.png");
        Plots.writeConfusionMatrix(m, png);
        BufferedImage img = read(png);
        Set<Integer> c = colours(img);
        assertTrue(c.size() >= 20, "only " + c.size() + " colours");
        assertTrue(nonWhiteShare(img) > 0.15, "mostly blank: " + nonWhiteShare(img));
        // The diagonal of a ~70 % accurate model is dark: the darkest shade at share s >= 0.5 is present.
        long[][] cm = m.confusion();
        long row0 = 0;
        for (long v : cm[0]) {
            row0 += v;
        }
        int shade = Plots.ramp(cm[0][0] / (double) row0).getRGB() & 0xFFFFFF;
        assertTrue(c.contains(shade), "diagonal shade missing");
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void deviceAccuracyBarsUseGroupColours() throws Exception {
        MetricsResult m = ReportFixtures.metrics();
        Path png = tmp.resolve("dev.png");
        Plots.writeDeviceAccuracy(m, png);
        BufferedImage img = read(png);
        Set<Integer> c = colours(img);
        // real, seen, unseen take the first three palette colours, "other" (device x) grey.
        for (int i = 0; i < 3; i++) {
            assertTrue(c.contains(Canvas.PALETTE[i].getRGB() & 0xFFFFFF), "group colour " + i + " missing");
        }
        assertTrue(c.contains(0xA0A0A0), "grey of the 'other' group missing");
        assertTrue(c.contains(0xB2182B), "overall accuracy line missing");
        assertTrue(c.size() >= 10);
    }

    @Test
    void deviceAccuracyWithoutGroupsAndManyLongNames() throws Exception {
        List<Prediction> preds = new ArrayList<>();
        for (int d = 0; d < 30; d++) {
            for (int i = 0; i < 3; i++) {
                preds.add(new Prediction("c" + d + "-" + i, i % 2, "a-rather-long-device-name-" + d,
                        new double[]{i % 2 == 0 ? 0.9 : 0.4, 0.5}));
            }
        }
        MetricsResult m = Metrics.compute(preds, List.of("x", "y"));
        BufferedImage img = Plots.deviceAccuracy(m);
        assertEquals(Plots.WIDTH, img.getWidth());
        assertTrue(colours(img).contains(Canvas.PALETTE[0].getRGB() & 0xFFFFFF));
    }

    @Test
    void confusionMatrixWithManyClasses() {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < 25; k++) {
            names.add("class_with_a_long_name_" + k);
        }
        List<Prediction> preds = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double[] p = new double[25];
            p[(i * 7) % 25] = 1;
            preds.add(new Prediction("c" + i, i % 25, "a", p));
        }
        BufferedImage img = Plots.confusionMatrix(Metrics.compute(preds, names));
        assertTrue(colours(img).size() >= 10);
    }

    @Test
    void trainingCurvesWithNaNsAndSingleEpoch() throws Exception {
        Path png = tmp.resolve("curves.png");
        Plots.writeTrainingCurves(ReportFixtures.history(), png);
        BufferedImage img = read(png);
        Set<Integer> c = colours(img);
        assertTrue(c.contains(Canvas.PALETTE[0].getRGB() & 0xFFFFFF), "train loss colour missing");
        assertTrue(c.contains(Canvas.PALETTE[1].getRGB() & 0xFFFFFF), "val loss colour missing");
        assertTrue(c.contains(Canvas.PALETTE[4].getRGB() & 0xFFFFFF), "val accuracy colour missing");
        assertTrue(nonWhiteShare(img) > 0.05);

        BufferedImage one = Plots.trainingCurves(List.of(new EpochRecord(1, 0.9, Double.NaN, Double.NaN, 1e-3,
                Double.NaN, 10)));
        assertEquals(Plots.HEIGHT, one.getHeight());
        assertThrows(IllegalArgumentException.class, () -> Plots.trainingCurves(List.of()));
    }

    @Test
    void niceTicksCoverTheRange() {
        // The smallest step of 1, 2, 2.5, 5 x 10^k giving at most `target` intervals.
        double[] t = Canvas.niceTicks(0.37, 2.91, 5);
        assertTrue(t[0] <= 0.37 && t[t.length - 1] >= 2.91);
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0), java.util.Arrays.stream(t).boxed().toList());
        double[] u = Canvas.niceTicks(0, 2.4, 5);
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0, 2.5), java.util.Arrays.stream(u).boxed().toList());
        Map<Double, String> labels = new LinkedHashMap<>();
        labels.put(0.25, Canvas.tickLabel(0.25, 0.25));
        assertEquals("0.25", labels.get(0.25));
        assertEquals("3", Canvas.tickLabel(3, 1));
        assertEquals(new Color(0xF7FBFF), Plots.ramp(0));
        assertEquals(new Color(0x08306B), Plots.ramp(1));
    }
}
