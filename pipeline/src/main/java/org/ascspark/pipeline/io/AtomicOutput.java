package org.ascspark.pipeline.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ascspark.pipeline.BuildInfo;
import org.ascspark.pipeline.config.JobConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output folder that appears complete or not at all.
 *
 * <p>A job writes everything into a hidden staging folder beside the target
 * ({@code .<name>.staging-<id>}); {@link #commit} writes {@code config.conf} and
 * {@code _manifest.json} (job, config hash, code version, row counts, time) into it and then swaps
 * it in with renames (atomic on HDFS and local disks). A previous output is replaced only at that
 * moment; a failed job deletes its staging folder and leaves the previous output untouched. Readers
 * treat a folder without {@code _manifest.json} as incomplete.
 */
public final class AtomicOutput implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicOutput.class);

  /** Name of the manifest file written last. */
  public static final String MANIFEST = "_manifest.json";
  /** Name of the effective config written beside every output. */
  public static final String CONFIG = "config.conf";

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private boolean committed;

  private AtomicOutput(FileSystem fs, Path target, Path staging) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
  }

  /**
   * Creates the staging folder for an output.
   *
   * @param out the final output folder (local path or Hadoop URI)
   * @param conf Hadoop configuration
   * @return the open output
   * @throws IOException when the staging folder cannot be created
   */
  public static AtomicOutput begin(String out, Configuration conf) throws IOException {
    Path target = new Path(out);
    FileSystem fs = target.getFileSystem(conf);
    target = fs.makeQualified(target);
    Path staging = new Path(target.getParent(),
        "." + target.getName() + ".staging-" + UUID.randomUUID().toString().substring(0, 8));
    if (!fs.mkdirs(staging)) {
      throw new IOException("cannot create staging folder " + staging);
    }
    return new AtomicOutput(fs, target, staging);
  }

  /** @return the staging folder; write outputs below it */
  public Path staging() {
    return staging;
  }

  /** @return a path below the staging folder, as a string Spark's writers accept */
  public String resolve(String child) {
    return new Path(staging, child).toString();
  }

  /** @return the final output folder */
  public Path target() {
    return target;
  }

  /**
   * Writes config and manifest, then replaces the target with the staging folder.
   *
   * @param job job name
   * @param config the job's effective config
   * @param counts row counts to record (e.g. listed, clips, rejects)
   * @param extra further manifest entries
   * @throws IOException when the swap fails (the previous output is then restored if possible)
   */
  public void commit(String job, JobConfig config, Map<String, Long> counts,
      Map<String, Object> extra) throws IOException {
    writeText(CONFIG, "# effective config of " + job + ", hash " + config.hash() + "\n"
        + config.render());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job", job);
    m.put("config_hash", config.hash());
    m.put("code_version", BuildInfo.version());
    m.put("created", Instant.now().toString());
    m.put("counts", counts);
    m.putAll(extra);
    ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    writeText(MANIFEST, om.writeValueAsString(m) + "\n");

    Path old = null;
    if (fs.exists(target)) {
      old = new Path(target.getParent(), "." + target.getName() + ".replaced-"
          + UUID.randomUUID().toString().substring(0, 8));
      if (!fs.rename(target, old)) {
        throw new IOException("cannot move the previous output " + target + " aside");
      }
    }
    if (!fs.rename(staging, target)) {
      if (old != null) {
        fs.rename(old, target);
      }
      throw new IOException("cannot move " + staging + " to " + target);
    }
    committed = true;
    if (old != null) {
      fs.delete(old, true);
    }
    LOG.info("wrote {}", target);
  }

  /**
   * Writes a small UTF-8 text file into the staging folder.
   *
   * @param name file name
   * @param text content
   * @throws IOException on write failure
   */
  public void writeText(String name, String text) throws IOException {
    try (OutputStream o = fs.create(new Path(staging, name), true)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Deletes the staging folder unless the output was committed. */
  @Override
  public void close() {
    if (!committed) {
      try {
        fs.delete(staging, true);
      } catch (IOException e) {
        LOG.warn("could not delete staging folder {}: {}", staging, e.toString());
      }
    }
  }
}
