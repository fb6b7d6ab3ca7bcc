package org.ascspark.training.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.ascspark.training.report.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ablation table from given rows: the numbers in its Markdown and CSV, and its HTML page in
 * headless Chromium (the table in the DOM, both charts drawn). The browser part skips without
 * Chromium.
 */
class AblationTableBrowserTest {
  @TempDir Path tmp;

  static Ablation.Row row(String set, List<String> members, double real, double seen, double unseen) {
    Map<String, Ablation.GroupScore> g = new LinkedHashMap<>();
    g.put("real", new Ablation.GroupScore(100, real, real - 0.01, 1.5));
    g.put("seen", new Ablation.GroupScore(100, seen, seen - 0.01, 1.7));
    g.put("unseen", new Ablation.GroupScore(100, unseen, unseen - 0.01, 1.9));
    double all = (real + seen + unseen) / 3;
    return new Ablation.Row(set, members, members.isEmpty() ? "[]" : "[[" + String.join("], [", members) + "]]",
        "runs/" + set, "runs/" + set + "/last.zip", 10, 7800, 300, all, all - 0.01, 1.7 - all, g, false);
  }

  @Test
  void tableNumbersAndThePageInABrowser() throws Exception {
    AblationConfig cfg = new AblationConfig("clips", tmp.toString(),
        Map.of("fftbin", List.of(List.of("fftbin")), "mp3", List.of(List.of("mp3"))),
        List.of(new AblationConfig.AugmentationSet("none", List.of())), "none", "last", false, 1);
    List<Ablation.Row> rows = List.of(row("none", List.of(), 0.60, 0.50, 0.30),
        row("fftbin", List.of("fftbin"), 0.62, 0.55, 0.42), row("mp3", List.of("mp3"), 0.58, 0.52, 0.31),
        row("all", List.of("fftbin", "mp3"), 0.63, 0.56, 0.45));
    AblationTable.Files files = AblationTable.write(tmp, cfg, rows);

    String md = Files.readString(files.markdown());
    assertTrue(md.contains("| fftbin | `[[fftbin]]` | 53.0% | 52.0% | 62.0% | 61.0% | 55.0% | 54.0% | 42.0% | 41.0% |"
        + " 1.170 | +6.3 | +2.0 | +5.0 | +12.0 | -0.063 | 10 | 7,800 |"), md);
    List<String> csv = Files.readAllLines(files.csv());
    assertEquals("all,fftbin+mp3,\"[[fftbin], [mp3]]\",300,0.546667,0.536667,0.630000,0.620000,0.560000,0.550000,"
        + "0.450000,0.440000,1.153333,0.080000,0.030000,0.060000,0.150000,-0.080000,10,7800,runs/all", csv.get(4));

    HeadlessChromium chromium = HeadlessChromium.find(tmp);
    assumeTrue(chromium != null, "no chromium on PATH (apt-get install chromium); skipping the browser check");
    String url = files.html().toUri().toString();
    String dom = chromium.run("--dump-dom", url);
    assertTrue(dom.contains("<table id=\"results\">") && dom.contains("+12.0"), dom);
    assertTrue(dom.contains("id=\"accuracy-chart\"") && dom.contains("id=\"delta-chart\""), dom);
    Path shot = tmp.resolve("shot.png");
    chromium.run("--screenshot=" + shot, "--window-size=1000,1600", url);
    BufferedImage img = ImageIO.read(shot.toFile());
    assertTrue(HeadlessChromium.nonBackground(img) > 0.05, "the page looks blank");
    assertTrue(HeadlessChromium.pixelsOf(img, 0xE15759) > 500, "the unseen-group bars are not drawn");
  }
}
