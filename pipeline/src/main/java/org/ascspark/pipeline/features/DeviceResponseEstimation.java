package org.ascspark.pipeline.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.ascspark.features.augment.DeviceResponses;
import org.ascspark.features.spectral.StftParams;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.io.Float32Bytes;
import scala.Tuple4;

/**
 * Estimates per-device frequency responses from time-aligned pairs (SCUT section 2.2, after
 * Nguyen, Pernkopf and Kosmider 2020) with Spark: every clip of the statistics split whose
 * {@code reference_filename} points at a clip of the reference device is joined with it, both mean
 * magnitude spectra are computed on the executors ({@link DeviceResponses#meanMagnitude}), and the
 * driver sums them per device in (device, reference file) order, so a rerun gives identical
 * responses whatever the task order.
 */
final class DeviceResponseEstimation {
  private DeviceResponseEstimation() {}

  /**
   * @param spark the session
   * @param clipsTable path of the {@code clips} table
   * @param split split whose pairs are used (the training split)
   * @param stft STFT of the front end (the responses have its bins)
   * @param sampleRateHz rate of the clips
   * @param referenceDevice device the others are aligned with
   * @param maxPairsPerDevice pairs per device, the first by reference file name; 0 = all
   * @return the responses
   * @throws InvalidConfigException when the split has no aligned pairs
   */
  static DeviceResponses estimate(SparkSession spark, String clipsTable, String split,
      StftParams stft, int sampleRateHz, String referenceDevice, int maxPairsPerDevice) {
    Dataset<Row> clips = spark.read().parquet(clipsTable).where(col("split").equalTo(split));
    Dataset<Row> others = clips
        .where(col("device").notEqual(referenceDevice).and(col("reference_filename").isNotNull()))
        .select(col("device"), col("reference_filename").as("ref_file"), col("samples").as("x"));
    Dataset<Row> refs = clips.where(col("device").equalTo(referenceDevice))
        .select(col("filename").as("ref_file"), col("samples").as("r"));
    Dataset<Row> pairs = others.select("device", "ref_file");
    if (maxPairsPerDevice > 0) {
      pairs = pairs.withColumn("n", row_number().over(Window.partitionBy("device").orderBy("ref_file")))
          .where(col("n").leq(maxPairsPerDevice)).drop("n");
    }
    Dataset<Row> joined = pairs.join(others, new String[] {"device", "ref_file"})
        .join(refs, "ref_file").select("device", "ref_file", "x", "r");
    List<Tuple4<String, String, double[], double[]>> spectra = joined.queryExecution().toRdd()
        .toJavaRDD().map(row -> new Tuple4<>(row.getUTF8String(0).toString(),
            row.getUTF8String(1).toString(),
            DeviceResponses.meanMagnitude(Float32Bytes.decode(row, 2, "clips.samples"), stft),
            DeviceResponses.meanMagnitude(Float32Bytes.decode(row, 3, "clips.samples"), stft)))
        .collect();
    if (spectra.isEmpty()) {
      throw new InvalidConfigException("features.augment", "the " + split + " split has no clip "
          + "aligned with a '" + referenceDevice + "' clip (reference_filename): spectrum correction "
          + "needs aligned pairs");
    }
    Map<String, Map<String, Tuple4<String, String, double[], double[]>>> ordered = new TreeMap<>();
    for (Tuple4<String, String, double[], double[]> t : spectra) {
      ordered.computeIfAbsent(t._1(), k -> new TreeMap<>()).put(t._2(), t);
    }
    Map<String, DeviceResponses.PairSums> sums = new TreeMap<>();
    ordered.forEach((device, byFile) -> {
      DeviceResponses.PairSums s = new DeviceResponses.PairSums(stft.bins());
      byFile.values().forEach(t -> s.add(t._3(), t._4()));
      sums.put(device, s);
    });
    return DeviceResponses.estimate(sums, referenceDevice, stft.nFft(), sampleRateHz);
  }
}
