package org.ascspark.training.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.ascspark.training.nn.FocalLoss;
import org.ascspark.training.nn.GradientChecks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ModelSerializer write/restore of every model (custom vertices and the focal loss included in the
 * JSON): after a few training steps, so batch-norm statistics and Adam state are not at their initial
 * values, the restored network has the same configuration, parameters, updater state and outputs.
 */
class ModelSerializationTest {

    @TempDir
    Path dir;

    private void roundTrip(ModelSpec spec) throws IOException {
        ComputationGraph net = Models.create(spec);
        Nd4j.getRandom().setSeed(99);
        INDArray x = Nd4j.randn(DataType.FLOAT, 6, spec.inputChannels(), spec.bins(), spec.frames());
        INDArray y = GradientChecks.oneHot(6, spec.numClasses()).castTo(DataType.FLOAT);
        for (int i = 0; i < 3; i++) {
            net.fit(new DataSet(x, y));
        }
        File file = dir.resolve(spec.name() + ".zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(net.getConfiguration(), back.getConfiguration(), spec.name());
        assertEquals(net.getConfiguration().toJson(), back.getConfiguration().toJson(), spec.name());
        assertEquals(0.0, net.params().sub(back.params()).amaxNumber().doubleValue(), 0.0, spec.name());
        assertEquals(0.0, net.getUpdater().getStateViewArray().sub(back.getUpdater().getStateViewArray())
                .amaxNumber().doubleValue(), 0.0, spec.name());
        INDArray expected = net.outputSingle(false, x);
        INDArray actual = back.outputSingle(false, x);
        // same float32 operations in the same order: bit-identical
        assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), 0.0, spec.name());
        INDArray embA = net.feedForward(x, false).get(Models.EMBEDDING);
        INDArray embB = back.feedForward(x, false).get(Models.EMBEDDING);
        assertEquals(0.0, embA.sub(embB).amaxNumber().doubleValue(), 0.0, spec.name());
    }

    static Stream<ModelSpec> everyModel() {
        return Stream.of(
                ModelSpec.of(Models.BCRESNET_ASC, 1, 32, 12, 3, 0.3, 1),
                ModelSpec.of(Models.SP4ASC, 1, 16, 16, 3, 0.125, 1).withLoss(new FocalLoss(1.0)),
                ModelSpec.of(Models.CP_RESNET, 2, 16, 16, 3, 0.125, 1).withWeightDecay(1e-4),
                ModelSpec.of(Models.BCRESNET_MOD, 3, 32, 12, 3, 0.3, 1),
                ModelSpec.of(Models.CLOVA_RESNET_SE, 3, 16, 16, 3, 0.25, 1),
                ModelSpec.of(Models.CLOVA_AMFM, 3, 16, 16, 3, 0.25, 1),
                ModelSpec.of(Models.AIT_STUDENT, 3, 16, 16, 3, 0.25, 1),
                ModelSpec.of(Models.AIT_TEACHER, 3, 16, 16, 3, 0.125, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyModel")
    void roundTripsEveryModel(ModelSpec spec) throws IOException {
        roundTrip(spec);
    }
}
