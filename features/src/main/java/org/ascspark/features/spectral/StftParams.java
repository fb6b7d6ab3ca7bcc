package org.ascspark.features.spectral;

import java.io.Serializable;

/**
 * Short-time Fourier transform settings, all in samples.
 *
 * <p>Conventions: a periodic window of length N uses denominator N in its cosine (as
 * {@code scipy.signal.get_window(..., fftbins=True)}, torch's default), a symmetric one N - 1. The
 * window is zero-padded centrally to {@code nFft}. With {@code center}, the signal is padded by
 * {@code nFft / 2} on both sides ({@code padMode}) so frame t is centred on sample t * hop
 * (librosa/torchaudio); without, frame t starts at sample t * hop and only full frames are taken.
 * Pre-emphasis y[n] = x[n] - c x[n-1], y[0] = x[0], is applied before framing when c > 0.
 *
 * @param window window shape
 * @param periodic periodic (true) or symmetric (false) window
 * @param windowSamples window length, 2..nFft
 * @param hopSamples hop between frames, at least 1
 * @param nFft FFT length, at least the window length
 * @param center pad so that frames are centred on multiples of the hop
 * @param padMode padding used when centring
 * @param preEmphasis pre-emphasis coefficient in [0, 1), 0 = off
 * @param power spectrum exponent: 2 for power, 1 for magnitude
 */
public record StftParams(
    WindowType window,
    boolean periodic,
    int windowSamples,
    int hopSamples,
    int nFft,
    boolean center,
    PadMode padMode,
    double preEmphasis,
    double power) implements Serializable {

  /** Padding when centring frames. */
  public enum PadMode {
    /** Zeros. */
    CONSTANT,
    /** Mirror without repeating the edge sample (numpy/librosa 'reflect'). */
    REFLECT
  }

  /** Validates; messages name the config key. */
  public StftParams {
    if (window == null || padMode == null) {
      throw new IllegalArgumentException("window and pad-mode are required");
    }
    if (hopSamples < 1) {
      throw new IllegalArgumentException("hop must be positive, got " + hopSamples + " samples");
    }
    if (windowSamples < 2) {
      throw new IllegalArgumentException("window must be at least 2 samples, got " + windowSamples);
    }
    if (nFft < windowSamples) {
      throw new IllegalArgumentException(
          "n-fft (" + nFft + ") must be at least the window length (" + windowSamples + " samples)");
    }
    if (!(preEmphasis >= 0 && preEmphasis < 1)) {
      throw new IllegalArgumentException("pre-emphasis must be in [0, 1), got " + preEmphasis);
    }
    if (!(power == 1.0 || power == 2.0)) {
      throw new IllegalArgumentException("power must be 1 (magnitude) or 2 (power), got " + power);
    }
  }

  /** @return number of frequency bins, nFft / 2 + 1 */
  public int bins() {
    return nFft / 2 + 1;
  }
}
