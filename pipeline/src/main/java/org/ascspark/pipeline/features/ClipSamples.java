package org.ascspark.pipeline.features;

import org.apache.spark.sql.catalyst.InternalRow;
import org.ascspark.pipeline.io.Float32Bytes;

/**
 * The columns of a {@code clips} row the feature job reads.
 */
public final class ClipSamples extends ClipColumns {
  private static final long serialVersionUID = 1L;

  private int sampleRateHz;
  private float[] samples;

  /** Columns of the clips table read, in the order {@link #fromInternal} expects. */
  public static final String[] COLUMNS = {"clip_id", "filename", "scene_label", "device", "city",
      "identifier", "split", "in_test", "pair_key", "sample_rate_hz", "samples"};

  /**
   * Reads a row of {@code select(COLUMNS)} in Spark's internal form: the samples are one copy
   * of the binary column, where the bean encoder costs several times the Parquet decoding itself.
   *
   * @param r the internal row
   * @return the clip
   */
  public static ClipSamples fromInternal(InternalRow r) {
    ClipSamples c = new ClipSamples();
    c.setClipId(r.getUTF8String(0).toString());
    c.setFilename(r.getUTF8String(1).toString());
    c.setSceneLabel(r.getUTF8String(2).toString());
    c.setDevice(r.getUTF8String(3).toString());
    c.setCity(r.getUTF8String(4).toString());
    c.setIdentifier(r.getUTF8String(5).toString());
    c.setSplit(r.getUTF8String(6).toString());
    c.setInTest(r.getBoolean(7));
    c.setPairKey(r.getUTF8String(8).toString());
    c.sampleRateHz = r.getInt(9);
    c.samples = Float32Bytes.decode(r, 10, "clips.samples");
    return c;
  }

  /** @return sample rate of {@link #getSamples()} */
  public int getSampleRateHz() {
    return sampleRateHz;
  }

  /** @param v sample rate */
  public void setSampleRateHz(int v) {
    sampleRateHz = v;
  }

  /** @return mono samples (not copied: callers must not modify) */
  public float[] getSamples() {
    return samples;
  }

  /** @param v samples */
  public void setSamples(float[] v) {
    samples = v;
  }
}
