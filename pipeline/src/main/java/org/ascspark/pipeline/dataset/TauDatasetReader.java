package org.ascspark.pipeline.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the metadata of a TAU-layout dataset through Hadoop's FileSystem, so the root may be a
 * local folder, {@code hdfs://} or {@code s3a://}. Parsing is {@link TauMetadata}'s.
 */
public final class TauDatasetReader {
  private static final Logger LOG = LoggerFactory.getLogger(TauDatasetReader.class);

  /** CSV files larger than this are refused: TAU's meta.csv is about 2 MB. */
  static final long MAX_CSV_BYTES = 256L << 20;

  private TauDatasetReader() {}

  /**
   * @param root dataset root
   * @param fold fold number N of {@code evaluation_setup/foldN_*.csv}
   * @param referenceDevice device that the others are aligned to
   * @param hadoopConf Hadoop configuration (from the Spark session)
   * @return the listing
   * @throws DatasetLayoutException when meta.csv or the train/evaluate fold files are missing or
   *     unreadable
   */
  public static TauMetadata.Listing read(
      String root, int fold, String referenceDevice, Configuration hadoopConf) {
    Path rootPath = new Path(root);
    FileSystem fs;
    try {
      fs = rootPath.getFileSystem(hadoopConf);
      if (!fs.exists(rootPath)) {
        throw new DatasetLayoutException("dataset root " + root + " does not exist");
      }
    } catch (IOException e) {
      throw new DatasetLayoutException("cannot open dataset root " + root + ": " + e.getMessage());
    }
    TauMetadata.CsvText meta = readCsv(fs, rootPath, "meta.csv", true);
    String prefix = "evaluation_setup/fold" + fold + "_";
    TauMetadata.CsvText train = readCsv(fs, rootPath, prefix + "train.csv", true);
    TauMetadata.CsvText evaluate = readCsv(fs, rootPath, prefix + "evaluate.csv", true);
    TauMetadata.CsvText test = readCsv(fs, rootPath, prefix + "test.csv", false);
    if (test == null) {
      LOG.warn("{} has no {}test.csv: no clip is marked as test", root, prefix);
    }
    return TauMetadata.parse(meta, train, evaluate, test, referenceDevice);
  }

  private static TauMetadata.CsvText readCsv(FileSystem fs, Path root, String name, boolean required) {
    Path p = new Path(root, name);
    try {
      if (!fs.exists(p)) {
        if (required) {
          throw new DatasetLayoutException("missing " + name + ": " + p + " does not exist (a TAU-layout "
              + "dataset has meta.csv and evaluation_setup/fold<N>_{train,evaluate,test}.csv)");
        }
        return null;
      }
      long len = fs.getFileStatus(p).getLen();
      if (len > MAX_CSV_BYTES) {
        throw new DatasetLayoutException(name + " is " + len + " bytes; refusing CSVs over "
            + MAX_CSV_BYTES + " bytes");
      }
      try (InputStream in = fs.open(p)) {
        byte[] bytes = in.readNBytes((int) len + 1);
        return new TauMetadata.CsvText(name, new String(bytes, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new DatasetLayoutException("cannot read " + p + ": " + e.getMessage());
    }
  }
}
