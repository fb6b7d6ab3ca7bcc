package org.ascspark.training.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** Validation and defaults of {@link ModelSpec}. */
class ModelSpecTest {

    private static void assertRejected(String field, Supplier<ModelSpec> make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
        assertTrue(e.getMessage().contains("ModelSpec." + field), e.getMessage());
    }

    @Test
    void defaults() {
        ModelSpec s = ModelSpec.of("sp4asc", 1, 256, 431, 10, 1.0, 42);
        assertInstanceOf(Adam.class, s.updater());
        assertEquals(1e-3, ((Adam) s.updater()).getLearningRate(), 0.0);
        assertEquals(0.0, s.weightDecay(), 0.0);
        assertInstanceOf(LossMCXENT.class, s.loss());
        assertEquals(DataType.FLOAT, s.dataType());
        assertEquals(DataType.DOUBLE, s.withDataType(DataType.DOUBLE).dataType());
        assertInstanceOf(NoOp.class, s.withUpdater(new NoOp()).updater());
        assertEquals(7L, s.withSeed(7).seed());
        assertEquals(1e-4, s.withWeightDecay(1e-4).weightDecay(), 0.0);
        assertEquals(0, s.groupClasses());
        assertEquals(3, s.withGroupClasses(3).groupClasses());
        // the copies keep the group classes
        assertEquals(3, s.withGroupClasses(3).withSeed(1).withLoss(new LossMCXENT()).withUpdater(new NoOp())
                .withWeightDecay(0).withDataType(DataType.DOUBLE).groupClasses());
        // the 11-argument constructor (no auxiliary head) still works
        ModelSpec eleven = new ModelSpec("sp4asc", 1, 256, 431, 10, 1.0, 42, new Adam(1e-3), 0.0, new LossMCXENT(),
                DataType.FLOAT);
        assertEquals(0, eleven.groupClasses());
    }

    @Test
    void invalidFieldsAreNamed() {
        assertRejected("name", () -> ModelSpec.of(" ", 1, 256, 431, 10, 1, 0));
        assertRejected("name", () -> ModelSpec.of(null, 1, 256, 431, 10, 1, 0));
        assertRejected("inputChannels", () -> ModelSpec.of("sp4asc", 0, 256, 431, 10, 1, 0));
        assertRejected("bins", () -> ModelSpec.of("sp4asc", 1, 0, 431, 10, 1, 0));
        assertRejected("frames", () -> ModelSpec.of("sp4asc", 1, 256, -1, 10, 1, 0));
        assertRejected("numClasses", () -> ModelSpec.of("sp4asc", 1, 256, 431, 1, 1, 0));
        assertRejected("width", () -> ModelSpec.of("sp4asc", 1, 256, 431, 10, 0, 0));
        assertRejected("width", () -> ModelSpec.of("sp4asc", 1, 256, 431, 10, Double.NaN, 0));
        ModelSpec ok = ModelSpec.of("sp4asc", 1, 256, 431, 10, 1, 0);
        assertRejected("updater", () -> ok.withUpdater(null));
        assertRejected("weightDecay", () -> ok.withWeightDecay(-1e-5));
        assertRejected("loss", () -> ok.withLoss(null));
        assertRejected("dataType", () -> ok.withDataType(DataType.INT));
        assertRejected("dataType", () -> ok.withDataType(null));
        assertRejected("groupClasses", () -> ok.withGroupClasses(1));
        assertRejected("groupClasses", () -> ok.withGroupClasses(-3));
    }
}
