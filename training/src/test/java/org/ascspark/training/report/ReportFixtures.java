package org.ascspark.training.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.ascspark.training.eval.Metrics;
import org.ascspark.training.eval.MetricsResult;
import org.ascspark.training.eval.Prediction;

/** Deterministic evaluation results and histories for the report tests. */
final class ReportFixtures {

    /** A class name that would run script if it were not escaped. */
    static final String EVIL = "<script>alert('x')</script>&\"park\"";

    private ReportFixtures() {
    }

    /**
     * 4 classes (one of them {@link #EVIL}), devices a, b, s1, s2, s3 and x (x in no group, so
     * summarised under "other"), groups real = {a, b}, seen = {s1, s2}, unseen = {s3}; 40 items per
     * device; about 70 % correct (seeded).
     */
    static MetricsResult metrics() {
        List<String> classes = List.of("airport", "bus", EVIL, "metro_station");
        String[] devices = {"a", "b", "s1", "s2", "s3", "x"};
        Random rnd = new Random(12345);
        List<Prediction> preds = new ArrayList<>();
        for (String d : devices) {
            for (int i = 0; i < 40; i++) {
                int label = i % classes.size();
                double[] p = new double[classes.size()];
                for (int k = 0; k < p.length; k++) {
                    p[k] = 0.05 + rnd.nextDouble() * 0.2;
                }
                int predicted = rnd.nextDouble() < (d.startsWith("s") ? 0.55 : 0.8) ? label : rnd.nextInt(p.length);
                p[predicted] += 1.0;
                preds.add(new Prediction(d + "-" + i, label, d, p));
            }
        }
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        groups.put("real", Set.of("a", "b"));
        groups.put("seen", Set.of("s1", "s2"));
        groups.put("unseen", Set.of("s3"));
        return Metrics.compute(preds, classes, groups);
    }

    /** 12 epochs of falling loss and rising accuracy; epoch 1 has no validation (NaN). */
    static List<EpochRecord> history() {
        List<EpochRecord> h = new ArrayList<>();
        for (int e = 1; e <= 12; e++) {
            double val = e == 1 ? Double.NaN : 1.6 / Math.sqrt(e) + 0.05 * Math.sin(e);
            double acc = e == 1 ? Double.NaN : 0.3 + 0.35 * (1 - Math.exp(-e / 4.0));
            h.add(new EpochRecord(e, 1.5 / Math.sqrt(e), val, acc, 1e-3 * Math.pow(0.9, e), 120.5 + e, 31.25));
        }
        return h;
    }
}
