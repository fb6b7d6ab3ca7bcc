package org.ascspark.features.spectral;

import java.io.Serializable;

/**
 * Gammatone spectrogram settings (FFT-weighting approximation of Ellis's gammatonegram: the STFT
 * power spectrum weighted by the magnitude responses of 4th-order gammatone filters whose centre
 * frequencies are equally spaced on the ERB-rate scale between fMinHz and fMaxHz).
 *
 * @param nBands number of filters, at least 1
 * @param fMinHz lowest centre frequency, positive
 * @param fMaxHz highest centre frequency, above fMinHz and at most Nyquist
 * @param width bandwidth multiplier of the ERB (1.0 = standard)
 */
public record GammatoneParams(int nBands, double fMinHz, double fMaxHz, double width)
    implements Serializable {

  /** Validates; messages name the config key. */
  public GammatoneParams {
    if (nBands < 1) {
      throw new IllegalArgumentException("n-bands must be positive, got " + nBands);
    }
    if (!(fMinHz > 0)) {
      throw new IllegalArgumentException("f-min-hz must be positive, got " + fMinHz);
    }
    if (!(fMaxHz > fMinHz)) {
      throw new IllegalArgumentException(
          "f-max-hz (" + fMaxHz + ") must be above f-min-hz (" + fMinHz + ")");
    }
    if (!(width > 0)) {
      throw new IllegalArgumentException("width must be positive, got " + width);
    }
  }
}
