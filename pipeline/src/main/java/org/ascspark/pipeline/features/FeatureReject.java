package org.ascspark.pipeline.features;

import java.io.Serializable;

/**
 * A clip (or variant) that gave no features.
 *
 * @param clipId clip id
 * @param filename file name
 * @param variant variant index
 * @param reason why, e.g. shorter than one frame
 */
public record FeatureReject(String clipId, String filename, int variant, String reason)
    implements Serializable {}
