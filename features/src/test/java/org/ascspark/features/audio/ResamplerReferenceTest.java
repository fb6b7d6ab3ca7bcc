package org.ascspark.features.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.ascspark.features.testing.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares {@link Resampler} with scipy.signal.resample_poly references made by
 * tools/reference/make_audio_refs.py (a longer, 140 dB Kaiser filter with the same cutoff).
 *
 * <p>Tolerance: max |error| &lt;= 1e-4 x input peak away from the edges (the first and last
 * {@value #EDGE} outputs). The test signals are band-limited to 0.84 x the lower Nyquist frequency,
 * inside both filters' passbands, so the two outputs differ by the passband ripple of our 90 dB
 * Kaiser design (about 3e-5 per spectral component) plus float32 rounding (6e-8). Measured:
 * 5e-6 to 1.2e-5 x peak for all five rate pairs. Near the edges both zero-pad identically and the
 * signals fade in and out over 5 ms, so the whole output is also held to 1e-3 x peak.
 */
class ResamplerReferenceTest {

  private static final int EDGE = 50;
  private static final double INTERIOR_RTOL = 1e-4;
  private static final double WHOLE_RTOL = 1e-3;

  @ParameterizedTest
  @ValueSource(strings = {
    "resample-48000-44100.json", "resample-22050-44100.json", "resample-16000-44100.json",
    "resample-44100-32000.json", "resample-96000-44100.json"
  })
  void matchesScipyResamplePoly(String name) {
    Map<String, Object> ref = AudioTestData.reference(name);
    int fromHz = (int) (double) (Double) ref.get("from_hz");
    int toHz = (int) (double) (Double) ref.get("to_hz");
    List<Object> signals = Json.list(ref.get("signals"));
    assertEquals(2, signals.size());
    for (Object o : signals) {
      Map<String, Object> s = Json.obj(o);
      String kind = (String) Json.obj(s.get("params")).get("kind");
      float[] x = Json.floats(s, "input_f32le_b64");
      float[] expected = Json.floats(s, "reference_f32le_b64");
      assertEquals((int) (double) (Double) s.get("input_length"), x.length);

      float[] y = Resampler.resample(x, fromHz, toHz);

      assertEquals(expected.length, y.length, kind + ": output length");
      double peak = 0;
      for (float v : x) {
        peak = Math.max(peak, Math.abs(v));
      }
      double interior = 0;
      double whole = 0;
      int worst = -1;
      for (int i = 0; i < y.length; i++) {
        double e = Math.abs(y[i] - expected[i]);
        whole = Math.max(whole, e);
        if (i >= EDGE && i < y.length - EDGE && e > interior) {
          interior = e;
          worst = i;
        }
      }
      assertTrue(interior <= INTERIOR_RTOL * peak, String.format(
          "%s %s: interior max error %.3g at %d exceeds %.3g", name, kind, interior, worst,
          INTERIOR_RTOL * peak));
      assertTrue(whole <= WHOLE_RTOL * peak,
          String.format("%s %s: max error %.3g over the whole output", name, kind, whole));
    }
  }
}
