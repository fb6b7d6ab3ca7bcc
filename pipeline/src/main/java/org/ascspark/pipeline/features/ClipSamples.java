package org.ascspark.pipeline.features;

import java.io.Serializable;

/**
 * The columns of a {@code clips} row the feature job reads, as a Java bean so that Spark decodes
 * {@code samples} straight into a {@code float[]} (no boxing).
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

  /** Column list in the clips table's names, for {@code select}. */
  public static final String[] COLUMNS = {"clip_id AS clipId", "filename", "scene_label AS sceneLabel",
      "device", "city", "identifier", "split", "in_test AS inTest", "pair_key AS pairKey",
      "sample_rate_hz AS sampleRateHz", "samples"};

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
