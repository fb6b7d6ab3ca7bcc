package org.ascspark.pipeline.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.ascspark.pipeline.dataset.TauMetadata.CsvText;
import org.ascspark.pipeline.dataset.TauMetadata.Listing;
import org.junit.jupiter.api.Test;

class TauMetadataTest {
  static final String META_HEADER = "filename\tscene_label\tidentifier\tsource_label\n";

  static CsvText meta(String rows) {
    return new CsvText("meta.csv", META_HEADER + rows);
  }

  static CsvText fold(String name, String text) {
    return new CsvText("evaluation_setup/fold1_" + name + ".csv", text);
  }

  static Listing parse(CsvText meta, String train, String evaluate, String test) {
    return TauMetadata.parse(meta, fold("train", train), fold("evaluate", evaluate),
        test == null ? null : fold("test", test), "a");
  }

  static Map<String, ListedClip> byFile(Listing l) {
    return l.clips().stream().collect(Collectors.toMap(ListedClip::filename, Function.identity()));
  }

  static Reject rejectOf(Listing l, String filename) {
    return l.rejects().stream().filter(r -> r.filename().equals(filename)).findFirst()
        .orElseThrow(() -> new AssertionError("no reject for " + filename + " in " + l.rejects()));
  }

  @Test
  void parsesTau2020RowsWithPairingCityAndSplits() {
    Listing l = parse(meta(
            "audio/airport-barcelona-0-0-a.wav\tairport\tbarcelona-0\ta\n"
          + "audio/airport-barcelona-0-0-b.wav\tairport\tbarcelona-0\tb\n"
          + "audio/airport-barcelona-0-0-s4.wav\tairport\tbarcelona-0\ts4\n"
          + "audio/bus-new_york-12-3-c.wav\tbus\tnew_york-12\tc\n"),
        "filename\tscene_label\naudio/airport-barcelona-0-0-a.wav\tairport\n"
          + "audio/airport-barcelona-0-0-b.wav\tairport\n",
        "filename\tscene_label\naudio/airport-barcelona-0-0-s4.wav\tairport\n",
        "filename\naudio/airport-barcelona-0-0-s4.wav\n");
    assertEquals(4, l.listed());
    assertEquals(4, l.clips().size());
    assertEquals(List.of("airport", "bus"), l.labels());
    assertEquals(List.of("a", "b", "c", "s4"), l.devices());
    Map<String, ListedClip> c = byFile(l);
    ListedClip b = c.get("audio/airport-barcelona-0-0-b.wav");
    assertEquals("airport-barcelona-0-0-b", b.clipId());
    assertEquals("airport-barcelona-0-0", b.pairKey());
    assertEquals("audio/airport-barcelona-0-0-a.wav", b.referenceFilename());
    assertEquals("barcelona", b.city());
    assertEquals("train", b.split());
    assertFalse(b.inTest());
    assertNull(c.get("audio/airport-barcelona-0-0-a.wav").referenceFilename());
    ListedClip s4 = c.get("audio/airport-barcelona-0-0-s4.wav");
    assertEquals("evaluate", s4.split());
    assertTrue(s4.inTest());
    ListedClip bus = c.get("audio/bus-new_york-12-3-c.wav");
    assertEquals("new_york", bus.city(), "city is the identifier without its location");
    assertEquals("unassigned", bus.split());
    assertNull(bus.referenceFilename(), "no device-a clip of that segment");
  }

  @Test
  void parsesTau2022OneSecondNamesAndCrlfAndBom() {
    String rows = "audio/park-lyon-1-10-3-a.wav\tpark\tlyon-1\ta\r\n"
        + "audio/park-lyon-1-10-3-s2.wav\tpark\tlyon-1\ts2\r\n\r\n";
    Listing l = TauMetadata.parse(
        new CsvText("meta.csv", "\uFEFF" + META_HEADER.replace("\n", "\r\n") + rows),
        fold("train", "filename\tscene_label\r\naudio/park-lyon-1-10-3-a.wav\tpark\r\n"),
        fold("evaluate", "filename\tscene_label\r\naudio/park-lyon-1-10-3-s2.wav\tpark\r\n"),
        null, "a");
    assertEquals(2, l.clips().size());
    assertTrue(l.rejects().isEmpty(), l.rejects().toString());
    ListedClip s2 = byFile(l).get("audio/park-lyon-1-10-3-s2.wav");
    assertEquals("park-lyon-1-10-3", s2.pairKey());
    assertEquals("audio/park-lyon-1-10-3-a.wav", s2.referenceFilename());
    assertEquals("evaluate", s2.split());
  }

  @Test
  void labelsAndDevicesComeFromTheData() {
    Listing l = parse(new CsvText("meta.csv", "filename\tscene_label\n"
            + "x/kitchen-oslo-1-0-phoneA.wav\tkitchen\n"
            + "x/garage-oslo-2-0-phoneB.wav\tgarage\n"),
        "x/kitchen-oslo-1-0-phoneA.wav\tkitchen\n", "x/garage-oslo-2-0-phoneB.wav\tgarage\n", null);
    assertEquals(List.of("garage", "kitchen"), l.labels());
    assertEquals(List.of("phoneA", "phoneB"), l.devices(), "device from the name's suffix");
    assertEquals("oslo-1", byFile(l).get("x/kitchen-oslo-1-0-phoneA.wav").identifier());
  }

  @Test
  void rejectsPathsEscapingTheRootAndAbsolutePaths() {
    Listing l = parse(meta(
            "../secret-x-0-0-a.wav\tbus\tx-0\ta\n"
          + "audio/../../etc-x-0-0-a.wav\tbus\tx-0\ta\n"
          + "/etc/passwd\tbus\tx-0\ta\n"
          + "file:///etc/passwd\tbus\tx-0\ta\n"
          + "audio/bus-x-0-0-a.wav\tbus\tx-0\ta\n"),
        "audio/bus-x-0-0-a.wav\tbus\n", "", null);
    assertEquals(5, l.listed());
    assertEquals(1, l.clips().size());
    assertTrue(rejectOf(l, "../secret-x-0-0-a.wav").reason().contains("escapes the dataset root"));
    assertTrue(rejectOf(l, "audio/../../etc-x-0-0-a.wav").reason().contains("meta.csv line 3"));
    assertTrue(rejectOf(l, "/etc/passwd").reason().contains("absolute path"));
    assertTrue(rejectOf(l, "file:///etc/passwd").reason().contains("absolute path or URI"));
  }

  @Test
  void rejectsUnknownLabelsAndContradictionsInFoldFilesNamingFileAndLine() {
    Listing l = parse(meta(
            "audio/bus-x-0-0-a.wav\tbus\tx-0\ta\n"
          + "audio/tram-x-0-1-a.wav\ttram\tx-0\ta\n"
          + "audio/park-x-1-0-a.wav\tpark\tx-1\ta\n"),
        "filename\tscene_label\naudio/bus-x-0-0-a.wav\tbsu\naudio/tram-x-0-1-a.wav\tbus\n",
        "filename\tscene_label\naudio/park-x-1-0-a.wav\tpark\n", null);
    assertEquals(3, l.listed());
    assertEquals(1, l.clips().size());
    String unknown = rejectOf(l, "audio/bus-x-0-0-a.wav").reason();
    assertTrue(unknown.startsWith("evaluation_setup/fold1_train.csv line 2: unknown label 'bsu'"), unknown);
    String contradiction = rejectOf(l, "audio/tram-x-0-1-a.wav").reason();
    assertTrue(contradiction.contains("line 3") && contradiction.contains("contradicts meta.csv line 3"),
        contradiction);
  }

  @Test
  void duplicateRowsAreRejectRowsAndCountsReconcile() {
    Listing l = parse(meta(
            "audio/bus-x-0-0-a.wav\tbus\tx-0\ta\n"
          + "audio/bus-x-0-0-a.wav\tbus\tx-0\ta\n"
          + "audio/park-x-1-0-a.wav\tpark\tx-1\ta\n"),
        "filename\tscene_label\naudio/bus-x-0-0-a.wav\tbus\naudio/bus-x-0-0-a.wav\tbus\n",
        "filename\tscene_label\naudio/park-x-1-0-a.wav\tpark\naudio/ghost-x-1-0-a.wav\tpark\n", null);
    // 3 meta rows + 1 repeated train row + 1 orphan evaluate row
    assertEquals(5, l.listed());
    assertEquals(2, l.clips().size());
    assertEquals(3, l.rejects().size());
    assertEquals(l.listed(), l.clips().size() + l.rejects().size());
    assertTrue(l.rejects().stream().anyMatch(r -> r.reason().equals(
        "meta.csv line 3: duplicate row: the file is already listed on line 2")), l.rejects().toString());
    assertTrue(l.rejects().stream().anyMatch(r -> r.reason().equals(
        "evaluation_setup/fold1_train.csv line 3: duplicate row (first on line 2)")), l.rejects().toString());
    assertTrue(rejectOf(l, "audio/ghost-x-1-0-a.wav").reason().contains("not listed in meta.csv"));
  }

  @Test
  void fileInTrainAndEvaluateIsRejected() {
    Listing l = parse(meta("audio/bus-x-0-0-a.wav\tbus\tx-0\ta\n"),
        "audio/bus-x-0-0-a.wav\tbus\n", "audio/bus-x-0-0-a.wav\tbus\n", null);
    assertEquals(0, l.clips().size());
    assertTrue(rejectOf(l, "audio/bus-x-0-0-a.wav").reason().contains("cannot be in both train and evaluate"));
  }

  @Test
  void wrongFieldCountIsARejectNamingTheLine() {
    Listing l = parse(meta("audio/bus-x-0-0-a.wav\tbus\n"), "", "", null);
    assertEquals(1, l.listed());
    assertEquals("meta.csv line 2: expected 4 tab-separated fields, found 2",
        l.rejects().get(0).reason());
  }

  @Test
  void commaSeparatedOrEmptyMetaIsAClearError() {
    DatasetLayoutException e = assertThrows(DatasetLayoutException.class, () -> parse(
        new CsvText("meta.csv", "filename,scene_label,identifier,source_label\na.wav,bus,x-0,a\n"),
        "", "", null));
    assertTrue(e.getMessage().startsWith("meta.csv line 1:"), e.getMessage());
    assertTrue(e.getMessage().contains("tab-separated"), e.getMessage());
    DatasetLayoutException empty = assertThrows(DatasetLayoutException.class,
        () -> parse(new CsvText("meta.csv", "\n\n"), "", "", null));
    assertTrue(empty.getMessage().startsWith("meta.csv is empty"), empty.getMessage());
  }
}
