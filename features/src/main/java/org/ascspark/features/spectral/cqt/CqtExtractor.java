package org.ascspark.features.spectral.cqt;

import java.io.IOException;
import java.io.ObjectInputStream;
import org.ascspark.features.spectral.CqtParams;
import org.ascspark.features.spectral.DeltaParams;
import org.ascspark.features.spectral.Deltas;
import org.ascspark.features.spectral.FeatureExtractor;
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
public final class CqtExtractor implements FeatureExtractor {

  private static final long serialVersionUID = 1L;

  private final int sampleRateHz;
  private final CqtParams cqt;
  private final LogParams log;
  private final DeltaParams deltas;
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
    if (cqt == null || log == null || deltas == null) {
      throw new IllegalArgumentException("cqt, log and delta settings are required");
    }
    this.sampleRateHz = sampleRateHz;
    this.cqt = cqt;
    this.log = log;
    this.deltas = deltas;
    this.transform = ConstantQ.of(cqt, sampleRateHz);
  }

  @Override
  public String name() {
    return "cqt";
  }

  @Override
  public int sampleRateHz() {
    return sampleRateHz;
  }

  @Override
  public int channels() {
    return deltas.channels();
  }

  @Override
  public int bins() {
    return deltas.bins(cqt.nBins());
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@link ConstantQ#frames}, or 0 when that is below the delta width (with deltas).
   */
  @Override
  public int frames(int numSamples) {
    int n = transform().frames(numSamples);
    return deltas.usableFrames(n);
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
