package org.ascspark.features.spectral.gammatone;

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
import org.ascspark.features.spectral.DeltaParams;
import org.ascspark.features.spectral.GammatoneParams;
import org.ascspark.features.spectral.LogParams;
import org.ascspark.features.spectral.Stft;
import org.ascspark.features.spectral.StftParams;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the gammatone filterbank and extractor with the independent float64 numpy/scipy
 * implementation in tools/reference/make_spectral_refs.py ({@code make_gammatone_refs}: Slaney's
 * four second-order sections written with his A11..A14 coefficients, evaluated by
 * scipy.signal.freqz, normalised at the centre frequency and cross-checked there against Slaney's
 * closed-form gain; STFT, log and deltas by the same script's numpy implementations).
 *
 * <p>Tolerances, and why:
 *
 * <ul>
 *   <li>Centre frequencies: relative 1e-12 (double arithmetic on both sides).
 *   <li>Weights ({@link GammatoneFilterbank#dense}, untruncated; values in [0, 1]): absolute 2e-7,
 *       i.e. float32 rounding of both the Java weights and the stored reference (6e-8 each) plus
 *       margin. No approximation is involved. The truncated spans must equal the dense weights
 *       and every dropped weight must be below {@link GammatoneFilterbank#TRUNCATION}.
 *   <li>Filterbank alone (the Java STFT S fed to {@link GammatoneFilterbank#apply} and, in double,
 *       to the reference weights): |error| &lt;= (n 2^-24 + 2e-7) |ref| + TRUNCATION sum_j S[j].
 *       n 2^-24 bounds float summation of n non-negative terms (n = bins); 2e-7 the float32
 *       rounding of both weight sets (each 6e-8 relative, all terms positive); the last term the
 *       dropped weights.
 *   <li>End to end (Java STFT + filterbank against numpy's float64 STFT + weights): the above plus
 *       sum_j w[j] |dS[j]|, where dS bounds the float32 STFT's rounding: per bin d = 1e-6 N (N the
 *       frame's amplitude norm sqrt(sum_j |X_j|^2); Stft documents about 1e-7 N; 10x margin);
 *       |dS| = d for a magnitude STFT, 2 |X_j| d + d^2 for a power STFT.
 *   <li>Compressed features: that linear bound carried through the log and the deltas ({@link
 *       ReferenceFiles#assertFeaturesWithin}).
 * </ul>
 *
 * The worst error as a fraction of its bound is logged at debug level (run with
 * -Dorg.slf4j.simpleLogger.defaultLogLevel=debug).
 */
class GammatoneReferenceTest {

  private static final Logger LOG = LoggerFactory.getLogger(GammatoneReferenceTest.class);

  private static final double WEIGHT_ATOL = 2e-7;
  private static final double STFT_REL = 1e-6;

  @ParameterizedTest
  @ValueSource(strings = {
    "gammatone-ellis-magnitude-22050.json", "gammatone-ait-power-db-44100.json",
    "gammatone-wide-natural-22050.json"
  })
  void matchesNumpyReference(String file) {
    Map<String, Object> ref = ReferenceFiles.load(file);
    Map<String, Object> c = obj(ref.get("config"));
    int sr = integer(ref, "sample_rate_hz");
    StftParams stft = ReferenceFiles.stft(c);
    GammatoneParams gp = new GammatoneParams(integer(c, "n_bands"), number(c, "fmin"),
        number(c, "fmax"), number(c, "width"));
    LogParams log = ReferenceFiles.log(c);
    DeltaParams deltas = ReferenceFiles.deltas(c);
    GammatoneFilterbank fb = new GammatoneFilterbank(gp, sr, stft.nFft());

    // centre frequencies
    double[] cf = fb.centreFrequenciesHz();
    double[] cfRef = numbers(ref, "centre_frequencies_hz");
    assertEquals(cfRef.length, cf.length);
    for (int i = 0; i < cf.length; i++) {
      assertEquals(cfRef[i], cf[i], 1e-12 * cfRef[i], file + ": centre frequency " + i);
    }

    // weights, dense and truncated
    float[][] dense = fb.dense();
    float[][] wRef = matrix(ref, "weights");
    double[] rows = numbers(ref, "weight_rows");
    double worstWeight = 0;
    for (int r = 0; r < rows.length; r++) {
      int band = (int) rows[r];
      for (int j = 0; j < dense[band].length; j++) {
        worstWeight = Math.max(worstWeight, Math.abs(dense[band][j] - wRef[r][j]));
      }
    }
    assertTrue(worstWeight <= WEIGHT_ATOL, file + ": weight error " + worstWeight);
    LOG.debug("{}: max weight error {}", file, worstWeight);
    for (int band = 0; band < fb.nBands(); band++) {
      int first = fb.firstBin(band);
      float[] span = fb.spanWeights(band);
      for (int j = 0; j < dense[band].length; j++) {
        if (j >= first && j < first + span.length) {
          assertEquals(dense[band][j], span[j - first], 0f, file + ": span band " + band);
        } else {
          assertTrue(dense[band][j] < GammatoneFilterbank.TRUNCATION,
              file + ": dropped weight " + dense[band][j] + " band " + band + " bin " + j);
        }
      }
    }

    GammatoneExtractor ex = new GammatoneExtractor(sr, stft, gp, log, deltas);
    Map<String, float[]> signals = ReferenceFiles.signals();
    for (Object o : list(ref.get("outputs"))) {
      Map<String, Object> out = obj(o);
      String what = file + " / " + out.get("signal");
      float[] x = signals.get((String) out.get("signal"));
      float[][] bandsRef = matrix(out, "bands");

      float[][] spec = Stft.spectrogram(x, stft);
      float[][] bands = fb.apply(spec);
      assertEquals(bandsRef.length, bands.length, what);
      assertEquals(bandsRef[0].length, bands[0].length, what + ": frames");
      int nBands = bands.length;
      int frames = bands[0].length;
      int nBins = stft.bins();
      double rtol = nBins * Math.pow(2, -24) + 2e-7;
      boolean power = stft.power() == 2.0;

      // (a) the filterbank alone, on the Java STFT, against the stored reference weight rows
      double worstA = 0;
      for (int r = 0; r < rows.length; r++) {
        int band = (int) rows[r];
        for (int t = 0; t < frames; t++) {
          double exact = 0;
          double sum = 0;
          for (int j = 0; j < nBins; j++) {
            exact += (double) wRef[r][j] * spec[t][j];
            sum += spec[t][j];
          }
          double allowed = rtol * exact + GammatoneFilterbank.TRUNCATION * sum + 1e-30;
          worstA = Math.max(worstA, Math.abs(bands[band][t] - exact) / allowed);
        }
      }
      assertTrue(worstA <= 1, what + ": filterbank error exceeds its bound by " + worstA);
      LOG.debug("{}: filterbank alone, worst error / bound {}", what, worstA);

      // (b) end to end against numpy's float64 STFT and weights
      double[][] bound = new double[nBands][frames];
      double[] ds = new double[nBins];
      double worstB = 0;
      double worstRel = 0;
      for (int t = 0; t < frames; t++) {
        double norm2 = 0;
        double sum = 0;
        for (int j = 0; j < nBins; j++) {
          norm2 += power ? spec[t][j] : (double) spec[t][j] * spec[t][j];
          sum += spec[t][j];
        }
        double d = STFT_REL * Math.sqrt(norm2);
        for (int j = 0; j < nBins; j++) {
          ds[j] = power ? 2 * Math.sqrt(spec[t][j]) * d + d * d : d;
        }
        for (int i = 0; i < nBands; i++) {
          double stftTerm = 0;
          for (int j = 0; j < nBins; j++) {
            stftTerm += dense[i][j] * ds[j];
          }
          bound[i][t] = rtol * Math.abs(bandsRef[i][t]) + GammatoneFilterbank.TRUNCATION * sum
              + stftTerm;
          double e = Math.abs(bands[i][t] - bandsRef[i][t]);
          worstB = Math.max(worstB, e / bound[i][t]);
          worstRel = Math.max(worstRel, e / Math.max(Math.abs(bandsRef[i][t]), 1e-30));
        }
      }
      assertTrue(worstB <= 1, what + ": band error exceeds its bound by " + worstB
          + " (max relative error " + worstRel + ")");
      LOG.debug("{}: end to end, worst error / bound {}, max relative error {}", what, worstB,
          worstRel);

      float[][][] feats = ex.extract(x);
      assertEquals(ex.channels(), feats.length, what);
      assertEquals(ex.bins(), feats[0].length, what);
      assertEquals(ex.frames(x.length), feats[0][0].length, what);
      if (out.containsKey("features")) {
        ReferenceFiles.assertFeaturesWithin(what, feats, cube(out, "features"), bandsRef, bound,
            log, stft.power() == 2.0, deltas);
      } else {
        for (int i = 0; i < bands.length; i++) {
          assertArrayEquals(bands[i], feats[0][i], 0f, what + ": linear extractor output");
        }
      }
    }
  }
}
