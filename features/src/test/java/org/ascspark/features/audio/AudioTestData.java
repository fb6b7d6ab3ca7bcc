package org.ascspark.features.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ascspark.features.testing.Json;

/**
 * Locates the shared test data and loads the reference JSON files made by make_audio_refs.py
 * (parsed by {@link Json}).
 */
final class AudioTestData {

  private AudioTestData() {}

  /**
   * The shared {@code data} folder: system property {@code asc.shared.dir} (set by surefire to
   * {@code <repo>/../shared}), else {@code ../../shared} relative to the working directory (the
   * module folder under Maven).
   *
   * @return the folder holding real/, micirp/, wav-edge-cases/, or empty when absent (a user's
   *     fresh clone has no ../shared)
   */
  static Optional<Path> sharedDataDir() {
    List<Path> candidates = new ArrayList<>();
    String prop = System.getProperty("asc.shared.dir");
    if (prop != null && !prop.isBlank()) {
      candidates.add(Paths.get(prop));
    }
    candidates.add(Paths.get("../../shared"));
    for (Path shared : candidates) {
      Path data = shared.resolve("data");
      if (Files.isDirectory(data)) {
        return Optional.of(data.toAbsolutePath().normalize());
      }
    }
    return Optional.empty();
  }

  /**
   * Reads and parses one reference file from the test classpath.
   *
   * @param name file name under {@code audio-reference/}
   * @return the parsed top-level object
   */
  static Map<String, Object> reference(String name) {
    return Json.resource(
        "/audio-reference/" + name, "run python3 tools/reference/make_audio_refs.py");
  }

  /**
   * Reads a file's bytes.
   *
   * @param p the file
   * @return its content
   */
  static byte[] readAll(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
