package org.ascspark.training.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Chromium for the tests that check pages in a real browser (Debian's {@code chromium}). */
public final class HeadlessChromium {
  private final String executable;
  private final Path tmp;

  private HeadlessChromium(String executable, Path tmp) {
    this.executable = executable;
    this.tmp = tmp;
  }

  /**
   * @param tmp a folder for the browser profile and its output
   * @return the browser found on PATH, or null when none is installed
   */
  public static HeadlessChromium find(Path tmp) {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (Files.isExecutable(Path.of(dir, name))) {
          return new HeadlessChromium(Path.of(dir, name).toString(), tmp);
        }
      }
    }
    return null;
  }

  /**
   * Runs the browser headless and waits for it.
   *
   * @param args e.g. {@code --dump-dom <url>}
   * @return its standard output
   * @throws IOException when it cannot run
   * @throws InterruptedException when interrupted
   */
  public String run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(executable, "--headless=new", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars",
        "--user-data-dir=" + tmp.resolve("profile")));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("stdout.txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
        .redirectError(tmp.resolve("stderr.txt").toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish in 120 s");
    assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("stderr.txt")));
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /**
   * @param img a screenshot
   * @return the share of pixels that are not the page background (white or #fafafa)
   */
  public static double nonBackground(BufferedImage img) {
    long n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        if (rgb != 0xFFFFFF && rgb != 0xFAFAFA) {
          n++;
        }
      }
    }
    return n / (double) (img.getWidth() * img.getHeight());
  }

  /**
   * @param img a screenshot
   * @param target an RGB colour
   * @return pixels within 6 levels of it in every channel
   */
  public static long pixelsOf(BufferedImage img, int target) {
    long n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        boolean close = true;
        for (int shift = 0; shift <= 16; shift += 8) {
          close &= Math.abs(((rgb >> shift) & 0xFF) - ((target >> shift) & 0xFF)) <= 6;
        }
        if (close) {
          n++;
        }
      }
    }
    return n;
  }
}
