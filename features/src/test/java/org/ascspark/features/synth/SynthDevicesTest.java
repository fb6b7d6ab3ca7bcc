package org.ascspark.features.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The simulated devices: measured responses, alignment, clipping, groups, determinism. */
class SynthDevicesTest {

  private static final int FS = 44100;
  private static final int N = 1 << 17;

  /** White noise at the given RMS in dBFS, as float samples. */
  private static float[] whiteNoise(double rmsDbfs, long seed) {
    double[] x =
        SpectralFilter.colouredNoise(N, FS, ResponseCurve.flat(), new SplittableRandom(seed));
    double g = Levels.dbToGain(rmsDbfs);
    float[] out = new float[N];
    for (int i = 0; i < N; i++) {
      out[i] = (float) (g * x[i]);
    }
    return out;
  }

  private static double[] toDouble(float[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i];
    }
    return y;
  }

  /**
   * The ratio of device-X to device-A recordings of the same source, averaged over third-octave
   * bands from 100 Hz to 16 kHz, matches the configured curve (power-averaged over the band's bins)
   * within 2 dB wherever the curve is within 12 dB of its maximum (the passband). The source is
   * white noise at -35 dBFS, low enough that the clipping devices stay linear.
   */
  @Test
  void measuredResponseMatchesTheConfiguredCurveInThePassband() {
    float[] source = whiteNoise(-35, 11);
    double[] pa = SynthDspTest.power(toDouble(
        DeviceProfiles.A.record(source, FS, new SplittableRandom(1))));
    for (DeviceProfile d : DeviceProfiles.all()) {
      double[] px = SynthDspTest.power(toDouble(d.record(source, FS, new SplittableRandom(2))));
      int bands = 0;
      double maxExpected = -1e9;
      double[] expected = new double[22];
      double[] measured = new double[22];
      for (int b = 0; b < 22; b++) {
        double centre = 100 * Math.pow(2, b / 3.0);
        double lo = centre / Math.pow(2, 1 / 6.0);
        double hi = centre * Math.pow(2, 1 / 6.0);
        double ex = 0;
        double ea = 0;
        double sx = 0;
        double sa = 0;
        int bins = 0;
        for (int k = 1; k < pa.length; k++) {
          double f = (double) k * FS / N;
          if (f >= lo && f < hi) {
            ex += Math.pow(10, d.responseDb(f) / 10);
            ea += Math.pow(10, DeviceProfiles.A.responseDb(f) / 10);
            sx += px[k];
            sa += pa[k];
            bins++;
          }
        }
        expected[b] = 10 * Math.log10(ex / bins) - 10 * Math.log10(ea / bins);
        measured[b] = 10 * Math.log10(sx / sa);
        maxExpected = Math.max(maxExpected, expected[b]);
      }
      for (int b = 0; b < 22; b++) {
        if (expected[b] >= maxExpected - 12) {
          bands++;
          assertEquals(expected[b], measured[b], 2.0,
              d.name() + ": band " + b + " (" + Math.round(100 * Math.pow(2, b / 3.0)) + " Hz)");
        }
      }
      assertTrue(bands >= 5, d.name() + ": passband has only " + bands + " bands");
    }
  }

  /** Zero-phase EQ keeps recordings aligned: the cross-correlation peaks at the fixed delay. */
  @Test
  void recordingsAreTimeAlignedWithDeviceAUpToTheFixedDelay() {
    float[] source = whiteNoise(-30, 12);
    float[] a = DeviceProfiles.A.record(source, FS, new SplittableRandom(1));
    for (DeviceProfile d : DeviceProfiles.all()) {
      float[] x = d.record(source, FS, new SplittableRandom(3));
      int bestLag = 0;
      double best = -Double.MAX_VALUE;
      for (int lag = -60; lag <= 60; lag++) {
        double c = 0;
        for (int i = 100; i < N - 100; i++) {
          c += (double) a[i] * x[i + lag];
        }
        if (c > best) {
          best = c;
          bestLag = lag;
        }
      }
      assertEquals(d.delaySamples(FS), bestLag, d.name() + ": misaligned");
      assertTrue(d.delaySamples(FS) <= FS / 1000, d.name() + ": delay above 1 ms");
    }
  }

  @Test
  void referenceDeviceIsFlatAndQuiet() {
    for (double f = 40; f < 20000; f *= 1.1) {
      assertEquals(0, DeviceProfiles.A.responseDb(f), 0.05, "at " + f + " Hz");
    }
    float[] silence = new float[N];
    double noise = Levels.rmsDbfs(DeviceProfiles.A.record(silence, FS, new SplittableRandom(1)));
    assertEquals(-100, noise, 0.5);
  }

  @Test
  void onlyClippingDevicesSaturateAndNothingReachesFullScale() {
    float[] loud = whiteNoise(-8, 13);
    for (DeviceProfile d : DeviceProfiles.all()) {
      float[] x = d.record(loud, FS, new SplittableRandom(4));
      double peak = Levels.peak(x);
      assertTrue(peak < 1.0, d.name() + ": peak " + peak);
      if (d.softClipKnee() > 0) {
        assertTrue(peak > d.softClipKnee(), d.name() + ": soft clipper never engaged");
      } else {
        assertTrue(peak <= DeviceProfile.MAX_PEAK + 1e-6, d.name() + ": peak " + peak);
      }
    }
    assertEquals(0.1, DeviceProfile.softClip(0.1, 0.3), 0);
    assertTrue(DeviceProfile.softClip(5.0, 0.3) < 1.0);
    assertEquals(-DeviceProfile.softClip(0.7, 0.3), DeviceProfile.softClip(-0.7, 0.3), 0);
  }

  @Test
  void unseenDevicesHaveCurvesOfTheirOwn() {
    List<DeviceProfile> unseen = DeviceProfiles.all().stream()
        .filter(d -> d.group() == DeviceGroup.SIMULATED_UNSEEN).toList();
    assertEquals(List.of("s4", "s5", "s6"), unseen.stream().map(DeviceProfile::name).toList());
    for (DeviceProfile u : unseen) {
      for (DeviceProfile s : DeviceProfiles.all()) {
        if (s.group() == DeviceGroup.SIMULATED_UNSEEN) {
          continue;
        }
        double sum = 0;
        int count = 0;
        for (double f = 100; f < 16000; f *= Math.pow(2, 1 / 6.0)) {
          double diff = u.responseDb(f) - s.responseDb(f);
          sum += diff * diff;
          count++;
        }
        assertTrue(Math.sqrt(sum / count) > 3, u.name() + " too close to " + s.name());
      }
    }
  }

  @Test
  void recordingIsDeterministicAndNeverWritesItsInput() {
    float[] source = whiteNoise(-30, 14);
    float[] copy = source.clone();
    for (DeviceProfile d : DeviceProfiles.all()) {
      float[] x = d.record(source, FS, new SplittableRandom(5));
      float[] y = d.record(source, FS, new SplittableRandom(5));
      float[] z = d.record(source, FS, new SplittableRandom(6));
      assertArrayEquals(x, y, d.name());
      assertFalse(Arrays.equals(x, z), d.name() + ": noise ignores the stream");
    }
    assertArrayEquals(copy, source);
    assertTrue(DeviceProfiles.byName("s3").isPresent());
    assertTrue(DeviceProfiles.byName("s7").isEmpty());
  }
}
