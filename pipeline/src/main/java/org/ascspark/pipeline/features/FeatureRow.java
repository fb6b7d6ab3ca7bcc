package org.ascspark.pipeline.features;

import java.io.Serializable;

/**
 * One row of the features table, as a Java bean so that Spark encodes {@code values} from a
 * {@code float[]} directly. Column names and meaning: {@link FeatureSchemas#FEATURES}.
 */
public final class FeatureRow implements Serializable {
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
  private int variant;
  private String augmentation;
  private String augParams;
  private int segment;
  private double segmentStartS;
  private String feature;
  private int channels;
  private int bins;
  private int frames;
  private float[] values;

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

  /** @return variant index: 0 = original, k = k-th augmentation chain */
  public int getVariant() {
    return variant;
  }

  /** @param v variant index: 0 = original, k = k-th augmentation chain */
  public void setVariant(int v) {
    variant = v;
  }

  /** @return augmentation chain of the variant, {@code none} for the original */
  public String getAugmentation() {
    return augmentation;
  }

  /** @param v augmentation chain of the variant, {@code none} for the original */
  public void setAugmentation(String v) {
    augmentation = v;
  }

  /** @return augmentation parameters as JSON, {@code {}} for the original */
  public String getAugParams() {
    return augParams;
  }

  /** @param v augmentation parameters as JSON, {@code {}} for the original */
  public void setAugParams(String v) {
    augParams = v;
  }

  /** @return segment index within the clip (0 without segmentation) */
  public int getSegment() {
    return segment;
  }

  /** @param v segment index within the clip (0 without segmentation) */
  public void setSegment(int v) {
    segment = v;
  }

  /** @return segment start in seconds */
  public double getSegmentStartS() {
    return segmentStartS;
  }

  /** @param v segment start in seconds */
  public void setSegmentStartS(double v) {
    segmentStartS = v;
  }

  /** @return front-end name */
  public String getFeature() {
    return feature;
  }

  /** @param v front-end name */
  public void setFeature(String v) {
    feature = v;
  }

  /** @return channels of {@link #getValues()} */
  public int getChannels() {
    return channels;
  }

  /** @param v channels of {@link #getValues()} */
  public void setChannels(int v) {
    channels = v;
  }

  /** @return frequency bins per channel */
  public int getBins() {
    return bins;
  }

  /** @param v frequency bins per channel */
  public void setBins(int v) {
    bins = v;
  }

  /** @return frames */
  public int getFrames() {
    return frames;
  }

  /** @param v frames */
  public void setFrames(int v) {
    frames = v;
  }

  /** @return features [channels][bins][frames] flattened in that (C) order */
  public float[] getValues() {
    return values;
  }

  /** @param v features [channels][bins][frames] flattened in that (C) order */
  public void setValues(float[] v) {
    values = v;
  }
}
