package org.ascspark.training.complexity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

import org.ascspark.training.nn.FakeQuantVertex;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.L2Vertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PoolHelperVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SpaceToBatchLayer;
import org.deeplearning4j.nn.conf.layers.SpaceToDepthLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling1D;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPadding1DLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the parameters and multiply-accumulates of an initialised DL4J {@link ComputationGraph} (SPEC.md
 * §7), layer by layer, with BatchNorm folded as a deployed model would have it. Shapes come from
 * {@link ComputationGraphConfiguration#getLayerActivationTypes(boolean, InputType...)} for the input
 * types given; parameter values come from the graph itself.
 *
 * <h2>Parameters</h2>
 * Three counts, each a sum over the vertices:
 * <ul>
 *   <li><b>raw</b>: DL4J's {@code numParams()}, every entry of the flat parameter vector, including each
 *       BatchNorm's running mean and variance (a BN over C channels holds 4·C: gamma, beta, mean, var,
 *       or 2·C with {@code lockGammaBeta}).</li>
 *   <li><b>trainable</b>: raw less the BN running statistics (mean and var, or mean and log10 std), i.e.
 *       what PyTorch counts as parameters rather than buffers.</li>
 *   <li><b>parameters</b> (deployed, BN folded; the count {@link org.ascspark.training.eval.ComplexityRules}
 *       checks): at inference a BN is the per-channel affine map {@code y = s_c·x + t_c} with
 *       {@code s_c = gamma_c / sqrt(var_c + eps)} and {@code t_c = beta_c - mean_c·s_c} (DL4J M2.1
 *       inference semantics; with {@code useLogStd} the variance is {@code 10^(2·log10std)}, eps still
 *       added; both measured). A BN <em>folds</em> when
 *       <ol>
 *         <li>it has exactly one input and no input preprocessor;</li>
 *         <li>that input is a layer of a foldable type: a plain 2-D or 1-D {@link ConvolutionLayer},
 *             a {@link DepthwiseConvolution2D}, a {@link SeparableConvolution2D} (into its pointwise
 *             kernel) or a {@link DenseLayer} (also inside a {@link FrozenLayer} or other wrapper);</li>
 *         <li>that layer's activation is identity;</li>
 *         <li>the BN is that layer's only consumer and the layer is not a network output;</li>
 *         <li>channel counts and weight shapes match.</li>
 *       </ol>
 *       A folded BN counts 0 and the layer it folds into counts its kernel plus one bias per output
 *       channel (C more when it had no bias): {@code W'_c = s_c·W_c}, {@code b'_c = s_c·b_c + t_c}.
 *       A BN that cannot fold (it follows a pooling, an add, a ReLU, a network input, ...) counts 2·C:
 *       its scale and shift. Folding a BN that precedes a convolution is not attempted (zero padding
 *       makes it inexact). Every other layer and vertex counts its raw parameters.</li>
 *   <li><b>non-zero parameters</b>: of the deployed parameters, those whose value after folding,
 *       rounded to float32, is not zero. A zero weight stays zero when folded; a whole output channel
 *       becomes zero when its BN gamma is 0.</li>
 *   <li><b>weights vs biases</b>: weights are what the layer's {@code ParamInitializer} calls weights
 *       (kernels of convolutions and dense layers); biases (including those created by folding) and BN
 *       scale/shift are the rest. Parameters of non-layer vertices count as weights. The split only
 *       serves mixed-precision sizes ({@link ModelComplexity#rulesInputMixed}).</li>
 * </ul>
 *
 * <h2>MACs</h2>
 * For one input (batch size 1), counting the multiply-accumulates of the weight kernels only:
 * <ul>
 *   <li>convolution: {@code outH·outW·outC·kH·kW·inC} (DL4J has no grouped convolution, groups = 1);
 *       stride, dilation, padding and {@code ConvolutionMode} enter through the output size, and border
 *       positions count the full kernel (zero padding is multiplied like data);</li>
 *   <li>1-D convolution: {@code outT·outC·k·inC};</li>
 *   <li>depthwise: {@code outH·outW·(C·depthMultiplier)·kH·kW};</li>
 *   <li>separable: its depthwise part plus the pointwise part {@code outH·outW·outC·(C·depthMultiplier)};</li>
 *   <li>transposed convolution ({@link Deconvolution2D}): {@code inH·inW·inC·kH·kW·outC};</li>
 *   <li>dense and output layers: {@code nIn·nOut}, times the sequence length for recurrent input;</li>
 *   <li>bias additions, BatchNorm (folded or not), activations, pooling, dropout, padding, cropping,
 *       upsampling, losses, every element-wise or merge vertex and the simulated int8 rounding of
 *       {@link FakeQuantVertex} (inserted by {@code ./asc compress}): 0.</li>
 * </ul>
 * This is the DCASE low-complexity convention as the task pages state it (MACs of conv and dense
 * layers). Note that nessi, the challenge's PyTorch counter, reports torchinfo's {@code total_mult_adds},
 * which as far as we can tell also charges one MAC per output element for each bias and each BN
 * gamma/beta; on a BN-folded model that is {@code outH·outW·C} more per biased layer, typically well
 * under 1 % of the total. Layers and vertices of types not listed here (including custom vertices from
 * other packages) contribute 0 MACs with a note in their row and a warning in the log; their parameters
 * are still taken from the graph.
 */
public final class ComplexityAnalyzer {

    private static final Logger LOG = LoggerFactory.getLogger(ComplexityAnalyzer.class);

    /** Layer configurations that cost 0 MACs by convention (no weight kernel). */
    private static final Set<Class<?>> ZERO_MAC_LAYERS = Set.of(
            BatchNormalization.class, SubsamplingLayer.class, Subsampling1DLayer.class,
            GlobalPoolingLayer.class, ActivationLayer.class, DropoutLayer.class, LossLayer.class,
            CnnLossLayer.class, RnnLossLayer.class, ZeroPaddingLayer.class, ZeroPadding1DLayer.class,
            Cropping1D.class, Cropping2D.class, Upsampling1D.class, Upsampling2D.class,
            SpaceToDepthLayer.class, SpaceToBatchLayer.class, LocalResponseNormalization.class,
            PReLULayer.class);

    /** Non-layer vertices that cost 0 MACs by convention (element-wise, merge, reshape, ...). */
    private static final Set<Class<?>> ZERO_MAC_VERTICES = Set.of(
            ElementWiseVertex.class, MergeVertex.class, ReshapeVertex.class, PreprocessorVertex.class,
            SubsetVertex.class, ScaleVertex.class, ShiftVertex.class, StackVertex.class, UnstackVertex.class,
            L2NormalizeVertex.class, L2Vertex.class, PoolHelperVertex.class, FakeQuantVertex.class);

    /** How the weight array of a foldable layer is laid out relative to its output channels. */
    private enum FoldKind {
        /** W [outC, inC, kH, kW] (c order): channel = flat index / (inC·kH·kW). */
        CONV,
        /** W [nIn, nOut] (c order): channel = flat index mod nOut. */
        DENSE,
        /** W [kH, kW, inC, depthMultiplier] (c order), channel = ic·dm + m = flat index mod (inC·dm). */
        DEPTHWISE,
        /** pointwise pW [outC, inC·dm, 1, 1] (c order): channel = flat index / (inC·dm). */
        SEPARABLE
    }

    private ComplexityAnalyzer() {
    }

    /**
     * Analyses a multi-layer network by way of {@link MultiLayerNetwork#toComputationGraph()}; its layers
     * are named by their index ("0", "1", ...).
     *
     * @param net       an initialised network
     * @param inputType type of one input example, e.g. {@code InputType.convolutional(256, 431, 1)}
     * @return the per-layer table and totals
     */
    public static ModelComplexity analyze(MultiLayerNetwork net, InputType inputType) {
        Objects.requireNonNull(net, "net");
        if (net.params() == null) {
            throw new IllegalStateException("network is not initialised: call init() first");
        }
        return analyze(net.toComputationGraph(), inputType);
    }

    /**
     * Analyses a computation graph.
     *
     * @param net        an initialised graph (parameters are read, not changed)
     * @param inputTypes type of one example of each network input, in the order of
     *                   {@code getNetworkInputs()}; e.g. {@code InputType.convolutional(256, 431, 1)} for
     *                   a [1, 256 mel, 431 frames] NCHW input
     * @return the per-layer table and totals
     * @throws IllegalStateException    when the graph is not initialised
     * @throws IllegalArgumentException when the number of input types does not match the graph's inputs
     */
    public static ModelComplexity analyze(ComputationGraph net, InputType... inputTypes) {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(inputTypes, "inputTypes");
        GraphVertex[] runtime = net.getVertices();
        if (runtime == null) {
            throw new IllegalStateException("network is not initialised: call init() first");
        }
        ComputationGraphConfiguration conf = net.getConfiguration();
        if (inputTypes.length != conf.getNetworkInputs().size()) {
            throw new IllegalArgumentException("the graph has " + conf.getNetworkInputs().size() + " inputs "
                    + conf.getNetworkInputs() + " but " + inputTypes.length + " input types were given");
        }
        // On a clone, so the graph's own configuration is not changed: DL4J adds any missing input
        // preprocessor (MultiLayerNetwork.toComputationGraph() leaves CNN -> dense ones out) and nIn.
        ComputationGraphConfiguration shapes = conf.clone();
        Map<String, InputType> types = shapes.getLayerActivationTypes(true, inputTypes);
        Graph g = new Graph(net, conf, shapes, types);

        List<LayerComplexity> rows = new ArrayList<>();
        for (int idx : net.topologicalSortOrder()) {
            GraphVertex v = runtime[idx];
            if (v.isInputVertex()) {
                continue;
            }
            rows.add(g.row(v));
        }
        List<String> inputShapes = new ArrayList<>();
        for (InputType t : inputTypes) {
            inputShapes.add(shape(t));
        }
        ModelComplexity mc = new ModelComplexity(inputShapes, rows);
        LOG.debug("complexity of {}: {} parameters folded ({} raw), {} non-zero, {} MACs per inference",
                inputShapes, mc.parameters(), mc.rawParameters(), mc.nonZeroParameters(), mc.macsPerInference());
        return mc;
    }

    /** The graph with its derived lookups and the BN folding decisions. */
    private static final class Graph {
        private final ComputationGraph net;
        private final ComputationGraphConfiguration conf;
        /** The clone the shapes were computed on, with the preprocessors DL4J added. */
        private final ComputationGraphConfiguration shapes;
        private final Map<String, InputType> types;
        private final Map<String, List<String>> consumers = new HashMap<>();
        private final Set<String> outputs;
        /** BN vertex name to the layer it folds into. */
        private final Map<String, String> bnToProducer = new HashMap<>();
        /** Producer layer name to the BN folded into it. */
        private final Map<String, String> producerToBn = new HashMap<>();
        /** BN vertex name to why it does not fold. */
        private final Map<String, String> noFoldReason = new HashMap<>();

        Graph(ComputationGraph net, ComputationGraphConfiguration conf, ComputationGraphConfiguration shapes,
              Map<String, InputType> types) {
            this.net = net;
            this.conf = conf;
            this.shapes = shapes;
            this.types = types;
            this.outputs = new HashSet<>(conf.getNetworkOutputs());
            for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
                for (String in : e.getValue()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(e.getKey());
                }
            }
            for (Map.Entry<String, org.deeplearning4j.nn.conf.graph.GraphVertex> e : conf.getVertices().entrySet()) {
                if (unwrap(layerConf(e.getValue())) instanceof BatchNormalization) {
                    String reason = foldBlocker(e.getKey());
                    if (reason == null) {
                        String producer = inputsOf(e.getKey()).get(0);
                        bnToProducer.put(e.getKey(), producer);
                        producerToBn.put(producer, e.getKey());
                    } else {
                        noFoldReason.put(e.getKey(), reason);
                    }
                }
            }
        }

        private List<String> inputsOf(String name) {
            List<String> in = conf.getVertexInputs().get(name);
            return in == null ? List.of() : in;
        }

        /** @return null when the BN can fold into its input, else the reason it cannot */
        private String foldBlocker(String bnName) {
            LayerVertex bnVertex = (LayerVertex) conf.getVertices().get(bnName);
            if (((LayerVertex) shapes.getVertices().get(bnName)).getPreProcessor() != null) {
                return "it has an input preprocessor";
            }
            List<String> ins = inputsOf(bnName);
            if (ins.size() != 1) {
                return "it has " + ins.size() + " inputs";
            }
            String p = ins.get(0);
            org.deeplearning4j.nn.conf.graph.GraphVertex pv = conf.getVertices().get(p);
            if (pv == null) {
                return "its input '" + p + "' is a network input";
            }
            Layer pl = unwrap(layerConf(pv));
            if (pl == null) {
                return "its input '" + p + "' is a " + pv.getClass().getSimpleName() + ", not a layer";
            }
            FoldKind kind = foldKind(pl);
            if (kind == null) {
                return "its input '" + p + "' is a " + pl.getClass().getSimpleName() + ", not a convolution or dense layer";
            }
            if (!(((BaseLayer) pl).getActivationFn() instanceof ActivationIdentity)) {
                return "its input '" + p + "' has activation " + ((BaseLayer) pl).getActivationFn();
            }
            List<String> cons = consumers.getOrDefault(p, List.of());
            if (cons.size() != 1 || outputs.contains(p)) {
                List<String> others = new ArrayList<>(cons);
                others.remove(bnName);
                if (outputs.contains(p)) {
                    others.add("the network output");
                }
                return "its input '" + p + "' also feeds " + String.join(", ", others);
            }
            BatchNormalization bn = (BatchNormalization) unwrap(layerConf(bnVertex));
            long c = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) pl).getNOut();
            if (bn.getNOut() != c) {
                return "it has " + bn.getNOut() + " channels but '" + p + "' has " + c;
            }
            INDArray w = net.getVertex(p).paramTable(false).get(kind == FoldKind.SEPARABLE ? "pW" : "W");
            boolean shapeOk = w != null && switch (kind) {
                case CONV, SEPARABLE -> w.rank() >= 2 && w.size(0) == c;
                case DENSE -> w.rank() == 2 && w.size(1) == c;
                case DEPTHWISE -> w.rank() == 4 && w.size(2) * w.size(3) == c;
            };
            if (!shapeOk) {
                return "the weights of '" + p + "' have an unexpected shape "
                        + (w == null ? "(none)" : java.util.Arrays.toString(w.shape()));
            }
            return null;
        }

        LayerComplexity row(GraphVertex v) {
            String name = v.getVertexName();
            org.deeplearning4j.nn.conf.graph.GraphVertex cv = conf.getVertices().get(name);
            List<String> ins = inputsOf(name);
            String outShape = shape(types.get(name));
            Layer wrapped = layerConf(cv);
            Layer layer = unwrap(wrapped);
            long raw = v.numParams();
            if (layer == null) {
                return vertexRow(v, cv, ins, outShape, raw);
            }
            String type = wrapped == layer ? layer.getClass().getSimpleName()
                    : wrapped.getClass().getSimpleName() + "(" + layer.getClass().getSimpleName() + ")";
            Map<String, INDArray> params = nonNull(v.paramTable(false));

            InputType in = ins.isEmpty() ? null : types.get(ins.get(0));
            if (shapes.getVertices().get(name) instanceof LayerVertex lv && lv.getPreProcessor() != null
                    && in != null) {
                in = lv.getPreProcessor().getOutputType(in);
            }
            Macs macs = macs(layer, in, types.get(name));
            if (macs.note != null) {
                LOG.warn("complexity: layer '{}': {}", name, macs.note);
            }
            String macNote = macs.note == null ? "" : macs.note;

            if (layer instanceof BatchNormalization bn) {
                Affine a = Affine.of(bn, params);
                long running = a.runningCount;
                if (bnToProducer.containsKey(name)) {
                    return new LayerComplexity(name, type, ins, outShape, raw, raw - running, 0, 0, 0, 0, macs.macs,
                            join("folded into '" + bnToProducer.get(name) + "'", macNote));
                }
                long nz = countNonZero(a.scale) + countNonZero(a.shift);
                return new LayerComplexity(name, type, ins, outShape, raw, raw - running, 2L * a.scale.length, nz, 0,
                        0, macs.macs, join("not folded (" + noFoldReason.get(name) + "): scale and shift 2x"
                                + a.scale.length, macNote));
            }
            String bnName = producerToBn.get(name);
            if (bnName != null) {
                return foldedRow(name, type, ins, outShape, raw, layer, params, bnName, macs.macs, macNote);
            }
            long total = 0;
            long nz = 0;
            long weights = 0;
            long nzWeights = 0;
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                double[] vals = values(e.getValue());
                long n = countNonZero(vals);
                total += vals.length;
                nz += n;
                if (isWeight(layer, e.getKey())) {
                    weights += vals.length;
                    nzWeights += n;
                }
            }
            if (total != raw) {
                // A layer whose param table does not cover numParams: count the rest as non-zero weights.
                long rest = raw - total;
                total = raw;
                nz += rest;
                weights += rest;
                nzWeights += rest;
            }
            return new LayerComplexity(name, type, ins, outShape, raw, raw, total, nz, weights, nzWeights,
                    macs.macs, macNote);
        }

        private LayerComplexity foldedRow(String name, String type, List<String> ins, String outShape, long raw,
                                          Layer layer, Map<String, INDArray> params, String bnName, long macs,
                                          String macNote) {
            BatchNormalization bn = (BatchNormalization) unwrap(layerConf(conf.getVertices().get(bnName)));
            Affine a = Affine.of(bn, nonNull(net.getVertex(bnName).paramTable(false)));
            int c = a.scale.length;
            FoldKind kind = foldKind(layer);
            String wKey = kind == FoldKind.SEPARABLE ? "pW" : "W";
            double[] w = values(params.get(wKey));
            long nzW = 0;
            for (int i = 0; i < w.length; i++) {
                int ch = switch (kind) {
                    case CONV, SEPARABLE -> i / (w.length / c);
                    case DENSE, DEPTHWISE -> i % c;
                };
                if ((float) (w[i] * a.scale[ch]) != 0f) {
                    nzW++;
                }
            }
            long weights = w.length;
            long total = w.length;
            long nz = nzW;
            // Other weight arrays (the depthwise kernel of a separable convolution) are unchanged.
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                if (!e.getKey().equals(wKey) && !e.getKey().equals("b")) {
                    double[] vals = values(e.getValue());
                    long n = countNonZero(vals);
                    total += vals.length;
                    nz += n;
                    if (isWeight(layer, e.getKey())) {
                        weights += vals.length;
                        nzW += n;
                    }
                }
            }
            INDArray bArr = params.get("b");
            double[] b = bArr == null ? new double[c] : values(bArr);
            long nzB = 0;
            for (int ch = 0; ch < c; ch++) {
                if ((float) (a.scale[ch] * b[ch] + a.shift[ch]) != 0f) {
                    nzB++;
                }
            }
            total += c;
            nz += nzB;
            String note = "BN '" + bnName + "' folded in" + (bArr == null ? " (+" + c + " bias)" : "");
            return new LayerComplexity(name, type, ins, outShape, raw, raw, total, nz, weights, nzW, macs,
                    join(note, macNote));
        }

        private LayerComplexity vertexRow(GraphVertex v, org.deeplearning4j.nn.conf.graph.GraphVertex cv,
                                          List<String> ins, String outShape, long raw) {
            String type = cv.getClass().getSimpleName();
            long nz = raw;
            Map<String, INDArray> params = nonNull(v.paramTable(false));
            long covered = params.values().stream().mapToLong(INDArray::length).sum();
            if (raw > 0 && covered == raw) {
                nz = params.values().stream().mapToLong(p -> countNonZero(values(p))).sum();
            } else if (raw > 0 && v.params() != null && v.params().length() == raw) {
                nz = countNonZero(values(v.params()));
            }
            String note = "";
            if (!ZERO_MAC_VERTICES.contains(cv.getClass())) {
                note = "MACs not modelled for vertex type " + type + " (counted as 0)";
                LOG.warn("complexity: vertex '{}': {}", v.getVertexName(), note);
            }
            return new LayerComplexity(v.getVertexName(), type, ins, outShape, raw, raw, raw, nz, raw, nz, 0, note);
        }
    }

    /** MACs of one layer and, when its type is not modelled, why it counts 0. */
    private record Macs(long macs, String note) {
    }

    /**
     * @param layer the (unwrapped) layer configuration
     * @param in    type of its input after its preprocessor; may be null
     * @param out   type of its output
     */
    private static Macs macs(Layer layer, InputType in, InputType out) {
        if (layer instanceof SeparableConvolution2D sc) {
            if (out instanceof InputType.InputTypeConvolutional o) {
                long pos = o.getHeight() * o.getWidth();
                long mid = sc.getNIn() * sc.getDepthMultiplier();
                int[] k = sc.getKernelSize();
                return new Macs(pos * mid * k[0] * k[1] + pos * sc.getNOut() * mid, null);
            }
        } else if (layer instanceof DepthwiseConvolution2D dw) {
            if (out instanceof InputType.InputTypeConvolutional o) {
                int[] k = dw.getKernelSize();
                return new Macs(o.getHeight() * o.getWidth() * (dw.getNIn() * dw.getDepthMultiplier()) * k[0] * k[1],
                        null);
            }
        } else if (layer instanceof Deconvolution2D dc) {
            if (in instanceof InputType.InputTypeConvolutional i) {
                int[] k = dc.getKernelSize();
                return new Macs(i.getHeight() * i.getWidth() * dc.getNIn() * k[0] * k[1] * dc.getNOut(), null);
            }
        } else if (layer instanceof Convolution1DLayer c1) {
            if (out instanceof InputType.InputTypeRecurrent o && o.getTimeSeriesLength() > 0) {
                return new Macs(o.getTimeSeriesLength() * c1.getNOut() * c1.getKernelSize()[0] * c1.getNIn(), null);
            }
        } else if (layer.getClass() == ConvolutionLayer.class || layer.getClass() == Convolution2D.class) {
            ConvolutionLayer c = (ConvolutionLayer) layer;
            if (out instanceof InputType.InputTypeConvolutional o) {
                int[] k = c.getKernelSize();
                return new Macs(o.getHeight() * o.getWidth() * c.getNOut() * k[0] * k[1] * c.getNIn(), null);
            }
        } else if (layer instanceof DenseLayer || layer instanceof BaseOutputLayer) {
            org.deeplearning4j.nn.conf.layers.FeedForwardLayer ff = (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer;
            long positions = 1;
            if (in instanceof InputType.InputTypeRecurrent r) {
                if (r.getTimeSeriesLength() <= 0) {
                    return new Macs(0, "MACs not modelled for " + layer.getClass().getSimpleName()
                            + " on a sequence of unknown length (counted as 0)");
                }
                positions = r.getTimeSeriesLength();
            }
            return new Macs(ff.getNIn() * ff.getNOut() * positions, null);
        } else if (ZERO_MAC_LAYERS.contains(layer.getClass())) {
            return new Macs(0, null);
        }
        return new Macs(0, "MACs not modelled for layer type " + layer.getClass().getSimpleName()
                + (out == null ? "" : " with output " + out) + " (counted as 0)");
    }

    /** Per-channel inference affine map of a BatchNormalization: y = scale·x + shift. */
    private static final class Affine {
        final double[] scale;
        final double[] shift;
        /** Entries of the running statistics (mean and var or log10 std) in the parameter vector. */
        final long runningCount;

        private Affine(double[] scale, double[] shift, long runningCount) {
            this.scale = scale;
            this.shift = shift;
            this.runningCount = runningCount;
        }

        static Affine of(BatchNormalization bn, Map<String, INDArray> p) {
            double[] mean = values(require(p, "mean"));
            int c = mean.length;
            double[] var;
            long running = c;
            if (bn.isUseLogStd()) {
                double[] log10Std = values(require(p, "log10stdev"));
                var = new double[c];
                for (int i = 0; i < c; i++) {
                    var[i] = Math.pow(10.0, 2.0 * log10Std[i]);
                }
                running += log10Std.length;
            } else {
                var = values(require(p, "var"));
                running += var.length;
            }
            double[] gamma = new double[c];
            double[] beta = new double[c];
            if (bn.isLockGammaBeta()) {
                java.util.Arrays.fill(gamma, bn.getGamma());
                java.util.Arrays.fill(beta, bn.getBeta());
            } else {
                gamma = values(require(p, "gamma"));
                beta = values(require(p, "beta"));
            }
            double[] scale = new double[c];
            double[] shift = new double[c];
            for (int i = 0; i < c; i++) {
                scale[i] = gamma[i] / Math.sqrt(var[i] + bn.getEps());
                shift[i] = beta[i] - mean[i] * scale[i];
            }
            return new Affine(scale, shift, running);
        }

        private static INDArray require(Map<String, INDArray> p, String key) {
            INDArray a = p.get(key);
            if (a == null) {
                throw new IllegalStateException("BatchNormalization has no parameter '" + key + "': " + p.keySet());
            }
            return a;
        }
    }

    private static FoldKind foldKind(Layer l) {
        if (l instanceof SeparableConvolution2D) {
            return FoldKind.SEPARABLE;
        }
        if (l instanceof DepthwiseConvolution2D) {
            return FoldKind.DEPTHWISE;
        }
        if (l.getClass() == ConvolutionLayer.class || l.getClass() == Convolution2D.class
                || l instanceof Convolution1DLayer) {
            return FoldKind.CONV;
        }
        if (l.getClass() == DenseLayer.class) {
            return FoldKind.DENSE;
        }
        return null;
    }

    private static boolean isWeight(Layer layer, String key) {
        try {
            return layer.initializer().isWeightParam(layer, key);
        } catch (RuntimeException e) {
            return !"b".equals(key);
        }
    }

    private static Layer layerConf(org.deeplearning4j.nn.conf.graph.GraphVertex v) {
        return v instanceof LayerVertex lv && lv.getLayerConf() != null ? lv.getLayerConf().getLayer() : null;
    }

    private static Layer unwrap(Layer l) {
        Layer cur = l;
        for (int depth = 0; depth < 8 && cur != null; depth++) {
            if (cur instanceof FrozenLayer f) {
                cur = f.getLayer();
            } else if (cur instanceof BaseWrapperLayer w) {
                cur = w.getUnderlying();
            } else {
                break;
            }
        }
        return cur;
    }

    private static Map<String, INDArray> nonNull(Map<String, INDArray> m) {
        return m == null ? new LinkedHashMap<>() : m;
    }

    private static String join(String a, String b) {
        StringJoiner j = new StringJoiner("; ");
        if (!a.isEmpty()) {
            j.add(a);
        }
        if (!b.isEmpty()) {
            j.add(b);
        }
        return j.toString();
    }

    /** @return the array's values in c order, widened to double */
    static double[] values(INDArray a) {
        return a.dup('c').reshape(a.length()).toDoubleVector();
    }

    /** @return how many values are not zero once rounded to float32 */
    static long countNonZero(double[] v) {
        long n = 0;
        for (double x : v) {
            if ((float) x != 0f) {
                n++;
            }
        }
        return n;
    }

    /** @return the example shape joined by "x", "?" for an unknown dimension; "" for a null type */
    static String shape(InputType t) {
        if (t == null) {
            return "";
        }
        StringJoiner j = new StringJoiner("x");
        for (long d : t.getShape(false)) {
            j.add(d < 0 ? "?" : Long.toString(d));
        }
        return j.toString();
    }
}
