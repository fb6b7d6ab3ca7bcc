package org.ascspark.features.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ascspark.features.RecordSeeds;
import org.junit.jupiter.api.Test;

/** SpecAugment masks: within bounds, as drawn, identical across channels, reproducible. */
class SpecAugmentTest {

  /** Features [channels][bins][frames] with values in [1, 2), so a 0 can only come from a mask. */
  private static float[][][] features(int channels, int bins, int frames, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][][] f = new float[channels][bins][frames];
    for (float[][] ch : f) {
      for (float[] row : ch) {
        for (int t = 0; t < frames; t++) {
          row[t] = 1f + (float) r.nextDouble();
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
        assertArrayEquals(expected[c][b], actual[c][b], "channel " + c + " bin " + b);
      }
    }
  }

  @Test
  void masksStayWithinBoundsAndWidthsWithinMax() {
    int[][] shapes = {{40, 100}, {128, 431}, {10, 5}, {1, 1}, {3, 0}};
    SpecAugment[] configs = {
      new SpecAugment(2, 128, 2, 32, SpecAugment.MaskValue.ZERO), // valeo system 1
      new SpecAugment(2, 20, 2, 16, SpecAugment.MaskValue.ZERO),
      new SpecAugment(5, 3, 4, 1, SpecAugment.MaskValue.MEAN),
    };
    for (SpecAugment sa : configs) {
      for (int[] shape : shapes) {
        int bins = shape[0];
        int frames = shape[1];
        for (int seed = 0; seed < 200; seed++) {
          SpecAugment.Masks m = sa.draw(bins, frames, new SplittableRandom(seed));
          assertEquals(sa.numTimeMasks(), m.time().size());
          assertEquals(sa.numFreqMasks(), m.freq().size());
          for (SpecAugment.Mask t : m.time()) {
            assertTrue(t.start() >= 0 && t.end() <= frames, () -> t + " outside " + frames);
            assertTrue(t.width() <= sa.maxTimeWidth(), () -> t + " wider than max");
          }
          for (SpecAugment.Mask f : m.freq()) {
            assertTrue(f.start() >= 0 && f.end() <= bins, () -> f + " outside " + bins);
            assertTrue(f.width() <= sa.maxFreqWidth(), () -> f + " wider than max");
          }
        }
      }
    }
  }

  @Test
  void widthsAndStartsCoverTheirWholeRanges() {
    // width uniform on {0..3}, start uniform on {0..10 - w}: 4000 draws see every value
    SpecAugment sa = new SpecAugment(1, 3, 1, 3, SpecAugment.MaskValue.ZERO);
    boolean[] widths = new boolean[4];
    boolean[] starts = new boolean[11];
    boolean sawLastStart = false;
    SplittableRandom rng = new SplittableRandom(17);
    for (int i = 0; i < 2000; i++) {
      SpecAugment.Masks m = sa.draw(10, 10, rng);
      for (SpecAugment.Mask mask : new SpecAugment.Mask[] {m.time().get(0), m.freq().get(0)}) {
        widths[mask.width()] = true;
        starts[mask.start()] = true;
        sawLastStart |= mask.width() == 3 && mask.start() == 7;
      }
    }
    for (int w = 0; w <= 3; w++) {
      assertTrue(widths[w], "width " + w + " never drawn");
    }
    for (int s = 0; s <= 10; s++) {
      assertTrue(starts[s], "start " + s + " never drawn");
    }
    assertTrue(sawLastStart, "a widest mask never touched the end");
    // a maximum wider than the axis is limited to the axis: whole-axis masks happen
    SpecAugment wide = new SpecAugment(1, 50, 0, 0, SpecAugment.MaskValue.ZERO);
    boolean sawFull = false;
    for (int i = 0; i < 500 && !sawFull; i++) {
      SpecAugment.Mask t = wide.draw(4, 6, rng).time().get(0);
      assertTrue(t.end() <= 6);
      sawFull = t.width() == 6;
    }
    assertTrue(sawFull);
  }

  @Test
  void maskedCellsAreExactlyTheUnionOfTheDrawnMasksOnEveryChannel() {
    SpecAugment sa = new SpecAugment(2, 30, 2, 12, SpecAugment.MaskValue.ZERO);
    float[][][] in = features(3, 40, 120, 5);
    for (int seed = 0; seed < 30; seed++) {
      SpecAugment.Applied out = sa.applyWithMasks(in, RecordSeeds.rng(seed, "aug/clip/0"));
      boolean[] maskedFrames = new boolean[120];
      boolean[] maskedBins = new boolean[40];
      for (SpecAugment.Mask m : out.masks().time()) {
        for (int t = m.start(); t < m.end(); t++) {
          maskedFrames[t] = true;
        }
      }
      for (SpecAugment.Mask m : out.masks().freq()) {
        for (int b = m.start(); b < m.end(); b++) {
          maskedBins[b] = true;
        }
      }
      assertArrayEquals(maskedFrames, out.masks().maskedFrames(120));
      assertArrayEquals(maskedBins, out.masks().maskedBins(40));
      int expectedZeros = 0;
      for (int b = 0; b < 40; b++) {
        for (int t = 0; t < 120; t++) {
          expectedZeros += maskedBins[b] || maskedFrames[t] ? 1 : 0;
        }
      }
      for (int c = 0; c < 3; c++) {
        int zeros = 0;
        for (int b = 0; b < 40; b++) {
          for (int t = 0; t < 120; t++) {
            float v = out.features()[c][b][t];
            if (maskedBins[b] || maskedFrames[t]) {
              assertEquals(0f, v);
              zeros++;
            } else {
              assertEquals(in[c][b][t], v);
            }
          }
        }
        assertEquals(expectedZeros, zeros, "channel " + c);
      }
    }
  }

  @Test
  void meanMaskValueIsTheChannelMeanOfTheInput() {
    SpecAugment sa = new SpecAugment(1, 10, 1, 5, SpecAugment.MaskValue.MEAN);
    float[][][] in = features(2, 16, 50, 9);
    for (int b = 0; b < 16; b++) {
      for (int t = 0; t < 50; t++) {
        in[1][b][t] += 10f; // channel 1 has a different mean
      }
    }
    SpecAugment.Applied out = sa.applyWithMasks(in, new SplittableRandom(3));
    // make sure something is masked for this seed
    assertTrue(out.masks().time().get(0).width() + out.masks().freq().get(0).width() > 0);
    boolean[] frames = out.masks().maskedFrames(50);
    boolean[] bins = out.masks().maskedBins(16);
    for (int c = 0; c < 2; c++) {
      double sum = 0;
      for (int b = 0; b < 16; b++) {
        for (int t = 0; t < 50; t++) {
          sum += in[c][b][t];
        }
      }
      float mean = (float) (sum / (16 * 50));
      for (int b = 0; b < 16; b++) {
        for (int t = 0; t < 50; t++) {
          float expected = bins[b] || frames[t] ? mean : in[c][b][t];
          assertEquals(expected, out.features()[c][b][t]);
        }
      }
    }
  }

  @Test
  void noMasksIsTheIdentity() {
    float[][][] in = features(2, 20, 30, 1);
    SpecAugment[] neutral = {
      new SpecAugment(0, 128, 0, 32, SpecAugment.MaskValue.ZERO),
      new SpecAugment(2, 0, 2, 0, SpecAugment.MaskValue.MEAN),
    };
    for (SpecAugment sa : neutral) {
      float[][][] out = sa.apply(in, new SplittableRandom(8));
      assertNotSame(in, out);
      assertNotSame(in[0][0], out[0][0]);
      assertSame3(in, out);
    }
  }

  @Test
  void deterministicPerSeedAndApplyMatchesApplyWithMasks() {
    SpecAugment sa = new SpecAugment(2, 40, 2, 10, SpecAugment.MaskValue.ZERO);
    float[][][] in = features(1, 64, 200, 2);
    float[][][] a = sa.apply(in, RecordSeeds.rng(1, "aug/x/0"));
    SpecAugment.Applied b = sa.applyWithMasks(in, RecordSeeds.rng(1, "aug/x/0"));
    assertSame3(a, b.features());
    SpecAugment.Applied c = sa.applyWithMasks(in, RecordSeeds.rng(1, "aug/x/0"));
    assertEquals(b.masks(), c.masks());
    SpecAugment.Applied d = sa.applyWithMasks(in, RecordSeeds.rng(1, "aug/x/1"));
    assertNotEquals(b.masks(), d.masks());
    // masks re-applied with mask() give the same features
    assertSame3(b.features(), sa.mask(in, b.masks()));
  }

  @Test
  void inputIsNotModified() {
    float[][][] in = features(3, 30, 60, 4);
    float[][][] before = deepCopy(in);
    new SpecAugment(3, 30, 3, 15, SpecAugment.MaskValue.ZERO).apply(in, new SplittableRandom(1));
    new SpecAugment(3, 30, 3, 15, SpecAugment.MaskValue.MEAN).apply(in, new SplittableRandom(1));
    assertSame3(before, in);
  }

  @Test
  void badSettingsAndShapesAreRejected() {
    String[] keys = {"time-masks", "max-time-width", "freq-masks", "max-freq-width"};
    for (int i = 0; i < 4; i++) {
      int[] v = {2, 10, 2, 10};
      v[i] = -1;
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new SpecAugment(v[0], v[1], v[2], v[3], SpecAugment.MaskValue.ZERO));
      assertTrue(e.getMessage().contains(keys[i]) && e.getMessage().contains("-1"),
          e.getMessage());
    }
    IllegalArgumentException mv = assertThrows(IllegalArgumentException.class,
        () -> new SpecAugment(1, 1, 1, 1, null));
    assertTrue(mv.getMessage().contains("mask-value"));
    SpecAugment sa = new SpecAugment(1, 1, 1, 1, SpecAugment.MaskValue.ZERO);
    float[][][] ragged = {{new float[5], new float[4]}};
    assertThrows(IllegalArgumentException.class, () -> sa.apply(ragged, new SplittableRandom(1)));
    float[][][] channels = {{new float[5]}, {new float[5], new float[5]}};
    assertThrows(IllegalArgumentException.class,
        () -> sa.apply(channels, new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class,
        () -> sa.apply(new float[0][][], new SplittableRandom(1)));
  }
}
