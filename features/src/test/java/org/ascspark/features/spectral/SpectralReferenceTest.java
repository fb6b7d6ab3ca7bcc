package org.ascspark.features.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ascspark.features.testing.Json;
import org.junit.jupiter.api.Test;

/**
 * Compares the Java front ends with the float64 numpy/scipy reference written by
 * tools/reference/make_spectral_refs.py (an independent implementation of the same definitions).
 * The inputs are the float32 signals stored in stft-signals.json, so both sides see identical
 * samples. Each test states its tolerance and why.
 */
class SpectralReferenceTest {

  private static final Map<String, float[]> SIGNALS = SpectralRefs.signals();

  /** Names of the reference files with a prefix, sorted. */
  private static List<String> files(String prefix) throws IOException, URISyntaxException {
    Path dir = Path.of(SpectralReferenceTest.class.getResource(SpectralRefs.DIR).toURI());
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix) && n.endsWith(".json"))
          .sorted()
          .toList();
      assertFalse(names.isEmpty(), "no reference files " + prefix + "*");
      return names;
    }
  }

  /**
   * STFT power / magnitude. Tolerance: |java - ref| &lt;= 1e-6 |ref| + 1e-12 max(frame). Why: both
   * sides compute in double and round once to float32 (Java's output, the stored reference), so
   * values agree to about 2 float32 ulps (1.2e-7 relative); the absolute term covers bins far
   * (more than 120 dB) below the frame's peak, where the double FFT's own rounding (about 1e-16 of
   * the peak amplitude) becomes visible relative to the bin.
   */
  @Test
  void stftMatchesReference() throws Exception {
    for (String name : files("stft-")) {
      if (name.equals("stft-signals.json")) {
        continue;
      }
      Map<String, Object> ref = SpectralRefs.load(name);
      StftParams p = SpectralRefs.stft(Json.obj(ref.get("config")));
      float[] x = SIGNALS.get(Json.string(ref, "signal"));
      float[] before = x.clone();
      float[][] spec = Stft.spectrogram(x, p);
      assertArrayEquals(before, x, "input modified");
      assertEquals(Json.integer(ref, "n_frames"), spec.length, name + ": frame count");
      assertEquals(spec.length, Stft.frames(x.length, p), name + ": frames()");
      float[][] want = Json.matrix(ref, "spectrogram");
      List<Object> idx = Json.list(ref.get("frame_index"));
      double rtol = 1e-6;
      double atolRel = 1e-12;
      double worstRel = 0;
      for (int r = 0; r < idx.size(); r++) {
        int t = ((Double) idx.get(r)).intValue();
        float[] w = want[r];
        assertEquals(p.bins(), spec[t].length);
        double peak = 0;
        for (float v : w) {
          peak = Math.max(peak, v);
        }
        for (int k = 0; k < w.length; k++) {
          double err = Math.abs(spec[t][k] - w[k]);
          double tol = rtol * Math.abs(w[k]) + atolRel * peak;
          worstRel = Math.max(worstRel, err / tol);
          assertTrue(err <= tol, name + " frame " + t + " bin " + k + ": java " + spec[t][k]
              + " ref " + w[k] + " (peak " + peak + ")");
        }
      }
      System.out.printf("stft %-60s worst error / tolerance %.2e%n", name, worstRel);
    }
  }

  /** Mel weights: atol 1e-6 (both sides round float64 weights to float32 once: 1 ulp apart). */
  @Test
  void melWeightsMatchReference() throws Exception {
    for (String name : files("mel-")) {
      Map<String, Object> ref = SpectralRefs.load(name);
      MelParams mp = SpectralRefs.mel(Json.obj(ref.get("config")));
      int sr = Json.integer(ref, "sample_rate_hz");
      int nFft = Json.integer(ref, "n_fft");
      MelFilterbank fb = new MelFilterbank(mp, sr, nFft);
      float[] spans = Json.floats(ref, "weights");
      List<Object> first = Json.list(ref.get("first_bin"));
      List<Object> len = Json.list(ref.get("span_length"));
      List<Object> edges = Json.list(ref.get("edges_hz"));
      float[][] dense = fb.dense();
      float[][] want = new float[mp.nMels()][nFft / 2 + 1];
      int off = 0;
      for (int m = 0; m < mp.nMels(); m++) {
        int f0 = ((Double) first.get(m)).intValue();
        int n = ((Double) len.get(m)).intValue();
        System.arraycopy(spans, off, want[m], f0, n);
        off += n;
        assertEquals(f0, fb.firstBin(m), name + " filter " + m + " first bin");
      }
      double worst = 0;
      for (int m = 0; m < mp.nMels(); m++) {
        for (int k = 0; k < want[m].length; k++) {
          double err = Math.abs(dense[m][k] - want[m][k]);
          worst = Math.max(worst, err);
          assertTrue(err <= 1e-6, name + " filter " + m + " bin " + k + ": java " + dense[m][k]
              + " ref " + want[m][k]);
        }
      }
      double[] centres = fb.centerFrequenciesHz();
      for (int m = 0; m < centres.length; m++) {
        double e = (Double) edges.get(m + 1);
        assertEquals(e, centres[m], 1e-9 * e, name + " centre " + m);
      }
      System.out.printf("mel  %-60s max abs weight error %.2e%n", name, worst);
    }
  }

  /**
   * Deltas against scipy.signal.savgol_filter(deriv=order, mode='interp'). Tolerance 2e-6 abs +
   * 1e-6 rel: the same float32 inputs, double accumulation on both sides, one float32 rounding of
   * the output (inputs are standard normal, outputs of order 1).
   */
  @Test
  void deltasMatchSavgol() {
    Map<String, Object> ref = SpectralRefs.load("delta-savgol.json");
    double worst = 0;
    for (Object o : Json.list(ref.get("cases"))) {
      Map<String, Object> c = Json.obj(o);
      int width = Json.integer(c, "width");
      int order = Json.integer(c, "order");
      float[][] x = Json.matrix(c, "input");
      float[][] want = Json.matrix(c, "delta");
      float[][] got = Deltas.delta(x, width, order);
      for (int b = 0; b < x.length; b++) {
        for (int t = 0; t < x[b].length; t++) {
          double err = Math.abs(got[b][t] - want[b][t]);
          worst = Math.max(worst, err);
          assertTrue(err <= 2e-6 + 1e-6 * Math.abs(want[b][t]), "width " + width + " order "
              + order + " frames " + x[b].length + " [" + b + "][" + t + "]: java " + got[b][t]
              + " ref " + want[b][t]);
        }
      }
    }
    System.out.printf("delta savgol max abs error %.2e%n", worst);
  }

  /**
   * Full log-mel features. Issue 3 asks for 1e-3 absolute in natural log wherever the reference is
   * above 10 floor; the test asserts the tighter 1e-5 (natural-log units; dB values within 1e-5 x
   * 10/ln 10 dB for power, x 20/ln 10 for magnitude, the same relative precision). Why 1e-5: both
   * sides compute in double and round the log once to float32, whose spacing is 1.9e-6 at |ln x| of
   * 16-32, so agreement is a few float32 ulps; a looser bound would hide convention slips (a window
   * off by one sample, a float window) that cost 1e-4..1e-3. Values at or below 10 floor are only
   * required to be at most 10 floor (+ tolerance) on the Java side too. Deltas: 1e-5 x sum |taps|
   * (the delta filter's worst-case gain on the static error), only at frames whose whole delta
   * window is above 10 floor.
   */
  @Test
  void logMelMatchesReference() throws Exception {
    for (String name : files("logmel-")) {
      Map<String, Object> ref = SpectralRefs.load(name);
      Map<String, Object> c = Json.obj(ref.get("config"));
      int sr = Json.integer(ref, "sample_rate_hz");
      StftParams sp = SpectralRefs.stft(c);
      MelParams mp = SpectralRefs.mel(c);
      LogParams lp = SpectralRefs.log(c);
      DeltaParams dp = SpectralRefs.deltas(c);
      LogMelExtractor ex = new LogMelExtractor(sr, sp, mp, lp, dp);
      boolean power = sp.power() == 2.0;
      double unit = lp.kind() == LogParams.Kind.DB ? (power ? 10 : 20) / Math.log(10) : 1.0;
      double staticTol = 1e-5 * unit;
      double floorLog = lp.kind() == LogParams.Kind.DB
          ? (power ? 10 : 20) * Math.log10(10 * lp.floor())
          : Math.log(10 * lp.floor());
      for (Object o : Json.list(ref.get("outputs"))) {
        Map<String, Object> out = Json.obj(o);
        String sig = Json.string(out, "signal");
        float[] x = SIGNALS.get(sig);
        float[][][] want = Json.cube(out, "features");
        float[][][] got = ex.extract(x);
        String what = name + " / " + sig;
        assertEquals(want.length, got.length, what + ": channels");
        assertEquals(want.length, ex.channels(), what + ": channels()");
        assertEquals(want[0].length, got[0].length, what + ": bins");
        assertEquals(want[0].length, ex.bins(), what + ": bins()");
        assertEquals(want[0][0].length, got[0][0].length, what + ": frames");
        assertEquals(want[0][0].length, ex.frames(x.length), what + ": frames()");
        int nMels = mp.nMels();
        int order = dp.order();
        double worstStatic = 0;
        double worstDelta = 0;
        int compared = 0;
        for (int part = 0; part <= order; part++) {
          double tol = part == 0 ? staticTol : staticTol * tapSum(dp.width(), part);
          for (int m = 0; m < nMels; m++) {
            float[] g = row(got, dp, part, m, nMels);
            float[] w = row(want, dp, part, m, nMels);
            float[] wStatic = row(want, dp, 0, m, nMels);
            for (int t = 0; t < w.length; t++) {
              if (part == 0 && wStatic[t] <= floorLog) {
                assertTrue(g[t] <= floorLog + staticTol, what + " near-floor [" + m + "][" + t
                    + "]: java " + g[t] + " ref " + w[t]);
                continue;
              }
              if (part > 0 && !windowAboveFloor(wStatic, t, dp.width(), floorLog)) {
                continue;
              }
              double err = Math.abs(g[t] - w[t]);
              if (part == 0) {
                worstStatic = Math.max(worstStatic, err / unit);
              } else {
                worstDelta = Math.max(worstDelta, err / unit);
              }
              compared++;
              assertTrue(err <= tol, what + " part " + part + " [" + m + "][" + t + "]: java "
                  + g[t] + " ref " + w[t] + " (tol " + tol + ")");
            }
          }
        }
        assertTrue(compared > 0, what + ": nothing compared");
        System.out.printf("logmel %-45s max |err| static %.2e, deltas %.2e (natural-log units)%n",
            what, worstStatic, worstDelta);
      }
    }
  }

  private static float[] row(float[][][] f, DeltaParams dp, int part, int m, int nMels) {
    return dp.stacking() == DeltaParams.Stacking.CHANNELS || dp.order() == 0
        ? f[part][m]
        : f[0][part * nMels + m];
  }

  private static double tapSum(int width, int order) {
    double s = 0;
    for (double c : Deltas.coefficients(width, order)) {
      s += Math.abs(c);
    }
    return s;
  }

  /** Whether every static value that enters frame t's delta (edges included) is above floor. */
  private static boolean windowAboveFloor(float[] statics, int t, int width, double floorLog) {
    int h = width / 2;
    int n = statics.length;
    int lo = Math.max(0, Math.min(t, n - 1 - h) - h);
    int hi = Math.min(n - 1, Math.max(t, h) + h);
    lo = Math.min(lo, n - width);
    hi = Math.max(hi, width - 1);
    for (int i = lo; i <= hi; i++) {
      if (statics[i] <= floorLog) {
        return false;
      }
    }
    return true;
  }
}
