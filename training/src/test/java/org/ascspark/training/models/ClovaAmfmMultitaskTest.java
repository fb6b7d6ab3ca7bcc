package org.ascspark.training.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ascspark.training.nn.GradientChecks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The clova-amfm multitask head (seed 000 §3.1): a second softmax output {@value Models#OUTPUT_GROUP}
 * trained jointly, serialised with the network, and removed after training by
 * {@link Models#withoutGroupHead} without changing {@value Models#OUTPUT}.
 */
class ClovaAmfmMultitaskTest {

    private static final int CLASSES = 4;
    /** Width 0.25: channels 4/4/6/6/8/8/8/8/8, embedding 8-d; the group head has 8 x 3 + 3 = 27 parameters. */
    private static final ModelSpec SPEC = ModelSpec.of(Models.CLOVA_AMFM, 3, 16, 16, CLASSES, 0.25, 7)
            .withGroupClasses(Models.SCENE_GROUPS);
    private static final int HEAD_PARAMS = 8 * Models.SCENE_GROUPS + Models.SCENE_GROUPS;

    @TempDir
    Path dir;

    /** The multitask network after a few Adam steps, so that weights, BN statistics and updater state moved. */
    private static ComputationGraph trained(INDArray x) {
        ComputationGraph net = Models.create(SPEC);
        INDArray scene = GradientChecks.oneHot(6, CLASSES).castTo(DataType.FLOAT);
        INDArray group = GradientChecks.oneHot(6, Models.SCENE_GROUPS).castTo(DataType.FLOAT);
        for (int i = 0; i < 3; i++) {
            net.fit(new MultiDataSet(new INDArray[] {x}, new INDArray[] {scene, group}));
        }
        return net;
    }

    private static INDArray features() {
        Nd4j.getRandom().setSeed(42);
        return Nd4j.randn(DataType.FLOAT, 6, SPEC.inputChannels(), SPEC.bins(), SPEC.frames());
    }

    @Test
    void twoOutputsTrainAndSerialise() throws IOException {
        INDArray x = features();
        ComputationGraph net = trained(x);
        assertEquals(List.of(Models.OUTPUT, Models.OUTPUT_GROUP), net.getConfiguration().getNetworkOutputs());
        INDArray[] out = net.output(false, x);
        assertEquals(CLASSES, out[0].size(1));
        assertEquals(Models.SCENE_GROUPS, out[1].size(1));
        assertEquals(6.0, out[1].sumNumber().doubleValue(), 1e-4, "group softmax rows sum to 1");

        File file = dir.resolve("mtl.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(file, true);
        assertEquals(net.getConfiguration(), back.getConfiguration());
        assertEquals(0.0, net.params().sub(back.params()).amaxNumber().doubleValue(), 0.0);
        INDArray[] outBack = back.output(false, x);
        for (int i = 0; i < 2; i++) {
            assertEquals(0.0, out[i].sub(outBack[i]).amaxNumber().doubleValue(), 0.0, "output " + i);
        }
    }

    @Test
    void removingTheGroupHeadKeepsOutputAndParameters() throws IOException {
        INDArray x = features();
        ComputationGraph net = trained(x);
        INDArray before = net.output(false, x)[0];
        INDArray embBefore = net.feedForward(x, false).get(Models.EMBEDDING);

        ComputationGraph single = Models.withoutGroupHead(net);
        assertEquals(List.of(Models.OUTPUT), single.getConfiguration().getNetworkOutputs());
        assertFalse(single.getConfiguration().getVertices().containsKey(Models.OUTPUT_GROUP));
        assertEquals(net.getConfiguration().getVertices().size() - 1, single.getConfiguration().getVertices().size());
        assertEquals(ParamCounts.total(net) - HEAD_PARAMS, ParamCounts.total(single));
        // every parameter of the remaining vertices, BN running statistics included, is copied exactly
        Map<String, INDArray> original = net.paramTable();
        for (Map.Entry<String, INDArray> p : single.paramTable().entrySet()) {
            assertNotNull(original.get(p.getKey()), p.getKey());
            assertEquals(original.get(p.getKey()), p.getValue(), p.getKey());
        }
        // the same float32 operations in the same order: bit-identical outputs
        INDArray after = single.outputSingle(false, x);
        assertEquals(0.0, before.sub(after).amaxNumber().doubleValue(), 0.0);
        INDArray embAfter = single.feedForward(x, false).get(Models.EMBEDDING);
        assertEquals(0.0, embBefore.sub(embAfter).amaxNumber().doubleValue(), 0.0);
        // the source network is untouched
        assertEquals(2, net.getConfiguration().getNetworkOutputs().size());
        assertEquals(Models.SCENE_GROUPS, net.output(false, x)[1].size(1));

        // the single-output network is a normal model: it serialises and trains on plain DataSets
        File file = dir.resolve("single.zip").toFile();
        ModelSerializer.writeModel(single, file, false);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(file, false);
        assertEquals(single.getConfiguration(), back.getConfiguration());
        assertEquals(0.0, after.sub(back.outputSingle(false, x)).amaxNumber().doubleValue(), 0.0);
        single.fit(new DataSet(x, GradientChecks.oneHot(6, CLASSES).castTo(DataType.FLOAT)));
        assertTrue(Double.isFinite(single.score()));
    }

    @Test
    void removalNeedsAGroupHead() {
        ComputationGraph plain = Models.create(SPEC.withGroupClasses(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.withoutGroupHead(plain));
        assertTrue(e.getMessage().contains(Models.OUTPUT_GROUP), e.getMessage());
    }
}
