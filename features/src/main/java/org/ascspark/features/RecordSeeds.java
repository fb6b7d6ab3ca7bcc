package org.ascspark.features;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Derives independent random streams from a global seed and a textual record identity (STYLE.md
 * rule 8: randomness is explicit and per record), e.g. {@code source/<pair key>} in the synthetic
 * dataset or {@code aug/<clip id>/<variant>} for an augmentation. A rerun or a retried Spark task
 * gets the same stream.
 *
 * <p>Convention: {@code mix(seed, key)} hashes the UTF-8 bytes of {@code key} with 64-bit FNV-1a,
 * starting from a SplitMix64-scrambled seed, and scrambles the result once more with the SplitMix64
 * finaliser. The result depends only on (seed, key), never on thread scheduling or call order, so a
 * file generated on any thread, in any order, or twice, gets the same stream.
 */
public final class RecordSeeds {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final long FNV_PRIME = 0x100000001B3L;

  private RecordSeeds() {}

  /**
   * Mixes a global seed with a record key into a 64-bit seed.
   *
   * @param seed global seed
   * @param key record identity, e.g. {@code source/bus-lyon-4-0} or {@code device/bus-lyon-4-0-s2}
   * @return a well-scrambled 64-bit seed
   */
  public static long mix(long seed, String key) {
    Objects.requireNonNull(key, "key");
    long h = finalise(seed + GOLDEN_GAMMA);
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      h ^= b & 0xFF;
      h *= FNV_PRIME;
    }
    h ^= bytes.length;
    return finalise(h);
  }

  /**
   * A fresh random stream for a record.
   *
   * @param seed global seed
   * @param key record identity
   * @return a new generator seeded with {@link #mix(long, String)}
   */
  public static SplittableRandom rng(long seed, String key) {
    return new SplittableRandom(mix(seed, key));
  }

  /** The SplitMix64 output function (Steele, Lea and Flood 2014). */
  static long finalise(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
