package org.ascspark.training.complexity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ascspark.training.eval.ComplexityRules;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** {@link ComplexityReport}, its JSON and text renderings, on hand-countable graphs (exact values, tol 1e-9). */
class ComplexityReportTest {

    private static final double TOL = 1e-9;

    @Test
    void smallModelReportAtFp32() throws Exception {
        ComputationGraph g = ComplexityAnalyzerTest.convBnRelu();
        ComplexityReport r = ComplexityReport.analyze(g, 1.0, 10.0, InputType.convolutional(8, 10, 1));
        assertEquals("fp32", r.precision());
        assertEquals(295, r.parameters());
        assertEquals(276, r.nonZeroParameters());
        assertEquals(4194, r.macsPerInference());
        assertEquals(4194.0, r.rules().macsPer1s(), TOL);
        assertEquals(41940.0, r.rules().macsPerClip(), TOL);
        assertEquals(295 * 4 / 1024.0, r.rules().sizeKbFp32(), TOL);
        assertEquals(295 * 2 / 1024.0, r.rules().sizeKbFp16(), TOL);
        assertEquals(295 / 1024.0, r.rules().sizeKbInt8(), TOL);
        assertEquals(276L * 32, r.rules().nonZeroSizeBitsStored());
        assertTrue(r.passesDcase2021());
        assertTrue(r.passesDcase2022());

        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertEquals("fp32", json.get("precision").asText());
        assertEquals(295, json.get("summary").get("parameters").asLong());
        assertEquals(319, json.get("summary").get("raw_parameters").asLong());
        assertEquals(4194, json.get("summary").get("macs_per_inference").asLong());
        assertTrue(json.get("summary").get("DCASE 2022 Task 1").get("pass").asBoolean());
        assertEquals(8, json.get("layers").size());
        assertEquals("conv1", json.get("layers").get(0).get("name").asText());
        assertEquals(40, json.get("layers").get(0).get("parameters").asLong());
        assertFalse(r.toJson().endsWith("\n"));

        String text = r.toText();
        assertTrue(text.contains("conv1"), text);
        assertTrue(text.contains("BN 'bn1' folded in (+4 bias)"), text);
        assertTrue(text.contains("4,194"), text);
        assertTrue(text.contains("DCASE 2021 Task 1a: PASS"), text);
        assertTrue(text.contains("DCASE 2022 Task 1: PASS"), text);
        assertTrue(text.lines().anyMatch(s -> s.startsWith("total")), text);
    }

    @Test
    void mixedPrecisionSplitsWeightsAndBiases() {
        ModelComplexity m = ComplexityAnalyzer.analyze(ComplexityAnalyzerTest.convBnRelu(),
                InputType.convolutional(8, 10, 1));
        ComplexityReport r = ComplexityReport.mixed(m, 1.0, 1.0, 8, 32);
        // non-zero: 270 weights (int8) and 6 BN scales (fp32); see ComplexityAnalyzerTest
        assertEquals(270L * 8 + 6L * 32, r.rules().nonZeroSizeBitsStored());
        assertEquals(Map.of(8, 270L, 32, 6L), r.rules().input().nonZeroCountByBits());
        assertTrue(r.precision().startsWith("mixed"));
        ComplexityReport int8 = ComplexityReport.of(m, 1.0, 1.0, 8);
        assertEquals("int8", int8.precision());
        assertEquals(276L * 8, int8.rules().nonZeroSizeBitsStored());
    }

    /** Dense 400 -> 400 -> 10: 160,400 + 4,010 parameters, over 128 K and, at fp32, over 128 KB. */
    @Test
    void largeDenseModelFailsBothRules() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(400))
                .addLayer("fc", new DenseLayer.Builder().nOut(400).activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "fc")
                .setOutputs("out")
                .build());
        g.init();
        ComplexityReport r = ComplexityReport.analyze(g, 1.0, 10.0, InputType.feedForward(400));
        assertEquals(160_400 + 4_010, r.parameters());
        assertEquals(400 * 400 + 400 * 10, r.macsPerInference());
        assertFalse(r.passesDcase2021());
        assertFalse(r.passesDcase2022());
        assertTrue(r.rules().dcase2022().reason().contains("164410 parameters"), r.rules().dcase2022().reason());
        List<ComplexityRules.RuleCheck> checks = r.checks();
        assertEquals(2, checks.size());
        assertTrue(r.toText().contains("DCASE 2022 Task 1: FAIL"), r.toText());
    }
}
