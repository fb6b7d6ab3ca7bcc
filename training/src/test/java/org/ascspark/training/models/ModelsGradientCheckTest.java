package org.ascspark.training.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.ascspark.training.nn.FocalLoss;
import org.ascspark.training.nn.GradientChecks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every model at a tiny size passes {@code GradientCheckUtil} in double precision, batch norm in
 * training mode (running statistics excluded, see {@link GradientChecks}), no dropout, every other
 * parameter checked. The sizes keep each check to a few hundred parameters while keeping every block
 * type: bcresnet-asc width 0.1 has channels 2/1/2/2/3, so it has transition and normal BC-ResBlocks;
 * cp-resnet width 1/64 has c = 1 (widths 1, 2, 4) with 3x3 and 1x1 blocks and shortcut convolutions;
 * clova-resnet-se width 1/16 (1/2/2/2) has original and decomposed convolutions, MFM, SE and strided
 * projection shortcuts; clova-amfm width 1/16 is checked with its multitask head (both outputs' losses)
 * on 16 x 8 features (2 x 1 after the pools, so the last 3x3 kernels see more than padding);
 * ait-student keeps its 'same'-padded 2x2 convolutions; ait-teacher width 1/64 (1/1/2/4) has identity
 * and projection shortcuts; bcresnet-mod adds its 1x1 head to the bcresnet-asc trunk.
 * Batch size 8: with 2 examples a batch norm over pooled logits outputs +-1 whatever its input, and
 * with 4 the cp-resnet classifier batch norm is so badly conditioned (gradients of several hundred)
 * that central differences are off by up to 4e-4 relative.
 *
 * <p>Tolerances are looser than for the single vertices ({@link GradientChecks}): the score of a
 * 40-120-vertex network carries rounding noise of ~1e-14, i.e. ~1e-8 on a central difference with
 * epsilon 1e-6, so parameters whose gradient is near zero (behind a ReLU that is off for the whole
 * batch) pass below an absolute error of {@value #MIN_ABS_ERROR}; elsewhere the relative error must
 * stay below {@value #MAX_REL_ERROR} (the largest seen is ~1e-5). An implementation error such as a
 * missing term or a doubled gradient gives relative errors of 1e-2 or more.
 */
class ModelsGradientCheckTest {

    private static final Logger LOG = LoggerFactory.getLogger(ModelsGradientCheckTest.class);
    private static final int BATCH = 8;
    private static final double MAX_REL_ERROR = 1e-4;
    private static final double MIN_ABS_ERROR = 1e-7;
    private static final int CLASSES = 3;

    private static void check(ModelSpec spec) {
        check(spec, Set.of());
    }

    /** @param alsoExcluded parameters left unchecked besides the BN running statistics (see {@link GradientChecks}) */
    private static void check(ModelSpec spec, Set<String> alsoExcluded) {
        try (var dp = new GradientChecks.DoublePrecision()) {
            ModelSpec s = spec.withUpdater(new NoOp()).withDataType(DataType.DOUBLE);
            ComputationGraph net = Models.create(s, 0.0);
            Nd4j.getRandom().setSeed(1234);
            INDArray x = Nd4j.randn(DataType.DOUBLE, BATCH, s.inputChannels(), s.bins(), s.frames());
            INDArray[] labels = s.groupClasses() > 0
                    ? new INDArray[] {GradientChecks.oneHot(BATCH, CLASSES), GradientChecks.oneHot(BATCH, s.groupClasses())}
                    : new INDArray[] {GradientChecks.oneHot(BATCH, CLASSES)};
            long start = System.nanoTime();
            boolean ok = GradientChecks.check(net, new INDArray[] {x}, labels, null, MAX_REL_ERROR, MIN_ABS_ERROR,
                    alsoExcluded);
            LOG.info("{}: gradient check of {} parameters ({} excluded running stats) in {} ms", s.name(),
                    net.numParams(), ParamCounts.batchNormRunningStats(net), (System.nanoTime() - start) / 1_000_000);
            assertTrue(ok, "gradient check " + s);
        }
    }

    @Test
    void bcResNetAsc() {
        check(ModelSpec.of(Models.BCRESNET_ASC, 1, 32, 8, CLASSES, 0.1, 5));
    }

    @Test
    void sp4ascWithFocalLoss() {
        check(ModelSpec.of(Models.SP4ASC, 2, 16, 16, CLASSES, 1.0 / 32, 5).withLoss(new FocalLoss(1.0)));
    }

    @Test
    void cpResNet() {
        check(ModelSpec.of(Models.CP_RESNET, 1, 16, 16, CLASSES, 1.0 / 64, 5));
    }

    @Test
    void bcResNetMod() {
        check(ModelSpec.of(Models.BCRESNET_MOD, 1, 32, 8, CLASSES, 0.1, 5));
    }

    @Test
    void clovaResNetSe() {
        check(ModelSpec.of(Models.CLOVA_RESNET_SE, 1, 8, 8, CLASSES, 1.0 / 16, 5));
    }

    @Test
    void clovaAmfmWithGroupHead() {
        check(ModelSpec.of(Models.CLOVA_AMFM, 1, 16, 8, CLASSES, 1.0 / 16, 5).withGroupClasses(Models.SCENE_GROUPS));
    }

    @Test
    void aitStudent() {
        check(ModelSpec.of(Models.AIT_STUDENT, 2, 8, 8, CLASSES, 1.0 / 8, 5));
    }

    /**
     * The 64-d embedding (fixed at every width) makes the weights of the two built-in dense layers 448
     * of the 837 parameters and half the run time; they are left out (their biases are checked, and
     * every convolution and batch norm behind them is checked through the gradient they pass back).
     */
    @Test
    void aitTeacher() {
        check(ModelSpec.of(Models.AIT_TEACHER, 1, 16, 16, CLASSES, 1.0 / 64, 5),
                Set.of(Models.EMBEDDING + "_W", Models.OUTPUT + "_W"));
    }
}
