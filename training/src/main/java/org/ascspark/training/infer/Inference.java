package org.ascspark.training.infer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ascspark.features.RecordSeeds;
import org.ascspark.features.augment.SpecAugment;
import org.ascspark.training.data.Example;
import org.ascspark.training.eval.Prediction;
import org.ascspark.training.models.Models;
import org.ascspark.training.train.NativeThreads;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Distributed inference: class probabilities for feature rows on Spark executors, with the
 * evaluation conventions of the seeds.
 *
 * <ul>
 *   <li>Windows: a row longer than the model's input ({@code cropFrames}) is cut into windows of
 *       that length starting at 0, crop, 2·crop, ..., plus one window ending at the row's last frame
 *       when the row is not a multiple of the crop; shorter rows are zero-padded (the normalised
 *       mean). The row's probabilities are the mean softmax over its windows (Clova's multi-segment
 *       averaging).
 *   <li>Test-time augmentation (valeo): with {@code ttaPasses} &gt; 0 every window is also passed
 *       {@code ttaPasses} times with SpecAugment masks from stream {@code tta/<pass>/<key>/<window>},
 *       and the mean is taken over the plain pass and the masked ones.
 *   <li>Segments: {@link #perClip} averages the rows (segments) of a clip.
 * </ul>
 *
 * The model travels to the executors as its ModelSerializer bytes in a broadcast and is restored
 * once per task.
 */
public final class Inference implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int cropFrames;
  private final int batchSize;
  private final SpecAugment tta;
  private final int ttaPasses;
  private final long seed;
  private final boolean embeddings;

  /**
   * Scores of one row.
   *
   * @param clipId clip id
   * @param filename file name
   * @param device device
   * @param label class index or -1
   * @param variant variant (0 = original)
   * @param segment segment
   * @param probs mean class probabilities
   * @param embedding mean of the model's {@code embedding} vertex over the windows, or null when not
   *     asked for ({@link #withEmbeddings})
   */
  public record Scored(String clipId, String filename, String device, int label, int variant,
      int segment, float[] probs, float[] embedding) implements Serializable {

    /** A row of variant 0 without embedding. */
    public Scored(String clipId, String filename, String device, int label, int segment, float[] probs) {
      this(clipId, filename, device, label, 0, segment, probs, null);
    }
  }

  /**
   * Scores of one clip.
   *
   * @param filename file name
   * @param prediction clip id, label, device and mean probabilities
   */
  public record ClipScore(String filename, Prediction prediction) {}

  /**
   * @param cropFrames the model's input length in frames, at least 1
   * @param batchSize windows per forward pass, at least 1
   * @param tta masking for test-time augmentation, or null
   * @param ttaPasses masked passes per window (0 = none)
   * @param seed seed of the masks
   */
  public Inference(int cropFrames, int batchSize, SpecAugment tta, int ttaPasses, long seed) {
    this(cropFrames, batchSize, tta, ttaPasses, seed, false);
  }

  private Inference(int cropFrames, int batchSize, SpecAugment tta, int ttaPasses, long seed,
      boolean embeddings) {
    if (cropFrames < 1 || batchSize < 1 || ttaPasses < 0 || (ttaPasses > 0 && tta == null)) {
      throw new IllegalArgumentException("bad inference settings: crop " + cropFrames + ", batch "
          + batchSize + ", tta passes " + ttaPasses);
    }
    this.cropFrames = cropFrames;
    this.batchSize = batchSize;
    this.tta = tta;
    this.ttaPasses = ttaPasses;
    this.seed = seed;
    this.embeddings = embeddings;
  }

  /**
   * @return the same settings, also averaging the {@value Models#EMBEDDING} vertex (a vector per
   *     window) into {@link Scored#embedding}
   */
  public Inference withEmbeddings() {
    return new Inference(cropFrames, batchSize, tta, ttaPasses, seed, true);
  }

  /**
   * @param frames a row's length
   * @param crop window length
   * @return window start frames
   */
  public static int[] windowStarts(int frames, int crop) {
    if (frames <= crop) {
      return new int[] {0};
    }
    int full = frames / crop;
    boolean tail = frames % crop != 0;
    int[] s = new int[full + (tail ? 1 : 0)];
    for (int i = 0; i < full; i++) {
      s[i] = i * crop;
    }
    if (tail) {
      s[full] = frames - crop;
    }
    return s;
  }

  /**
   * Scores rows on the executors.
   *
   * @param jsc the Spark context
   * @param net the model (its current parameters are used)
   * @param rows the rows
   * @return one scored row per input row
   */
  public JavaRDD<Scored> score(JavaSparkContext jsc, ComputationGraph net, JavaRDD<Example> rows) {
    Broadcast<byte[]> model = jsc.broadcast(toBytes(net));
    Inference self = this;
    return rows.mapPartitions(it -> {
      // One ND4J thread per task: Spark already runs a task per core (see NativeThreads).
      NativeThreads.limit(1);
      return self.scorePartition(fromBytes(model.value()), it);
    });
  }

  /**
   * Scores rows in this JVM.
   *
   * @param net the model
   * @param rows the rows
   * @return one scored row per input row, in order
   */
  public List<Scored> scoreLocal(ComputationGraph net, List<Example> rows) {
    List<Scored> out = new ArrayList<>();
    scorePartition(net, rows.iterator()).forEachRemaining(out::add);
    return out;
  }

  private Iterator<Scored> scorePartition(ComputationGraph net, Iterator<Example> rows) {
    List<Scored> out = new ArrayList<>();
    List<Example> pending = new ArrayList<>();
    int pendingWindows = 0;
    int passes = 1 + ttaPasses;
    while (rows.hasNext()) {
      Example e = rows.next();
      pending.add(e);
      pendingWindows += windowStarts(e.frames(), cropFrames).length * passes;
      if (pendingWindows >= batchSize) {
        out.addAll(forward(net, pending));
        pending.clear();
        pendingWindows = 0;
      }
    }
    if (!pending.isEmpty()) {
      out.addAll(forward(net, pending));
    }
    return out.iterator();
  }

  private List<Scored> forward(ComputationGraph net, List<Example> rows) {
    int passes = 1 + ttaPasses;
    Example first = rows.get(0);
    int per = first.channels() * first.bins() * cropFrames;
    int total = 0;
    for (Example e : rows) {
      total += windowStarts(e.frames(), cropFrames).length * passes;
    }
    float[] x = new float[total * per];
    int w = 0;
    for (Example e : rows) {
      int[] starts = windowStarts(e.frames(), cropFrames);
      for (int s = 0; s < starts.length; s++) {
        for (int p = 0; p < passes; p++) {
          e.cropInto(starts[s], cropFrames, x, w * per);
          if (p > 0) {
            SplittableRandom rng = RecordSeeds.rng(seed, "tta/" + p + "/" + e.key() + "/" + s);
            mask(x, w * per, e.channels(), e.bins(), tta.draw(e.bins(), cropFrames, rng));
          }
          w++;
        }
      }
    }
    INDArray input = Nd4j.create(x, new long[] {total, first.channels(), first.bins(), cropFrames});
    float[][] probs;
    float[][] emb = null;
    if (embeddings) {
      Map<String, INDArray> acts = net.feedForward(input, false);
      probs = acts.get(Models.OUTPUT).toFloatMatrix();
      INDArray e = acts.get(Models.EMBEDDING);
      emb = e.reshape(e.size(0), e.length() / e.size(0)).toFloatMatrix();
    } else {
      probs = net.output(false, input)[0].toFloatMatrix();
    }
    List<Scored> out = new ArrayList<>(rows.size());
    w = 0;
    for (Example e : rows) {
      int n = windowStarts(e.frames(), cropFrames).length * passes;
      int k = probs[0].length;
      float[] mean = new float[k];
      float[] embMean = emb == null ? null : new float[emb[0].length];
      for (int i = 0; i < n; i++, w++) {
        for (int c = 0; c < k; c++) {
          mean[c] += probs[w][c];
        }
        if (embMean != null) {
          for (int d = 0; d < embMean.length; d++) {
            embMean[d] += emb[w][d] / n;
          }
        }
      }
      for (int c = 0; c < k; c++) {
        mean[c] /= n;
      }
      out.add(new Scored(e.clipId(), e.filename(), e.device(), e.label(), e.variant(), e.segment(),
          mean, embMean));
    }
    return out;
  }

  private void mask(float[] x, int offset, int channels, int bins, SpecAugment.Masks masks) {
    boolean[] frames = masks.maskedFrames(cropFrames);
    boolean[] freq = masks.maskedBins(bins);
    for (int ch = 0; ch < channels; ch++) {
      for (int b = 0; b < bins; b++) {
        int row = offset + (ch * bins + b) * cropFrames;
        for (int t = 0; t < cropFrames; t++) {
          if (freq[b] || frames[t]) {
            x[row + t] = 0f;
          }
        }
      }
    }
  }

  /**
   * Averages the rows (segments) of each clip.
   *
   * @param rows scored rows
   * @return one score per clip, ordered by clip id
   */
  public static List<ClipScore> perClip(List<Scored> rows) {
    Map<String, List<Scored>> byClip = new java.util.TreeMap<>();
    for (Scored s : rows) {
      byClip.computeIfAbsent(s.clipId(), k -> new ArrayList<>()).add(s);
    }
    List<ClipScore> out = new ArrayList<>(byClip.size());
    for (List<Scored> group : byClip.values()) {
      Scored first = group.get(0);
      double[] mean = new double[first.probs().length];
      for (Scored s : group) {
        for (int c = 0; c < mean.length; c++) {
          mean[c] += s.probs()[c];
        }
      }
      double sum = 0;
      for (int c = 0; c < mean.length; c++) {
        mean[c] /= group.size();
        sum += mean[c];
      }
      for (int c = 0; c < mean.length; c++) {
        mean[c] /= sum;
      }
      out.add(new ClipScore(first.filename(),
          new Prediction(first.clipId(), first.label(), first.device(), mean)));
    }
    return out;
  }

  /**
   * @param net a model
   * @return its ModelSerializer bytes (no updater state)
   */
  public static byte[] toBytes(ComputationGraph net) {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
      ModelSerializer.writeModel(net, bytes, false);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param bytes ModelSerializer bytes
   * @return the restored model
   */
  public static ComputationGraph fromBytes(byte[] bytes) {
    try {
      return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
