package org.ascspark.pipeline.ingest;

import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@code flaky://}, where the first open of one chosen file
 * throws an unchecked exception: the Spark task reading it fails and is retried, like a task on a
 * lost executor.
 */
public class FlakyFileSystem extends RawLocalFileSystem {
  /** Name of the file whose first open fails. */
  static volatile String failName = "";
  /** Names that have failed once (in this JVM). */
  static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

  @Override
  public URI getUri() {
    return URI.create("flaky:///");
  }

  @Override
  public String getScheme() {
    return "flaky";
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    if (f.getName().equals(failName) && FAILED.add(f.getName())) {
      throw new IllegalStateException("simulated task failure reading " + f);
    }
    return super.open(f, bufferSize);
  }
}
