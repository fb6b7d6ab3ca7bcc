package org.ascspark.features.spectral;

/** Analysis windows. */
public enum WindowType {
  /** Hann: 0.5 - 0.5 cos(2 pi n / N). */
  HANN,
  /** Hamming: 0.54 - 0.46 cos(2 pi n / N). */
  HAMMING
}
