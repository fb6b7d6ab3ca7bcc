package org.ascspark.features.synth;

/**
 * The role of a recording device in the TAU Urban Acoustic Scenes 2020 Mobile design: real devices
 * (A, B, C), simulated devices seen in training (S1-S3), and simulated devices that appear only in
 * the evaluation fold (S4-S6). In this synthesiser all devices are simulated; the group names keep
 * TAU's roles so that device-group summaries read the same.
 */
public enum DeviceGroup {
  /** Real devices in TAU: a (the reference), b, c. */
  REAL,
  /** Simulated devices present in the training fold: s1-s3. */
  SIMULATED_SEEN,
  /** Simulated devices present only in the evaluate fold: s4-s6. */
  SIMULATED_UNSEEN
}
