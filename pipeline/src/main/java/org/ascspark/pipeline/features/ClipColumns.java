package org.ascspark.pipeline.features;

import java.io.Serializable;

/**
 * The columns that describe a clip, shared by the clips the feature job reads ({@link ClipSamples})
 * and the feature rows it writes ({@link FeatureRow}).
 */
public abstract class ClipColumns implements Serializable {
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

  /**
   * Copies the clip columns of another row.
   *
   * @param other the row to copy from
   */
  public void copyClipColumns(ClipColumns other) {
    clipId = other.clipId;
    filename = other.filename;
    sceneLabel = other.sceneLabel;
    device = other.device;
    city = other.city;
    identifier = other.identifier;
    split = other.split;
    inTest = other.inTest;
    pairKey = other.pairKey;
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

  /** @param v file name relative to the dataset root */
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

  /** @param v location identifier */
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

  /** @return whether the test fold lists the clip */
  public boolean getInTest() {
    return inTest;
  }

  /** @param v whether the test fold lists the clip */
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
}
