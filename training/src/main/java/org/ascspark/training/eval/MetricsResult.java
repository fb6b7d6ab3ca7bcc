package org.ascspark.training.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable result of {@link Metrics#compute}: overall, class-wise, device-wise and device-group
 * accuracy and log loss, and the confusion matrix.
 *
 * <p>Conventions (see {@link Metrics} for the formulas): accuracies are fractions in [0, 1], not
 * percentages; log losses are in nats (natural log), clipped at {@link Metrics#LOG_LOSS_EPS}. A
 * summary over zero items (a class with no items, a group whose devices do not occur) has
 * {@code count == 0} and {@code NaN} accuracies and log losses; {@link #toMap()} renders those as
 * {@code null}.
 *
 * @param numItems      number of predictions N (&gt; 0)
 * @param classNames    class names [K] in the model's label order
 * @param accuracyMicro correct / N
 * @param accuracyMacro mean of the class-wise accuracies over the classes that have at least one item
 * @param logLoss       mean over all N items of the per-item log loss (sklearn {@code log_loss})
 * @param logLossMacro  mean of the class-wise log losses over the classes that have at least one item
 * @param classes       class-wise summaries [K] in label order
 * @param devices       device-wise summaries keyed by device name, in ascending name order
 * @param groups        device-group summaries keyed by group name, in the order the groups were given,
 *                      followed by {@link Metrics#OTHER_GROUP} when some devices belong to no group;
 *                      empty when no groups were given
 * @param confusion     confusion matrix counts [K true][K predicted]; its entries sum to N
 */
public record MetricsResult(
        int numItems,
        List<String> classNames,
        double accuracyMicro,
        double accuracyMacro,
        double logLoss,
        double logLossMacro,
        List<ClassMetrics> classes,
        Map<String, DeviceMetrics> devices,
        Map<String, GroupMetrics> groups,
        long[][] confusion) {

    /** Copies every collection and the matrix so the result cannot change afterwards. */
    public MetricsResult {
        classNames = List.copyOf(classNames);
        classes = List.copyOf(classes);
        devices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(devices));
        groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        confusion = deepCopy(confusion);
    }

    /**
     * Summary of the items whose true class is one class.
     *
     * @param name     class name
     * @param index    class index in the label order
     * @param count    items with this true class
     * @param correct  of those, items predicted as this class
     * @param accuracy correct / count (class-wise accuracy = recall), NaN when count == 0
     * @param logLoss  mean log loss over those items, NaN when count == 0
     */
    public record ClassMetrics(String name, int index, long count, long correct, double accuracy,
                               double logLoss) {
    }

    /**
     * Summary of the items recorded with one device.
     *
     * @param device   device name
     * @param count    items from this device
     * @param correct  of those, items predicted correctly
     * @param accuracy correct / count (micro over that device's items)
     * @param logLoss  mean log loss over that device's items
     */
    public record DeviceMetrics(String device, long count, long correct, double accuracy, double logLoss) {
    }

    /**
     * Summary of the items recorded with any device of one group.
     *
     * @param group         group name
     * @param devices       the group's devices, ascending: as configured for a given group, as observed
     *                      for {@link Metrics#OTHER_GROUP}
     * @param count         items from the group's devices
     * @param correct       of those, items predicted correctly
     * @param accuracyMicro correct / count; NaN when count == 0
     * @param accuracyMacro mean over classes with at least one item in the group of the class-wise
     *                      accuracy within the group; NaN when count == 0
     * @param logLoss       mean log loss over the group's items; NaN when count == 0
     * @param logLossMacro  mean over classes with items in the group of the class-wise log loss within
     *                      the group; NaN when count == 0
     */
    public record GroupMetrics(String group, List<String> devices, long count, long correct,
                               double accuracyMicro, double accuracyMacro, double logLoss,
                               double logLossMacro) {
        /** Copies the device list. */
        public GroupMetrics {
            devices = List.copyOf(devices);
        }
    }

    /** @return number of classes K */
    public int numClasses() {
        return classNames.size();
    }

    /** @return a copy of the confusion matrix [K true][K predicted] */
    @Override
    public long[][] confusion() {
        return deepCopy(confusion);
    }

    /**
     * Plain-value view for JSON: nested {@link LinkedHashMap}s, {@link List}s, {@link String}s,
     * {@link Number}s and {@code null} (for NaN), with keys in a fixed order. Keys use snake_case.
     *
     * @return a new mutable map; changing it does not change this result
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_items", numItems);
        m.put("num_classes", numClasses());
        m.put("class_names", new ArrayList<>(classNames));
        m.put("accuracy_micro", num(accuracyMicro));
        m.put("accuracy_macro", num(accuracyMacro));
        m.put("log_loss", num(logLoss));
        m.put("log_loss_macro", num(logLossMacro));
        m.put("log_loss_eps", Metrics.LOG_LOSS_EPS);
        List<Object> cl = new ArrayList<>();
        for (ClassMetrics c : classes) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("class", c.name());
            e.put("index", c.index());
            e.put("count", c.count());
            e.put("correct", c.correct());
            e.put("accuracy", num(c.accuracy()));
            e.put("log_loss", num(c.logLoss()));
            cl.add(e);
        }
        m.put("classes", cl);
        Map<String, Object> dv = new LinkedHashMap<>();
        for (DeviceMetrics d : devices.values()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("count", d.count());
            e.put("correct", d.correct());
            e.put("accuracy", num(d.accuracy()));
            e.put("log_loss", num(d.logLoss()));
            dv.put(d.device(), e);
        }
        m.put("devices", dv);
        Map<String, Object> gr = new LinkedHashMap<>();
        for (GroupMetrics g : groups.values()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("devices", new ArrayList<>(g.devices()));
            e.put("count", g.count());
            e.put("correct", g.correct());
            e.put("accuracy_micro", num(g.accuracyMicro()));
            e.put("accuracy_macro", num(g.accuracyMacro()));
            e.put("log_loss", num(g.logLoss()));
            e.put("log_loss_macro", num(g.logLossMacro()));
            gr.put(g.group(), e);
        }
        m.put("device_groups", gr);
        List<Object> cm = new ArrayList<>();
        for (long[] row : confusion) {
            List<Long> r = new ArrayList<>(row.length);
            for (long v : row) {
                r.add(v);
            }
            cm.add(r);
        }
        m.put("confusion_matrix", cm);
        m.put("confusion_matrix_axes", "[true][predicted]");
        return m;
    }

    private static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static long[][] deepCopy(long[][] a) {
        Objects.requireNonNull(a, "confusion");
        long[][] c = new long[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /** Value equality, comparing the confusion matrix element-wise. */
    @Override
    public boolean equals(Object o) {
        return o instanceof MetricsResult r
                && numItems == r.numItems
                && classNames.equals(r.classNames)
                && Double.compare(accuracyMicro, r.accuracyMicro) == 0
                && Double.compare(accuracyMacro, r.accuracyMacro) == 0
                && Double.compare(logLoss, r.logLoss) == 0
                && Double.compare(logLossMacro, r.logLossMacro) == 0
                && classes.equals(r.classes)
                && devices.equals(r.devices)
                && groups.equals(r.groups)
                && Arrays.deepEquals(confusion, r.confusion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(numItems, classNames, accuracyMicro, accuracyMacro, logLoss, logLossMacro,
                classes, devices, groups, Arrays.deepHashCode(confusion));
    }

    @Override
    public String toString() {
        return "MetricsResult" + toMap();
    }
}
