package org.ascspark.features.spectral;

import java.io.Serializable;

/**
 * Constant-Q spectrogram settings: bins k = 0..nBins-1 at f_k = fMinHz 2^(k / binsPerOctave), each
 * analysed by a window of length Q sr / f_k with Q = filterScale / (2^(1 / binsPerOctave) - 1),
 * frames every hopSamples, magnitude (or power) per bin.
 *
 * @param binsPerOctave bins per octave, at least 1
 * @param fMinHz frequency of the lowest bin, positive
 * @param nBins number of bins, at least 1; the highest bin must stay below Nyquist (checked by the
 *     transform, which knows the sample rate)
 * @param hopSamples hop between frames, at least 1
 * @param filterScale window length scale (1.0 = standard Q)
 */
public record CqtParams(int binsPerOctave, double fMinHz, int nBins, int hopSamples, double filterScale)
    implements Serializable {

  /** Validates; messages name the config key. */
  public CqtParams {
    if (binsPerOctave < 1) {
      throw new IllegalArgumentException("bins-per-octave must be positive, got " + binsPerOctave);
    }
    if (!(fMinHz > 0)) {
      throw new IllegalArgumentException("f-min-hz must be positive, got " + fMinHz);
    }
    if (nBins < 1) {
      throw new IllegalArgumentException("n-bins must be positive, got " + nBins);
    }
    if (hopSamples < 1) {
      throw new IllegalArgumentException("hop must be positive, got " + hopSamples);
    }
    if (!(filterScale > 0)) {
      throw new IllegalArgumentException("filter-scale must be positive, got " + filterScale);
    }
  }
}
