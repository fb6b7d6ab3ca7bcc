package org.ascspark.features.spectral;

import java.io.Serializable;

/**
 * Mel filterbank settings.
 *
 * <p>Scales: HTK mel = 2595 log10(1 + f / 700); Slaney mel is linear below 1 kHz (3 mels per
 * 200 Hz) and logarithmic above (27 mels per factor 6.4), as librosa's {@code htk=False}. Filters
 * are triangles between consecutive points equally spaced in mel from fMinHz to fMaxHz, evaluated
 * at the FFT bin frequencies k * sr / nFft. Slaney normalisation divides each triangle by half its
 * width in Hz (equal area), as librosa's {@code norm='slaney'}; NONE leaves peaks at 1.
 *
 * @param nMels number of filters, at least 1
 * @param fMinHz lowest edge, at least 0
 * @param fMaxHz highest edge, above fMinHz and at most the Nyquist frequency (checked by the
 *     filterbank, which knows the sample rate)
 * @param scale mel scale
 * @param norm filter normalisation
 */
public record MelParams(int nMels, double fMinHz, double fMaxHz, Scale scale, Norm norm)
    implements Serializable {

  /** Mel scale formula. */
  public enum Scale { HTK, SLANEY }

  /** Filter normalisation. */
  public enum Norm { NONE, SLANEY }

  /** Validates; messages name the config key. */
  public MelParams {
    if (scale == null || norm == null) {
      throw new IllegalArgumentException("scale and norm are required");
    }
    if (nMels < 1) {
      throw new IllegalArgumentException("n-mels must be positive, got " + nMels);
    }
    if (!(fMinHz >= 0)) {
      throw new IllegalArgumentException("f-min-hz must be >= 0, got " + fMinHz);
    }
    if (!(fMaxHz > fMinHz)) {
      throw new IllegalArgumentException(
          "f-max-hz (" + fMaxHz + ") must be above f-min-hz (" + fMinHz + ")");
    }
  }
}
