package org.ascspark.features.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ascspark.features.RecordSeeds;
import org.junit.jupiter.api.Test;

/** Time roll and crop: exact content, bounds of the draws, padding, reproducibility. */
class TimeShiftTest {

  /** Features whose value encodes its position: c * 1e6 + b * 1e3 + t + 1 (never 0). */
  private static float[][][] indexed(int channels, int bins, int frames) {
    float[][][] f = new float[channels][bins][frames];
    for (int c = 0; c < channels; c++) {
      for (int b = 0; b < bins; b++) {
        for (int t = 0; t < frames; t++) {
          f[c][b][t] = c * 1_000_000f + b * 1000f + t + 1;
        }
      }
    }
    return f;
  }

  private static float[][][] deepCopy(float[][][] a) {
    float[][][] c = new float[a.length][][];
    for (int i = 0; i < a.length; i++) {
      c[i] = new float[a[i].length][];
      for (int j = 0; j < a[i].length; j++) {
        c[i][j] = a[i][j].clone();
      }
    }
    return c;
  }

  private static void assertSame3(float[][][] expected, float[][][] actual) {
    assertEquals(expected.length, actual.length);
    for (int c = 0; c < expected.length; c++) {
      assertEquals(expected[c].length, actual[c].length);
      for (int b = 0; b < expected[c].length; b++) {
        assertArrayEquals(expected[c][b], actual[c][b]);
      }
    }
  }

  @Test
  void rollMovesContentLaterCircularly() {
    float[][][] in = indexed(2, 3, 10);
    for (int shift : new int[] {-23, -7, -1, 0, 1, 3, 9, 10, 12}) {
      float[][][] out = TimeShift.roll(in, shift);
      for (int c = 0; c < 2; c++) {
        for (int b = 0; b < 3; b++) {
          for (int t = 0; t < 10; t++) {
            assertEquals(in[c][b][Math.floorMod(t - shift, 10)], out[c][b][t],
                "shift " + shift + " at [" + c + "][" + b + "][" + t + "]");
          }
        }
      }
      assertSame3(in, TimeShift.roll(out, -shift));
    }
    assertArrayEquals(new float[] {4, 5, 1, 2, 3},
        TimeShift.roll(new float[][][] {{{1, 2, 3, 4, 5}}}, 2)[0][0]);
  }

  @Test
  void randomRollShiftsWithinBoundsAndAsRecorded() {
    float[][][] in = indexed(1, 2, 50);
    boolean[] seen = new boolean[11];
    for (int seed = 0; seed < 400; seed++) {
      TimeShift.Shifted s = TimeShift.randomRoll(in, 5, new SplittableRandom(seed));
      assertTrue(s.shiftFrames() >= -5 && s.shiftFrames() <= 5, "shift " + s.shiftFrames());
      seen[s.shiftFrames() + 5] = true;
      assertSame3(TimeShift.roll(in, s.shiftFrames()), s.features());
    }
    for (int i = 0; i < seen.length; i++) {
      assertTrue(seen[i], "shift " + (i - 5) + " never drawn");
    }
    TimeShift.Shifted none = TimeShift.randomRoll(in, 0, new SplittableRandom(1));
    assertEquals(0, none.shiftFrames());
    assertSame3(in, none.features());
  }

  @Test
  void cropOfALongerInputIsAWindowOfIt() {
    float[][][] in = indexed(2, 4, 5);
    boolean[] starts = new boolean[3];
    for (int seed = 0; seed < 200; seed++) {
      for (TimeShift.PadMode pad : TimeShift.PadMode.values()) {
        TimeShift.Cropped cr = TimeShift.crop(in, 3, pad, RecordSeeds.rng(seed, "crop"));
        int s = cr.startFrame();
        assertTrue(s >= 0 && s <= 2, "start " + s);
        starts[s] = true;
        for (int c = 0; c < 2; c++) {
          for (int b = 0; b < 4; b++) {
            assertEquals(3, cr.features()[c][b].length);
            for (int t = 0; t < 3; t++) {
              assertEquals(in[c][b][s + t], cr.features()[c][b][t]);
            }
          }
        }
      }
    }
    for (int s = 0; s < 3; s++) {
      assertTrue(starts[s], "start " + s + " never drawn");
    }
    TimeShift.Cropped same = TimeShift.crop(in, 5, new SplittableRandom(3));
    assertEquals(0, same.startFrame());
    assertSame3(in, same.features());
  }

  @Test
  void cropOfAShorterInputPadsWithZerosOrWraps() {
    float[][][] in = indexed(1, 2, 4);
    boolean[] offsets = new boolean[4];
    for (int seed = 0; seed < 200; seed++) {
      TimeShift.Cropped z = TimeShift.crop(in, 7, TimeShift.PadMode.ZERO,
          new SplittableRandom(seed));
      int s = z.startFrame();
      assertTrue(s >= -3 && s <= 0, "start " + s);
      offsets[-s] = true;
      for (int b = 0; b < 2; b++) {
        float[] row = z.features()[0][b];
        assertEquals(7, row.length);
        for (int t = 0; t < 7; t++) {
          int src = s + t;
          assertEquals(src >= 0 && src < 4 ? in[0][b][src] : 0f, row[t]);
        }
      }
      TimeShift.Cropped w = TimeShift.crop(in, 7, new SplittableRandom(seed)); // default: wrap
      assertEquals(s, w.startFrame());
      for (int b = 0; b < 2; b++) {
        for (int t = 0; t < 7; t++) {
          assertEquals(in[0][b][Math.floorMod(s + t, 4)], w.features()[0][b][t]);
        }
      }
    }
    for (int o = 0; o < 4; o++) {
      assertTrue(offsets[o], "offset " + o + " never drawn");
    }
    // wrap pads far beyond one period too
    assertArrayEquals(new float[] {2, 3, 1, 2, 3, 1, 2, 3},
        TimeShift.cropAt(new float[][][] {{{1, 2, 3}}}, -5, 8, TimeShift.PadMode.WRAP)[0][0]);
    assertArrayEquals(new float[] {0, 0, 1, 2, 3, 0},
        TimeShift.cropAt(new float[][][] {{{1, 2, 3}}}, -2, 6, TimeShift.PadMode.ZERO)[0][0]);
  }

  @Test
  void deterministicPerSeedAndInputUnchanged() {
    float[][][] in = indexed(3, 5, 40);
    float[][][] before = deepCopy(in);
    TimeShift.Cropped a = TimeShift.crop(in, 25, RecordSeeds.rng(1, "aug/c/0"));
    TimeShift.Cropped b = TimeShift.crop(in, 25, RecordSeeds.rng(1, "aug/c/0"));
    assertEquals(a.startFrame(), b.startFrame());
    assertSame3(a.features(), b.features());
    TimeShift.Shifted r1 = TimeShift.randomRoll(in, 20, RecordSeeds.rng(1, "aug/c/0"));
    TimeShift.Shifted r2 = TimeShift.randomRoll(in, 20, RecordSeeds.rng(1, "aug/c/0"));
    assertEquals(r1.shiftFrames(), r2.shiftFrames());
    TimeShift.crop(in, 60, TimeShift.PadMode.ZERO, new SplittableRandom(2));
    TimeShift.roll(in, 7);
    assertSame3(before, in);
  }

  @Test
  void badArgumentsAreRejected() {
    float[][][] in = indexed(1, 2, 10);
    IllegalArgumentException frames = assertThrows(IllegalArgumentException.class,
        () -> TimeShift.crop(in, 0, new SplittableRandom(1)));
    assertTrue(frames.getMessage().contains("frames") && frames.getMessage().contains("0"));
    IllegalArgumentException shift = assertThrows(IllegalArgumentException.class,
        () -> TimeShift.randomRoll(in, -1, new SplittableRandom(1)));
    assertTrue(shift.getMessage().contains("max-shift-frames"));
    assertThrows(IllegalArgumentException.class,
        () -> TimeShift.crop(new float[1][2][0], 5, new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class,
        () -> TimeShift.roll(new float[][][] {{new float[3], new float[4]}}, 1));
  }
}
