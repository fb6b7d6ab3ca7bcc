package org.ascspark.training.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModelBench} runs end to end on a tiny input (one iteration, batch 2, 32 bins, 16 frames,
 * bcresnet-asc width 0.25, one thread) and reports positive timings, its parameter line (the count
 * {@code tools/bench/torch_models.py} gives for the PyTorch twin), the helpers-on/off check and a dump
 * that reads back unchanged: a broken benchmark is found by the tests, not when someone next needs
 * numbers. Times are not asserted beyond being positive.
 */
class ModelBenchSmokeTest {

    @Test
    void runsOnATinyInput(@TempDir Path tmp) throws Exception {
        Path dump = tmp.resolve("dump.bin");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<ModelBench.Result> results;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            // one thread: the test JVM shares the machine with other builds, and oversubscribed
            // OpenMP threads make DL4J many times slower; the dump is read back in the same run
            results = ModelBench.run(ModelBench.parse(new String[] {"--models", "bcresnet-asc:0.25", "--batch", "2",
                "--bins", "32", "--frames", "16", "--warmup", "0", "--iterations", "1", "--threads", "1",
                "--helpers", "inject", "--dump", dump.toString(), "--compare", dump.toString()}), out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(1, results.size(), text);
        ModelBench.Result r = results.get(0);
        assertTrue(r.inferMsPerBatch() > 0 && r.inferMsPerClip() > 0, text);
        assertTrue(r.trainMsPerStep() > 0 && r.trainSamplesPerSecond() > 0, text);
        assertTrue(text.contains("PARAMS model=bcresnet-asc width=0.25 trainable=1198 "), text);
        assertTrue(text.contains("RESULT model=bcresnet-asc width=0.25 frames=16 batch=2"), text);
        assertTrue(text.contains("CHECK model=bcresnet-asc:0.25"), text);
        assertTrue(text.contains("helpers={BatchNormalization MKLDNNBatchNormHelper x23, ConvolutionLayer"
                + " MKLDNNConvHelper x14, SubsamplingLayer MKLDNNSubsamplingHelper x2}"), text);
        assertTrue(text.contains("COMPARE bcresnet-asc:0.25@16 params: max|diff| 0 "), text);
        assertTrue(text.contains("COMPARE bcresnet-asc:0.25@16 gradient: max|diff| 0 "), text);
        assertTrue(text.contains("| bcresnet-asc | 0.25 | [2,1,32,16] |"), text);
    }
}
