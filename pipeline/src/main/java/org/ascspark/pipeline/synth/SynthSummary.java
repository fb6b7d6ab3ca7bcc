package org.ascspark.pipeline.synth;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link SynthDataset#write} produced.
 *
 * @param segments number of segments (distinct pairing keys)
 * @param files number of WAV files
 * @param audioBytes total size of the WAV files in bytes
 * @param audioSeconds total duration of the WAV files in seconds
 * @param filesByFoldAndDevice file counts: fold ({@code train}, {@code evaluate}) to device label
 *     to count, both sorted
 * @param elapsedMillis wall-clock generation time in milliseconds (the only non-deterministic
 *     field)
 */
public record SynthSummary(
    int segments, int files, long audioBytes, double audioSeconds,
    Map<String, Map<String, Integer>> filesByFoldAndDevice, long elapsedMillis) {

  /** Copies the counts into sorted, unmodifiable maps. */
  public SynthSummary {
    Map<String, Map<String, Integer>> copy = new TreeMap<>();
    filesByFoldAndDevice.forEach(
        (k, v) -> copy.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
    filesByFoldAndDevice = Collections.unmodifiableMap(copy);
  }

  /**
   * @param fold fold name
   * @return number of files in the fold
   */
  public int files(String fold) {
    return filesByFoldAndDevice.getOrDefault(fold, Map.of()).values().stream()
        .mapToInt(Integer::intValue).sum();
  }

  /**
   * @param fold fold name
   * @param device device label
   * @return number of files of the device in the fold
   */
  public int files(String fold, String device) {
    return filesByFoldAndDevice.getOrDefault(fold, Map.of()).getOrDefault(device, 0);
  }
}
