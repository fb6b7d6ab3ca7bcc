package org.ascspark.training.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases, invariants and validation for {@link Metrics}. Exact values are compared with
 * an absolute tolerance of 1e-12 (sums of a handful of logarithms in double precision).
 */
class MetricsTest {

    private static final double TOL = 1e-12;
    private static final List<String> ABC = List.of("airport", "bus", "park");

    /**
     * 6 items, 3 classes, 2 devices. Predictions by hand:
     * item 0 (a) true 0 -> 0 ok; 1 (b) true 0 -> 1; 2 (a) true 1 -> 1 ok; 3 (b) true 1, tie 0/1 -> 0;
     * 4 (a) true 2 -> 2 ok; 5 (b) true 2, unnormalised [2,1,1] -> q = [.5,.25,.25] -> 0.
     */
    private static List<Prediction> six() {
        return List.of(
                new Prediction("f0.wav", 0, "a", new double[] {0.7, 0.2, 0.1}),
                new Prediction("f1.wav", 0, "b", new double[] {0.2, 0.5, 0.3}),
                new Prediction("f2.wav", 1, "a", new double[] {0.1, 0.8, 0.1}),
                new Prediction("f3.wav", 1, "b", new double[] {0.4, 0.4, 0.2}),
                new Prediction("f4.wav", 2, "a", new double[] {0.25, 0.25, 0.5}),
                new Prediction("f5.wav", 2, "b", new double[] {2.0, 1.0, 1.0}));
    }

    private static double nl(double p) {
        return -Math.log(p);
    }

    @Test
    void handComputedSixItems() {
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        groups.put("real", Set.of("a"));
        groups.put("seen", Set.of("b"));
        MetricsResult r = Metrics.compute(six(), ABC, groups);

        assertEquals(6, r.numItems());
        assertEquals(3, r.numClasses());
        assertEquals(0.5, r.accuracyMicro(), TOL);
        assertEquals(0.5, r.accuracyMacro(), TOL);
        double all = (nl(0.7) + nl(0.2) + nl(0.8) + nl(0.4) + nl(0.5) + nl(0.25)) / 6;
        assertEquals(all, r.logLoss(), TOL);
        assertEquals(all, r.logLossMacro(), TOL); // balanced: 2 items per class

        double[] classLoss = {(nl(0.7) + nl(0.2)) / 2, (nl(0.8) + nl(0.4)) / 2, (nl(0.5) + nl(0.25)) / 2};
        for (int c = 0; c < 3; c++) {
            MetricsResult.ClassMetrics cm = r.classes().get(c);
            assertEquals(ABC.get(c), cm.name());
            assertEquals(c, cm.index());
            assertEquals(2, cm.count());
            assertEquals(1, cm.correct());
            assertEquals(0.5, cm.accuracy(), TOL);
            assertEquals(classLoss[c], cm.logLoss(), TOL);
        }

        assertEquals(List.of("a", "b"), new ArrayList<>(r.devices().keySet()));
        MetricsResult.DeviceMetrics a = r.devices().get("a");
        MetricsResult.DeviceMetrics b = r.devices().get("b");
        assertEquals(3, a.count());
        assertEquals(3, a.correct());
        assertEquals(1.0, a.accuracy(), TOL);
        assertEquals((nl(0.7) + nl(0.8) + nl(0.5)) / 3, a.logLoss(), TOL);
        assertEquals(3, b.count());
        assertEquals(0, b.correct());
        assertEquals(0.0, b.accuracy(), TOL);
        assertEquals((nl(0.2) + nl(0.4) + nl(0.25)) / 3, b.logLoss(), TOL);

        assertArrayEquals(new long[][] {{1, 1, 0}, {1, 1, 0}, {1, 0, 1}}, r.confusion());

        assertEquals(List.of("real", "seen"), new ArrayList<>(r.groups().keySet()));
        MetricsResult.GroupMetrics real = r.groups().get("real");
        assertEquals(List.of("a"), real.devices());
        assertEquals(3, real.count());
        assertEquals(1.0, real.accuracyMicro(), TOL);
        assertEquals(1.0, real.accuracyMacro(), TOL);
        assertEquals(a.logLoss(), real.logLoss(), TOL);
        MetricsResult.GroupMetrics seen = r.groups().get("seen");
        assertEquals(0.0, seen.accuracyMicro(), TOL);
        assertEquals(0.0, seen.accuracyMacro(), TOL);
        assertEquals(b.logLoss(), seen.logLoss(), TOL);
    }

    @Test
    void ungroupedDevicesGoToOtherAndUnseenGroupIsEmpty() {
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        groups.put("real", Set.of("a", "c"));
        groups.put("unseen", Set.of("s4", "s5"));
        MetricsResult r = Metrics.compute(six(), ABC, groups);
        assertEquals(List.of("real", "unseen", Metrics.OTHER_GROUP), new ArrayList<>(r.groups().keySet()));
        MetricsResult.GroupMetrics real = r.groups().get("real");
        assertEquals(List.of("a", "c"), real.devices());
        assertEquals(3, real.count());
        MetricsResult.GroupMetrics unseen = r.groups().get("unseen");
        assertEquals(0, unseen.count());
        assertTrue(Double.isNaN(unseen.accuracyMicro()));
        assertTrue(Double.isNaN(unseen.logLoss()));
        MetricsResult.GroupMetrics other = r.groups().get(Metrics.OTHER_GROUP);
        assertEquals(List.of("b"), other.devices());
        assertEquals(3, other.count());
        assertEquals(0.0, other.accuracyMicro(), TOL);

        MetricsResult noGroups = Metrics.compute(six(), ABC);
        assertTrue(noGroups.groups().isEmpty());
    }

    @Test
    void macroExcludesEmptyClassesAndDiffersFromMicroWhenImbalanced() {
        // 3 items of class 0 all right, 1 item of class 1 predicted 0; class 2 has no items.
        List<Prediction> ps = List.of(
                new Prediction("x0", 0, "a", new double[] {0.6, 0.3, 0.1}),
                new Prediction("x1", 0, "a", new double[] {0.5, 0.25, 0.25}),
                new Prediction("x2", 0, "a", new double[] {0.9, 0.05, 0.05}),
                new Prediction("x3", 1, "a", new double[] {0.8, 0.1, 0.1}));
        MetricsResult r = Metrics.compute(ps, ABC);
        assertEquals(0.75, r.accuracyMicro(), TOL);
        assertEquals(0.5, r.accuracyMacro(), TOL); // (1 + 0) / 2, class 2 excluded
        double c0 = (nl(0.6) + nl(0.5) + nl(0.9)) / 3;
        double c1 = nl(0.1);
        assertEquals((3 * c0 + c1) / 4, r.logLoss(), TOL);
        assertEquals((c0 + c1) / 2, r.logLossMacro(), TOL);
        assertEquals(0, r.classes().get(2).count());
        assertTrue(Double.isNaN(r.classes().get(2).accuracy()));
        assertTrue(Double.isNaN(r.classes().get(2).logLoss()));
    }

    @Test
    void perfectPredictionsClipAtOneMinusEps() {
        List<Prediction> ps = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            double[] p = new double[3];
            p[i % 3] = 1.0;
            ps.add(new Prediction("p" + i, i % 3, i < 5 ? "a" : "b", p));
        }
        MetricsResult r = Metrics.compute(ps, ABC);
        assertEquals(1.0, r.accuracyMicro(), 0.0);
        assertEquals(1.0, r.accuracyMacro(), 0.0);
        assertEquals(-Math.log(1 - Metrics.LOG_LOSS_EPS), r.logLoss(), 1e-30);
        assertTrue(r.logLoss() > 0 && r.logLoss() < 2e-15);
    }

    @Test
    void zeroTrueProbabilityClipsAtEps() {
        double loss = Metrics.logLoss(new double[] {0.0, 1.0, 0.0}, 0);
        assertEquals(-Math.log(1e-15), loss, TOL);
        assertEquals(34.538776394910684, loss, TOL);
    }

    @Test
    void uniformPredictionsGiveLnK() {
        int k = 4;
        List<String> names = List.of("w", "x", "y", "z");
        List<Prediction> ps = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            double[] p = {0.25, 0.25, 0.25, 0.25};
            ps.add(new Prediction("u" + i, i % k, "d" + (i % 3), p));
        }
        MetricsResult r = Metrics.compute(ps, names);
        assertEquals(Math.log(k), r.logLoss(), TOL);
        for (MetricsResult.DeviceMetrics d : r.devices().values()) {
            assertEquals(Math.log(k), d.logLoss(), TOL);
        }
        // ties everywhere: every item predicted as class 0
        long[][] cm = r.confusion();
        for (int t = 0; t < k; t++) {
            for (int p = 1; p < k; p++) {
                assertEquals(0, cm[t][p]);
            }
        }
    }

    @Test
    void argmaxTiesGoToLowestIndex() {
        assertEquals(0, Metrics.argmax(new double[] {0.5, 0.5}));
        assertEquals(1, Metrics.argmax(new double[] {0.1, 0.45, 0.45}));
        assertEquals(2, Metrics.argmax(new double[] {0.1, 0.2, 0.7}));
    }

    @Test
    void invariantsOnRandomData() {
        Random rnd = new Random(7);
        int k = 10;
        List<String> names = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            names.add("c" + c);
        }
        String[] devs = {"a", "b", "c", "s1", "s2", "s3", "s4", "s5", "s6", "zz"};
        List<Prediction> ps = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            double[] p = new double[k];
            for (int c = 0; c < k; c++) {
                p[c] = rnd.nextDouble();
            }
            ps.add(new Prediction("r" + i, i % k, devs[rnd.nextInt(devs.length)], p));
        }
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        groups.put("real", Set.of("a", "b", "c"));
        groups.put("seen", Set.of("s1", "s2", "s3"));
        groups.put("unseen", Set.of("s4", "s5", "s6"));
        MetricsResult r = Metrics.compute(ps, names, groups);

        // balanced classes (50 each): macro == micro for accuracy and log loss
        assertEquals(r.accuracyMicro(), r.accuracyMacro(), TOL);
        assertEquals(r.logLoss(), r.logLossMacro(), TOL);

        long sum = 0;
        long diag = 0;
        long[][] cm = r.confusion();
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                sum += cm[t][p];
            }
            diag += cm[t][t];
        }
        assertEquals(500, sum);
        assertEquals(r.accuracyMicro(), diag / 500.0, TOL);

        // devices and groups (with "other") partition the items, correct counts and loss sums
        long dn = 0;
        long dc = 0;
        double dl = 0;
        for (MetricsResult.DeviceMetrics d : r.devices().values()) {
            dn += d.count();
            dc += d.correct();
            dl += d.logLoss() * d.count();
        }
        assertEquals(500, dn);
        assertEquals(diag, dc);
        assertEquals(r.logLoss() * 500, dl, 1e-9);
        assertEquals(List.of("real", "seen", "unseen", "other"), new ArrayList<>(r.groups().keySet()));
        assertEquals(List.of("zz"), r.groups().get("other").devices());
        long gn = 0;
        long gc = 0;
        double gl = 0;
        for (MetricsResult.GroupMetrics g : r.groups().values()) {
            gn += g.count();
            gc += g.correct();
            gl += g.logLoss() * g.count();
        }
        assertEquals(500, gn);
        assertEquals(diag, gc);
        assertEquals(r.logLoss() * 500, gl, 1e-9);

        // order of the items does not matter
        List<Prediction> shuffled = new ArrayList<>(ps);
        Collections.shuffle(shuffled, new Random(3));
        MetricsResult s = Metrics.compute(shuffled, names, groups);
        assertEquals(r.accuracyMicro(), s.accuracyMicro(), 0.0);
        assertEquals(r.logLoss(), s.logLoss(), TOL);
        assertArrayEquals(r.confusion(), s.confusion());
    }

    @Test
    void arraysAndFloatsGiveTheSameResult() {
        List<Prediction> ps = six();
        int[] labels = new int[6];
        String[] devices = new String[6];
        double[][] probs = new double[6][];
        for (int i = 0; i < 6; i++) {
            labels[i] = ps.get(i).trueLabel();
            devices[i] = ps.get(i).device();
            probs[i] = ps.get(i).probs();
        }
        MetricsResult fromArrays = Metrics.compute(labels, devices, probs, ABC, Map.of());
        MetricsResult fromList = Metrics.compute(ps, ABC);
        assertEquals(fromList, fromArrays);

        Prediction f = Prediction.ofFloats("f", 1, "a", new float[] {0.25f, 0.5f, 0.25f});
        assertArrayEquals(new double[] {0.25, 0.5, 0.25}, f.probs(), 0.0);
    }

    @Test
    void resultIsImmutable() {
        double[] p = {0.7, 0.2, 0.1};
        Prediction pr = new Prediction("f", 0, "a", p);
        p[0] = 0.0;
        assertEquals(0.7, pr.probs()[0], 0.0);
        MetricsResult r = Metrics.compute(List.of(pr), ABC);
        r.confusion()[0][0] = 99;
        assertEquals(1, r.confusion()[0][0]);
        assertThrows(UnsupportedOperationException.class, () -> r.classes().clear());
        assertThrows(UnsupportedOperationException.class, () -> r.devices().clear());
    }

    @Test
    void validationErrors() {
        Prediction ok = new Prediction("f", 0, "a", new double[] {0.5, 0.3, 0.2});
        assertMessage("no predictions", () -> Metrics.compute(List.of(), ABC));
        assertMessage("length 2, expected 3",
                () -> Metrics.compute(List.of(ok, new Prediction("g", 0, "a", new double[] {0.5, 0.5})), ABC));
        assertMessage("is NaN",
                () -> Metrics.compute(List.of(new Prediction("g", 0, "a", new double[] {Double.NaN, 0.5, 0.5})), ABC));
        assertMessage("is -0.1",
                () -> Metrics.compute(List.of(new Prediction("g", 0, "a", new double[] {-0.1, 0.6, 0.5})), ABC));
        assertMessage("is Infinity", () -> Metrics.compute(
                List.of(new Prediction("g", 0, "a", new double[] {Double.POSITIVE_INFINITY, 0, 0})), ABC));
        assertMessage("sum to 0",
                () -> Metrics.compute(List.of(new Prediction("g", 0, "a", new double[] {0, 0, 0})), ABC));
        assertMessage("true label index 3 out of range [0, 3)",
                () -> Metrics.compute(List.of(new Prediction("g", 3, "a", new double[] {0.5, 0.3, 0.2})), ABC));
        assertMessage("true label index -1 out of range",
                () -> Metrics.compute(List.of(new Prediction("g", -1, "a", new double[] {0.5, 0.3, 0.2})), ABC));
        assertMessage("clip g", // the message names the offending clip
                () -> Metrics.compute(List.of(ok, new Prediction("g", 7, "a", new double[] {0.5, 0.3, 0.2})), ABC));
        assertMessage("classNames is empty", () -> Metrics.compute(List.of(ok), List.of()));
        assertMessage("duplicates", () -> Metrics.compute(List.of(ok), List.of("x", "x", "y")));
        assertMessage("two groups", () -> Metrics.compute(List.of(ok), ABC,
                Map.of("real", Set.of("a", "b"), "seen", Set.of("b"))));
        assertMessage("reserved", () -> Metrics.compute(List.of(ok), ABC, Map.of("other", Set.of("a"))));
        assertMessage("has no devices", () -> Metrics.compute(List.of(ok), ABC, Map.of("real", Set.of())));
        assertMessage("array lengths differ", () -> Metrics.compute(new int[] {0}, new String[] {"a", "b"},
                new double[][] {{1, 0, 0}}, ABC, Map.of()));
        assertMessage("device must not be empty", () -> new Prediction("g", 0, "", new double[] {1, 0, 0}));
    }

    static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
