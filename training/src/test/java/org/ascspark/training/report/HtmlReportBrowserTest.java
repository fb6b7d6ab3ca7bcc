package org.ascspark.training.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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

    private static String chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }

    private String run(String chromium, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--user-data-dir=" + tmp.resolve("profile")));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("stdout.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(tmp.resolve("stderr.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish in 120 s");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("stderr.txt")));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void reportRendersWithItsTableAndCharts() throws Exception {
        String chromium = chromium();
        assumeTrue(chromium != null, "no chromium on PATH (apt-get install chromium); skipping the browser check");
        MetricsResult m = ReportFixtures.metrics();
        Path page = HtmlReport.builder("Browser check", m).history(ReportFixtures.history()).build()
                .write(tmp.resolve("report"));
        String url = page.toUri().toString();

        String dom = run(chromium, "--dump-dom", url);
        assertTrue(dom.contains("id=\"results\""), dom);
        assertTrue(dom.contains(String.format(Locale.ROOT, "%.2f %%", 100 * m.accuracyMicro())), dom);
        for (String png : List.of(HtmlReport.DEVICE_ACCURACY_PNG, HtmlReport.CONFUSION_MATRIX_PNG,
                HtmlReport.TRAINING_CURVES_PNG)) {
            assertTrue(dom.contains("src=\"" + png + "\""), png);
        }

        Path shot = tmp.resolve("shot.png");
        run(chromium, "--screenshot=" + shot, "--window-size=1000,2600", url);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1000, img.getWidth());
        long nonWhite = 0;
        long seenBars = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                if (rgb != 0xFFFFFF && rgb != 0xFAFAFA) {
                    nonWhite++;
                }
                if (close(rgb, 0xF28E2B)) {
                    seenBars++;
                }
            }
        }
        double fraction = nonWhite / (double) (img.getWidth() * img.getHeight());
        assertTrue(fraction > 0.05, "the page looks blank: " + fraction + " of the pixels are not background");
        assertTrue(seenBars > 1000, "the device accuracy chart is not on the page (" + seenBars + " bar pixels)");
    }

    private static boolean close(int rgb, int target) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xFF) - ((target >> shift) & 0xFF)) > 6) {
                return false;
            }
        }
        return true;
    }
}
