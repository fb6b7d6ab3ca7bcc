package org.ascspark.training.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Challenge metrics over a set of predictions (SPEC.md §7): accuracy (micro and macro), class-wise
 * and device-wise accuracy and log loss, device-group summaries and the confusion matrix. Plain
 * Java, no ND4J, so it can be used from any job and tested quickly.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>Predicted class</b> = argmax of the probability row; ties go to the lowest index
 *       ({@link #argmax}).</li>
 *   <li><b>Per-item log loss</b> (nats): the row is first renormalised to sum to 1,
 *       {@code q_k = p_k / sum_j p_j}; then the true-class probability is clipped,
 *       {@code q = min(max(q_true, eps), 1 - eps)} with {@code eps = }{@value #LOG_LOSS_EPS}
 *       (scikit-learn's historical default); the loss is {@code -ln(q)}. A perfect prediction
 *       therefore scores {@code -ln(1 - 1e-15) ~ 1.1e-15}, a uniform one {@code ln K}, and a zero true
 *       probability {@code -ln(1e-15) ~ 34.54}. scikit-learn &le; 1.2 clips all entries first and then
 *       renormalises; the two orders agree to about {@code K * eps} whenever {@code q_true >= eps}.</li>
 *   <li><b>Log loss</b> ({@code logLoss}, as sklearn {@code log_loss}) is the mean of the per-item
 *       losses over all items; {@code logLossMacro} is the mean of the class-wise log losses (the
 *       class-averaged form). Both are equal when the classes are balanced.</li>
 *   <li><b>Accuracy micro</b> = correct / N over all items. <b>Accuracy macro</b> = mean of the
 *       class-wise accuracies (class-wise accuracy = correct / count among items of that true class,
 *       i.e. recall). Classes with no items are <em>excluded</em> from the macro mean (their
 *       class-wise accuracy and log loss are reported as NaN, count 0).</li>
 *   <li><b>Device-wise</b> accuracy and log loss are micro over that device's items.</li>
 *   <li><b>Device groups</b> (e.g. {@code real={a,b,c}, seen={s1,s2,s3}, unseen={s4,s5,s6}}) must be
 *       disjoint and non-empty; each gets micro and macro accuracy and log loss over its devices'
 *       items, macro taken within the group over the classes present in the group. Devices present
 *       in the data but in no group are summarised under {@value #OTHER_GROUP} (listed last; omitted
 *       when every device is grouped); that name is reserved. So, whenever groups are given, the group
 *       counts partition N. A group whose devices do not occur has count 0 and NaN metrics.</li>
 * </ul>
 * Probability rows need not sum exactly to 1 (float softmax rounding, averaged segments): they must be
 * finite and non-negative with a positive sum, and of length K.
 */
public final class Metrics {

    /** Clipping bound for the true-class probability in the log loss (scikit-learn's historical default). */
    public static final double LOG_LOSS_EPS = 1e-15;

    /** Name of the summary for devices that belong to no configured group. */
    public static final String OTHER_GROUP = "other";

    private Metrics() {
    }

    /**
     * Computes all metrics without device groups.
     *
     * @param predictions one entry per clip (non-empty)
     * @param classNames  class names [K] in the model's label order (K &ge; 1, unique)
     * @return the metrics, with an empty group map
     * @throws IllegalArgumentException on empty input, a probability row of the wrong length, a NaN,
     *                                  infinite or negative probability, a row summing to 0, or a label
     *                                  index outside [0, K)
     */
    public static MetricsResult compute(List<Prediction> predictions, List<String> classNames) {
        return compute(predictions, classNames, Map.of());
    }

    /**
     * Computes all metrics from parallel arrays (item i = {@code trueLabels[i], devices[i], probs[i]}).
     *
     * @param trueLabels   true class indices [N]
     * @param devices      device names [N]
     * @param probs        probability rows [N][K]
     * @param classNames   class names [K]
     * @param deviceGroups group name to its devices; may be empty (no group summary)
     * @return the metrics
     * @throws IllegalArgumentException as {@link #compute(List, List, Map)}, or when the arrays differ
     *                                  in length
     */
    public static MetricsResult compute(int[] trueLabels, String[] devices, double[][] probs,
                                        List<String> classNames, Map<String, Set<String>> deviceGroups) {
        Objects.requireNonNull(trueLabels, "trueLabels");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(probs, "probs");
        if (trueLabels.length != devices.length || trueLabels.length != probs.length) {
            throw new IllegalArgumentException("array lengths differ: trueLabels " + trueLabels.length
                    + ", devices " + devices.length + ", probs " + probs.length);
        }
        List<Prediction> list = new ArrayList<>(trueLabels.length);
        for (int i = 0; i < trueLabels.length; i++) {
            if (probs[i] == null) {
                throw new IllegalArgumentException("probability row " + i + " is null");
            }
            list.add(new Prediction("#" + i, trueLabels[i], devices[i], probs[i]));
        }
        return compute(list, classNames, deviceGroups);
    }

    /**
     * Computes all metrics with device-group summaries.
     *
     * @param predictions  one entry per clip (non-empty)
     * @param classNames   class names [K] in the model's label order (K &ge; 1, unique)
     * @param deviceGroups group name to its devices, iterated in the map's order; groups must be
     *                     non-empty and disjoint and none may be named {@value #OTHER_GROUP}; an empty
     *                     map means no group summary
     * @return the metrics
     * @throws IllegalArgumentException on invalid input (see {@link #compute(List, List)}) or invalid
     *                                  groups
     */
    public static MetricsResult compute(List<Prediction> predictions, List<String> classNames,
                                        Map<String, Set<String>> deviceGroups) {
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(classNames, "classNames");
        Objects.requireNonNull(deviceGroups, "deviceGroups");
        if (predictions.isEmpty()) {
            throw new IllegalArgumentException("no predictions: metrics need at least one item");
        }
        int k = classNames.size();
        if (k == 0) {
            throw new IllegalArgumentException("classNames is empty");
        }
        if (new HashSet<>(classNames).size() != k) {
            throw new IllegalArgumentException("classNames has duplicates: " + classNames);
        }
        Map<String, String> groupOf = validateGroups(deviceGroups);

        int n = predictions.size();
        long[][] confusion = new long[k][k];
        Acc all = new Acc(k);
        Map<String, Acc> byDevice = new TreeMap<>();
        Map<String, Acc> byGroup = new HashMap<>();
        Set<String> otherDevices = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            Prediction p = predictions.get(i);
            if (p == null) {
                throw new IllegalArgumentException("prediction " + i + " is null");
            }
            double[] row = p.probs();
            int label = p.trueLabel();
            validateRow(row, label, k, i, p.clipId());
            int pred = argmax(row);
            double loss = itemLogLoss(row, label);
            boolean ok = pred == label;
            confusion[label][pred]++;
            all.add(label, ok, loss);
            byDevice.computeIfAbsent(p.device(), d -> new Acc(k)).add(label, ok, loss);
            if (!deviceGroups.isEmpty()) {
                String g = groupOf.get(p.device());
                if (g == null) {
                    g = OTHER_GROUP;
                    otherDevices.add(p.device());
                }
                byGroup.computeIfAbsent(g, x -> new Acc(k)).add(label, ok, loss);
            }
        }

        List<MetricsResult.ClassMetrics> classes = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            long cnt = all.classCount[c];
            classes.add(new MetricsResult.ClassMetrics(classNames.get(c), c, cnt, all.classCorrect[c],
                    cnt == 0 ? Double.NaN : (double) all.classCorrect[c] / cnt,
                    cnt == 0 ? Double.NaN : all.classLoss[c] / cnt));
        }
        Map<String, MetricsResult.DeviceMetrics> devices = new LinkedHashMap<>();
        for (Map.Entry<String, Acc> e : byDevice.entrySet()) {
            Acc a = e.getValue();
            devices.put(e.getKey(), new MetricsResult.DeviceMetrics(e.getKey(), a.count, a.correct,
                    a.microAccuracy(), a.microLoss()));
        }
        Map<String, MetricsResult.GroupMetrics> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> e : deviceGroups.entrySet()) {
            groups.put(e.getKey(), groupMetrics(e.getKey(), new TreeSet<>(e.getValue()),
                    byGroup.getOrDefault(e.getKey(), new Acc(k))));
        }
        if (!otherDevices.isEmpty()) {
            groups.put(OTHER_GROUP, groupMetrics(OTHER_GROUP, otherDevices, byGroup.get(OTHER_GROUP)));
        }
        return new MetricsResult(n, classNames, all.microAccuracy(), all.macroAccuracy(), all.microLoss(),
                all.macroLoss(), classes, devices, groups, confusion);
    }

    /**
     * Predicted class of a probability row.
     *
     * @param probs probability row [K], K &ge; 1
     * @return index of the largest entry; the lowest such index on ties
     */
    public static int argmax(double[] probs) {
        if (probs.length == 0) {
            throw new IllegalArgumentException("empty probability row");
        }
        int best = 0;
        for (int i = 1; i < probs.length; i++) {
            if (probs[i] > probs[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Log loss of one item, in nats: {@code -ln(clip(p_true / sum(p), eps, 1 - eps))} with
     * {@code eps = }{@value #LOG_LOSS_EPS}.
     *
     * @param probs     probability row [K]: finite, non-negative, positive sum
     * @param trueLabel true class index in [0, K)
     * @return the item's log loss, in [-ln(1 - eps), -ln(eps)]
     * @throws IllegalArgumentException on an invalid row or label
     */
    public static double logLoss(double[] probs, int trueLabel) {
        Objects.requireNonNull(probs, "probs");
        validateRow(probs, trueLabel, probs.length, 0, "(single item)");
        return itemLogLoss(probs, trueLabel);
    }

    private static double itemLogLoss(double[] row, int label) {
        double sum = 0;
        for (double v : row) {
            sum += v;
        }
        double q = row[label] / sum;
        q = Math.min(Math.max(q, LOG_LOSS_EPS), 1.0 - LOG_LOSS_EPS);
        return -Math.log(q);
    }

    private static void validateRow(double[] row, int label, int k, int item, String clipId) {
        String where = "prediction " + item + " (clip " + clipId + ")";
        if (row.length != k) {
            throw new IllegalArgumentException(where + ": probability row has length " + row.length
                    + ", expected " + k + " (one per class)");
        }
        if (label < 0 || label >= k) {
            throw new IllegalArgumentException(where + ": true label index " + label
                    + " out of range [0, " + k + ")");
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double v = row[c];
            if (Double.isNaN(v) || Double.isInfinite(v) || v < 0) {
                throw new IllegalArgumentException(where + ": probability for class " + c + " is " + v
                        + "; probabilities must be finite and non-negative");
            }
            sum += v;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException(where + ": probabilities sum to 0; cannot normalise");
        }
    }

    private static Map<String, String> validateGroups(Map<String, Set<String>> groups) {
        Map<String, String> groupOf = new HashMap<>();
        for (Map.Entry<String, Set<String>> e : groups.entrySet()) {
            String g = e.getKey();
            if (g == null || g.isEmpty()) {
                throw new IllegalArgumentException("device group with a null or empty name");
            }
            if (g.equals(OTHER_GROUP)) {
                throw new IllegalArgumentException("device group name '" + OTHER_GROUP
                        + "' is reserved for devices in no group");
            }
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw new IllegalArgumentException("device group '" + g + "' has no devices");
            }
            for (String d : e.getValue()) {
                String prev = groupOf.put(d, g);
                if (prev != null) {
                    throw new IllegalArgumentException("device '" + d + "' is in two groups: '" + prev
                            + "' and '" + g + "'; groups must be disjoint");
                }
            }
        }
        return groupOf;
    }

    private static MetricsResult.GroupMetrics groupMetrics(String name, Set<String> devices, Acc a) {
        return new MetricsResult.GroupMetrics(name, new ArrayList<>(devices), a.count, a.correct,
                a.microAccuracy(), a.macroAccuracy(), a.microLoss(), a.macroLoss());
    }

    /** Running counts and loss sums, overall and per true class. */
    private static final class Acc {
        final long[] classCount;
        final long[] classCorrect;
        final double[] classLoss;
        long count;
        long correct;
        double loss;

        Acc(int k) {
            classCount = new long[k];
            classCorrect = new long[k];
            classLoss = new double[k];
        }

        void add(int label, boolean ok, double itemLoss) {
            count++;
            classCount[label]++;
            if (ok) {
                correct++;
                classCorrect[label]++;
            }
            loss += itemLoss;
            classLoss[label] += itemLoss;
        }

        double microAccuracy() {
            return count == 0 ? Double.NaN : (double) correct / count;
        }

        double microLoss() {
            return count == 0 ? Double.NaN : loss / count;
        }

        double macroAccuracy() {
            double s = 0;
            int m = 0;
            for (int c = 0; c < classCount.length; c++) {
                if (classCount[c] > 0) {
                    s += (double) classCorrect[c] / classCount[c];
                    m++;
                }
            }
            return m == 0 ? Double.NaN : s / m;
        }

        double macroLoss() {
            double s = 0;
            int m = 0;
            for (int c = 0; c < classCount.length; c++) {
                if (classCount[c] > 0) {
                    s += classLoss[c] / classCount[c];
                    m++;
                }
            }
            return m == 0 ? Double.NaN : s / m;
        }
    }
}
