package org.ascspark.pipeline.features;

import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The columns of a {@code clips} row the feature job reads.
 */
public final class ClipSamples implements Serializable {
  private static final long serialVersionUID = 1L;

  private String clipId;
  private String filename;
  private String sceneLabel;
  private String device;
  private String city;
  private String identifier;
  private String split;
  private boolean inTest;
  private String pairKey;
  private int sampleRateHz;
  private float[] samples;

  /** Columns of the clips table read, in the order {@link #fromInternal} expects. */
  public static final String[] COLUMNS = {"clip_id", "filename", "scene_label", "device", "city",
      "identifier", "split", "in_test", "pair_key", "sample_rate_hz", "samples"};

  /**
   * Reads a row of {@code select(COLUMNS)} in Spark's internal form: the samples are one array
   * copy, where the bean encoder costs several times the Parquet decoding itself.
   *
   * @param r the internal row
   * @return the clip
   */
  public static ClipSamples fromInternal(InternalRow r) {
    ClipSamples c = new ClipSamples();
    c.clipId = r.getUTF8String(0).toString();
    c.filename = r.getUTF8String(1).toString();
    c.sceneLabel = r.getUTF8String(2).toString();
    c.device = r.getUTF8String(3).toString();
    c.city = r.getUTF8String(4).toString();
    c.identifier = r.getUTF8String(5).toString();
    c.split = r.getUTF8String(6).toString();
    c.inTest = r.getBoolean(7);
    c.pairKey = r.getUTF8String(8).toString();
    c.sampleRateHz = r.getInt(9);
    c.samples = r.getArray(10).toFloatArray();
    return c;
  }

  /** @return clip id */
  public String getClipId() {
    return clipId;
  }

  /** @param v clip id */
  public void setClipId(String v) {
    clipId = v;
  }

  /** @return file name relative to the dataset root */
  public String getFilename() {
    return filename;
  }

  /** @param v file name */
  public void setFilename(String v) {
    filename = v;
  }

  /** @return scene label */
  public String getSceneLabel() {
    return sceneLabel;
  }

  /** @param v scene label */
  public void setSceneLabel(String v) {
    sceneLabel = v;
  }

  /** @return device */
  public String getDevice() {
    return device;
  }

  /** @param v device */
  public void setDevice(String v) {
    device = v;
  }

  /** @return city */
  public String getCity() {
    return city;
  }

  /** @param v city */
  public void setCity(String v) {
    city = v;
  }

  /** @return location identifier */
  public String getIdentifier() {
    return identifier;
  }

  /** @param v identifier */
  public void setIdentifier(String v) {
    identifier = v;
  }

  /** @return split */
  public String getSplit() {
    return split;
  }

  /** @param v split */
  public void setSplit(String v) {
    split = v;
  }

  /** @return whether the test fold lists it */
  public boolean getInTest() {
    return inTest;
  }

  /** @param v in test fold */
  public void setInTest(boolean v) {
    inTest = v;
  }

  /** @return pairing key */
  public String getPairKey() {
    return pairKey;
  }

  /** @param v pairing key */
  public void setPairKey(String v) {
    pairKey = v;
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
