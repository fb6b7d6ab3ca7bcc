package org.ascspark.training.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code history.csv} write/read: exact round trip, header check, tolerant parsing. */
class EpochRecordTest {

    @TempDir
    Path tmp;

    @Test
    void roundTripIsExactIncludingNaN() {
        List<EpochRecord> h = ReportFixtures.history();
        Path f = tmp.resolve("run/history.csv");
        EpochRecord.writeCsv(f, h);
        List<EpochRecord> back = EpochRecord.readCsv(f);
        assertEquals(h, back); // record equality compares doubles bit-wise (NaN == NaN)
    }

    @Test
    void headerIsExactlyTheTrainingJobsColumns() throws Exception {
        Path f = tmp.resolve("history.csv");
        EpochRecord.writeCsv(f, List.of(new EpochRecord(1, 0.5, 0.25, 0.75, 0.001, 12.5, 3.0)));
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        assertEquals("epoch,train_loss,val_loss,val_accuracy,learning_rate,samples_per_s,seconds", lines.get(0));
        assertEquals("1,0.5,0.25,0.75,0.001,12.5,3.0", lines.get(1));
        assertTrue(Files.readString(f).endsWith("\n"));
    }

    @Test
    void readsCrlfBomBlanksAndEmptyFields() throws Exception {
        Path f = tmp.resolve("h.csv");
        Files.writeString(f, "\uFEFF" + EpochRecord.CSV_HEADER + "\r\n2, 1.5 ,,nan,1e-3,100,60\r\n\r\n", StandardCharsets.UTF_8);
        List<EpochRecord> r = EpochRecord.readCsv(f);
        assertEquals(1, r.size());
        assertEquals(2, r.get(0).epoch());
        assertEquals(1.5, r.get(0).trainLoss(), 0.0);
        assertTrue(Double.isNaN(r.get(0).valLoss()));
        assertTrue(Double.isNaN(r.get(0).valAccuracy()));
        assertEquals(1e-3, r.get(0).learningRate(), 0.0);
    }

    @Test
    void badInputIsRejectedWithFileAndLine() throws Exception {
        Path wrongHeader = tmp.resolve("a.csv");
        Files.writeString(wrongHeader, "epoch,loss\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EpochRecord.readCsv(wrongHeader));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());

        Path badNumber = tmp.resolve("b.csv");
        Files.writeString(badNumber, EpochRecord.CSV_HEADER + "\n1,0.5,0.4,0.7,0.001,10,1\n2,zero,0.4,0.7,0.001,10,1\n");
        e = assertThrows(IllegalArgumentException.class, () -> EpochRecord.readCsv(badNumber));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("train_loss"), e.getMessage());

        Path empty = tmp.resolve("c.csv");
        Files.writeString(empty, "");
        assertThrows(IllegalArgumentException.class, () -> EpochRecord.readCsv(empty));
        assertThrows(IllegalArgumentException.class, () -> EpochRecord.parseCsvLine("1,2,3"));
        assertThrows(IllegalArgumentException.class, () -> new EpochRecord(-1, 0, 0, 0, 0, 0, 0));
    }
}
