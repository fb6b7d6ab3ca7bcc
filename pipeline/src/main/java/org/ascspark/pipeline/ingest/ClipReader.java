package org.ascspark.pipeline.ingest;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ascspark.features.audio.Resampler;
import org.ascspark.features.audio.WavAudio;
import org.ascspark.features.audio.WavDecoder;
import org.ascspark.features.audio.WavFormatException;
import org.ascspark.pipeline.dataset.ListedClip;

/**
 * Reads, decodes and validates one listed file on an executor. Every failure becomes a reject
 * reason; nothing here throws for bad input, so one bad file never fails a Spark task.
 *
 * <p>Order of checks: the file exists and is a file; its size is neither 0 nor above the limit
 * (checked from the file system, before reading, so a huge file is never loaded); it decodes
 * ({@link WavDecoder}: RIFF structure, encoding, truncation, NaN/Inf); its duration is within the
 * limit. Then channels are averaged to mono and the signal is resampled to the target rate. A read
 * error is retried ({@value #READ_ATTEMPTS} attempts) before it becomes a reject.
 */
public final class ClipReader {
  /** Attempts to read a file before a read error becomes a reject. */
  static final int READ_ATTEMPTS = 3;

  private final FileSystem fs;
  private final Path root;
  private final IngestConfig config;

  /**
   * @param fs file system of the dataset root
   * @param root dataset root
   * @param config ingest settings
   */
  public ClipReader(FileSystem fs, Path root, IngestConfig config) {
    this.fs = fs;
    this.root = root;
    this.config = config;
  }

  /**
   * @param clip a listing entry with consistent metadata
   * @return the decoded clip or a reject
   */
  public IngestOutcome read(ListedClip clip) {
    Path path = new Path(root, clip.filename());
    byte[] bytes;
    FileStatus st;
    try {
      st = fs.getFileStatus(path);
    } catch (java.io.FileNotFoundException e) {
      return reject(clip, "file not found: " + clip.filename() + " is listed in meta.csv line "
          + clip.metaLine() + " but does not exist under the dataset root");
    } catch (IOException e) {
      return reject(clip, "cannot read file: " + e);
    }
    if (st.isDirectory()) {
      return reject(clip, "is a directory, not a WAV file");
    }
    if (st.getLen() == 0) {
      return reject(clip, "empty file (0 bytes)");
    }
    if (st.getLen() > config.maxFileBytes()) {
      return reject(clip, "file too large: " + st.getLen() + " bytes exceeds ingest.max-file-mib ("
          + (config.maxFileBytes() >> 20) + " MiB)");
    }
    try {
      bytes = readWithRetries(path, (int) st.getLen());
    } catch (IOException e) {
      return reject(clip, "cannot read file after " + READ_ATTEMPTS + " attempts: " + e);
    }
    WavAudio audio;
    try {
      audio = WavDecoder.decode(bytes);
    } catch (WavFormatException e) {
      return reject(clip, e.reason());
    }
    if (audio.durationSeconds() > config.maxDurationS()) {
      return reject(clip, String.format("too long: %.1f s exceeds ingest.max-duration-s (%.1f s)",
          audio.durationSeconds(), config.maxDurationS()));
    }
    float[] mono = audio.mono();
    float[] samples = audio.sampleRateHz() == config.sampleRateHz()
        ? mono : Resampler.resample(mono, audio.sampleRateHz(), config.sampleRateHz());
    if (samples.length == 0) {
      return reject(clip, "zero samples after resampling to " + config.sampleRateHz() + " Hz");
    }
    return new IngestOutcome(clip, samples, config.sampleRateHz(), audio.sampleRateHz(),
        audio.channelCount(), audio.encoding(), null);
  }

  /** Reads a file, retrying transient I/O errors (remote file systems) with a short backoff. */
  private byte[] readWithRetries(Path path, int length) throws IOException {
    IOException last = null;
    for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
      try (InputStream in = fs.open(path)) {
        return in.readNBytes(length);
      } catch (IOException e) {
        last = e;
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    throw last;
  }

  private IngestOutcome reject(ListedClip clip, String reason) {
    return new IngestOutcome(clip, null, config.sampleRateHz(), 0, 0, "", reason);
  }
}
