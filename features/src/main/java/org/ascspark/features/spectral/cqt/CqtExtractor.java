package org.ascspark.features.spectral.cqt;

import java.io.IOException;
import java.io.ObjectInputStream;
import org.ascspark.features.spectral.CqtParams;
import org.ascspark.features.spectral.DeltaParams;
import org.ascspark.features.spectral.Deltas;
import org.ascspark.features.spectral.StackedExtractor;
import org.ascspark.features.spectral.LogCompression;
import org.ascspark.features.spectral.LogParams;

/**
 * Constant-Q spectrogram front end: constant-Q magnitudes ({@link ConstantQ}) → log ({@link
 * LogCompression}, as a magnitude spectrogram: dB is 20 log10) → optional deltas ({@link Deltas}).
 *
 * <p>Output [channels][bins][frames], bins ordered from low to high frequency: without deltas
 * [1][nBins][frames]; with deltas stacked as channels [order + 1][nBins][frames]; stacked along
 * frequency [1][(order + 1) nBins][frames], static bins first. Frame t is centred on sample t hop
 * (zero padding outside the signal); top-db clipping is relative to the maximum of the clip's
 * static bins.
 *
 * <p>Immutable, thread-safe and serializable: only the settings are serialized; the kernels are
 * rebuilt (from a per-JVM cache) after deserialization.
 */
public final class CqtExtractor extends StackedExtractor {

  private static final long serialVersionUID = 1L;

  private final CqtParams cqt;
  private final LogParams log;
  private transient ConstantQ transform;

  /**
   * Builds and validates the front end (the kernels are computed here).
   *
   * @param sampleRateHz sample rate of the input in Hz, positive
   * @param cqt constant-Q settings (highest bin below sampleRateHz / 2)
   * @param log log compression
   * @param deltas deltas and stacking ({@link DeltaParams#NONE} for none)
   * @throws IllegalArgumentException naming the config key when a setting is invalid
   */
  public CqtExtractor(int sampleRateHz, CqtParams cqt, LogParams log, DeltaParams deltas) {
    super("cqt", sampleRateHz, deltas);
    if (cqt == null || log == null) {
      throw new IllegalArgumentException("cqt and log settings are required");
    }
    this.cqt = cqt;
    this.log = log;
    this.transform = ConstantQ.of(cqt, sampleRateHz);
  }

  @Override
  protected int staticBins() {
    return cqt.nBins();
  }

  @Override
  protected int staticFrames(int numSamples) {
    return transform().frames(numSamples);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the signal is shorter than the highest bin's window
   *     ({@link ConstantQ#minSamples}) or, with deltas, gives fewer frames than the delta width
   */
  @Override
  public float[][][] extract(float[] samples) {
    if (samples == null) {
      throw new IllegalArgumentException("samples are required");
    }
    int n = transform().frames(samples.length);
    deltas.requireFrames(samples.length, n);
    return Deltas.stack(constantQGram(samples), deltas);
  }

  /**
   * Static (log-compressed) constant-Q spectrogram only.
   *
   * @param samples mono samples at {@link #sampleRateHz()}, not modified
   * @return [nBins][frames], low to high, compressed per the log settings (magnitude input)
   * @throws IllegalArgumentException when the signal is shorter than one frame
   */
  public float[][] constantQGram(float[] samples) {
    return LogCompression.apply(transform().magnitude(samples), log, false);
  }

  /** @return the constant-Q settings */
  public CqtParams cqtParams() {
    return cqt;
  }

  /** @return the log settings */
  public LogParams logParams() {
    return log;
  }

  /** @return the delta settings */
  public DeltaParams deltaParams() {
    return deltas;
  }

  /** @return the (shared, immutable) transform */
  public ConstantQ transform() {
    ConstantQ t = transform;
    if (t == null) {
      t = ConstantQ.of(cqt, sampleRateHz);
      transform = t;
    }
    return t;
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    transform = ConstantQ.of(cqt, sampleRateHz);
  }
}
