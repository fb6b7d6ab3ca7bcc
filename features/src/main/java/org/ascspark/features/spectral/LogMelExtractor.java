package org.ascspark.features.spectral;

import java.util.function.UnaryOperator;

/**
 * Log-mel front end: STFT ({@link Stft}) → mel filterbank ({@link MelFilterbank}) → log ({@link
 * LogCompression}) → optional deltas ({@link Deltas}), fused into one pass over the frames (no
 * full-resolution spectrogram is kept: each frame's spectrum is reduced to mel bands, compressed
 * and written transposed at once).
 *
 * <p>Output [channels][bins][frames]: with deltas stacked as channels, channels = order + 1 and
 * bins = nMels; stacked along frequency, channels = 1 and bins = (order + 1) nMels (static bands
 * first); without deltas [1][nMels][frames]. Values are natural log, dB or linear per {@link
 * LogParams}; dB uses 10 log10 for a power STFT and 20 log10 for a magnitude one, and top-db
 * clipping is relative to the maximum of the clip's static log-mel.
 *
 * <p>Immutable, thread-safe and serializable; the filterbank and window are built (and validated)
 * in the constructor.
 */
public final class LogMelExtractor extends StackedExtractor {

  private static final long serialVersionUID = 1L;

  private final StftParams stft;
  private final MelParams mel;
  private final LogParams log;
  private final MelFilterbank filterbank;

  /**
   * Builds and validates the front end.
   *
   * @param sampleRateHz sample rate of the input in Hz, positive
   * @param stft STFT settings
   * @param mel mel filterbank settings (fMaxHz at most sampleRateHz / 2, no empty filters)
   * @param log log compression
   * @param deltas deltas and stacking ({@link DeltaParams#NONE} for none)
   * @throws IllegalArgumentException naming the config key when a setting is invalid
   */
  public LogMelExtractor(
      int sampleRateHz, StftParams stft, MelParams mel, LogParams log, DeltaParams deltas) {
    super("logmel", sampleRateHz, deltas);
    if (stft == null || mel == null || log == null) {
      throw new IllegalArgumentException("stft, mel and log settings are required");
    }
    this.stft = stft;
    this.mel = mel;
    this.log = log;
    this.filterbank = MelFilterbank.of(mel, sampleRateHz, stft.nFft());
    Windows.shared(stft.window(), stft.windowSamples(), stft.periodic());
  }

  @Override
  protected int staticBins() {
    return mel.nMels();
  }

  @Override
  protected int staticFrames(int numSamples) {
    return Stft.frames(numSamples, stft);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the signal is shorter than one frame ({@link
   *     Stft#minSamples}) or, with deltas, gives fewer frames than the delta width
   */
  @Override
  public float[][][] extract(float[] samples) {
    deltas.requireFrames(samples.length, Stft.frames(samples.length, stft));
    float[][] statics = logMel(samples);
    return Deltas.stackOwned(statics, statics, deltas);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Unfused path: {@link Stft#spectrogram} (rounded to float), the transform, then the mel
   * filterbank and log as in {@link #logMel}.
   */
  @Override
  public float[][][] extract(float[] samples, UnaryOperator<float[][]> spectrumTransform) {
    if (spectrumTransform == null) {
      return extract(samples);
    }
    deltas.requireFrames(samples.length, Stft.frames(samples.length, stft));
    float[][] mel = filterbank.apply(spectrumTransform.apply(Stft.spectrogram(samples, stft)));
    float[][] statics = new float[filterbank.nMels()][mel.length];
    for (int t = 0; t < mel.length; t++) {
      for (int m = 0; m < statics.length; m++) {
        statics[m][t] = mel[t][m];
      }
    }
    statics = LogCompression.apply(statics, log, stft.power() == 2.0);
    return Deltas.stackOwned(statics, statics, deltas);
  }

  /**
   * Static log-mel only.
   *
   * @param samples mono samples at {@link #sampleRateHz()}, not modified
   * @return log-mel [nMels][frames], a new array
   * @throws IllegalArgumentException when the signal is shorter than one frame
   */
  public float[][] logMel(float[] samples) {
    Stft.Framer framer = new Stft.Framer(samples, stft);
    int frames = framer.frames();
    int nMels = filterbank.nMels();
    float[][] out = new float[nMels][frames];
    double[] spectrum = new double[stft.bins()];
    double mult = LogCompression.dbMultiplier(stft.power() == 2.0);
    for (int t = 0; t < frames; t++) {
      framer.spectrum(t, spectrum);
      for (int m = 0; m < nMels; m++) {
        out[m][t] = LogCompression.scalar(filterbank.band(spectrum, m), log, mult);
      }
    }
    if (log.kind() == LogParams.Kind.DB && log.topDb() > 0) {
      LogCompression.clipTopDb(out, log.topDb());
    }
    return out;
  }

  /** @return the STFT settings */
  public StftParams stftParams() {
    return stft;
  }

  /** @return the mel settings */
  public MelParams melParams() {
    return mel;
  }

  /** @return the log settings */
  public LogParams logParams() {
    return log;
  }

  /** @return the delta settings */
  public DeltaParams deltaParams() {
    return deltas;
  }

  /** @return the (shared, immutable) filterbank */
  public MelFilterbank filterbank() {
    return filterbank;
  }
}
