package org.ascspark.features.spectral.cqt;

import static org.ascspark.features.testing.Json.cube;
import static org.ascspark.features.testing.Json.integer;
import static org.ascspark.features.testing.Json.list;
import static org.ascspark.features.testing.Json.matrix;
import static org.ascspark.features.testing.Json.number;
import static org.ascspark.features.testing.Json.numbers;
import static org.ascspark.features.testing.Json.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ascspark.features.spectral.CqtParams;
import org.ascspark.features.spectral.DeltaParams;
import org.ascspark.features.spectral.LogParams;
import org.ascspark.features.spectral.gammatone.ReferenceFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares {@link ConstantQ} (FFT, sparse kernels, float) with the direct time-domain inner
 * products of tools/reference/make_spectral_refs.py ({@code make_cqt_refs}: float64 numpy, every
 * kernel sample, no FFT), which validates the spectral-kernel method itself.
 *
 * <p>Tolerances, and why:
 *
 * <ul>
 *   <li>Bin frequencies relative 1e-12; window lengths N_k exactly.
 *   <li>Magnitudes: |error| &lt;= eps_k ||b_t|| + 1e-5 ||h_k|| ||b_t|| + 1e-6 |ref|. The first term
 *       is the Cauchy-Schwarz bound of the dropped kernel coefficients ({@link
 *       ConstantQ#sparsityErrorBound}, computed exactly from the dropped energy), ||b_t|| the norm
 *       of the samples the frame uses. The second bounds float arithmetic the same way: a float
 *       FFT of L points has relative RMS error of order 2^-24 sqrt(log2 L) (under 1e-6 worst case
 *       for L &lt;= 2^16), the float-stored kernel 2^-24, and Cauchy-Schwarz turns both into a
 *       multiple of ||h_k|| ||b_t||; 1e-5 leaves a 10x margin. The third is float32 rounding of
 *       the outputs.
 *   <li>Compressed features and deltas: that bound carried through the log ({@link
 *       ReferenceFiles#assertFeaturesWithin}).
 * </ul>
 *
 * The worst error as a fraction of its bound is logged at debug level.
 */
class CqtReferenceTest {

  private static final Logger LOG = LoggerFactory.getLogger(CqtReferenceTest.class);
  private static final double FLOAT_REL = 1e-5;
  private static final double OUTPUT_REL = 1e-6;

  @ParameterizedTest
  @ValueSource(strings = {
    "cqt-a2-12bpo-22050.json", "cqt-ait-db-44100.json", "cqt-high-fs08-44100.json"
  })
  void matchesDirectInnerProducts(String file) {
    Map<String, Object> ref = ReferenceFiles.load(file);
    Map<String, Object> c = obj(ref.get("config"));
    int sr = integer(ref, "sample_rate_hz");
    CqtParams p = new CqtParams(integer(c, "bins_per_octave"), number(c, "fmin"),
        integer(c, "n_bins"), integer(c, "hop"), number(c, "filter_scale"));
    LogParams log = ReferenceFiles.log(c);
    DeltaParams deltas = ReferenceFiles.deltas(c);
    ConstantQ cq = new ConstantQ(p, sr);

    double[] f = cq.frequenciesHz();
    double[] fRef = numbers(ref, "frequencies_hz");
    assertEquals(fRef.length, f.length);
    for (int k = 0; k < f.length; k++) {
      assertEquals(fRef[k], f[k], 1e-12 * fRef[k], file + ": frequency " + k);
    }
    double[] nRef = numbers(ref, "window_lengths");
    int[] n = cq.windowLengths();
    for (int k = 0; k < n.length; k++) {
      assertEquals((int) nRef[k], n[k], file + ": window length " + k);
    }

    double[] eps = cq.sparsityErrorBound();
    double[] kernelNorm = kernelNorms(n);
    int h = cq.halfSupport();
    CqtExtractor ex = new CqtExtractor(sr, p, log, deltas);
    Map<String, float[]> signals = ReferenceFiles.signals();
    for (Object o : list(ref.get("outputs"))) {
      Map<String, Object> out = obj(o);
      String what = file + " / " + out.get("signal");
      float[] x = signals.get((String) out.get("signal"));
      float[][] magRef = matrix(out, "magnitude");
      float[][] mag = cq.magnitude(x);
      assertEquals(magRef.length, mag.length, what);
      int frames = magRef[0].length;
      assertEquals(frames, mag[0].length, what + ": frames");
      assertEquals(frames, cq.frames(x.length), what + ": frames()");
      double[][] bound = new double[mag.length][frames];
      double worst = 0;
      double worstRel = 0;
      double worstAbs = 0;
      for (int t = 0; t < frames; t++) {
        double frameNorm = frameNorm(x, t * p.hopSamples(), h);
        for (int k = 0; k < mag.length; k++) {
          bound[k][t] = eps[k] * frameNorm + FLOAT_REL * kernelNorm[k] * frameNorm
              + OUTPUT_REL * magRef[k][t];
          double e = Math.abs(mag[k][t] - magRef[k][t]);
          worst = Math.max(worst, e / bound[k][t]);
          worstAbs = Math.max(worstAbs, e);
          worstRel = Math.max(worstRel, e / Math.max(magRef[k][t], 1e-30));
        }
      }
      assertTrue(worst <= 1, what + ": magnitude error exceeds its bound by " + worst);
      LOG.debug("{}: magnitude, worst error / bound {}, max abs error {}, max relative error {}",
          what, worst, worstAbs, worstRel);

      float[][][] feats = ex.extract(x);
      assertEquals(ex.channels(), feats.length, what);
      assertEquals(ex.bins(), feats[0].length, what);
      assertEquals(ex.frames(x.length), feats[0][0].length, what);
      if (out.containsKey("features")) {
        ReferenceFiles.assertFeaturesWithin(what, feats, cube(out, "features"), magRef, bound, log,
            false, deltas);
      } else {
        for (int k = 0; k < mag.length; k++) {
          assertArrayEquals(mag[k], feats[0][k], 0f, what + ": linear extractor output");
        }
      }
    }
  }

  /** ||h_k||_2 of the kernels w_k(m) / N_k, |m| &lt;= (N_k - 1) / 2, from the definition. */
  static double[] kernelNorms(int[] lengths) {
    double[] out = new double[lengths.length];
    for (int k = 0; k < lengths.length; k++) {
      int len = lengths[k];
      double s = 0;
      for (int m = -(len - 1) / 2; m <= (len - 1) / 2; m++) {
        double w = 0.5 + 0.5 * Math.cos(2 * Math.PI * m / len);
        s += w * w;
      }
      out[k] = Math.sqrt(s) / len;
    }
    return out;
  }

  /** Norm of x[c - h .. c + h] (zeros outside the signal). */
  static double frameNorm(float[] x, int c, int h) {
    double s = 0;
    for (int i = Math.max(0, c - h); i <= Math.min(x.length - 1, c + h); i++) {
      s += (double) x[i] * x[i];
    }
    return Math.sqrt(s);
  }
}
