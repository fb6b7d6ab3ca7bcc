package org.ascspark.features.spectral.gammatone;

import java.util.function.UnaryOperator;

import java.io.IOException;
import java.io.ObjectInputStream;
import org.ascspark.features.spectral.DeltaParams;
import org.ascspark.features.spectral.Deltas;
import org.ascspark.features.spectral.StackedExtractor;
import org.ascspark.features.spectral.GammatoneParams;
import org.ascspark.features.spectral.LogCompression;
import org.ascspark.features.spectral.LogParams;
import org.ascspark.features.spectral.Stft;
import org.ascspark.features.spectral.StftParams;

/**
 * Gammatone spectrogram front end (Ellis's FFT-weighting gammatonegram): STFT ({@link Stft}, power
 * or magnitude per {@link StftParams#power()}) → gammatone weights ({@link GammatoneFilterbank}) →
 * log ({@link LogCompression}) → optional deltas ({@link Deltas}).
 *
 * <p>Output [channels][bins][frames], bands ordered from low to high centre frequency: without
 * deltas [1][nBands][frames]; with deltas stacked as channels [order + 1][nBands][frames]; stacked
 * along frequency [1][(order + 1) nBands][frames], static bands first. Frame t is the STFT frame t
 * (centred on sample t hop with {@code center}).
 *
 * <p>What is compressed: band = sum_j |H_band(f_j)| S_t[j] with S the STFT magnitude (power 1;
 * Ellis's definition, up to his 1 / nFft factor) or power (power 2). The log stage is told which:
 * dB is 20 log10 for the magnitude-weighted and 10 log10 for the power-weighted bands; top-db
 * clipping is relative to the maximum of the clip's static bands.
 *
 * <p>Immutable, thread-safe and serializable: only the settings are serialized; the filterbank is
 * rebuilt (from a per-JVM cache) after deserialization.
 */
public final class GammatoneExtractor extends StackedExtractor {

  private static final long serialVersionUID = 1L;

  private final StftParams stft;
  private final GammatoneParams gammatone;
  private final LogParams log;
  private transient GammatoneFilterbank filterbank;

  /**
   * Builds and validates the front end.
   *
   * @param sampleRateHz sample rate of the input in Hz, positive
   * @param stft STFT settings (power 1: magnitude-weighted bands; power 2: power-weighted)
   * @param gammatone gammatone settings (fMaxHz at most sampleRateHz / 2)
   * @param log log compression
   * @param deltas deltas and stacking ({@link DeltaParams#NONE} for none)
   * @throws IllegalArgumentException naming the config key when a setting is invalid
   */
  public GammatoneExtractor(int sampleRateHz, StftParams stft, GammatoneParams gammatone,
      LogParams log, DeltaParams deltas) {
    super("gammatone", sampleRateHz, deltas);
    if (stft == null || gammatone == null || log == null) {
      throw new IllegalArgumentException("stft, gammatone and log settings are required");
    }
    this.stft = stft;
    this.gammatone = gammatone;
    this.log = log;
    this.filterbank = GammatoneFilterbank.of(gammatone, sampleRateHz, stft.nFft());
  }

  @Override
  protected int staticBins() {
    return gammatone.nBands();
  }

  @Override
  protected int staticFrames(int numSamples) {
    return Stft.frames(numSamples, stft);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the signal is shorter than one STFT frame ({@link
   *     Stft#minSamples}) or, with deltas, gives fewer frames than the delta width
   */
  @Override
  public float[][][] extract(float[] samples) {
    if (samples == null) {
      throw new IllegalArgumentException("samples are required");
    }
    int n = Stft.frames(samples.length, stft);
    if (n == 0) {
      throw new IllegalArgumentException("signal of " + samples.length
          + " samples is shorter than one frame: the gammatone STFT needs at least "
          + Stft.minSamples(stft) + " samples");
    }
    deltas.requireFrames(samples.length, n);
    return Deltas.stack(gammatonegram(samples), deltas);
  }

  /**
   * Static (log-compressed) gammatone spectrogram only.
   *
   * @param samples mono samples at {@link #sampleRateHz()}, not modified
   * @return bands [nBands][frames], low to high, compressed per the log settings, a new array
   * @throws IllegalArgumentException when the signal is shorter than one frame
   */
  public float[][] gammatonegram(float[] samples) {
    return gammatonegram(samples, null);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The transform is applied to {@link Stft#spectrogram} before the gammatone weighting.
   */
  @Override
  public float[][][] extract(float[] samples, UnaryOperator<float[][]> spectrumTransform) {
    if (spectrumTransform == null) {
      return extract(samples);
    }
    int n = Stft.frames(samples.length, stft);
    if (n == 0) {
      throw new IllegalArgumentException("signal of " + samples.length
          + " samples is shorter than one frame: the gammatone STFT needs at least "
          + Stft.minSamples(stft) + " samples");
    }
    deltas.requireFrames(samples.length, n);
    return Deltas.stack(gammatonegram(samples, spectrumTransform), deltas);
  }

  private float[][] gammatonegram(float[] samples, UnaryOperator<float[][]> spectrumTransform) {
    float[][] spec = Stft.spectrogram(samples, stft);
    if (spectrumTransform != null) {
      spec = spectrumTransform.apply(spec);
    }
    float[][] bands = filterbank().apply(spec);
    return LogCompression.apply(bands, log, stft.power() == 2.0);
  }

  /** @return the STFT settings */
  public StftParams stftParams() {
    return stft;
  }

  /** @return the gammatone settings */
  public GammatoneParams gammatoneParams() {
    return gammatone;
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
  public GammatoneFilterbank filterbank() {
    GammatoneFilterbank fb = filterbank;
    if (fb == null) {
      fb = GammatoneFilterbank.of(gammatone, sampleRateHz, stft.nFft());
      filterbank = fb;
    }
    return fb;
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    filterbank = GammatoneFilterbank.of(gammatone, sampleRateHz, stft.nFft());
  }
}
