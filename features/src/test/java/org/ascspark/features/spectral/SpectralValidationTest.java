package org.ascspark.features.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Invalid settings and inputs fail fast with IllegalArgumentException naming the key. */
class SpectralValidationTest {

  private static final LogParams LN = new LogParams(LogParams.Kind.NATURAL, 1e-10, 0);

  private static StftParams stft(int window, int hop, int nFft, boolean center,
      StftParams.PadMode pad) {
    return new StftParams(WindowType.HANN, true, window, hop, nFft, center, pad, 0.0, 2.0);
  }

  private static void assertMessage(IllegalArgumentException e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
    }
  }

  @Test
  void nFftBelowWindowIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> stft(2048, 512, 1024, true, StftParams.PadMode.REFLECT));
    assertMessage(e, "n-fft", "1024", "2048");
  }

  @Test
  void nonPositiveHopIsRejected() {
    for (int hop : new int[] {0, -5}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> stft(1024, hop, 1024, true, StftParams.PadMode.REFLECT));
      assertMessage(e, "hop", String.valueOf(hop));
    }
  }

  @Test
  void fMaxAboveNyquistIsRejected() {
    MelParams mp = new MelParams(64, 0, 16000, MelParams.Scale.SLANEY, MelParams.Norm.SLANEY);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MelFilterbank(mp, 22050, 1024));
    assertMessage(e, "f-max-hz (16000.0) is above the Nyquist frequency (11025.0");
    IllegalArgumentException viaExtractor = assertThrows(IllegalArgumentException.class,
        () -> new LogMelExtractor(22050, stft(1024, 512, 1024, true, StftParams.PadMode.REFLECT),
            mp, LN, DeltaParams.NONE));
    assertMessage(viaExtractor, "f-max-hz", "Nyquist");
    // exactly Nyquist is fine
    new MelFilterbank(new MelParams(64, 0, 11025, MelParams.Scale.SLANEY, MelParams.Norm.NONE),
        22050, 1024);
  }

  @Test
  void emptyMelFiltersAreRejected() {
    MelParams mp = new MelParams(256, 0, 22050, MelParams.Scale.HTK, MelParams.Norm.NONE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MelFilterbank(mp, 44100, 2048));
    assertEquals("n-mels = 256 gives empty filters (0) with n-fft 2048 at 44100 Hz; lower n-mels,"
        + " raise n-fft or narrow f-min-hz/f-max-hz", e.getMessage());
    IllegalArgumentException many = assertThrows(IllegalArgumentException.class,
        () -> new MelFilterbank(
            new MelParams(128, 0, 11025, MelParams.Scale.HTK, MelParams.Norm.SLANEY), 22050, 256));
    assertMessage(many, "n-mels = 128 gives empty filters (0, 1, ", "…", "in all)",
        "with n-fft 256 at 22050 Hz", "lower n-mels, raise n-fft or narrow f-min-hz/f-max-hz");
    IllegalArgumentException viaExtractor = assertThrows(IllegalArgumentException.class,
        () -> new LogMelExtractor(44100, stft(2048, 1024, 2048, true, StftParams.PadMode.REFLECT),
            mp, LN, DeltaParams.NONE));
    assertMessage(viaExtractor, "n-mels = 256 gives empty filters");
    // starting at 20 Hz, the same 256 HTK bands are all non-empty
    new MelFilterbank(new MelParams(256, 20, 22050, MelParams.Scale.HTK, MelParams.Norm.NONE),
        44100, 2048);
  }

  @Test
  void signalShorterThanOneFrameIsRejected() {
    StftParams reflect = stft(1024, 256, 2048, true, StftParams.PadMode.REFLECT);
    assertEquals(1025, Stft.minSamples(reflect));
    assertEquals(0, Stft.frames(1024, reflect));
    assertEquals(1 + 1025 / 256, Stft.frames(1025, reflect));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Stft.spectrogram(new float[1024], reflect));
    assertMessage(e, "1024 samples", "shorter than one frame", "1025");
    Stft.spectrogram(new float[1025], reflect);

    StftParams longWindow = stft(1800, 256, 2048, true, StftParams.PadMode.CONSTANT);
    assertEquals(1800, Stft.minSamples(longWindow));
    assertThrows(IllegalArgumentException.class,
        () -> Stft.spectrogram(new float[1799], longWindow));

    StftParams noCenter = stft(1024, 256, 1024, false, StftParams.PadMode.REFLECT);
    assertEquals(0, Stft.frames(1023, noCenter));
    assertEquals(1, Stft.frames(1024, noCenter));
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> Stft.spectrogram(new float[1023], noCenter)), "n-fft = 1024");
    assertThrows(IllegalArgumentException.class, () -> Stft.spectrogram(new float[0], noCenter));

    LogMelExtractor ex = new LogMelExtractor(22050, reflect,
        new MelParams(40, 0, 11025, MelParams.Scale.HTK, MelParams.Norm.NONE), LN,
        DeltaParams.NONE);
    assertEquals(0, ex.frames(500));
    assertThrows(IllegalArgumentException.class, () -> ex.extract(new float[500]));
  }

  @Test
  void tooFewFramesForDeltasAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Deltas.delta(new float[3][5], 9, 1));
    assertEquals("needs at least 9 frames for delta-width 9, got 5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Deltas.delta(new float[3][9], 8, 1));
    assertThrows(IllegalArgumentException.class, () -> Deltas.delta(new float[3][9], 9, 3));
    assertThrows(IllegalArgumentException.class,
        () -> Deltas.delta(new float[][] {new float[9], new float[8]}, 3, 1));

    StftParams p = stft(1024, 512, 1024, true, StftParams.PadMode.REFLECT);
    LogMelExtractor ex = new LogMelExtractor(22050, p,
        new MelParams(40, 0, 11025, MelParams.Scale.HTK, MelParams.Norm.NONE), LN,
        new DeltaParams(1, 9, DeltaParams.Stacking.CHANNELS));
    // 3000 samples -> 1 + 3000 / 512 = 6 frames < 9
    assertEquals(6, Stft.frames(3000, p));
    assertEquals(0, ex.frames(3000));
    assertMessage(assertThrows(IllegalArgumentException.class, () -> ex.extract(new float[3000])),
        "needs at least 9 frames for delta-width 9");
    assertEquals(9, ex.frames(4096));
    assertEquals(9, ex.extract(new float[4096])[0][0].length);
  }

  @Test
  void parameterRecordsNameTheirKeys() {
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> new MelParams(0, 0, 8000, MelParams.Scale.HTK, MelParams.Norm.NONE)), "n-mels");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> new MelParams(40, 8000, 4000, MelParams.Scale.HTK, MelParams.Norm.NONE)),
        "f-max-hz", "f-min-hz");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> new LogParams(LogParams.Kind.DB, 0, 80)), "floor must be positive");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> new DeltaParams(1, 4, DeltaParams.Stacking.CHANNELS)), "width must be odd");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> new StftParams(WindowType.HANN, true, 1024, 256, 1024, true,
            StftParams.PadMode.REFLECT, 1.0, 2)), "pre-emphasis");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> new MelFilterbank(
            new MelParams(40, 0, 8000, MelParams.Scale.HTK, MelParams.Norm.NONE), 0, 1024)),
        "sample rate");
  }
}
