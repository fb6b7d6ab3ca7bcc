package org.ascspark.training.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.ascspark.training.models.ModelSpec;
import org.ascspark.training.models.Models;
import org.ascspark.training.models.ParamCounts;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Speed benchmark of the DL4J models (not a test; {@code ModelBenchSmokeTest} keeps it running):
 * inference ms per clip and training samples/s of {@link Models} networks on random input, the
 * measurement {@code tools/bench/torch_models.py} makes for the same architectures in PyTorch.
 * Run through {@code tools/bench/models.sh}, which also picks the ND4J native classifier.
 *
 * <p>Per model ({@code name:width}) and clip length ({@code frames}): input {@code [batch, 1, bins,
 * frames]} of N(0, 1) values and one-hot labels of uniform random classes (both from a seeded
 * {@link SplittableRandom}); the network is {@link Models#create(ModelSpec, double)} with the model's
 * default dropout and {@link ModelSpec#of} defaults (Adam 1e-3, cross-entropy, FLOAT).
 * <ul>
 *   <li>inference: {@code output(false, x)}, median time of a batch / batch = ms per clip;</li>
 *   <li>training: {@code fit(DataSet)} (forward, backward, Adam update), batch / median step time =
 *       samples/s.</li>
 * </ul>
 * Warm-up iterations are not timed. RESULT lines also give the minimum, the median process CPU time
 * (all threads) and the 1-minute load average before and after: the machine is shared.
 *
 * <p>Native layer helpers: DL4J 1.0.0-M2.1 creates a oneDNN helper (MKLDNNConvHelper,
 * MKLDNNBatchNormHelper, MKLDNNSubsamplingHelper) for convolution, batch-norm and pooling layers only
 * when {@code -Dorg.eclipse.deeplearning4j.helpers.disable=false} is set and
 * {@code BaseMKLDNNHelper.mklDnnEnabled()} holds; that check loads
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, a class M2.1 renamed
 * ({@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment}), so it fails unless a class
 * of the old name is on the class path. {@code --helpers} chooses: {@code auto} keeps what DL4J
 * created; {@code inject} sets the oneDNN helper by reflection on every such layer that has none;
 * {@code off} removes them. The helper actually present on each layer is counted and printed.
 *
 * <p>{@code --check} compares, for every model, the inference output and the training gradient
 * (dropout 0, so both are deterministic) of the network as configured against the same network
 * with helpers removed, and both against the same network in double precision (same parameters).
 * {@code --dump FILE} writes parameters, outputs and gradients of those networks, and
 * {@code --compare FILE} prints their largest differences from a dump made by another run (e.g. with
 * the other ND4J classifier); {@code --check-only} does that without timing.
 *
 * <p>Options (defaults in brackets):
 * <ul>
 *   <li>{@code --models} name:width list [bcresnet-asc:1,bcresnet-asc:8,sp4asc:1]; {@code --batch} [32];
 *       {@code --bins} [256]; {@code --frames} list [431,44]; {@code --classes} [10]; {@code --seed} [42];</li>
 *   <li>{@code --warmup} [2], {@code --iterations} [5], {@code --train-iterations} [= iterations];</li>
 *   <li>{@code --helpers auto|inject|off} [auto], see above;</li>
 *   <li>{@code --native-helpers on|off} [as started]: {@code Nd4j.getEnvironment().allowHelpers}, the
 *       process-wide switch of libnd4j's platform (oneDNN) implementations of every op, both those the
 *       DL4J helpers call and those DL4J layers call directly (depthwise convolution, pooling);</li>
 *   <li>{@code --threads N} [as started: OMP_NUM_THREADS or the core count]: ND4J's and the BLAS's
 *       thread counts, set for the run and restored after it;</li>
 *   <li>{@code --check}, {@code --check-only}, {@code --dump FILE}, {@code --compare FILE}, see above;
 *       {@code --params-only} prints the parameter counts and stops.</li>
 * </ul>
 * Output lines {@code PARAMS ...} and {@code RESULT ...} use the format of {@code torch_models.py}.
 */
public final class ModelBench {

    /** What to do with the layers' oneDNN helpers; see the class comment. */
    enum HelperMode { AUTO, INJECT, OFF }

    /** One model to time. */
    record Choice(String name, double width) {
        @Override
        public String toString() {
            return name + ":" + fmt(width);
        }
    }

    /** Parsed options. */
    record Options(List<Choice> models, int batch, int bins, List<Integer> frames, int classes, int warmup,
            int iterations, int trainIterations, long seed, HelperMode helpers, boolean check, Path dump,
            Path compare, boolean paramsOnly, boolean checkOnly, int threads, Boolean nativeHelpers) {
    }

    /** One timed configuration. */
    record Result(Choice model, int frames, int batch, double inferMsPerBatch, double inferMinMs,
            double trainMsPerStep, double trainMinMs) {

        double inferMsPerClip() {
            return inferMsPerBatch / batch;
        }

        double trainSamplesPerSecond() {
            return batch / (trainMsPerStep / 1e3);
        }
    }

    private ModelBench() {
    }

    /** Runs the benchmark; exits with status 1 when a configuration failed (see the FAILED lines). */
    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        List<Result> results = run(o, System.out);
        if (!o.paramsOnly() && !o.checkOnly() && results.size() < o.models().size() * o.frames().size()) {
            System.exit(1);
        }
    }

    static Options parse(String[] args) {
        List<Choice> models = parseModels("bcresnet-asc:1,bcresnet-asc:8,sp4asc:1");
        int batch = 32;
        int bins = 256;
        List<Integer> frames = List.of(431, 44);
        int classes = 10;
        int warmup = 2;
        int iterations = 5;
        Integer trainIterations = null;
        long seed = 42;
        HelperMode helpers = HelperMode.AUTO;
        boolean check = false;
        Path dump = null;
        Path compare = null;
        boolean paramsOnly = false;
        boolean checkOnly = false;
        int threads = 0;
        Boolean nativeHelpers = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--models" -> models = parseModels(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--bins" -> bins = Integer.parseInt(args[++i]);
                case "--frames" -> frames = Arrays.stream(args[++i].split(",")).map(String::trim)
                        .map(Integer::valueOf).toList();
                case "--classes" -> classes = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--train-iterations" -> trainIterations = Integer.valueOf(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--helpers" -> helpers = HelperMode.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--check" -> check = true;
                case "--dump" -> dump = Path.of(args[++i]);
                case "--compare" -> compare = Path.of(args[++i]);
                case "--params-only" -> paramsOnly = true;
                case "--check-only" -> {
                    checkOnly = true;
                    check = true;
                }
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--native-helpers" -> nativeHelpers = switch (args[++i]) {
                    case "on" -> Boolean.TRUE;
                    case "off" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException("--native-helpers takes on or off; got " + args[i]);
                };
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int trainIt = trainIterations == null ? iterations : trainIterations;
        if (batch < 1 || warmup < 0 || iterations < 1 || trainIt < 1 || frames.isEmpty()) {
            throw new IllegalArgumentException("need batch >= 1, warmup >= 0, iterations >= 1, train-iterations"
                    + " >= 1 and at least one frames value; got " + batch + ", " + warmup + ", " + iterations
                    + ", " + trainIt + ", " + frames);
        }
        return new Options(models, batch, bins, frames, classes, warmup, iterations, trainIt, seed, helpers, check,
                dump, compare, paramsOnly, checkOnly, threads, nativeHelpers);
    }

    private static List<Choice> parseModels(String spec) {
        List<Choice> out = new ArrayList<>();
        for (String item : spec.split(",")) {
            String[] p = item.trim().split(":");
            out.add(new Choice(p[0], p.length > 1 ? Double.parseDouble(p[1]) : 1.0));
        }
        return out;
    }

    /**
     * Runs the benchmark and prints to {@code out}.
     *
     * @return the timed configurations, in order (empty with {@code --params-only})
     */
    static List<Result> run(Options o, PrintStream out) throws IOException {
        if (o.nativeHelpers() != null && o.nativeHelpers() != Nd4j.getEnvironment().helpersAllowed()) {
            boolean before = Nd4j.getEnvironment().helpersAllowed();
            try {
                Nd4j.getEnvironment().allowHelpers(o.nativeHelpers());
                return run(new Options(o.models(), o.batch(), o.bins(), o.frames(), o.classes(), o.warmup(),
                        o.iterations(), o.trainIterations(), o.seed(), o.helpers(), o.check(), o.dump(), o.compare(),
                        o.paramsOnly(), o.checkOnly(), o.threads(), null), out);
            } finally {
                Nd4j.getEnvironment().allowHelpers(before);
            }
        }
        if (o.threads() <= 0) {
            return runAsConfigured(o, out);
        }
        // thread counts are process-wide: restore them, as a test JVM goes on running other tests
        int maxThreads = Nd4j.getEnvironment().maxThreads();
        int masterThreads = Nd4j.getEnvironment().maxMasterThreads();
        int blasThreads = Nd4j.factory().blas().getMaxThreads();
        try {
            Nd4j.getEnvironment().setMaxThreads(o.threads());
            Nd4j.getEnvironment().setMaxMasterThreads(o.threads());
            Nd4j.factory().blas().setMaxThreads(o.threads());
            return runAsConfigured(o, out);
        } finally {
            Nd4j.getEnvironment().setMaxThreads(maxThreads);
            Nd4j.getEnvironment().setMaxMasterThreads(masterThreads);
            Nd4j.factory().blas().setMaxThreads(blasThreads);
        }
    }

    private static List<Result> runAsConfigured(Options o, PrintStream out) throws IOException {
        printEnvironment(out, o);
        List<Result> results = new ArrayList<>();
        Map<String, float[]> dump = new LinkedHashMap<>();
        for (Choice m : o.models()) {
            ComputationGraph net = Models.create(spec(o, m, o.frames().get(0)), Models.defaultDropout(m.name()));
            out.printf(Locale.ROOT, "PARAMS model=%s width=%s trainable=%d bn_running=%d total=%d folded=%d%n",
                    m.name(), fmt(m.width()), ParamCounts.trainable(net), ParamCounts.batchNormRunningStats(net),
                    ParamCounts.total(net), ParamCounts.folded(net));
            if (o.paramsOnly()) {
                continue;
            }
            try {
                if (o.check() || o.dump() != null || o.compare() != null) {
                    check(o, m, out, dump);
                }
                if (!o.checkOnly()) {
                    for (int frames : o.frames()) {
                        results.add(time(o, m, frames, out));
                    }
                }
            } catch (RuntimeException e) {
                // e.g. an op the native build cannot run; the other models still get measured
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                out.println("FAILED model=" + m + ": " + e + "; root cause: " + root);
            }
        }
        if (o.dump() != null) {
            writeDump(o.dump(), dump);
            out.println("dumped " + dump.size() + " arrays to " + o.dump());
        }
        if (o.compare() != null) {
            compareDump(o.compare(), dump, out);
        }
        if (!results.isEmpty()) {
            out.println();
            out.println("| model | width | input | inference ms/clip | train step s/batch | train samples/s |");
            out.println("|---|---|---|---|---|---|");
            for (Result r : results) {
                out.printf(Locale.ROOT, "| %s | %s | [%d,1,%d,%d] | %.2f | %.3f | %.1f |%n", r.model().name(),
                        fmt(r.model().width()), r.batch(), o.bins(), r.frames(), r.inferMsPerClip(),
                        r.trainMsPerStep() / 1e3, r.trainSamplesPerSecond());
            }
        }
        return results;
    }

    private static ModelSpec spec(Options o, Choice m, int frames) {
        return ModelSpec.of(m.name(), 1, o.bins(), frames, o.classes(), m.width(), o.seed());
    }

    private static Result time(Options o, Choice m, int frames, PrintStream out) {
        // a fresh network per clip length: its configuration declares that length
        ComputationGraph net = Models.create(spec(o, m, frames), Models.defaultDropout(m.name()));
        String helpers = applyHelpers(net, o.helpers());
        INDArray[] xy = randomBatch(o.batch(), o.bins(), frames, o.classes(), o.seed() + frames);
        INDArray x = xy[0];
        DataSet ds = new DataSet(x, xy[1]);

        double load0 = loadAverage();
        double[][] infer = timeMs(o.warmup(), o.iterations(), () -> net.output(false, x));
        double[][] train = timeMs(o.warmup(), o.trainIterations(), () -> net.fit(ds));
        Result r = new Result(m, frames, o.batch(), median(infer[0]), min(infer[0]), median(train[0]), min(train[0]));
        out.printf(Locale.ROOT, "RESULT model=%s width=%s frames=%d batch=%d infer_ms_per_clip=%.3f"
                        + " infer_ms_per_batch=%.1f (min %.1f, cpu %.1f) train_samples_per_s=%.2f"
                        + " train_ms_per_step=%.1f (min %.1f, cpu %.1f) warmup=%d iterations=%d/%d"
                        + " load=%.2f/%.2f helpers={%s}%n", m.name(), fmt(m.width()), frames,
                o.batch(), r.inferMsPerClip(), r.inferMsPerBatch(), r.inferMinMs(), median(infer[1]),
                r.trainSamplesPerSecond(), r.trainMsPerStep(), r.trainMinMs(), median(train[1]), o.warmup(),
                o.iterations(), o.trainIterations(), load0, loadAverage(), helpers);
        out.flush();
        return r;
    }

    /** @return {x [batch,1,bins,frames] N(0,1), one-hot labels [batch,classes]}, FLOAT */
    static INDArray[] randomBatch(int batch, int bins, int frames, int classes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[batch * bins * frames];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) gaussian(rnd);
        }
        float[] y = new float[batch * classes];
        for (int b = 0; b < batch; b++) {
            y[b * classes + rnd.nextInt(classes)] = 1f;
        }
        return new INDArray[] {Nd4j.create(x, new long[] {batch, 1, bins, frames}, 'c'),
                Nd4j.create(y, new long[] {batch, classes}, 'c')};
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller; u1 in (0, 1]
        double u1 = 1.0 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    /** @return {wall ms per iteration, process CPU ms per iteration (all threads, JIT and GC included)} */
    private static double[][] timeMs(int warmup, int iterations, Runnable task) {
        for (int i = 0; i < warmup; i++) {
            task.run();
        }
        double[] ms = new double[iterations];
        double[] cpu = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            task.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (processCpuNanos() - c0) / 1e6;
        }
        return new double[][] {ms, cpu};
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0L;
    }

    /** @return the 1-minute load average of the machine (other processes compete for the cores) */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Applies {@code mode} to the layers of {@code net} that can hold a oneDNN helper.
     *
     * @return a summary "LayerClass helperClass x count, ..." of the helpers present afterwards
     */
    static String applyHelpers(ComputationGraph net, HelperMode mode) {
        Map<String, Integer> counts = new TreeMap<>();
        DataType dt = net.getConfiguration().getDataType();
        for (Layer layer : net.getLayers()) {
            Field f = helperField(layer);
            if (f == null) {
                continue;
            }
            try {
                if (mode == HelperMode.OFF) {
                    f.set(layer, null);
                } else if (mode == HelperMode.INJECT && f.get(layer) == null) {
                    f.set(layer, newHelper(layer, dt));
                }
                Object h = f.get(layer);
                String key = layer.getClass().getSimpleName() + " "
                        + (h == null ? "none" : h.getClass().getSimpleName());
                counts.merge(key, 1, Integer::sum);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot access the helper of " + layer, e);
            }
        }
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" x").append(v));
        return sb.toString();
    }

    /**
     * @return the {@code helper} field of the layer types whose oneDNN helper replaces the whole
     *     computation (ConvolutionLayer itself, not its depthwise/separable subclasses, which call
     *     their own native ops; BatchNormalization; SubsamplingLayer), accessible; null for others
     */
    private static Field helperField(Layer layer) {
        Class<?> owner;
        if (layer.getClass() == ConvolutionLayer.class) {
            owner = ConvolutionLayer.class;
        } else if (layer instanceof BatchNormalization) {
            owner = BatchNormalization.class;
        } else if (layer.getClass() == SubsamplingLayer.class) {
            owner = SubsamplingLayer.class;
        } else {
            return null;
        }
        try {
            Field f = owner.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DL4J " + owner.getName() + " has no 'helper' field", e);
        }
    }

    private static Object newHelper(Layer layer, DataType dt) {
        if (layer instanceof BatchNormalization) {
            return new MKLDNNBatchNormHelper(dt);
        }
        if (layer instanceof SubsamplingLayer) {
            return new MKLDNNSubsamplingHelper(dt);
        }
        return new MKLDNNConvHelper(dt);
    }

    private static void printEnvironment(PrintStream out, Options o) {
        out.printf(Locale.ROOT, "== ModelBench: java %s (%s); models %s; batch %d, bins %d, frames %s, classes %d;"
                        + " warm-up %d, timed %d inference / %d training; helpers %s%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), o.models(), o.batch(),
                o.bins(), o.frames(), o.classes(), o.warmup(), o.iterations(), o.trainIterations(), o.helpers());
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        out.println("ND4J environment: " + new TreeMap<>(env) + "; maxThreads " + Nd4j.getEnvironment().maxThreads()
                + ", maxMasterThreads " + Nd4j.getEnvironment().maxMasterThreads() + ", BLAS threads "
                + Nd4j.factory().blas().getMaxThreads() + (o.threads() > 0 ? " (--threads " + o.threads() + ")" : ""));
        String ext = System.getProperty("org.bytedeco.javacpp.platform.extension", "");
        String lib = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64" + ext + "/libnd4jcpu.so";
        URL url = ModelBench.class.getClassLoader().getResource(lib);
        out.println("ND4J native library: " + (url == null ? lib + " not on the class path" : url) + "; loaded: "
                + loadedLibrary("libnd4jcpu.so"));
        out.println("-Dorg.eclipse.deeplearning4j.helpers.disable="
                + System.getProperty("org.eclipse.deeplearning4j.helpers.disable", "(unset: true)")
                + "; -Dorg.bytedeco.javacpp.platform.extension=" + (ext.isEmpty() ? "(unset)" : ext));
        out.println("native Environment.isUseONEDNN() = " + nativeUseOneDnn()
                + "; Nd4j.getEnvironment().helpersAllowed() = " + Nd4j.getEnvironment().helpersAllowed()
                + "; class org.nd4j.nativeblas.Nd4jCpu$Environment (DL4J's oneDNN check) "
                + (classPresent("org.nd4j.nativeblas.Nd4jCpu$Environment") ? "present" : "absent")
                + "; BaseMKLDNNHelper.mklDnnEnabled() = " + BaseMKLDNNHelper.mklDnnEnabled());
    }

    /** @return the path of the mapped shared library {@code name} (Linux /proc/self/maps), or "unknown" */
    private static String loadedLibrary(String name) {
        try (java.util.stream.Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.map(l -> l.substring(l.lastIndexOf(' ') + 1)).filter(f -> f.endsWith("/" + name))
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }

    private static String nativeUseOneDnn() {
        try {
            Class<?> c = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
            Object env = c.getMethod("getInstance").invoke(null);
            return String.valueOf(c.getMethod("isUseONEDNN").invoke(env));
        } catch (ReflectiveOperationException | LinkageError e) {
            return "unknown (" + e + ")";
        }
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, ModelBench.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- correctness check

    /**
     * Deterministic outputs of model {@code m} (dropout 0, first clip length, batch of at most 8):
     * parameters, inference output and training gradient with the configured helpers, compared with
     * the same network without helpers; the arrays are added to {@code dump}.
     */
    private static void check(Options o, Choice m, PrintStream out, Map<String, float[]> dump) {
        int frames = o.frames().get(0);
        int batch = Math.min(o.batch(), 8);
        INDArray[] xy = randomBatch(batch, o.bins(), frames, o.classes(), o.seed() + 1);
        float[][] with = deterministicOutputs(o, m, frames, xy, o.helpers());
        float[][] without = deterministicOutputs(o, m, frames, xy, HelperMode.OFF);
        String key = m + "@" + frames;
        out.printf(Locale.ROOT, "CHECK model=%s frames=%d batch=%d helpers %s vs off: output max|diff| %s"
                        + " (max|out| %.3g, rel L2 %s), gradient max|diff| %s (max|grad| %.3g, rel L2 %s),"
                        + " score %.7f vs %.7f%n",
                m, frames, batch, o.helpers(), g3(maxDiff(with[1], without[1])), maxAbs(without[1]),
                g3(relL2(with[1], without[1])), g3(maxDiff(with[2], without[2])), maxAbs(without[2]),
                g3(relL2(with[2], without[2])), with[3][0], without[3][0]);
        float[][] exact = doubleReference(o, m, frames, xy, with[0]);
        out.printf(Locale.ROOT, "CHECK model=%s frames=%d float (helpers %s) vs DOUBLE (no helpers), same parameters:"
                        + " output rel L2 %s, gradient rel L2 %s; float without helpers vs DOUBLE: output rel L2 %s,"
                        + " gradient rel L2 %s%n", m, frames, o.helpers(), g3(relL2(with[1], exact[1])),
                g3(relL2(with[2], exact[2])), g3(relL2(without[1], exact[1])), g3(relL2(without[2], exact[2])));
        dump.put(key + " params", with[0]);
        dump.put(key + " output", with[1]);
        dump.put(key + " gradient", with[2]);
        dump.put(key + " score", with[3]);
    }

    /** @return {params, inference output, gradient, {training score}} */
    private static float[][] deterministicOutputs(Options o, Choice m, int frames, INDArray[] xy, HelperMode mode) {
        ComputationGraph net = Models.create(spec(o, m, frames), 0.0);
        applyHelpers(net, mode);
        float[] params = net.params().dup().data().asFloat();
        float[] output = net.output(false, xy[0])[0].dup().data().asFloat();
        net.setInputs(xy[0]);
        net.setLabels(xy[1]);
        net.computeGradientAndScore();
        float[] gradient = net.gradient().gradient().dup().data().asFloat();
        return new float[][] {params, output, gradient, {(float) net.score()}};
    }

    /**
     * The same network in double precision with {@code params} (the float network's), no helpers:
     * the reference that tells rounding differences between float set-ups from errors.
     *
     * @return {params, inference output, gradient, {training score}}, rounded to float
     */
    private static float[][] doubleReference(Options o, Choice m, int frames, INDArray[] xy, float[] params) {
        ComputationGraph net = Models.create(spec(o, m, frames).withDataType(DataType.DOUBLE), 0.0);
        applyHelpers(net, HelperMode.OFF);
        net.setParams(Nd4j.createFromArray(params).castTo(DataType.DOUBLE).reshape(1, params.length));
        INDArray x = xy[0].castTo(DataType.DOUBLE);
        float[] output = net.output(false, x)[0].castTo(DataType.FLOAT).data().asFloat();
        net.setInputs(x);
        net.setLabels(xy[1].castTo(DataType.DOUBLE));
        net.computeGradientAndScore();
        float[] gradient = net.gradient().gradient().castTo(DataType.FLOAT).data().asFloat();
        return new float[][] {params, output, gradient, {(float) net.score()}};
    }

    private static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    /** @return ||a - b||_2 / ||b||_2 (0 when both are zero) */
    private static double relL2(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            num += d * d;
            den += (double) b[i] * b[i];
        }
        return num == 0 ? 0 : Math.sqrt(num / den);
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static void writeDump(Path file, Map<String, float[]> arrays) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); DataOutputStream d = new DataOutputStream(os)) {
            d.writeInt(arrays.size());
            for (Map.Entry<String, float[]> e : arrays.entrySet()) {
                d.writeUTF(e.getKey());
                d.writeInt(e.getValue().length);
                for (float v : e.getValue()) {
                    d.writeFloat(v);
                }
            }
        }
    }

    private static void compareDump(Path file, Map<String, float[]> current, PrintStream out) throws IOException {
        try (InputStream is = Files.newInputStream(file); DataInputStream d = new DataInputStream(is)) {
            int n = d.readInt();
            for (int i = 0; i < n; i++) {
                String key = d.readUTF();
                float[] v = new float[d.readInt()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = d.readFloat();
                }
                float[] mine = current.get(key);
                if (mine == null) {
                    out.println("COMPARE " + key + ": not computed in this run");
                } else {
                    out.printf(Locale.ROOT, "COMPARE %s: max|diff| %s (max|value| %.3g, rel L2 %s, %d values)%n",
                            key, g3(maxDiff(mine, v)), maxAbs(v), g3(relL2(mine, v)), v.length);
                }
            }
        }
    }

    /** @return "0" for zero, else 3 significant digits */
    private static String g3(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.3g", v);
    }

    static String fmt(double w) {
        return w == Math.rint(w) ? String.valueOf((long) w) : String.valueOf(w);
    }
}
