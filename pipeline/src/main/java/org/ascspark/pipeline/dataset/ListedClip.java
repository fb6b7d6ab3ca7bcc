package org.ascspark.pipeline.dataset;

import java.io.Serializable;

/**
 * One file listed by a TAU-layout dataset whose metadata is consistent, ready to be decoded.
 *
 * @param clipId unique id: the file name relative to the dataset root without its extension and
 *     without a leading {@code audio/}, e.g. {@code airport-barcelona-0-0-a}
 * @param filename path relative to the dataset root, as written in meta.csv
 * @param sceneLabel scene label from meta.csv
 * @param identifier recording location identifier from meta.csv, e.g. {@code barcelona-0}
 * @param city city, the identifier without its trailing {@code -<location>}
 * @param device device (meta.csv {@code source_label}, else the file name's last {@code -} field)
 * @param split {@code train}, {@code evaluate}, {@code test} (only in the test fold file) or
 *     {@code unassigned} (in no fold file)
 * @param inTest whether the test fold file lists it
 * @param pairKey {@code <scene>-<city>-<location>-<segment>[-<second>]}: the file name stem without
 *     the device suffix; clips of different devices with the same key are time-aligned recordings
 * @param referenceFilename file name of the aligned reference-device clip with the same pair key,
 *     or null when there is none (or this clip is the reference)
 * @param metaLine 1-based line of meta.csv that lists it
 */
public record ListedClip(
    String clipId,
    String filename,
    String sceneLabel,
    String identifier,
    String city,
    String device,
    String split,
    boolean inTest,
    String pairKey,
    String referenceFilename,
    int metaLine) implements Serializable {}
