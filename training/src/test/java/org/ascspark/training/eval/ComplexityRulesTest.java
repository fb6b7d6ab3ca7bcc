package org.ascspark.training.eval;

import static org.ascspark.training.eval.MetricsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Size, MAC and rule arithmetic of {@link ComplexityRules}; exact values (tolerance 1e-9). */
class ComplexityRulesTest {

    private static final double TOL = 1e-9;

    /**
     * valeo SP4ASC (Puy, Jain, Bursuc, DCASE 2021 technical report, §"Model size"): 62,474 parameters
     * after BN folding, cast to float16, "a model size of 122 KB". With KB = 1024 bytes:
     * 62,474 x 2 = 124,948 bytes = 122.019... KB (with 1000 it would be 124.9). The report gives no
     * MAC count; the MAC figure here is a placeholder that only the 2022 rule reads.
     */
    @Test
    void valeoSp4ascIs122KbAtFp16AndPasses2021() {
        ComplexityRules.Report r = ComplexityRules.evaluate(
                ComplexityRules.Input.uniform(62_474, 62_474, 1_000_000, 10.0, 10.0, 16));
        assertEquals(124_948.0 / 1024, r.nonZeroSizeKbStored(), TOL);
        assertEquals(122, Math.round(r.nonZeroSizeKbStored()));
        assertEquals(62_474L * 16, r.nonZeroSizeBitsStored());
        assertEquals(r.nonZeroSizeKbFp16(), r.nonZeroSizeKbStored(), 0.0);
        assertEquals(62_474 * 4 / 1024.0, r.sizeKbFp32(), TOL);
        assertEquals(62_474 / 1024.0, r.sizeKbInt8(), TOL);
        assertTrue(r.dcase2021().pass());
        assertEquals("", r.dcase2021().reason());
        assertTrue(r.dcase2022().pass(), r.dcase2022().reason()); // 62,474 <= 131,072 params
    }

    @Test
    void limitsAreExactlyInclusive() {
        // 2021: 32,768 fp32 = 65,536 fp16 = 131,072 int8 non-zero parameters is exactly 128 KB
        assertTrue(ComplexityRules.evaluate(ComplexityRules.Input.uniform(40_000, 32_768, 0, 1, 1, 32)).dcase2021().pass());
        assertFalse(ComplexityRules.evaluate(ComplexityRules.Input.uniform(40_000, 32_769, 0, 1, 1, 32)).dcase2021().pass());
        assertTrue(ComplexityRules.evaluate(ComplexityRules.Input.uniform(65_536, 65_536, 0, 1, 1, 16)).dcase2021().pass());
        // 2022: 131,072 parameters and 30,000,000 MACs per 1 s pass, one more fails
        ComplexityRules.Report edge = ComplexityRules.evaluate(
                ComplexityRules.Input.uniform(131_072, 131_072, 30_000_000, 1, 10, 8));
        assertTrue(edge.dcase2022().pass());
        assertTrue(edge.dcase2021().pass());
        assertEquals(128.0, edge.sizeKbInt8(), 0.0);
        assertEquals(300_000_000.0, edge.macsPerClip(), 0.0);
        assertFalse(ComplexityRules.evaluate(
                ComplexityRules.Input.uniform(131_073, 10, 0, 1, 1, 8)).dcase2022().pass());
    }

    @Test
    void exceeding2021GivesTheReason() {
        // 40,000 non-zero fp32 parameters = 160,000 bytes = 156.25 KB
        ComplexityRules.Report r = ComplexityRules.evaluate(
                ComplexityRules.Input.uniform(50_000, 40_000, 5_000_000, 1, 10, 32));
        assertEquals(156.25, r.nonZeroSizeKbStored(), TOL);
        assertFalse(r.dcase2021().pass());
        assertEquals(1, r.dcase2021().reasons().size());
        assertEquals("non-zero parameters take 156.25 KB at their stored precision {32=40000} (160000 bytes),"
                + " over the limit of 128 KB = 131072 bytes (KB = 1024 bytes)", r.dcase2021().reason());
        assertTrue(r.dcase2022().pass()); // 50,000 params, 5 M MACs
    }

    @Test
    void exceeding2022GivesBothReasons() {
        // 10 s input, 400 M MACs -> 40 M per 1 s; 200,000 parameters, half of them pruned to zero
        ComplexityRules.Report r = ComplexityRules.evaluate(
                ComplexityRules.Input.uniform(200_000, 100_000, 400_000_000, 10, 10, 8));
        assertEquals(40_000_000.0, r.macsPer1s(), 0.0);
        assertEquals(400_000_000.0, r.macsPerClip(), 0.0);
        assertTrue(r.dcase2021().pass()); // 100,000 bytes = 97.66 KB of non-zero int8
        assertFalse(r.dcase2022().pass());
        assertEquals(List.of(
                "200000 parameters (zeros included), over the limit of 131072 = 128 K parameters (128 KB at INT8)",
                "40000000 MACs per inference on 1 s of audio (40.000 M), over the limit of 30000000 (30 M)"),
                r.dcase2022().reasons());
    }

    @Test
    void mixedPrecisionAndMacsScaling() {
        // 60,000 int8 + 1,000 fp32 (e.g. biases) non-zero = 60,000 + 4,000 bytes = 62.5 KB
        ComplexityRules.Report r = ComplexityRules.evaluate(ComplexityRules.Input.mixed(
                62_000, 61_000, 3_000_000, 0.5, 10, Map.of(8, 60_000L, 32, 1_000L)));
        assertEquals(64_000L * 8, r.nonZeroSizeBitsStored());
        assertEquals(62.5, r.nonZeroSizeKbStored(), TOL);
        assertEquals(6_000_000.0, r.macsPer1s(), 0.0);
        assertEquals(60_000_000.0, r.macsPerClip(), 0.0);
        assertTrue(r.dcase2021().pass());
        assertTrue(r.dcase2022().pass());
        Map<String, Object> m = r.toMap();
        assertEquals(62.5, m.get("non_zero_size_kb_stored"));
        assertEquals(1024, m.get("kb_bytes"));
    }

    @Test
    void validationErrors() {
        assertMessage("nonZeroParameters must be in [0, parameters=10]",
                () -> ComplexityRules.Input.uniform(10, 11, 0, 1, 1, 8));
        assertMessage("sum to 5, not nonZeroParameters=6",
                () -> ComplexityRules.Input.mixed(10, 6, 0, 1, 1, Map.of(8, 2L, 16, 3L)));
        assertMessage("bit width must be in [1, 64]", () -> ComplexityRules.Input.uniform(10, 10, 0, 1, 1, 0));
        assertMessage("inputSeconds must be finite and > 0", () -> ComplexityRules.Input.uniform(10, 10, 0, 0, 1, 8));
        assertMessage("macsPerInference must be >= 0", () -> ComplexityRules.Input.uniform(10, 10, -1, 1, 1, 8));
    }
}
