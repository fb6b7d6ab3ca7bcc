package org.ascspark.training.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.ascspark.training.eval.MetricsResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real browser (issue 7 item 4): headless Chromium (Debian's {@code chromium},
 * installed by {@code .ci/run}) renders the page written by {@link HtmlReport#write}; the rendered DOM
 * must hold the results table with the accuracy, and the screenshot must show the page and the device
 * accuracy chart (pixels of its "seen" bar colour, which only the chart uses). Skips when no Chromium is
 * installed.
 */
class HtmlReportBrowserTest {

    @TempDir
    Path tmp;

    @Test
    void reportRendersWithItsTableAndCharts() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find(tmp);
        assumeTrue(chromium != null, "no chromium on PATH (apt-get install chromium); skipping the browser check");
        MetricsResult m = ReportFixtures.metrics();
        Path page = HtmlReport.builder("Browser check", m).history(ReportFixtures.history()).build()
                .write(tmp.resolve("report"));
        String url = page.toUri().toString();

        String dom = chromium.run("--dump-dom", url);
        assertTrue(dom.contains("id=\"results\""), dom);
        assertTrue(dom.contains(String.format(Locale.ROOT, "%.2f %%", 100 * m.accuracyMicro())), dom);
        for (String png : List.of(HtmlReport.DEVICE_ACCURACY_PNG, HtmlReport.CONFUSION_MATRIX_PNG,
                HtmlReport.TRAINING_CURVES_PNG)) {
            assertTrue(dom.contains("src=\"" + png + "\""), png);
        }

        Path shot = tmp.resolve("shot.png");
        chromium.run("--screenshot=" + shot, "--window-size=1000,2600", url);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1000, img.getWidth());
        double fraction = HeadlessChromium.nonBackground(img);
        long seenBars = HeadlessChromium.pixelsOf(img, 0xF28E2B);
        assertTrue(fraction > 0.05, "the page looks blank: " + fraction + " of the pixels are not background");
        assertTrue(seenBars > 1000, "the device accuracy chart is not on the page (" + seenBars + " bar pixels)");
    }
}
