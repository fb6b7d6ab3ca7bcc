package org.ascspark.training.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.deeplearning4j.util.ModelSerializer;

/**
 * What a trained model needs to be used correctly later: the classes in output order, the input
 * shape, and the features it was trained on. Written as {@code model.json} beside every saved model
 * and inside the model zip (entry {@value #ZIP_ENTRY}), so a lone zip still describes itself.
 *
 * @param model architecture name
 * @param width width multiplier
 * @param classes class names in output order
 * @param channels input channels
 * @param bins input bins
 * @param cropFrames input frames
 * @param framesPerSecond frames per second of audio of the features
 * @param featureHash hash of the feature settings the model was trained on
 * @param features the features folder it was trained on
 * @param trainHash hash of the training settings
 * @param epoch epochs trained
 * @param validationAccuracy validation accuracy after that epoch (NaN when not measured)
 */
public record ModelInfo(String model, double width, List<String> classes, int channels, int bins,
    int cropFrames, double framesPerSecond, String featureHash, String features, String trainHash,
    int epoch, double validationAccuracy) {

  /** Name of the entry inside the model zip. */
  public static final String ZIP_ENTRY = "asc-model.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** @return the JSON text */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param json text written by {@link #toJson()}
   * @return the info
   */
  public static ModelInfo fromJson(String json) {
    try {
      return JSON.readValue(json, ModelInfo.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a model description: " + e.getMessage(), e);
    }
  }

  /** @return a copy for another epoch and validation accuracy */
  public ModelInfo at(int epoch, double validationAccuracy) {
    return new ModelInfo(model, width, classes, channels, bins, cropFrames, framesPerSecond,
        featureHash, features, trainHash, epoch, validationAccuracy);
  }

  /**
   * Reads the description stored inside a model zip.
   *
   * @param zip the model file
   * @return the info
   * @throws IllegalArgumentException when the zip has none (not saved by this project)
   */
  public static ModelInfo readFrom(File zip) {
    try {
      String json = ModelSerializer.getObjectFromFile(zip, ZIP_ENTRY);
      return fromJson(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(zip + " holds no " + ZIP_ENTRY
          + " (was it saved by ./asc train?): " + e.getMessage(), e);
    }
  }

  /**
   * Refuses features made with other settings (STYLE.md rule 7).
   *
   * @param otherHash feature hash of the features to be used
   * @param where their folder, for the message
   */
  public void requireFeatures(String otherHash, String where) {
    if (!featureHash.equals(otherHash)) {
      throw new IllegalArgumentException("the model was trained on features " + featureHash
          + " but " + where + " holds features " + otherHash
          + "; compute features with the same settings (the model's training features are at "
          + features + ")");
    }
  }
}
