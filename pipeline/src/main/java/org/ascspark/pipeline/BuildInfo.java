package org.ascspark.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The code version, recorded in every output's manifest (STYLE.md rule 7). */
public final class BuildInfo {
  private static final String VERSION = load();

  private BuildInfo() {}

  /** @return the project version this code was built as, e.g. {@code 0.1.0-SNAPSHOT} */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("/asc-build.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
