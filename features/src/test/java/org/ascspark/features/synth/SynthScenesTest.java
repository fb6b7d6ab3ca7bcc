package org.ascspark.features.synth;

import org.ascspark.features.RecordSeeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Test;

/** The scene recipes: levels, distinctness between scenes, variety within a scene, determinism. */
class SynthScenesTest {

  private static final int FS = 44100;
  private static final int N = FS;
  private static final int BANDS = 20;

  private static float[] render(AcousticScene s, String identifier, String take) {
    return SceneRecipes.render(s, LocationProfile.of(7, identifier), N, FS,
        RecordSeeds.rng(7, "source/" + s.label() + "-" + identifier + "-" + take));
  }

  @Test
  void everySceneIsFiniteUnclippedAndAtARealisticLevel() {
    double ceiling = Levels.dbToGain(SceneRecipes.PEAK_CEILING_DBFS) * (1 + 1e-6);
    for (AcousticScene s : AcousticScene.values()) {
      for (int loc = 0; loc < 2; loc++) {
        float[] x = render(s, "testcity-" + loc, "0");
        assertEquals(N, x.length);
        for (float v : x) {
          assertTrue(Float.isFinite(v), s + ": non-finite sample");
        }
        double rms = Levels.rmsDbfs(x);
        // scene range ± location offset (2 dB), minus peak limiting for impulsive scenes
        assertTrue(rms > s.rmsMinDbfs() - 8 && rms < s.rmsMaxDbfs() + 2.5,
            s + ": RMS " + rms + " dBFS outside its range");
        assertTrue(rms > -38 && rms < -17, s + ": RMS " + rms + " dBFS not realistic");
        assertTrue(Levels.peak(x) <= ceiling, s + ": peak " + Levels.peak(x));
        float[] a = DeviceProfiles.A.record(x, FS, RecordSeeds.rng(7, "device/" + s + loc));
        assertTrue(Levels.peak(a) < 0.6, s + ": device a peak " + Levels.peak(a));
      }
    }
  }

  @Test
  void scenesHaveDistinctLongTermSpectraWhileRecordingsVary() {
    AcousticScene[] scenes = AcousticScene.values();
    int takes = 4;
    double[][][] v = new double[scenes.length][takes][];
    double[][] centroid = new double[scenes.length][BANDS];
    for (int s = 0; s < scenes.length; s++) {
      for (int k = 0; k < takes; k++) {
        v[s][k] = bandProfileDb(render(scenes[s], "testcity-" + (10 + k), "0"));
        for (int j = 0; j < BANDS; j++) {
          centroid[s][j] += v[s][k][j] / takes;
        }
      }
    }
    for (int a = 0; a < scenes.length; a++) {
      for (int b = a + 1; b < scenes.length; b++) {
        double d = rmsDiff(centroid[a], centroid[b]);
        assertTrue(d > 1.0,
            scenes[a] + " vs " + scenes[b] + ": mean spectra only " + d + " dB apart");
      }
      for (int i = 0; i < takes; i++) {
        for (int j = i + 1; j < takes; j++) {
          double d = rmsDiff(v[a][i], v[a][j]);
          assertTrue(d > 0.3, scenes[a] + ": recordings " + i + ", " + j + " nearly identical");
        }
      }
    }
    // separable on average: the nearest centroid is the right scene for most recordings
    int correct = 0;
    for (int s = 0; s < scenes.length; s++) {
      for (int k = 0; k < takes; k++) {
        int best = -1;
        double bestD = Double.MAX_VALUE;
        for (int t = 0; t < scenes.length; t++) {
          double d = rmsDiff(v[s][k], centroid[t]);
          if (d < bestD) {
            bestD = d;
            best = t;
          }
        }
        correct += best == s ? 1 : 0;
      }
    }
    assertTrue(correct >= 0.6 * scenes.length * takes, "nearest-centroid hits: " + correct);
  }

  @Test
  void renderingIsDeterministicForTheSameStream() {
    for (AcousticScene s : AcousticScene.values()) {
      float[] x = render(s, "testcity-0", "0");
      float[] y = render(s, "testcity-0", "0");
      float[] z = render(s, "testcity-0", "1");
      assertArrayEquals(x, y, s + ": same stream, different samples");
      assertFalse(Arrays.equals(x, z), s + ": different segments, same samples");
    }
  }

  @Test
  void locationProfilesAreDeterministicAndDifferBetweenLocations() {
    assertEquals(LocationProfile.of(1, "lyon-3"), LocationProfile.of(1, "lyon-3"));
    assertNotEquals(LocationProfile.of(1, "lyon-3"), LocationProfile.of(1, "lyon-4"));
    assertNotEquals(LocationProfile.of(1, "lyon-3"), LocationProfile.of(2, "lyon-3"));
  }

  @Test
  void sceneLabelsAreTausLabels() {
    assertEquals(10, AcousticScene.values().length);
    assertEquals(AcousticScene.STREET_PEDESTRIAN, AcousticScene.fromLabel("street_pedestrian"));
    assertEquals("metro_station", AcousticScene.METRO_STATION.label());
  }

  /**
   * Energy distribution over 20 log-spaced bands from 50 Hz to 16 kHz, in dB relative to the total
   * (the shape of the long-term spectrum, independent of level).
   */
  static double[] bandProfileDb(float[] x) {
    int n = x.length;
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = x[i];
    }
    new DoubleFFT_1D(n).realForward(b);
    double[] e = new double[BANDS];
    double total = 0;
    for (int k = 1; k < n / 2; k++) {
      double f = (double) k * FS / n;
      if (f < 50 || f > 16000) {
        continue;
      }
      double p = b[2 * k] * b[2 * k] + b[2 * k + 1] * b[2 * k + 1];
      int j = Math.min(BANDS - 1, (int) (BANDS * Math.log(f / 50) / Math.log(16000.0 / 50)));
      e[j] += p;
      total += p;
    }
    for (int j = 0; j < BANDS; j++) {
      e[j] = 10 * Math.log10(e[j] / total + 1e-20);
    }
    return e;
  }

  static double rmsDiff(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s / a.length);
  }
}
