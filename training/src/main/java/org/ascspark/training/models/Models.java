package org.ascspark.training.models;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.ascspark.training.nn.BroadcastAddVertex;
import org.ascspark.training.nn.FrequencyMeanVertex;
import org.ascspark.training.nn.ResNormVertex;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * Model factories chosen by name (STYLE.md rule 11; SPEC.md §4). Every network has one input
 * {@value #INPUT} of {@code InputType.convolutional(bins, frames, inputChannels)} (NCHW
 * {@code [batch, channels, freq, time]}), one output {@value #OUTPUT} giving softmax probabilities
 * {@code [batch, numClasses]} under the spec's loss, and a vertex {@value #EMBEDDING}: the last hidden
 * representation before the classifier, a vector {@code [batch, D]} (for distillation). All models pool
 * globally over time, so any clip length that survives the downsampling works at run time, whatever
 * {@code frames} the configuration was declared with.
 *
 * <h2>{@value #BCRESNET_ASC}: BC-ResNet-ASC (QTI, seed 003 Table 1)</h2>
 * ResNorm (lambda = {@value #RESNORM_LAMBDA}) on the input; conv 5x5 stride 2 to 2c' + BN + ReLU;
 * stage 1: 2 BC-ResBlocks, c'; max-pool 2x2; stage 2: 2 blocks, 1.5c'; max-pool 2x2; stage 3: 2 blocks,
 * 2c'; stage 4: 3 blocks, 2.5c'; ResNorm after every stage (after the stage's last block, before its
 * pool; seed 003 §2: "We use ResNorm at input and after every stage"); then the classifier. Max-pool
 * replaces BC-ResNet's dilation (seed 003 §1).
 * <ul>
 *   <li><b>Width:</b> c' = 10 x width, channel counts rounded: width 1 gives 20/10/15/20/25 channels,
 *       width 8 gives 160/80/120/160/200. This is the base that reproduces QTI Table 3: 8,055 trainable
 *       parameters at width 1 ("8.1k") and 314,970 at width 8 ("315k") for 256 bins and 10 classes.
 *       The KWS convention c' = 8 x width (BC-ResNet-1 = 16/8/12/16/20) gives 5,730 and 206,154,
 *       far from the table; it is available as width 0.8.</li>
 *   <li><b>BC-ResBlock</b> (Kim et al., Interspeech 2021, §2.2-2.3): in a transition block (channels
 *       change) 1x1 conv + BN + ReLU first and no identity shortcut; frequency-depthwise conv 3x1 +
 *       SubSpectral Norm (S = {@value #SSN_SUB_BANDS} sub-bands) gives x1; mean over frequency;
 *       temporal depthwise conv 1x3 + BN + swish; 1x1 conv; spatial (channel) dropout; output
 *       ReLU(x1 + broadcast over frequency + x in normal blocks).</li>
 *   <li><b>Classifier:</b> Table 1's conv 1x1 to classes followed by average pooling is computed as
 *       global average pooling ({@value #EMBEDDING}, 2.5c' values) followed by a dense softmax layer
 *       with bias: both are linear, so they commute and the function and the parameter count
 *       (2.5c' x classes + classes) are identical; the MACs of the head shrink by the pooled area.</li>
 *   <li><b>Shapes:</b> SSN needs the frequency size of every stage divisible by 4: bins a multiple of
 *       32 (256 gives 128, 64, 32). Time: frames &gt;= 7.</li>
 * </ul>
 *
 * <h2>{@value #SP4ASC}: SP4ASC (valeo, seed 004 Table 1, Fig. 1)</h2>
 * Batch norm per (channel, mel bin) on the input (§2.3 "BN-mel", here SubSpectral Norm with one bin
 * per sub-band); four Conv-BN-ReLU-Pool layers whose convolution is the separable block of eq. 2,
 * {@code Y = h3x1(g1x1(X)) + h1x3(g1x1(X))} with channel-wise h dilated by 2 and no biases, then BN,
 * ReLU and 2x2 average pooling; channels 64, 128, 128, 128 x width; global pooling = mean over
 * frequency, then mean + max over time summed (§2.3); MLP with a hidden layer of 128 x width
 * (ReLU, {@value #EMBEDDING}) and dropout 0.2 on the MLP input and hidden layer (§3). At width 1,
 * 256 bins, 1 channel and 10 classes: 64,330 parameters in DL4J's count (the paper's train-time
 * figure), 62,474 after BN folding ({@link ParamCounts#folded}, the paper's test-time figure).
 * Shapes: bins &gt;= 16 and frames &gt;= 16 (four 2x2 pools).
 *
 * <h2>{@value #CP_RESNET}: CP-ResNet (Koutini et al., EUSIPCO 2019, receptive-field regularised)</h2>
 * A teacher. Conv 5x5 stride 2 (padding 2, giving ceil(n/2); the CPJKU code pads 1) + BN + ReLU; three stages of 4 basic residual blocks
 * (conv k1 + BN + ReLU + conv k2 + BN, shortcut 1x1 conv + BN when channels change, ReLU after the
 * sum) with widths c, 2c, 4c, c = 64 x width; 2x2 max-pools after blocks 1, 2 and 4 of stage 1.
 * The receptive field is limited by the kernel schedule: block 1 of stage 1 uses 3x3 then 1x1; of the
 * remaining 22 convolutions in network order the first rho = {@value #CP_RESNET_RHO} are 3x3 and the
 * rest 1x1 (the rho rule of the CPJKU DCASE 2019/2020 code, as we read it), so stage 1 is
 * 3/1, 3/3, 3/3, 3/1 and stages 2-3 are all 1x1. The classifier is 1x1 conv to classes + BN + global
 * average pooling in the original; here global average pooling comes first ({@value #EMBEDDING},
 * 4c values), then a bias-free dense layer to classes and BN: identical at inference (all affine, so
 * they commute with the mean), while in training the BN sees the variance of pooled logits rather than
 * of every position. At width 1 (c = 64), 256 bins, 1 channel and 10 classes: 896,980 trainable
 * parameters, QTI Table 2 lists "CP-ResNet, c=64" at 899k (the CPJKU input is 2-channel, which adds
 * 1,600: 898,580). Shapes: bins &gt;= 15 and frames &gt;= 15.
 *
 * <h2>Common settings</h2>
 * All convolutions are bias-free with truncating output sizes (as PyTorch); batch norm uses DL4J's
 * defaults (decay 0.9 = PyTorch momentum 0.1, eps 1e-5); weights use He initialisation, the output
 * layers Xavier; the spec's updater, weight decay (on weights), seed and data type apply to every layer.
 * {@link #configuration(ModelSpec, double)} sets the dropout of every dropout site (0 removes them);
 * {@link #configuration(ModelSpec)} uses {@link #defaultDropout}. The configuration stores its
 * construction order as the topological order (see {@code pinConstructionOrder}), so the flat
 * parameter vector follows {@code paramTable()}.
 */
public final class Models {

    /** Name of the network input. */
    public static final String INPUT = "input";
    /** Name of the softmax output. */
    public static final String OUTPUT = "output";
    /** Name of the vertex holding the last hidden representation, {@code [batch, D]}. */
    public static final String EMBEDDING = "embedding";

    /** BC-ResNet-ASC (QTI). */
    public static final String BCRESNET_ASC = "bcresnet-asc";
    /** SP4ASC (valeo). */
    public static final String SP4ASC = "sp4asc";
    /** CP-ResNet (CPJKU). */
    public static final String CP_RESNET = "cp-resnet";

    /** ResNorm identity weight lambda of bcresnet-asc (seed 003 eq. 3; the value is our choice). */
    public static final double RESNORM_LAMBDA = 0.1;
    /** SubSpectral Norm sub-bands in every BC-ResBlock (seed 003 Table 2: "num SSN group = 4"). */
    public static final int SSN_SUB_BANDS = 4;
    /** Number of the flexible CP-ResNet convolutions that are 3x3 (see the class comment). */
    public static final int CP_RESNET_RHO = 5;

    private static final List<String> NAMES = List.of(BCRESNET_ASC, SP4ASC, CP_RESNET);

    private Models() {
    }

    /** @return the model names, in a fixed order */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * @param name a model name
     * @return the dropout probability {@link #configuration(ModelSpec)} uses for it: bcresnet-asc 0.1
     *     (BC-ResNet's Dropout2d), sp4asc 0.2 (seed 004 §3), cp-resnet 0
     */
    public static double defaultDropout(String name) {
        return switch (requireKnown(name)) {
            case BCRESNET_ASC -> 0.1;
            case SP4ASC -> 0.2;
            default -> 0.0;
        };
    }

    /** @return the configuration of {@code spec} with the model's {@link #defaultDropout} */
    public static ComputationGraphConfiguration configuration(ModelSpec spec) {
        return configuration(spec, defaultDropout(spec.name()));
    }

    /**
     * @param spec    the model and its settings
     * @param dropout drop probability of the model's dropout layers in [0, 1); 0 leaves them out
     *                (needed for gradient checks)
     * @return the configuration; IllegalArgumentException for an unknown name or a feature shape the
     *     architecture cannot take
     */
    public static ComputationGraphConfiguration configuration(ModelSpec spec, double dropout) {
        String name = requireKnown(spec.name());
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1); got " + dropout);
        }
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(spec.dataType())
                .updater(spec.updater())
                .weightInit(WeightInit.RELU)
                .activation(Activation.IDENTITY)
                .convolutionMode(ConvolutionMode.Truncate);
        if (spec.weightDecay() > 0) {
            base.weightDecay(spec.weightDecay());
        }
        GraphAssembler g = new GraphAssembler(name, base, spec.inputChannels(), spec.bins(), spec.frames());
        switch (name) {
            case BCRESNET_ASC -> bcResNetAsc(g, spec, dropout);
            case SP4ASC -> sp4asc(g, spec, dropout);
            default -> cpResNet(g, spec);
        }
        ComputationGraphConfiguration conf = g.graph().setOutputs(OUTPUT).build();
        pinConstructionOrder(conf);
        return conf;
    }

    /**
     * Stores the construction order as the configuration's topological order (the field DL4J fills
     * with its own Kahn ordering on first use and serialises with the configuration). DL4J flattens
     * {@code params()} in topological order but lists {@code paramTable()} in construction order;
     * pinning makes the two agree, which {@code GradientCheckUtil} (parameter names, excluded
     * parameters) and any code mapping flat indices to parameter names rely on.
     */
    private static void pinConstructionOrder(ComputationGraphConfiguration conf) {
        List<String> order = new ArrayList<>(conf.getNetworkInputs());
        order.addAll(conf.getVertices().keySet());
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), i);
        }
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            for (String in : e.getValue()) {
                if (position.get(in) >= position.get(e.getKey())) {
                    throw new IllegalStateException("vertex '" + e.getKey() + "' was added before its input '"
                            + in + "'");
                }
            }
        }
        conf.setTopologicalOrder(IntStream.range(0, order.size()).toArray());
        conf.setTopologicalOrderStr(order);
    }

    /** @return {@link #configuration(ModelSpec)} as an initialised network (weights seeded by the spec) */
    public static ComputationGraph create(ModelSpec spec) {
        return create(spec, defaultDropout(spec.name()));
    }

    /** @return {@link #configuration(ModelSpec, double)} as an initialised network */
    public static ComputationGraph create(ModelSpec spec, double dropout) {
        ComputationGraph net = new ComputationGraph(configuration(spec, dropout));
        net.init();
        return net;
    }

    /**
     * @return a table of the layers with parameters (name, type, count) and the three totals of
     *     {@link ParamCounts}; for logging
     */
    public static String describe(ComputationGraph net) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, GraphVertex> e : net.getConfiguration().getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv) {
                long n = net.getLayer(e.getKey()).numParams();
                if (n > 0) {
                    sb.append(String.format(Locale.ROOT, "%-28s %-26s %,10d%n", e.getKey(),
                            lv.getLayerConf().getLayer().getClass().getSimpleName(), n));
                }
            }
        }
        sb.append(String.format(Locale.ROOT, "total (DL4J, BN running stats included) %,d; trainable %,d;"
                + " BN-folded %,d", ParamCounts.total(net), ParamCounts.trainable(net), ParamCounts.folded(net)));
        return sb.toString();
    }

    private static String requireKnown(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return name;
    }

    private static int channels(double c) {
        return Math.max(1, (int) Math.round(c));
    }

    private static String shapeOf(ModelSpec spec) {
        return "[" + spec.inputChannels() + " x " + spec.bins() + " x " + spec.frames()
                + "] (channels x bins x frames)";
    }

    /** Output size of the stride-2, padding-2, 5x5 stems: ceil(n / 2). */
    private static int stemSize(int n) {
        return (n - 1) / 2 + 1;
    }

    // ---------------------------------------------------------------- bcresnet-asc

    private static void bcResNetAsc(GraphAssembler g, ModelSpec spec, double dropout) {
        int f1 = stemSize(spec.bins());
        int f2 = f1 / 2;
        int f3 = f2 / 2;
        if (f1 % SSN_SUB_BANDS != 0 || f2 % SSN_SUB_BANDS != 0 || f3 % SSN_SUB_BANDS != 0 || f3 < SSN_SUB_BANDS) {
            throw new IllegalArgumentException(BCRESNET_ASC + " cannot take features of shape " + shapeOf(spec)
                    + ": SubSpectral Norm with " + SSN_SUB_BANDS + " sub-bands needs the frequency size of every"
                    + " stage divisible by " + SSN_SUB_BANDS + ", and bins=" + spec.bins() + " gives " + f1 + ", "
                    + f2 + ", " + f3 + "; use bins divisible by 32 (e.g. 256)");
        }
        if (stemSize(spec.frames()) / 4 < 1) {
            throw new IllegalArgumentException(BCRESNET_ASC + " cannot take features of shape " + shapeOf(spec)
                    + ": it needs frames >= 7 (stride-2 stem and two 2x2 max-pools)");
        }
        double c = 10 * spec.width();
        int[] width = {channels(2 * c), channels(c), channels(1.5 * c), channels(2 * c), channels(2.5 * c)};
        int[] blocks = {2, 2, 2, 3};
        boolean[] poolAfter = {true, true, false, false};

        String x = g.vertex("input_resnorm", resNorm(), g.shape(INPUT), INPUT);
        x = g.conv("stem_conv", x, width[0], 5, 5, 2, 2, 2, 2);
        x = g.batchNorm("stem_bn", x);
        x = g.activation("stem_relu", x, Activation.RELU);
        int inCh = width[0];
        for (int stage = 0; stage < blocks.length; stage++) {
            int outCh = width[stage + 1];
            for (int b = 0; b < blocks[stage]; b++) {
                x = bcResBlock(g, "s" + (stage + 1) + "b" + (b + 1), x, inCh, outCh, dropout);
                inCh = outCh;
            }
            x = g.vertex("s" + (stage + 1) + "_resnorm", resNorm(), g.shape(x), x);
            if (poolAfter[stage]) {
                x = g.pool("s" + (stage + 1) + "_pool", x, PoolingType.MAX, 2);
            }
        }
        String emb = g.layer(EMBEDDING, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
                new GraphAssembler.Shape(inCh, 1, 1), x);
        g.layer(OUTPUT, new OutputLayer.Builder(spec.loss()).nOut(spec.numClasses()).activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER).build(), new GraphAssembler.Shape(spec.numClasses(), 1, 1), emb);
    }

    private static ResNormVertex resNorm() {
        return new ResNormVertex(RESNORM_LAMBDA, ResNormVertex.DEFAULT_EPS);
    }

    /** BC-ResBlock (Kim et al. 2021 §2.2, Fig. 2), stride 1; see the class comment. */
    private static String bcResBlock(GraphAssembler g, String name, String in, int inCh, int outCh,
            double dropout) {
        boolean transition = inCh != outCh;
        String x = in;
        if (transition) {
            x = g.conv(name + "_tconv", x, outCh, 1, 1, 1, 1, 0, 0);
            x = g.batchNorm(name + "_tbn", x);
            x = g.activation(name + "_trelu", x, Activation.RELU);
        }
        // f2: frequency-depthwise conv 3x1 + SubSpectral Norm -> x1
        x = g.depthwise(name + "_fdw", x, 3, 1, 1, 0, 1, 1);
        String x1 = g.subSpectralNorm(name + "_ssn", x, SSN_SUB_BANDS);
        // f1 on the frequency mean: temporal depthwise conv 1x3 + BN + swish + 1x1 conv (+ dropout)
        GraphAssembler.Shape s1 = g.shape(x1);
        String t = g.vertex(name + "_fmean", new FrequencyMeanVertex(),
                new GraphAssembler.Shape(s1.channels(), 1, s1.time()), x1);
        t = g.depthwise(name + "_tdw", t, 1, 3, 0, 1, 1, 1);
        t = g.batchNorm(name + "_tbn2", t);
        t = g.activation(name + "_swish", t, Activation.SWISH);
        t = g.conv(name + "_pw", t, outCh, 1, 1, 1, 1, 0, 0);
        if (dropout > 0) {
            t = g.layer(name + "_drop", new DropoutLayer.Builder(new SpatialDropout(1.0 - dropout)).build(),
                    g.shape(t), t);
        }
        String sum = transition
                ? g.vertex(name + "_add", new BroadcastAddVertex(), s1, x1, t)
                : g.vertex(name + "_add", new BroadcastAddVertex(), s1, x1, t, in);
        return g.activation(name + "_relu", sum, Activation.RELU);
    }

    // ---------------------------------------------------------------- sp4asc

    private static void sp4asc(GraphAssembler g, ModelSpec spec, double dropout) {
        if (spec.bins() < 16 || spec.frames() < 16) {
            throw new IllegalArgumentException(SP4ASC + " cannot take features of shape " + shapeOf(spec)
                    + ": it needs bins >= 16 and frames >= 16 (four 2x2 average pools)");
        }
        double w = spec.width();
        int[] width = {channels(64 * w), channels(128 * w), channels(128 * w), channels(128 * w)};
        int hidden = channels(128 * w);

        // BN-mel: batch norm per (channel, mel bin), SSN with one bin per sub-band (seed 004 §2.3)
        String x = g.subSpectralNorm("input_bn", INPUT, spec.bins());
        for (int i = 0; i < width.length; i++) {
            String b = "b" + (i + 1);
            // eq. 2: Y = h3x1(g1x1(X)) + h1x3(g1x1(X)), channel-wise h dilated by 2, no biases
            String pw = g.conv(b + "_pw", x, width[i], 1, 1, 1, 1, 0, 0);
            String hf = g.depthwise(b + "_fdw", pw, 3, 1, 2, 0, 2, 1);
            String ht = g.depthwise(b + "_tdw", pw, 1, 3, 0, 2, 1, 2);
            x = g.add(b + "_sum", hf, ht);
            x = g.batchNorm(b + "_bn", x);
            x = g.activation(b + "_relu", x, Activation.RELU);
            x = g.pool(b + "_pool", x, PoolingType.AVG, 2);
        }
        int c = width[width.length - 1];
        // global pooling (§2.3): mean over frequency, then mean + max over time, summed
        GraphAssembler.Shape s = g.shape(x);
        String f = g.vertex("freq_mean", new FrequencyMeanVertex(), new GraphAssembler.Shape(c, 1, s.time()), x);
        GraphAssembler.Shape vec = new GraphAssembler.Shape(c, 1, 1);
        String avg = g.layer("time_avg", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), vec, f);
        String max = g.layer("time_max", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), vec, f);
        String pooled = g.add("pooled", avg, max);
        // MLP (§2.3) with dropout on its input and hidden layer (§3)
        DenseLayer.Builder embedding = new DenseLayer.Builder().nOut(hidden).activation(Activation.RELU);
        OutputLayer.Builder output = new OutputLayer.Builder(spec.loss()).nOut(spec.numClasses())
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER);
        if (dropout > 0) {
            embedding.dropOut(new Dropout(1.0 - dropout));
            output.dropOut(new Dropout(1.0 - dropout));
        }
        String emb = g.layer(EMBEDDING, embedding.build(), new GraphAssembler.Shape(hidden, 1, 1), pooled);
        g.layer(OUTPUT, output.build(), new GraphAssembler.Shape(spec.numClasses(), 1, 1), emb);
    }

    // ---------------------------------------------------------------- cp-resnet

    /**
     * @return the (k1, k2) kernel sizes of the 12 CP-ResNet blocks in network order under the rho rule
     *     of the class comment
     */
    static int[][] cpResNetKernels(int rho) {
        int[][] k = new int[12][2];
        k[0][0] = 3;
        k[0][1] = 1;
        int flexible = 0;
        for (int block = 1; block < 12; block++) {
            for (int j = 0; j < 2; j++) {
                k[block][j] = flexible++ < rho ? 3 : 1;
            }
        }
        return k;
    }

    private static void cpResNet(GraphAssembler g, ModelSpec spec) {
        if (stemSize(spec.bins()) / 8 < 1 || stemSize(spec.frames()) / 8 < 1) {
            throw new IllegalArgumentException(CP_RESNET + " cannot take features of shape " + shapeOf(spec)
                    + ": it needs bins >= 15 and frames >= 15 (stride-2 stem and three 2x2 max-pools)");
        }
        int c = channels(64 * spec.width());
        int[] width = {c, 2 * c, 4 * c};
        int[][] kernels = cpResNetKernels(CP_RESNET_RHO);

        String x = g.conv("stem_conv", INPUT, c, 5, 5, 2, 2, 2, 2);
        x = g.batchNorm("stem_bn", x);
        x = g.activation("stem_relu", x, Activation.RELU);
        int inCh = c;
        int block = 0;
        for (int stage = 0; stage < 3; stage++) {
            for (int b = 0; b < 4; b++) {
                String name = "s" + (stage + 1) + "b" + (b + 1);
                x = cpBlock(g, name, x, inCh, width[stage], kernels[block][0], kernels[block][1]);
                inCh = width[stage];
                block++;
                if (stage == 0 && (b == 0 || b == 1 || b == 3)) {
                    x = g.pool(name + "_pool", x, PoolingType.MAX, 2);
                }
            }
        }
        String emb = g.layer(EMBEDDING, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
                new GraphAssembler.Shape(inCh, 1, 1), x);
        GraphAssembler.Shape logits = new GraphAssembler.Shape(spec.numClasses(), 1, 1);
        String cls = g.layer("classifier", new DenseLayer.Builder().nOut(spec.numClasses()).hasBias(false)
                .weightInit(WeightInit.XAVIER).build(), logits, emb);
        cls = g.layer("classifier_bn", new BatchNormalization.Builder().build(), logits, cls);
        g.layer(OUTPUT, new LossLayer.Builder(spec.loss()).activation(Activation.SOFTMAX).build(), logits, cls);
    }

    /** Basic residual block of CP-ResNet; padding k/2 keeps the size ("same" for k = 1, 3). */
    private static String cpBlock(GraphAssembler g, String name, String in, int inCh, int outCh, int k1, int k2) {
        String y = g.conv(name + "_conv1", in, outCh, k1, k1, 1, 1, k1 / 2, k1 / 2);
        y = g.batchNorm(name + "_bn1", y);
        y = g.activation(name + "_relu1", y, Activation.RELU);
        y = g.conv(name + "_conv2", y, outCh, k2, k2, 1, 1, k2 / 2, k2 / 2);
        y = g.batchNorm(name + "_bn2", y);
        String shortcut = in;
        if (inCh != outCh) {
            shortcut = g.conv(name + "_sc_conv", in, outCh, 1, 1, 1, 1, 0, 0);
            shortcut = g.batchNorm(name + "_sc_bn", shortcut);
        }
        String sum = g.add(name + "_sum", y, shortcut);
        return g.activation(name + "_relu2", sum, Activation.RELU);
    }
}
