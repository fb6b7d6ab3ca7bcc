package org.ascspark.features.spectral;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Analysis windows, cached immutably.
 *
 * <p>Definitions (n = 0..length-1, D = length for a periodic window, length - 1 for a symmetric
 * one): Hann w[n] = 0.5 - 0.5 cos(2 pi n / D); Hamming w[n] = 0.54 - 0.46 cos(2 pi n / D). The
 * periodic form equals {@code scipy.signal.get_window(name, length, fftbins=True)} and torch's
 * {@code hann_window(length, periodic=True)}; the symmetric form equals {@code fftbins=False} /
 * {@code numpy.hanning}. Values are computed in double precision; the public accessors round them
 * once to float, the STFT uses the double values.
 */
public final class Windows {

  private static final Map<Key, double[]> CACHE = new ConcurrentHashMap<>();

  private Windows() {}

  /**
   * Returns a window.
   *
   * @param type window shape
   * @param length window length in samples, at least 2
   * @param periodic periodic (denominator length) or symmetric (denominator length - 1)
   * @return the window [length], a new array the caller may modify
   * @throws IllegalArgumentException if length is below 2 or type is null
   */
  public static float[] get(WindowType type, int length, boolean periodic) {
    double[] w = shared(type, length, periodic);
    float[] out = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      out[i] = (float) w[i];
    }
    return out;
  }

  /**
   * Returns the window centred in {@code nFft} samples (zeros on both sides, left padding
   * (nFft - length) / 2, as librosa's {@code pad_center} and torch.stft).
   *
   * @param type window shape
   * @param length window length in samples, 2..nFft
   * @param periodic periodic or symmetric
   * @param nFft total length in samples
   * @return the padded window [nFft], a new array
   */
  public static float[] padded(WindowType type, int length, boolean periodic, int nFft) {
    if (nFft < length) {
      throw new IllegalArgumentException(
          "n-fft (" + nFft + ") must be at least the window length (" + length + " samples)");
    }
    float[] w = get(type, length, periodic);
    float[] out = new float[nFft];
    System.arraycopy(w, 0, out, (nFft - length) / 2, length);
    return out;
  }

  /**
   * The cached double-precision instance, shared between callers: package code reads it and never
   * writes it.
   *
   * @return window [length], read-only by contract
   */
  static double[] shared(WindowType type, int length, boolean periodic) {
    if (type == null) {
      throw new IllegalArgumentException("window is required");
    }
    if (length < 2) {
      throw new IllegalArgumentException("window must be at least 2 samples, got " + length);
    }
    return CACHE.computeIfAbsent(new Key(type, length, periodic), Windows::compute);
  }

  private static double[] compute(Key k) {
    double a0;
    double a1;
    switch (k.type) {
      case HANN:
        a0 = 0.5;
        a1 = 0.5;
        break;
      case HAMMING:
        a0 = 0.54;
        a1 = 0.46;
        break;
      default:
        throw new IllegalArgumentException("unsupported window " + k.type);
    }
    double denom = k.periodic ? k.length : k.length - 1;
    double[] w = new double[k.length];
    for (int n = 0; n < k.length; n++) {
      w[n] = a0 - a1 * Math.cos(2.0 * Math.PI * n / denom);
    }
    return w;
  }

  private record Key(WindowType type, int length, boolean periodic) {}
}
