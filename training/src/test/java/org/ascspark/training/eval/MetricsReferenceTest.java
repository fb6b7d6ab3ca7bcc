package org.ascspark.training.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compares {@link Metrics} with an independent float64 numpy implementation
 * ({@code tools/reference/make_metric_refs.py}, numpy 2.4.6): 60 items, 5 classes (one never a true
 * label), 8 devices (one in no group), unnormalised rows, a tie, a zero and a one true probability.
 * Tolerance: atol 1e-12 (means of at most 60 logarithms; numpy and Java agree to a few ulps), counts exact.
 * Also checks that {@link MetricsJson} renders the same numbers.
 */
class MetricsReferenceTest {

    private static final double TOL = 1e-12;
    private static JsonNode ref;
    private static MetricsResult result;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = MetricsReferenceTest.class.getResourceAsStream("/metric-reference/metrics-ref.json")) {
            assertNotNull(in, "metric-reference/metrics-ref.json missing from test resources");
            ref = new ObjectMapper().readTree(in);
        }
        List<String> classNames = new ArrayList<>();
        ref.get("class_names").forEach(n -> classNames.add(n.asText()));
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        ref.get("groups").fields().forEachRemaining(e -> {
            Set<String> ds = new TreeSet<>();
            e.getValue().forEach(d -> ds.add(d.asText()));
            groups.put(e.getKey(), ds);
        });
        int n = ref.get("labels").size();
        List<Prediction> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JsonNode row = ref.get("probs").get(i);
            double[] p = new double[row.size()];
            for (int c = 0; c < p.length; c++) {
                p[c] = row.get(c).asDouble();
            }
            ps.add(new Prediction("clip" + i, ref.get("labels").get(i).asInt(), ref.get("devices").get(i).asText(), p));
        }
        result = Metrics.compute(ps, classNames, groups);
    }

    @Test
    void perItemLossesAndPredictions() {
        JsonNode exp = ref.get("expected");
        for (int i = 0; i < ref.get("labels").size(); i++) {
            JsonNode row = ref.get("probs").get(i);
            double[] p = new double[row.size()];
            for (int c = 0; c < p.length; c++) {
                p[c] = row.get(c).asDouble();
            }
            int label = ref.get("labels").get(i).asInt();
            assertEquals(exp.get("item_log_loss").get(i).asDouble(), Metrics.logLoss(p, label), TOL, "item " + i);
            assertEquals(exp.get("predicted").get(i).asInt(), Metrics.argmax(p), "item " + i);
        }
    }

    @Test
    void overallClassDeviceGroupAndConfusion() {
        JsonNode exp = ref.get("expected");
        JsonNode o = exp.get("overall");
        assertEquals(o.get("count").asInt(), result.numItems());
        assertEquals(o.get("accuracy_micro").asDouble(), result.accuracyMicro(), TOL);
        assertEquals(o.get("accuracy_macro").asDouble(), result.accuracyMacro(), TOL);
        assertEquals(o.get("log_loss").asDouble(), result.logLoss(), TOL);
        assertEquals(o.get("log_loss_macro").asDouble(), result.logLossMacro(), TOL);

        for (int c = 0; c < result.numClasses(); c++) {
            JsonNode e = exp.get("classes").get(c);
            MetricsResult.ClassMetrics m = result.classes().get(c);
            assertEquals(e.get("count").asLong(), m.count());
            assertEquals(e.get("correct").asLong(), m.correct());
            if (e.get("accuracy").isNull()) {
                assertTrue(Double.isNaN(m.accuracy()) && Double.isNaN(m.logLoss()));
            } else {
                assertEquals(e.get("accuracy").asDouble(), m.accuracy(), TOL);
                assertEquals(e.get("log_loss").asDouble(), m.logLoss(), TOL);
            }
        }
        List<String> expDevices = new ArrayList<>();
        exp.get("devices").fieldNames().forEachRemaining(expDevices::add);
        assertEquals(expDevices, new ArrayList<>(result.devices().keySet()));
        for (String d : expDevices) {
            JsonNode e = exp.get("devices").get(d);
            MetricsResult.DeviceMetrics m = result.devices().get(d);
            assertEquals(e.get("count").asLong(), m.count());
            assertEquals(e.get("correct").asLong(), m.correct());
            assertEquals(e.get("accuracy").asDouble(), m.accuracy(), TOL);
            assertEquals(e.get("log_loss").asDouble(), m.logLoss(), TOL);
        }
        List<String> expGroups = new ArrayList<>();
        exp.get("groups").fieldNames().forEachRemaining(expGroups::add);
        assertEquals(expGroups, new ArrayList<>(result.groups().keySet()));
        for (String g : expGroups) {
            JsonNode e = exp.get("groups").get(g);
            MetricsResult.GroupMetrics m = result.groups().get(g);
            List<String> devs = new ArrayList<>();
            e.get("devices").forEach(d -> devs.add(d.asText()));
            assertEquals(devs, m.devices(), g);
            assertEquals(e.get("count").asLong(), m.count(), g);
            assertEquals(e.get("correct").asLong(), m.correct(), g);
            assertEquals(e.get("accuracy_micro").asDouble(), m.accuracyMicro(), TOL, g);
            assertEquals(e.get("accuracy_macro").asDouble(), m.accuracyMacro(), TOL, g);
            assertEquals(e.get("log_loss").asDouble(), m.logLoss(), TOL, g);
            assertEquals(e.get("log_loss_macro").asDouble(), m.logLossMacro(), TOL, g);
        }
        long[][] cm = result.confusion();
        for (int t = 0; t < cm.length; t++) {
            long[] row = new long[cm.length];
            for (int p = 0; p < cm.length; p++) {
                row[p] = exp.get("confusion").get(t).get(p).asLong();
            }
            assertArrayEquals(row, cm[t], "confusion row " + t);
        }
    }

    @Test
    void jsonRendersTheSameNumbersAndNullForNaN() throws IOException {
        String json = MetricsJson.render(result);
        assertTrue(!json.contains("\r"), "LF only");
        JsonNode j = new ObjectMapper().readTree(json);
        assertEquals(result.numItems(), j.get("num_items").asInt());
        assertEquals(result.accuracyMacro(), j.get("accuracy_macro").asDouble(), 0.0);
        assertEquals(result.logLoss(), j.get("log_loss").asDouble(), 0.0);
        assertEquals(1e-15, j.get("log_loss_eps").asDouble(), 0.0);
        assertTrue(j.get("classes").get(4).get("accuracy").isNull(), "class with no items -> null");
        assertEquals(result.groups().get("other").count(), j.get("device_groups").get("other").get("count").asLong());
        assertEquals(result.devices().get("a").logLoss(), j.get("devices").get("a").get("log_loss").asDouble(), 0.0);
        assertEquals(result.confusion()[2][3], j.get("confusion_matrix").get(2).get(3).asLong());
        assertEquals("[true][predicted]", j.get("confusion_matrix_axes").asText());
    }
}
