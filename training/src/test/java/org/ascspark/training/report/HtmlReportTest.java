package org.ascspark.training.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.ascspark.training.complexity.ComplexityReport;
import org.ascspark.training.complexity.LayerComplexity;
import org.ascspark.training.complexity.ModelComplexity;
import org.ascspark.training.eval.MetricsResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML page: sections and ids, escaping, image references that resolve, determinism. */
class HtmlReportTest {

    @TempDir
    Path tmp;

    private static ComplexityReport complexity() {
        // conv (BN folded in, +4 bias), the folded BN, and an output layer: counted by hand.
        ModelComplexity m = new ModelComplexity(List.of("1x8x10"), List.of(
                new LayerComplexity("conv1", "ConvolutionLayer", List.of("in"), "4x8x10", 36, 36, 40, 38, 36, 35,
                        2880, "BN 'bn1' folded in (+4 bias)"),
                new LayerComplexity("bn1", "BatchNormalization", List.of("conv1"), "4x8x10", 16, 8, 0, 0, 0, 0, 0,
                        "folded into 'conv1'"),
                new LayerComplexity("<out>", "OutputLayer", List.of("bn1"), "3", 21, 21, 21, 18, 18, 18, 18, "")));
        return ComplexityReport.of(m, 1.0, 10.0);
    }

    private static Map<String, String> runInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("model", "bcresnet w=8 <b>");
        info.put("feature hash", "3f2a9c");
        info.put("config", "conf/evaluate.conf");
        return info;
    }

    @Test
    void pageHasAllSectionsAndEscapesText() {
        MetricsResult m = ReportFixtures.metrics();
        String html = HtmlReport.builder("Evaluation & <test>", m)
                .runInfo(runInfo())
                .history(ReportFixtures.history())
                .complexity(complexity())
                .build()
                .render();
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        for (String id : List.of("run-info", "results", "device-groups", "devices", "classes", "confusion",
                "training", "complexity", "complexity-summary", "complexity-layers")) {
            assertTrue(html.contains("id=\"" + id + "\""), "missing id " + id);
        }
        // Escaping: the malicious class name, the title, run info, a layer name.
        assertFalse(html.contains("<script"), "unescaped script tag");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;park&quot;"));
        assertTrue(html.contains("<title>Evaluation &amp; &lt;test&gt;</title>"));
        assertTrue(html.contains("bcresnet w=8 &lt;b&gt;"));
        assertTrue(html.contains("&lt;out&gt;"));
        // Images by relative name.
        for (String img : List.of(HtmlReport.CONFUSION_MATRIX_PNG, HtmlReport.DEVICE_ACCURACY_PNG,
                HtmlReport.TRAINING_CURVES_PNG)) {
            assertTrue(html.contains("src=\"" + img + "\""), "image " + img + " not referenced");
        }
        // Headline numbers, formatted as the class doc says.
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.2f %%", 100 * m.accuracyMicro())));
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.4f", m.logLoss())));
        // Every device and group appears in its table.
        String devices = section(html, "devices");
        for (String d : m.devices().keySet()) {
            assertTrue(devices.contains("<td>" + d + "</td>"), "device " + d);
        }
        String groups = section(html, "device-groups");
        for (String g : List.of("real", "seen", "unseen", "other")) {
            assertTrue(groups.contains("<td>" + g + "</td>"), "group " + g);
        }
        assertEquals(4, count(section(html, "classes"), "<tr><td>"));
        // Complexity verdicts.
        assertTrue(html.contains("DCASE 2021 Task 1a</th><td><span class=\"pass\">PASS"));
        assertTrue(html.contains("non-zero parameters</th><td>56</td>"));
        assertFalse(html.contains("<script>"));
        // Same input, same bytes.
        assertEquals(html, HtmlReport.builder("Evaluation & <test>", m).runInfo(runInfo())
                .history(ReportFixtures.history()).complexity(complexity()).build().render());
    }

    @Test
    void writeProducesPageAndEveryReferencedImage() throws Exception {
        Path dir = tmp.resolve("report");
        Path page = HtmlReport.builder("Run", ReportFixtures.metrics())
                .history(ReportFixtures.history())
                .complexity(complexity().rules().toMap())
                .build()
                .write(dir);
        assertEquals(dir.resolve(HtmlReport.FILE_NAME), page);
        String html = Files.readString(page);
        Matcher src = Pattern.compile("src=\"([^\"]+)\"").matcher(html);
        List<String> images = new ArrayList<>();
        while (src.find()) {
            images.add(src.group(1));
        }
        assertEquals(3, images.size(), images.toString());
        for (String img : images) {
            Path p = dir.resolve(img);
            assertTrue(Files.exists(p), img);
            assertEquals(Plots.WIDTH, ImageIO.read(p.toFile()).getWidth());
        }
        // Complexity from a map: flattened keys.
        assertTrue(html.contains("<th>parameters</th><td>61</td>"), html);
        assertTrue(html.contains("<th>DCASE 2022 Task 1.pass</th><td>true</td>"));
        try (var files = Files.list(dir)) {
            assertEquals(4, files.count()); // no temporary files left behind
        }
    }

    @Test
    void noHistoryNoGroupsNoComplexity() {
        MetricsResult all = ReportFixtures.metrics();
        MetricsResult m = new MetricsResult(all.numItems(), all.classNames(), all.accuracyMicro(),
                all.accuracyMacro(), all.logLoss(), all.logLossMacro(), all.classes(), all.devices(), Map.of(),
                all.confusion());
        String html = HtmlReport.builder("t", m).build().render();
        assertTrue(html.contains("id=\"results\""));
        assertTrue(html.contains("No device groups were configured."));
        assertFalse(html.contains(HtmlReport.TRAINING_CURVES_PNG));
        assertFalse(html.contains("id=\"complexity\""));
        assertFalse(html.contains("id=\"run-info\""));
        assertEquals("&amp;&lt;&gt;&quot;&#39;", HtmlReport.escape("&<>\"'"));
        assertEquals("", HtmlReport.escape(null));
    }

    private static String section(String html, String id) {
        int start = html.indexOf("id=\"" + id + "\"");
        int end = html.indexOf("</table>", start);
        return html.substring(start, end);
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
