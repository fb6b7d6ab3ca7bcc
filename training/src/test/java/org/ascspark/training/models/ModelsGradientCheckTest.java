package org.ascspark.training.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * cp-resnet width 1/64 has c = 1 (widths 1, 2, 4) with 3x3 and 1x1 blocks and shortcut convolutions.
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
        try (var dp = new GradientChecks.DoublePrecision()) {
            ModelSpec s = spec.withUpdater(new NoOp()).withDataType(DataType.DOUBLE);
            ComputationGraph net = Models.create(s, 0.0);
            Nd4j.getRandom().setSeed(1234);
            INDArray x = Nd4j.randn(DataType.DOUBLE, BATCH, s.inputChannels(), s.bins(), s.frames());
            long start = System.nanoTime();
            boolean ok = GradientChecks.check(net, new INDArray[] {x},
                    new INDArray[] {GradientChecks.oneHot(BATCH, CLASSES)}, null, MAX_REL_ERROR, MIN_ABS_ERROR);
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
}
