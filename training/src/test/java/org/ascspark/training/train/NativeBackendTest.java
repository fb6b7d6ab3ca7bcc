package org.ascspark.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.ascspark.pipeline.spark.NativeLibraries;
import org.ascspark.training.models.ModelSpec;
import org.ascspark.training.models.Models;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The test JVM runs the set-up users get (surefire passes the same flags as {@code ./asc}): ND4J's
 * oneDNN build is loaded and DL4J creates its oneDNN layer helpers, so a change in dependencies or
 * flags that silently falls back to the 3-4x slower plain build fails here.
 */
class NativeBackendTest {

    @Test
    void theOneDnnBuildIsLoadedAndDl4jCreatesItsLayerHelpers() {
        assumeTrue(NativeLibraries.oneDnnAvailable(), "CPU without AVX2: the plain build is the right one");
        assertEquals(NativeLibraries.ONEDNN_EXTENSION, System.getProperty(NativeLibraries.EXTENSION_PROPERTY));
        Nd4j.create(1); // loads the backend
        assertTrue(Nd4jCpu.Environment.getInstance().isUseONEDNN(), "libnd4j built with oneDNN");
        assertTrue(org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN(), "DL4J's check");

        ComputationGraph net = Models.create(ModelSpec.of(Models.BCRESNET_ASC, 1, 256, 44, 10, 1.0, 1));
        net.outputSingle(Nd4j.rand(2, 1, 256, 44)); // helpers are created lazily
        int conv = 0;
        int bn = 0;
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            if (layer instanceof ConvolutionLayer c && c.getClass() == ConvolutionLayer.class) {
                assertNotNull(c.getHelper(), "oneDNN helper of " + layer.getConfig().getLayerName());
                conv++;
            } else if (layer instanceof BatchNormalization b) {
                assertNotNull(b.getHelper(), "oneDNN helper of " + layer.getConfig().getLayerName());
                bn++;
            }
        }
        assertTrue(conv > 0 && bn > 0, conv + " convolutions, " + bn + " batch norms");
    }
}
