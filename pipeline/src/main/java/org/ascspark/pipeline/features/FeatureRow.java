package org.ascspark.pipeline.features;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ascspark.pipeline.io.Float32Bytes;

/**
 * One row of the features table, values as floats until {@link #toRow()} encodes them. Column
 * names and meaning: {@link FeatureSchemas#FEATURES}.
 */
public final class FeatureRow extends ClipColumns {
  private static final long serialVersionUID = 1L;

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

  /** @return the row in {@link FeatureSchemas#FEATURES} order, values as little-endian float32 */
  public Row toRow() {
    return RowFactory.create(getClipId(), getFilename(), getSceneLabel(), getDevice(), getCity(),
        getIdentifier(), getSplit(), getInTest(), getPairKey(), variant, augmentation, augParams,
        segment, segmentStartS, feature, channels, bins, frames, Float32Bytes.encode(values));
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
