package org.ascspark.features.augment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * A lossy codec round trip at a bit rate drawn per record from a configured list (MP3, AAC): the
 * shared validation of the list ({@value #KEY_BITRATES}), the draw ({@code rng.nextInt(count)}, one
 * draw) and the recorded parameter ({@value #PARAM_BITRATE}); subclasses supply the round trip.
 */
public abstract class CodecRoundTrip implements WaveformAugmentation {
  private static final long serialVersionUID = 1L;

  /** Config key of the bit-rate list, named in validation errors. */
  public static final String KEY_BITRATES = "bitrates-kbps";

  /** Key of the drawn bit rate (kbit/s) in {@link Applied#params()}. */
  public static final String PARAM_BITRATE = "bitrate_kbps";

  /** Configured bit rates in kbit/s, validated, in configuration order. */
  private final int[] bitratesKbps;

  /**
   * @param bitratesKbps bit rates to draw from: non-empty, no duplicates, each legal
   * @param legal which bit rates the codec accepts
   * @param legalDescription what the codec accepts, for the message, e.g. "MP3 Layer III bit
   *     rates in kbps (8, 16, ...)"
   * @throws IllegalArgumentException naming {@value #KEY_BITRATES} and the value if invalid
   */
  protected CodecRoundTrip(List<Integer> bitratesKbps, IntPredicate legal, String legalDescription) {
    if (bitratesKbps == null || bitratesKbps.isEmpty()) {
      throw new IllegalArgumentException(
          KEY_BITRATES + " must list at least one bit rate, got " + bitratesKbps);
    }
    int[] b = new int[bitratesKbps.size()];
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < b.length; i++) {
      Integer v = bitratesKbps.get(i);
      if (v == null || !legal.test(v)) {
        throw new IllegalArgumentException(KEY_BITRATES + " must hold " + legalDescription
            + ", got " + v + " in " + bitratesKbps);
      }
      if (!seen.add(v)) {
        throw new IllegalArgumentException(
            KEY_BITRATES + " lists " + v + " twice in " + bitratesKbps);
      }
      b[i] = v;
    }
    this.bitratesKbps = b;
  }

  /** @return the configured bit rates in kbit/s, in configuration order (unmodifiable) */
  public List<Integer> bitratesKbps() {
    List<Integer> out = new ArrayList<>(bitratesKbps.length);
    for (int v : bitratesKbps) {
      out.add(v);
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Draws a bit rate ({@code rng.nextInt(count)}, one draw) and round-trips the clip.
   *
   * @param samples mono samples, full scale, not modified; may be empty
   * @param sampleRateHz their sample rate in Hz, positive
   * @param rng the record's random stream
   * @return the decoded samples, same length as {@code samples}, aligned with them, and
   *     {@code {"bitrate_kbps": b}}
   * @throws IllegalStateException if the codec fails
   */
  @Override
  public Applied apply(float[] samples, int sampleRateHz, SplittableRandom rng) {
    Objects.requireNonNull(samples, "samples");
    Objects.requireNonNull(rng, "rng");
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sampleRateHz must be positive, got " + sampleRateHz);
    }
    int kbps = bitratesKbps[rng.nextInt(bitratesKbps.length)];
    return new Applied(code(samples, sampleRateHz, kbps), Map.of(PARAM_BITRATE, kbps));
  }

  /**
   * One round trip at a given bit rate (deterministic).
   *
   * @param samples mono samples, not modified
   * @param sampleRateHz their sample rate in Hz
   * @param bitrateKbps a configured bit rate
   * @return new array of {@code samples.length} decoded samples aligned with the input
   */
  protected abstract float[] code(float[] samples, int sampleRateHz, int bitrateKbps);
}
