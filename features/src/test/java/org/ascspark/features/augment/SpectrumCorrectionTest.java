package org.ascspark.features.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.ascspark.features.RecordSeeds;
import org.junit.jupiter.api.Test;

/**
 * Spectrum correction in augmentation mode: the output is the reference-device spectrum times
 * exactly the drawn device's response (squared for power), drawn reproducibly from one rng draw.
 */
class SpectrumCorrectionTest {

  private static final int SR = 44100;
  private static final int N_FFT = 1024;
  private static final int BINS = N_FFT / 2 + 1;

  /** Responses of b, c and s1 against a, from random pair sums (responses 1e-3..1e3). */
  private static final DeviceResponses RESPONSES = responses();

  private static DeviceResponses responses() {
    SplittableRandom r = new SplittableRandom(12);
    Map<String, DeviceResponses.PairSums> sums = new java.util.TreeMap<>();
    for (String d : List.of("b", "c", "s1")) {
      DeviceResponses.PairSums s = new DeviceResponses.PairSums(BINS);
      for (int i = 0; i < 3; i++) {
        double[] dev = new double[BINS];
        double[] ref = new double[BINS];
        for (int k = 0; k < BINS; k++) {
          dev[k] = Math.pow(10.0, -1.5 * r.nextDouble());
          ref[k] = Math.pow(10.0, -1.5 * r.nextDouble());
        }
        s.add(dev, ref);
      }
      sums.put(d, s);
    }
    return DeviceResponses.estimate(sums, "a", N_FFT, SR);
  }

  /** Positive spectrum [frames][bins] spanning 8 decades. */
  private static float[][] spectrum(int frames, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] s = new float[frames][BINS];
    for (float[] row : s) {
      for (int k = 0; k < BINS; k++) {
        row[k] = (float) Math.pow(10.0, -8.0 * r.nextDouble());
      }
    }
    return s;
  }

  @Test
  void imposesExactlyTheDrawnDevicesResponse() {
    SpectrumCorrection aug = new SpectrumCorrection(RESPONSES, List.of("b", "c", "s1"));
    float[][] in = spectrum(10, 4);
    for (int seed = 0; seed < 6; seed++) {
      for (boolean power : new boolean[] {true, false}) {
        SpectrumAugmentation.Applied out = aug.apply(in, SR, N_FFT, power,
            RecordSeeds.rng(seed, "aug/clip-" + seed + "/0"));
        String d = (String) out.params().get("device");
        double[] resp = RESPONSES.response(d);
        for (int t = 0; t < in.length; t++) {
          for (int k = 0; k < BINS; k++) {
            double expected = power ? resp[k] * resp[k] : resp[k];
            double ratio = out.spectrum()[t][k] / (double) in[t][k];
            // one float rounding of the output: 6e-8 relative
            assertEquals(expected, ratio, 1e-6 * expected, d + " frame " + t + " bin " + k);
          }
        }
      }
    }
  }

  @Test
  void drawsAreDeterministicPerSeedUniformAndUseOneDraw() {
    List<String> devices = List.of("s1", "b", "c");
    SpectrumCorrection aug = new SpectrumCorrection(RESPONSES, devices);
    float[][] in = spectrum(3, 9);
    Set<String> drawn = new HashSet<>();
    int[] counts = new int[devices.size()];
    for (int i = 0; i < 300; i++) {
      SplittableRandom rng = RecordSeeds.rng(42, "aug/clip-" + i + "/1");
      SpectrumAugmentation.Applied a = aug.apply(in, SR, N_FFT, true, rng);
      SpectrumAugmentation.Applied b = aug.apply(in, SR, N_FFT, true,
          RecordSeeds.rng(42, "aug/clip-" + i + "/1"));
      assertEquals(a.params(), b.params());
      for (int t = 0; t < in.length; t++) {
        assertArrayEquals(a.spectrum()[t], b.spectrum()[t]);
      }
      // exactly one nextInt(size): the device is devices[nextInt(3)] and the stream is left
      // where one such draw leaves it
      SplittableRandom check = RecordSeeds.rng(42, "aug/clip-" + i + "/1");
      assertEquals(devices.get(check.nextInt(devices.size())), a.params().get("device"));
      assertEquals(check.nextLong(), rng.nextLong());
      String d = (String) a.params().get("device");
      drawn.add(d);
      counts[devices.indexOf(d)]++;
    }
    assertEquals(Set.copyOf(devices), drawn);
    // 100 expected per device; binomial sd 8.2, so 60..140 holds with overwhelming probability
    for (int c : counts) {
      assertTrue(c > 60 && c < 140, Arrays.toString(counts));
    }
  }

  @Test
  void paramsNameAndInputUnchanged() {
    SpectrumAugmentation aug = new SpectrumCorrection(RESPONSES, List.of("c"));
    assertEquals("speccorr", aug.name());
    float[][] in = spectrum(4, 2);
    float[][] before = new float[in.length][];
    for (int t = 0; t < in.length; t++) {
      before[t] = in[t].clone();
    }
    SpectrumAugmentation.Applied out = aug.apply(in, SR, N_FFT, false, new SplittableRandom(1));
    assertEquals(Map.of("device", "c"), out.params());
    assertNotSame(in, out.spectrum());
    for (int t = 0; t < in.length; t++) {
      assertArrayEquals(before[t], in[t]);
      assertNotSame(in[t], out.spectrum()[t]);
    }
    assertEquals(0,
        aug.apply(new float[0][], SR, N_FFT, true, new SplittableRandom(1)).spectrum().length);
  }

  @Test
  void badDevicesAreRejectedNamingTheKey() {
    for (List<String> bad : List.of(List.<String>of(), List.of("zz"), List.of("b", "a"),
        List.of("b", "b"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new SpectrumCorrection(RESPONSES, bad));
      assertTrue(e.getMessage().startsWith("devices"), e.getMessage());
    }
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> new SpectrumCorrection(RESPONSES, List.of("zz")));
    assertEquals("devices: unknown device 'zz'; devices with responses: [b, c, s1]",
        unknown.getMessage());
    IllegalArgumentException reference = assertThrows(IllegalArgumentException.class,
        () -> new SpectrumCorrection(RESPONSES, List.of("a")));
    assertTrue(reference.getMessage().contains("reference device 'a'"), reference.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new SpectrumCorrection(RESPONSES, null));
    assertThrows(IllegalArgumentException.class, () -> new SpectrumCorrection(null, List.of("b")));
  }

  @Test
  void spectrumMustMatchTheResponsesRateAndFftLength() {
    SpectrumCorrection aug = new SpectrumCorrection(RESPONSES, List.of("b"));
    IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
        () -> aug.apply(spectrum(2, 1), 48000, N_FFT, true, new SplittableRandom(1)));
    assertTrue(rate.getMessage().contains("48000") && rate.getMessage().contains("44100"),
        rate.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> aug.apply(new float[2][257], SR, 512, true, new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class,
        () -> aug.apply(new float[2][257], SR, N_FFT, true, new SplittableRandom(1)));
  }

  @Test
  void serializedCopyGivesTheSameOutput() throws Exception {
    SpectrumCorrection aug = new SpectrumCorrection(RESPONSES, List.of("b", "s1"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(aug);
    }
    SpectrumCorrection copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (SpectrumCorrection) in.readObject();
    }
    float[][] in = spectrum(3, 5);
    SpectrumAugmentation.Applied a = aug.apply(in, SR, N_FFT, true, new SplittableRandom(77));
    SpectrumAugmentation.Applied b = copy.apply(in, SR, N_FFT, true, new SplittableRandom(77));
    assertEquals(a.params(), b.params());
    for (int t = 0; t < in.length; t++) {
      assertArrayEquals(a.spectrum()[t], b.spectrum()[t]);
    }
    assertEquals(List.of("b", "s1"), copy.devices());
  }
}
