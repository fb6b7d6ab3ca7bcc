package org.ascspark.training.eval;

import static org.ascspark.training.eval.MetricsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format, round trip and validation of {@link SubmissionFile}. */
class SubmissionFileTest {

    private static final List<String> CLASSES = List.of("airport", "bus", "metro");

    private static List<Prediction> preds() {
        return List.of(
                new Prediction("audio/0.wav", 0, "a", new double[] {0.7, 0.2, 0.1}),
                new Prediction("audio/1.wav", 2, "b", new double[] {0.1234564, 0.5, 0.3765436}),
                new Prediction("audio/2.wav", 1, "s4", new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}));
    }

    @Test
    void exactBytes() throws IOException {
        StringWriter w = new StringWriter();
        SubmissionFile.write(w, CLASSES, preds());
        String expected = "filename\tscene_label\tairport\tbus\tmetro\n"
                + "audio/0.wav\tairport\t0.700000\t0.200000\t0.100000\n"
                + "audio/1.wav\tbus\t0.123456\t0.500000\t0.376544\n"
                + "audio/2.wav\tairport\t0.333333\t0.333333\t0.333333\n";
        assertEquals(expected, w.toString());
        assertFalse(w.toString().contains("\r"));
    }

    @Test
    void roundTripThroughAFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("submission.csv");
        SubmissionFile.write(f, CLASSES, preds());
        SubmissionFile.Table t = SubmissionFile.read(f);
        assertEquals(CLASSES, t.classNames());
        assertEquals(3, t.rows().size());
        List<Prediction> ps = preds();
        for (int i = 0; i < 3; i++) {
            SubmissionFile.Row r = t.rows().get(i);
            assertEquals(ps.get(i).clipId(), r.filename());
            assertEquals(CLASSES.get(Metrics.argmax(ps.get(i).probs())), r.sceneLabel());
            // written with 6 decimals: read-back differs by at most half a unit in the last place
            assertArrayEquals(ps.get(i).probs(), r.probs(), 0.5e-6 + 1e-15);
        }
        // the read table writes back to identical bytes
        String original = Files.readString(f, StandardCharsets.UTF_8);
        assertEquals(original, SubmissionFile.format(t));
        assertEquals(t, SubmissionFile.parse(original));
        assertEquals("filename\tscene_label\tairport\tbus\tmetro", original.lines().findFirst().orElseThrow());
    }

    @Test
    void readerAcceptsCrlf() {
        SubmissionFile.Table t = SubmissionFile.parse("filename\tscene_label\tx\ty\r\nf.wav\ty\t0.4\t0.6\r\n");
        assertEquals(List.of("x", "y"), t.classNames());
        assertArrayEquals(new double[] {0.4, 0.6}, t.rows().get(0).probs(), 0.0);
    }

    @Test
    void validationErrors() {
        List<Prediction> dup = List.of(
                new Prediction("same.wav", 0, "a", new double[] {0.7, 0.2, 0.1}),
                new Prediction("same.wav", 1, "a", new double[] {0.1, 0.8, 0.1}));
        assertMessage("duplicate filename 'same.wav'", () -> SubmissionFile.fromPredictions(CLASSES, dup));
        assertMessage("has 2 probabilities but there are 3 class names", () -> SubmissionFile.fromPredictions(CLASSES,
                List.of(new Prediction("f.wav", 0, "a", new double[] {0.5, 0.5}))));
        assertMessage("contains a tab", () -> SubmissionFile.fromPredictions(CLASSES,
                List.of(new Prediction("f\t.wav", 0, "a", new double[] {0.5, 0.3, 0.2}))));
        assertMessage("duplicate class names", () -> SubmissionFile.fromPredictions(List.of("x", "x"), List.of()));

        assertMessage("empty", () -> SubmissionFile.parse(""));
        assertMessage("line 1: header", () -> SubmissionFile.parse("file\tscene_label\tx\n"));
        assertMessage("line 2: 3 columns, expected 4",
                () -> SubmissionFile.parse("filename\tscene_label\tx\ty\nf.wav\tx\t0.5\n"));
        assertMessage("line 2: scene_label 'z'",
                () -> SubmissionFile.parse("filename\tscene_label\tx\ty\nf.wav\tz\t0.5\t0.5\n"));
        assertMessage("not a number: 'abc'",
                () -> SubmissionFile.parse("filename\tscene_label\tx\ty\nf.wav\tx\tabc\t0.5\n"));
        assertMessage("duplicate filename 'f.wav'", () -> SubmissionFile.parse(
                "filename\tscene_label\tx\ty\nf.wav\tx\t0.5\t0.5\nf.wav\ty\t0.4\t0.6\n"));
    }
}
