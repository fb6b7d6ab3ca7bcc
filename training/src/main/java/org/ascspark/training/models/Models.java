package org.ascspark.training.models;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.ascspark.training.nn.BroadcastAddVertex;
import org.ascspark.training.nn.ChannelScaleVertex;
import org.ascspark.training.nn.FrequencyMeanVertex;
import org.ascspark.training.nn.MaxFeatureMapVertex;
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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

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
 * <h2>{@value #BCRESNET_MOD}: BC-ResNet-Mod (SCUT, seed 002 §3.1.1, Fig. 1)</h2>
 * The bcresnet-asc trunk above, unchanged (seed 002 §3.1.1: a 5x5 stride-2 convolution, "several
 * BC-Resblock and max pooling layers"; §3.1.2: ResNorm, eq. 4), with Fig. 1's head: a 1x1 convolution
 * to 64 x width channels ("to increase the number of channels of the feature maps to 256") + BN + ReLU,
 * global average pooling ({@value #EMBEDDING}), a dense softmax layer ("a fully-connected layer").
 * <ul>
 *   <li><b>Width:</b> c' = 10 x width as in bcresnet-asc; the head has 64 x width channels. Width 4 is
 *       the report's size: Fig. 1's example shape [40, 64, 22] (channels, frequency, time) is the
 *       stage-1 map of c' = 40 for 128 bins and a 1 s (44-frame) input. The figure itself is not in
 *       the seed text.</li>
 *   <li><b>Count:</b> width 4, 3 input channels (log-mel, delta, delta-delta, §4.1.1), 128 bins,
 *       10 classes: 125,394 values with the batch-norm running statistics, 117,562 trainable. The
 *       report's "125.33 K" parameters equal its INT8 size (125.33 KB), so they count every stored
 *       value: +0.05%.</li>
 *   <li><b>Our choices:</b> BN + ReLU after the 1x1 convolution (without a non-linearity the 1x1
 *       convolution, average pooling and dense layer would compose to one linear map). MACs are not
 *       reproduced: the complexity analyser gives 17.8 M for a 3 x 128 x 44 input, the report 8.637 M
 *       with no input size or counting rule stated.</li>
 *   <li><b>Shapes:</b> as bcresnet-asc.</li>
 * </ul>
 *
 * <h2>{@value #CLOVA_RESNET_SE}: ResNetSE with MFM (Clova, seed 000 §3.2)</h2>
 * A ResNet-18 layout with squeeze-and-excitation ("a variant of ResNetSE [10, 11]"): "four residual
 * blocks constructed with only 17 convolutional layers" read as a stem plus 4 stages x 2 basic blocks x
 * 2 convolutions (ResNet-18's 17, shortcut convolutions not counted), stage widths 16, 24, 28, 32
 * ("each block outputs 16, 24, 28 and 32-dimensional feature-map"), max feature map (MFM,
 * {@link MaxFeatureMapVertex}) in place of ReLU.
 * <ul>
 *   <li><b>Stem:</b> conv 3x3 to 2 x 16 + BN + MFM.</li>
 *   <li><b>SE basic block</b> (c channels, stride s): conv 3x3 to 2c, stride s, + BN + MFM; conv 3x3 to
 *       c + BN; squeeze-and-excitation (global average pooling, dense c/{@value #CLOVA_SE_REDUCTION} +
 *       ReLU, dense c + sigmoid, channel scaling by {@link ChannelScaleVertex}); plus the shortcut
 *       (identity, or 1x1 conv with stride s + BN when the channels or the size change). s = 2 in the
 *       first block of stages 2-4, else 1.</li>
 *   <li><b>Decomposed convolutions</b> in stages 2-4 ("for the first convolution layer and the first
 *       residual block, however, we use the original version"): each 3x3 convolution becomes a 3x1
 *       (frequency) convolution across channels with the frequency stride, followed by a 1x3 (time)
 *       depthwise convolution with the time stride: 3 in out + 3 out parameters instead of 9 in out.</li>
 *   <li><b>MFM:</b> replaces the ReLUs of the stem and inside the residual branch. ResNetSE's ReLU after
 *       the residual sum has no MFM counterpart (MFM halves the channels, the sum must keep c) and is
 *       dropped.</li>
 *   <li><b>Classifier:</b> global average pooling ({@value #EMBEDDING}, 32 x width values) + dense
 *       softmax.</li>
 *   <li><b>Width:</b> stage widths 16, 24, 28, 32 x width (rounded); the SE hidden size follows.</li>
 *   <li><b>Count:</b> 3 input channels (deltas stacked on channels, seed 000 §2), 128 bins, 10 classes:
 *       63,124 trainable (PyTorch's convention, the report's "number of parameter calculation"),
 *       64,556 in DL4J's count; the report has 63,547 (-0.7%). The report gives no kernel sizes,
 *       decomposition, SE ratio or strides: those above are our choices, and among the decompositions
 *       we considered (3x1 then 1x3 both across channels: about 92k; depthwise separable: about 38k)
 *       we took the one whose count comes closest to the report's.</li>
 *   <li><b>Complexity:</b> the stem has stride 1, so stage 1 runs at full resolution: 619 M MACs for
 *       3 x 128 x 250 (DCASE 2021 had no MAC limit).</li>
 *   <li><b>Shapes:</b> bins &gt;= 8 and frames &gt;= 8 (three stride-2 stages).</li>
 * </ul>
 *
 * <h2>{@value #CLOVA_AMFM}: attentive max feature map network (Clova, seed 000 §3.1)</h2>
 * "Identical to that of Shim et al. [9]" except "32 [filters] at most" and "a global average pooling
 * instead of a fully-connected layer after the last AMFM block". The layer table of [9] is not in the
 * seed; we use the layout of the light CNN that MFM comes from (LCNN-9, Wu et al. 2018): conv1 5x5 (16),
 * max-pool 2x2; group 2: 1x1 (16), 3x3 (24), max-pool; group 3: 1x1 (24), 3x3 (32), max-pool; groups 4
 * and 5: 1x1 (32), 3x3 (32); global average pooling ({@value #EMBEDDING}, 32 x width values); dense
 * softmax. Channel counts are after AMFM, times width; LCNN's last pool is replaced by the global pooling.
 * <ul>
 *   <li><b>AMFM unit</b> (c channels, kernel k): conv k x k to 2c ("same" padding) + BN; channel
 *       attention a = sigmoid(dense(ReLU(dense(GAP(.))))) computed from the whole 2c-channel map, hidden
 *       size c/{@value #CLOVA_AMFM_REDUCTION}; output max(x1, a * x2) over the channel halves
 *       ({@link MaxFeatureMapVertex}, which states our reading of AMFM).</li>
 *   <li><b>Multitask head:</b> with {@link ModelSpec#groupClasses()} &gt; 0 ({@value #SCENE_GROUPS}:
 *       indoor, outdoor, transportation) a second softmax output {@value #OUTPUT_GROUP} on the
 *       embedding, under cross-entropy (DL4J adds the two losses with equal weight);
 *       {@link #withoutGroupHead} removes it after training. The report's "extended" multitask head is
 *       not described in the seed: ours is one dense layer (33 x 3 = 99 parameters at width 1), the
 *       report's adds 12,148 (77,572 - 65,424).</li>
 *   <li><b>Count:</b> 3 x 128 x 250 input, 10 classes: 69,864 trainable; the report's Table 1 has
 *       65,424 (+6.8%). §3.1 says 63,547 after removing the multitask head, the ResNetSE's figure of
 *       §3.2 and Table 1, which we take for a typo.</li>
 *   <li><b>Shapes:</b> bins &gt;= 8 and frames &gt;= 8 (three 2x2 max-pools).</li>
 * </ul>
 *
 * <h2>{@value #AIT_STUDENT}: student CNN (AIT, seed 001 Table 1)</h2>
 * Four rows "Convolution [2x2] - ReLU - BN - AP [2x2] - Dropout" (global average pooling in the fourth)
 * with 16, 16, 16, 32 x width filters, then "FC (64) - ReLU - Dropout" ({@value #EMBEDDING}) and a dense
 * softmax layer. The convolutions have biases and Keras {@code padding='same'} (extra padding at the
 * bottom/right for the even kernel), as in the report's TensorFlow models, so 128 x 128 gives the table's
 * 64, 32 and 16.
 * <ul>
 *   <li><b>Embedding:</b> always {@value #AIT_EMBEDDING_SIZE}-d, whatever the width: distillation
 *       compares it by MSE with the teacher's 64-d embedding (seed 001 §2.2, Loss_2).</li>
 *   <li><b>Table 1's third row</b> says C_out3 = 16 but lists a 16 x 16 x 32 output; we use 16, which
 *       the report's totals support (22,962 parameters for its three students, 28.8 KB each).</li>
 *   <li><b>Dropout:</b> Table 1's 10, 15, 20, 25 and 30% at the default dropout 0.3; another value d
 *       scales all five by d / 0.3 (0 removes them).</li>
 *   <li><b>Count:</b> 3 x 128 x 128, 10 classes: 7,450 in the Keras/DL4J count (batch-norm moving
 *       statistics included), 7,290 trainable; three students 22,350 against the report's 22,962
 *       (-2.7%, 7,654 per student; not resolvable from the table). Batch norm uses DL4J's defaults, not
 *       Keras' (eps 1e-3, momentum 0.99).</li>
 *   <li><b>Shapes:</b> bins &gt;= 8 and frames &gt;= 8 (three 2x2 average pools).</li>
 * </ul>
 *
 * <h2>{@value #AIT_TEACHER}: residual-inception teacher (AIT, seed 001 §2.1, Fig. 2)</h2>
 * The seed reuses its CNN backbone from Pham et al. [21, 10] without describing it, so the backbone is
 * our residual-inception design: stem conv 3x3 + BN + ReLU (32 x width); four residual-inception blocks
 * of 32, 64, 128, 256 x width channels, each followed by a 2x2 max-pool. A block with c channels has three
 * branches of c/4 channels (1x1; 1x1 then 3x3; 1x1 then 3x3 then 3x3; each conv + BN + ReLU, as the
 * Inception-ResNet-A block of Szegedy et al. 2017), concatenated, a 1x1 conv to c + BN, the shortcut
 * (identity, or 1x1 conv + BN when the channels change) added, and ReLU. The dense block follows Fig. 2:
 * global average pooling, "Dense Layer 01" = FC(64) + ReLU ({@value #EMBEDDING}, "the feature map at the
 * first fully connected layer of the dense block (FC (64))"), "Dense Layer 02" = dense softmax; dropout
 * (default 0.2, our choice) on the input of both dense layers. 309,514 trainable parameters at width 1
 * (3 x 128 x 128, 10 classes; width 2 about 1.2 M); the report gives no count. Shapes: bins &gt;= 16 and
 * frames &gt;= 16 (four 2x2 max-pools).
 *
 * <h2>Common settings</h2>
 * All convolutions are bias-free with truncating output sizes (as PyTorch), except ait-student's (see
 * there); dense layers have biases; batch norm uses DL4J's defaults (decay 0.9 = PyTorch momentum 0.1,
 * eps 1e-5); weights use He initialisation, the output and sigmoid layers Xavier; the spec's updater,
 * weight decay (on weights), seed and data type apply to every layer.
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
    /**
     * Name of the optional auxiliary softmax output of {@value #CLOVA_AMFM} (scene groups, seed 000 §3.1),
     * present when {@link ModelSpec#groupClasses()} &gt; 0; {@link #withoutGroupHead} removes it.
     */
    public static final String OUTPUT_GROUP = "output_group";
    /** The training-only embedding output of an {@link EmbeddingHead}. */
    public static final String OUTPUT_EMBEDDING = "output_embedding";
    /** The projection of an {@link EmbeddingHead} when the embedding and target sizes differ. */
    public static final String EMBEDDING_PROJECTION = "embedding_projection";
    /** Scene groups of the Clova multitask head: indoor, outdoor, transportation (seed 000 §3.1). */
    public static final int SCENE_GROUPS = 3;

    /** BC-ResNet-ASC (QTI). */
    public static final String BCRESNET_ASC = "bcresnet-asc";
    /** SP4ASC (valeo). */
    public static final String SP4ASC = "sp4asc";
    /** CP-ResNet (CPJKU). */
    public static final String CP_RESNET = "cp-resnet";
    /** BC-ResNet-Mod (SCUT). */
    public static final String BCRESNET_MOD = "bcresnet-mod";
    /** ResNetSE with decomposed convolutions and MFM (Clova). */
    public static final String CLOVA_RESNET_SE = "clova-resnet-se";
    /** Attentive max feature map network (Clova). */
    public static final String CLOVA_AMFM = "clova-amfm";
    /** Student CNN (AIT). */
    public static final String AIT_STUDENT = "ait-student";
    /** Residual-inception teacher (AIT). */
    public static final String AIT_TEACHER = "ait-teacher";

    /** ResNorm identity weight lambda of bcresnet-asc (seed 003 eq. 3; the value is our choice). */
    public static final double RESNORM_LAMBDA = 0.1;
    /** SubSpectral Norm sub-bands in every BC-ResBlock (seed 003 Table 2: "num SSN group = 4"). */
    public static final int SSN_SUB_BANDS = 4;
    /** Number of the flexible CP-ResNet convolutions that are 3x3 (see the class comment). */
    public static final int CP_RESNET_RHO = 5;
    /** Squeeze-and-excitation reduction ratio of clova-resnet-se: hidden size c / 4 (our choice). */
    public static final int CLOVA_SE_REDUCTION = 4;
    /** Attention reduction of clova-amfm: hidden size c / 8 for an AMFM with c outputs (our choice). */
    public static final int CLOVA_AMFM_REDUCTION = 8;
    /** Size of the AIT embedding (FC(64), seed 001 §2.1-2.2), independent of the width. */
    public static final int AIT_EMBEDDING_SIZE = 64;
    /** Dropout rates of the five ait-student dropout sites at the default dropout (seed 001 Table 1). */
    static final double[] AIT_STUDENT_DROPOUT = {0.10, 0.15, 0.20, 0.25, 0.30};

    private static final List<String> NAMES = List.of(BCRESNET_ASC, SP4ASC, CP_RESNET, BCRESNET_MOD,
            CLOVA_RESNET_SE, CLOVA_AMFM, AIT_STUDENT, AIT_TEACHER);

    private Models() {
    }

    /** @return the model names, in a fixed order */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * @param name a model name
     * @return the dropout probability {@link #configuration(ModelSpec)} uses for it: bcresnet-asc and
     *     bcresnet-mod 0.1 (BC-ResNet's Dropout2d), sp4asc 0.2 (seed 004 §3), ait-student 0.3 (the largest
     *     rate of seed 001 Table 1; the other sites scale with it), ait-teacher 0.2 (our choice);
     *     cp-resnet, clova-resnet-se and clova-amfm have no dropout sites: 0
     */
    public static double defaultDropout(String name) {
        return switch (requireKnown(name)) {
            case BCRESNET_ASC, BCRESNET_MOD -> 0.1;
            case SP4ASC, AIT_TEACHER -> 0.2;
            case AIT_STUDENT -> AIT_STUDENT_DROPOUT[AIT_STUDENT_DROPOUT.length - 1];
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
        return configuration(spec, dropout, null);
    }

    /**
     * A training-only output that pulls the {@value #EMBEDDING} vector towards a target vector (a
     * teacher's embedding in distillation): a {@code LossLayer} {@value #OUTPUT_EMBEDDING} under
     * {@code loss}, fed by {@value #EMBEDDING} directly when it has {@code size} values and otherwise
     * through a learned linear projection {@value #EMBEDDING_PROJECTION} to {@code size} values.
     * {@link #keepOnly} removes both after training.
     *
     * @param size the target vectors' length, at least 1
     * @param loss the loss between the (projected) embedding and the target
     */
    public record EmbeddingHead(int size, ILossFunction loss) {
        /** Checks the arguments. */
        public EmbeddingHead {
            if (size < 1 || loss == null) {
                throw new IllegalArgumentException("an embedding head needs a size >= 1 and a loss; got " + size
                        + ", " + loss);
            }
        }
    }

    /**
     * @param spec    the model and its settings
     * @param dropout as for {@link #configuration(ModelSpec, double)}
     * @param head    an extra embedding output for training, or null; when given the network's outputs are
     *                {@value #OUTPUT}, [{@value #OUTPUT_GROUP},] {@value #OUTPUT_EMBEDDING}, in that order
     * @return the configuration
     */
    public static ComputationGraphConfiguration configuration(ModelSpec spec, double dropout, EmbeddingHead head) {
        String name = requireKnown(spec.name());
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1); got " + dropout);
        }
        if (spec.groupClasses() > 0 && !name.equals(CLOVA_AMFM)) {
            throw new IllegalArgumentException(name + " has no auxiliary multitask head; groupClasses must be 0"
                    + " (only " + CLOVA_AMFM + " has one); got " + spec.groupClasses());
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
            case CP_RESNET -> cpResNet(g, spec);
            case BCRESNET_MOD -> bcResNetMod(g, spec, dropout);
            case CLOVA_RESNET_SE -> clovaResNetSe(g, spec);
            case CLOVA_AMFM -> clovaAmfm(g, spec);
            case AIT_STUDENT -> aitStudent(g, spec, dropout);
            default -> aitTeacher(g, spec, dropout);
        }
        List<String> outputs = new ArrayList<>(List.of(OUTPUT));
        if (spec.groupClasses() > 0) {
            outputs.add(OUTPUT_GROUP);
        }
        if (head != null) {
            String from = EMBEDDING;
            GraphAssembler.Shape target = new GraphAssembler.Shape(head.size(), 1, 1);
            if (g.shape(EMBEDDING).channels() != head.size()) {
                from = g.layer(EMBEDDING_PROJECTION, new DenseLayer.Builder().nOut(head.size())
                        .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build(), target, EMBEDDING);
            }
            g.layer(OUTPUT_EMBEDDING, new LossLayer.Builder(head.loss()).activation(Activation.IDENTITY).build(),
                    target, from);
            outputs.add(OUTPUT_EMBEDDING);
        }
        g.graph().setOutputs(outputs.toArray(new String[0]));
        ComputationGraphConfiguration conf = g.graph().build();
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
     * Removes the auxiliary multitask output {@value #OUTPUT_GROUP} (and every vertex only it uses) from a
     * trained network, as Clova do after training (seed 000 §3.1: "MTL related parameters are removed
     * after training is complete"). The copy holds the same configuration for everything {@value #OUTPUT}
     * depends on and identical parameters (batch-norm running statistics included), so
     * {@value #OUTPUT} and {@value #EMBEDDING} compute the same values; its updater state is fresh.
     *
     * @param net a network with the outputs {@value #OUTPUT} and {@value #OUTPUT_GROUP}; not modified
     * @return a new network whose only output is {@value #OUTPUT}; IllegalArgumentException when
     *     {@code net} has no {@value #OUTPUT_GROUP} or no {@value #OUTPUT}
     */
    public static ComputationGraph withoutGroupHead(ComputationGraph net) {
        List<String> outputs = net.getConfiguration().getNetworkOutputs();
        if (!outputs.contains(OUTPUT_GROUP) || !outputs.contains(OUTPUT)) {
            throw new IllegalArgumentException("expected a network with outputs '" + OUTPUT + "' and '" + OUTPUT_GROUP
                    + "'; got " + outputs);
        }
        return keepOnly(net, OUTPUT);
    }

    /**
     * A copy of a network with only the given outputs and every vertex they depend on (training-only
     * heads such as {@value #OUTPUT_GROUP} or {@value #OUTPUT_EMBEDDING} removed), the same configuration for
     * what is kept and identical parameters (batch-norm running statistics included); its updater state is
     * fresh.
     *
     * @param net a network; not modified
     * @param keep outputs of {@code net} to keep, in the order the copy lists them
     * @return the copy; IllegalArgumentException when {@code net} lacks one of {@code keep}
     */
    public static ComputationGraph keepOnly(ComputationGraph net, String... keep) {
        ComputationGraphConfiguration conf = net.getConfiguration().clone();
        List<String> outputs = conf.getNetworkOutputs();
        if (keep.length == 0 || !outputs.containsAll(List.of(keep))) {
            throw new IllegalArgumentException("cannot keep outputs " + List.of(keep) + " of a network with outputs "
                    + outputs);
        }
        Set<String> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(keep));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (needed.add(v)) {
                todo.addAll(conf.getVertexInputs().getOrDefault(v, List.of()));
            }
        }
        conf.getVertices().keySet().retainAll(needed);
        conf.getVertexInputs().keySet().retainAll(needed);
        conf.setNetworkOutputs(new ArrayList<>(List.of(keep)));
        pinConstructionOrder(conf);
        ComputationGraph out = new ComputationGraph(conf);
        out.init();
        for (Map.Entry<String, INDArray> p : out.paramTable().entrySet()) {
            p.getValue().assign(net.getParam(p.getKey()));
        }
        return out;
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

    /** @return whether the named architecture has the auxiliary {@value #OUTPUT_GROUP} head option */
    public static boolean hasGroupHead(String name) {
        return CLOVA_AMFM.equals(name);
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

    /** The vertex a trunk ends in and its channel count. */
    private record Trunk(String vertex, int channels) {
    }

    /**
     * The BC-ResNet-ASC trunk (QTI Table 1) up to the last stage's ResNorm, shared by bcresnet-asc and
     * bcresnet-mod; see the class comment.
     */
    private static Trunk bcResNetTrunk(GraphAssembler g, ModelSpec spec, double dropout, String model) {
        int f1 = stemSize(spec.bins());
        int f2 = f1 / 2;
        int f3 = f2 / 2;
        if (f1 % SSN_SUB_BANDS != 0 || f2 % SSN_SUB_BANDS != 0 || f3 % SSN_SUB_BANDS != 0 || f3 < SSN_SUB_BANDS) {
            throw new IllegalArgumentException(model + " cannot take features of shape " + shapeOf(spec)
                    + ": SubSpectral Norm with " + SSN_SUB_BANDS + " sub-bands needs the frequency size of every"
                    + " stage divisible by " + SSN_SUB_BANDS + ", and bins=" + spec.bins() + " gives " + f1 + ", "
                    + f2 + ", " + f3 + "; use bins divisible by 32 (e.g. 256)");
        }
        if (stemSize(spec.frames()) / 4 < 1) {
            throw new IllegalArgumentException(model + " cannot take features of shape " + shapeOf(spec)
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
        return new Trunk(x, inCh);
    }

    private static void bcResNetAsc(GraphAssembler g, ModelSpec spec, double dropout) {
        Trunk t = bcResNetTrunk(g, spec, dropout, BCRESNET_ASC);
        String emb = globalAveragePool(g, EMBEDDING, t.vertex());
        softmaxOutput(g, spec, OUTPUT, spec.numClasses(), emb);
    }

    /** Global average pooling of an NCHW map to {@code [batch, channels]}. */
    private static String globalAveragePool(GraphAssembler g, String name, String in) {
        return g.layer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
                new GraphAssembler.Shape(g.shape(in).channels(), 1, 1), in);
    }

    /** Dense softmax output layer with bias (Xavier initialisation) under the spec's loss. */
    private static String softmaxOutput(GraphAssembler g, ModelSpec spec, String name, int classes, String in) {
        return softmaxOutput(g, spec, name, classes, in, 0.0);
    }

    /** As {@link #softmaxOutput(GraphAssembler, ModelSpec, String, int, String)} with dropout on its input. */
    private static String softmaxOutput(GraphAssembler g, ModelSpec spec, String name, int classes, String in,
            double dropout) {
        OutputLayer.Builder b = new OutputLayer.Builder(spec.loss()).nOut(classes).activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER);
        if (dropout > 0) {
            b.dropOut(new Dropout(1.0 - dropout));
        }
        return g.layer(name, b.build(), new GraphAssembler.Shape(classes, 1, 1), in);
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
        String sum = residualSum(g, name, in, inCh, y, outCh, 1);
        return g.activation(name + "_relu2", sum, Activation.RELU);
    }

    /**
     * {@code branch + shortcut}: the shortcut is {@code in}, or a 1x1 conv (with the stride) + BN when
     * the channels or the resolution change.
     */
    private static String residualSum(GraphAssembler g, String name, String in, int inCh, String branch,
            int outCh, int stride) {
        String shortcut = in;
        if (inCh != outCh || stride != 1) {
            shortcut = g.conv(name + "_sc_conv", in, outCh, 1, 1, stride, stride, 0, 0);
            shortcut = g.batchNorm(name + "_sc_bn", shortcut);
        }
        return g.add(name + "_sum", branch, shortcut);
    }

    // ---------------------------------------------------------------- bcresnet-mod

    private static void bcResNetMod(GraphAssembler g, ModelSpec spec, double dropout) {
        Trunk t = bcResNetTrunk(g, spec, dropout, BCRESNET_MOD);
        int head = channels(64 * spec.width());
        String x = g.conv("head_conv", t.vertex(), head, 1, 1, 1, 1, 0, 0);
        x = g.batchNorm("head_bn", x);
        x = g.activation("head_relu", x, Activation.RELU);
        String emb = globalAveragePool(g, EMBEDDING, x);
        softmaxOutput(g, spec, OUTPUT, spec.numClasses(), emb);
    }

    // ---------------------------------------------------------------- shared pieces of the new models

    /** Max feature map over the channel halves of {@code in}. */
    private static String mfm(GraphAssembler g, String name, String in) {
        GraphAssembler.Shape s = g.shape(in);
        return g.vertex(name, new MaxFeatureMapVertex(), new GraphAssembler.Shape(s.channels() / 2, s.freq(),
                s.time()), in);
    }

    /**
     * Squeeze-and-excitation (Hu et al. CVPR 2018 §3): global average pooling, dense to {@code hidden} +
     * ReLU, dense to the channel count + sigmoid (both with bias), channel-wise scaling of {@code in}.
     */
    private static String squeezeExcitation(GraphAssembler g, String name, String in, int hidden) {
        int c = (int) g.shape(in).channels();
        String s = globalAveragePool(g, name + "_pool", in);
        s = dense(g, name + "_fc1", s, hidden, Activation.RELU);
        s = dense(g, name + "_fc2", s, c, Activation.SIGMOID);
        return g.vertex(name + "_scale", new ChannelScaleVertex(), g.shape(in), in, s);
    }

    /** Dense layer with bias; sigmoid layers get Xavier initialisation, the others He. */
    private static String dense(GraphAssembler g, String name, String in, int nOut, Activation activation) {
        DenseLayer.Builder b = new DenseLayer.Builder().nOut(nOut).activation(activation);
        if (activation == Activation.SIGMOID) {
            b.weightInit(WeightInit.XAVIER);
        }
        return g.layer(name, b.build(), new GraphAssembler.Shape(nOut, 1, 1), in);
    }

    /** Conv k_f x k_t ("same" size, bias-free) + BN + ReLU. */
    private static String convBnRelu(GraphAssembler g, String name, String in, int nOut, int kf, int kt) {
        String x = g.conv(name + "_conv", in, nOut, kf, kt, 1, 1, kf / 2, kt / 2);
        x = g.batchNorm(name + "_bn", x);
        return g.activation(name + "_relu", x, Activation.RELU);
    }

    private static void requireAtLeast(ModelSpec spec, int minBins, int minFrames, String why) {
        if (spec.bins() < minBins || spec.frames() < minFrames) {
            throw new IllegalArgumentException(spec.name() + " cannot take features of shape " + shapeOf(spec)
                    + ": it needs bins >= " + minBins + " and frames >= " + minFrames + " (" + why + ")");
        }
    }

    // ---------------------------------------------------------------- clova-resnet-se

    private static void clovaResNetSe(GraphAssembler g, ModelSpec spec) {
        requireAtLeast(spec, 8, 8, "three stride-2 stages");
        double w = spec.width();
        int[] width = {channels(16 * w), channels(24 * w), channels(28 * w), channels(32 * w)};
        // stem: original 3x3 convolution to 2c, BN, MFM (seed 000 §3.2)
        String x = g.conv("stem_conv", INPUT, 2 * width[0], 3, 3, 1, 1, 1, 1);
        x = g.batchNorm("stem_bn", x);
        x = mfm(g, "stem_mfm", x);
        int inCh = width[0];
        for (int stage = 0; stage < width.length; stage++) {
            for (int b = 0; b < 2; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                // the first residual block (stage) keeps the original convolutions (seed 000 §3.2)
                x = seBasicBlock(g, "s" + (stage + 1) + "b" + (b + 1), x, inCh, width[stage], stride, stage > 0);
                inCh = width[stage];
            }
        }
        String emb = globalAveragePool(g, EMBEDDING, x);
        softmaxOutput(g, spec, OUTPUT, spec.numClasses(), emb);
    }

    /**
     * 3x3 convolution (padding 1, bias-free) with the given stride on both axes, or its decomposition: a
     * 3x1 (frequency) convolution across channels with the frequency stride, then a 1x3 (time) depthwise
     * convolution with the time stride.
     */
    private static String conv3x3(GraphAssembler g, String name, String in, int nOut, int stride,
            boolean decomposed) {
        if (!decomposed) {
            return g.conv(name, in, nOut, 3, 3, stride, stride, 1, 1);
        }
        String f = g.conv(name + "_f", in, nOut, 3, 1, stride, 1, 1, 0);
        return g.depthwiseStrided(name + "_t", f, 1, 3, 1, stride, 0, 1);
    }

    /** SE basic block with MFM; see the class comment. */
    private static String seBasicBlock(GraphAssembler g, String name, String in, int inCh, int c, int stride,
            boolean decomposed) {
        String y = conv3x3(g, name + "_conv1", in, 2 * c, stride, decomposed);
        y = g.batchNorm(name + "_bn1", y);
        y = mfm(g, name + "_mfm", y);
        y = conv3x3(g, name + "_conv2", y, c, 1, decomposed);
        y = g.batchNorm(name + "_bn2", y);
        y = squeezeExcitation(g, name + "_se", y, Math.max(1, c / CLOVA_SE_REDUCTION));
        return residualSum(g, name, in, inCh, y, c, stride);
    }

    // ---------------------------------------------------------------- clova-amfm

    private static void clovaAmfm(GraphAssembler g, ModelSpec spec) {
        requireAtLeast(spec, 8, 8, "three 2x2 max-pools");
        double w = spec.width();
        // LCNN-9 layout (Wu et al. 2018): conv1 5x5, then groups of 1x1 + 3x3, pools after conv1 and
        // groups 2 and 3; channels after each AMFM
        String[] names = {"conv1", "group2a", "group2", "group3a", "group3", "group4a", "group4", "group5a",
            "group5"};
        int[] base = {16, 16, 24, 24, 32, 32, 32, 32, 32};
        int[] kernel = {5, 1, 3, 1, 3, 1, 3, 1, 3};
        boolean[] poolAfter = {true, false, true, false, true, false, false, false, false};
        String x = INPUT;
        for (int i = 0; i < names.length; i++) {
            x = amfmUnit(g, names[i], x, channels(base[i] * w), kernel[i]);
            if (poolAfter[i]) {
                x = g.pool(names[i] + "_pool", x, PoolingType.MAX, 2);
            }
        }
        String emb = globalAveragePool(g, EMBEDDING, x);
        softmaxOutput(g, spec, OUTPUT, spec.numClasses(), emb);
        if (spec.groupClasses() > 0) {
            // cross-entropy whatever the scene output's loss (a distillation loss is for the scene classes)
            softmaxOutput(g, spec.withLoss(new LossMCXENT()), OUTPUT_GROUP, spec.groupClasses(), emb);
        }
    }

    /**
     * Conv k x k to 2c ("same" size, bias-free) + BN, channel attention a = sigmoid(dense(ReLU(dense(
     * GAP(.))))) from the whole 2c-channel map, then AMFM max(x1, a * x2) to c channels.
     */
    private static String amfmUnit(GraphAssembler g, String name, String in, int c, int k) {
        String x = g.conv(name + "_conv", in, 2 * c, k, k, 1, 1, k / 2, k / 2);
        x = g.batchNorm(name + "_bn", x);
        String a = globalAveragePool(g, name + "_att_pool", x);
        a = dense(g, name + "_att_fc1", a, Math.max(1, c / CLOVA_AMFM_REDUCTION), Activation.RELU);
        a = dense(g, name + "_att_fc2", a, c, Activation.SIGMOID);
        GraphAssembler.Shape s = g.shape(x);
        return g.vertex(name + "_amfm", new MaxFeatureMapVertex(), new GraphAssembler.Shape(c, s.freq(), s.time()),
                x, a);
    }

    // ---------------------------------------------------------------- ait-student

    private static void aitStudent(GraphAssembler g, ModelSpec spec, double dropout) {
        requireAtLeast(spec, 8, 8, "three 2x2 average pools");
        double w = spec.width();
        int[] width = {channels(16 * w), channels(16 * w), channels(16 * w), channels(32 * w)};
        double scale = dropout / AIT_STUDENT_DROPOUT[AIT_STUDENT_DROPOUT.length - 1];
        String x = INPUT;
        for (int i = 0; i < width.length; i++) {
            String n = "conv" + (i + 1);
            // Table 1 row: Convolution [2x2] - ReLU - BN - AP [2x2] (GAP in the last row) - Dropout
            x = g.convSame(n, x, width[i], 2, 2, true);
            x = g.activation(n + "_relu", x, Activation.RELU);
            x = g.batchNorm(n + "_bn", x);
            x = i < width.length - 1 ? g.pool(n + "_pool", x, PoolingType.AVG, 2) : globalAveragePool(g, "gap", x);
            double rate = AIT_STUDENT_DROPOUT[i] * scale;
            if (rate > 0) {
                x = g.layer(n + "_drop", new DropoutLayer.Builder(new Dropout(1.0 - rate)).build(), g.shape(x), x);
            }
        }
        String emb = dense(g, EMBEDDING, x, AIT_EMBEDDING_SIZE, Activation.RELU);
        softmaxOutput(g, spec, OUTPUT, spec.numClasses(), emb, AIT_STUDENT_DROPOUT[4] * scale);
    }

    // ---------------------------------------------------------------- ait-teacher

    private static void aitTeacher(GraphAssembler g, ModelSpec spec, double dropout) {
        requireAtLeast(spec, 16, 16, "four 2x2 max-pools");
        double w = spec.width();
        int[] width = {channels(32 * w), channels(64 * w), channels(128 * w), channels(256 * w)};
        String x = convBnRelu(g, "stem", INPUT, width[0], 3, 3);
        int inCh = width[0];
        for (int b = 0; b < width.length; b++) {
            String n = "b" + (b + 1);
            x = residualInception(g, n, x, inCh, width[b]);
            inCh = width[b];
            x = g.pool(n + "_pool", x, PoolingType.MAX, 2);
        }
        String pooled = globalAveragePool(g, "gap", x);
        // dense block (seed 001 Fig. 2): Dense Layer 01 = FC(64), the embedding; Dense Layer 02 = classifier
        DenseLayer.Builder hidden = new DenseLayer.Builder().nOut(AIT_EMBEDDING_SIZE).activation(Activation.RELU);
        if (dropout > 0) {
            hidden.dropOut(new Dropout(1.0 - dropout));
        }
        String emb = g.layer(EMBEDDING, hidden.build(), new GraphAssembler.Shape(AIT_EMBEDDING_SIZE, 1, 1), pooled);
        softmaxOutput(g, spec, OUTPUT, spec.numClasses(), emb, dropout);
    }

    /** Residual-inception block; see the class comment. */
    private static String residualInception(GraphAssembler g, String name, String in, int inCh, int c) {
        int b = channels(c / 4.0);
        String b1 = convBnRelu(g, name + "_b1", in, b, 1, 1);
        String b2 = convBnRelu(g, name + "_b2a", in, b, 1, 1);
        b2 = convBnRelu(g, name + "_b2b", b2, b, 3, 3);
        String b3 = convBnRelu(g, name + "_b3a", in, b, 1, 1);
        b3 = convBnRelu(g, name + "_b3b", b3, b, 3, 3);
        b3 = convBnRelu(g, name + "_b3c", b3, b, 3, 3);
        String cat = g.concat(name + "_cat", b1, b2, b3);
        String proj = g.conv(name + "_proj", cat, c, 1, 1, 1, 1, 0, 0);
        proj = g.batchNorm(name + "_proj_bn", proj);
        return g.activation(name + "_relu", residualSum(g, name, in, inCh, proj, c, 1), Activation.RELU);
    }
}
