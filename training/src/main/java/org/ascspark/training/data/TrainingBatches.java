package org.ascspark.training.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.ascspark.features.RecordSeeds;
import org.ascspark.features.augment.Mixup;
import org.ascspark.features.augment.SpecAugment;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a partition of training {@link Example}s into minibatches for one epoch, with the online
 * augmentations: random crop, SpecAugment and mixup. Every random choice comes from a stream
 * seeded by (seed, epoch, row key), so a rerun or a Spark task retry builds identical batches:
 *
 * <ul>
 *   <li>order: the partition's rows sorted by a per-row hash of (seed, epoch, key), then cut into
 *       batches of {@code batchSize} (the last one may be smaller);
 *   <li>crop: start uniform in [0, frames - cropFrames] from stream {@code crop/<epoch>/<key>}; rows
 *       shorter than the crop are zero-padded (0 is the normalised mean);
 *   <li>SpecAugment masks (on the crop) from stream {@code specaug/<epoch>/<key>};
 *   <li>mixup: each row is mixed with another row of its batch (a random permutation drawn from the batch's first row's stream {@code mixup/<epoch>/<key>}) with
 *       λ ~ Beta(α, α) per row; the labels are mixed with the same weights.
 * </ul>
 *
 * <p>For distillation ({@link #forDistillation}) the batches are {@link MultiDataSet}s whose first
 * label array packs [hard label | teacher soft label] ({@code [n, 2K]}, the layout of
 * {@code DistillationLoss}; a row without teacher outputs has an all-zero soft half, which removes
 * its KL term), and, with an embedding target, a second label array {@code [n, D]} with the
 * teacher's embedding and a label mask {@code [n, 1]} that is 0 for rows without one. Mixup mixes
 * soft labels and embeddings with the row's λ; a mixed row's embedding mask is 1 only when both
 * rows had an embedding.
 */
public final class TrainingBatches implements Serializable {

  private static final long serialVersionUID = 1L;

  private final long seed;
  private final int numClasses;
  private final int batchSize;
  private final int cropFrames;
  private final SpecAugment specAugment;
  private final Mixup mixup;
  /** -1: plain batches; 0: distillation without an embedding target; D: with a D-value one. */
  private final int embeddingSize;
  /** Class index to scene-group index for a multitask group head, or null. */
  private final int[] groupOf;
  private final int groups;
  /** Device name to index for device labels (cross-gradient training), or null. */
  private final java.util.HashMap<String, Integer> deviceIndex;

  /**
   * @param seed run seed
   * @param numClasses label width
   * @param batchSize rows per batch, at least 1
   * @param cropFrames frames per training input, at least 1
   * @param specAugment masking, or null for none
   * @param mixup mixup settings, or null for none
   */
  public TrainingBatches(long seed, int numClasses, int batchSize, int cropFrames,
      SpecAugment specAugment, Mixup mixup) {
    this(seed, numClasses, batchSize, cropFrames, specAugment, mixup, -1, null, 0, null);
  }

  private TrainingBatches(long seed, int numClasses, int batchSize, int cropFrames,
      SpecAugment specAugment, Mixup mixup, int embeddingSize, int[] groupOf, int groups,
      java.util.HashMap<String, Integer> deviceIndex) {
    if (batchSize < 1 || cropFrames < 1 || numClasses < 1) {
      throw new IllegalArgumentException("batchSize, cropFrames and numClasses must be >= 1");
    }
    this.seed = seed;
    this.numClasses = numClasses;
    this.batchSize = batchSize;
    this.cropFrames = cropFrames;
    this.specAugment = specAugment;
    this.mixup = mixup;
    this.embeddingSize = embeddingSize;
    this.groupOf = groupOf;
    this.groups = groups;
    this.deviceIndex = deviceIndex;
  }

  /**
   * @param devices the training devices, in device-label order
   * @return the same settings also building one-hot device labels ({@link Batch#device()}, mixed up
   *     like the class labels) for {@link #rawBatches}
   */
  public TrainingBatches withDevices(List<String> devices) {
    java.util.HashMap<String, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < devices.size(); i++) {
      index.put(devices.get(i), i);
    }
    return new TrainingBatches(seed, numClasses, batchSize, cropFrames, specAugment, mixup, embeddingSize,
        groupOf, groups, index);
  }

  /**
   * A minibatch as arrays.
   *
   * @param x features [n, channels, bins, cropFrames]
   * @param y class labels [n, K]
   * @param device device labels [n, devices], or null without {@link #withDevices}
   */
  public record Batch(INDArray x, INDArray y, INDArray device) {}

  /**
   * The minibatches of {@link #batches(int, Iterator, int, int)} as arrays (plain layout only).
   *
   * @param epoch the epoch (0-based)
   * @param rows one partition's rows
   * @param fromBatch first batch, inclusive
   * @param toBatch last batch, exclusive
   * @return those minibatches
   */
  public List<Batch> rawBatches(int epoch, Iterator<Example> rows, int fromBatch, int toBatch) {
    if (embeddingSize >= 0 || groupOf != null) {
      throw new IllegalStateException("raw batches have the plain layout only");
    }
    List<Batch> out = new ArrayList<>();
    for (List<Example> b : select(epoch, rows, fromBatch, toBatch)) {
      Arrays a = build(epoch, b);
      out.add(new Batch(a.x(), a.y(), a.device()));
    }
    return out;
  }

  /**
   * @param classGroup the group index of each class (Clova's indoor / outdoor / transportation)
   * @param groupCount number of groups
   * @return the same settings adding a group label array (one-hot, mixed up like the class labels)
   *     after the class labels of every multi-dataset
   */
  public TrainingBatches withGroups(int[] classGroup, int groupCount) {
    if (classGroup.length != numClasses || groupCount < 2) {
      throw new IllegalArgumentException("need a group for each of " + numClasses + " classes and >= 2 groups");
    }
    return new TrainingBatches(seed, numClasses, batchSize, cropFrames, specAugment, mixup, embeddingSize,
        classGroup.clone(), groupCount, deviceIndex);
  }

  /**
   * @param embeddingSize length of the teachers' embedding target, or 0 for none
   * @return the same settings building distillation batches (see the class description)
   */
  public TrainingBatches forDistillation(int embeddingSize) {
    if (embeddingSize < 0) {
      throw new IllegalArgumentException("embedding size must be >= 0; got " + embeddingSize);
    }
    return new TrainingBatches(seed, numClasses, batchSize, cropFrames, specAugment, mixup,
        embeddingSize, groupOf, groups, deviceIndex);
  }

  /**
   * @param epoch the epoch (0-based)
   * @param rows one partition's rows
   * @return all its minibatches
   */
  public Iterator<DataSet> batches(int epoch, Iterator<Example> rows) {
    return batches(epoch, rows, 0, Integer.MAX_VALUE);
  }

  /**
   * @param batchSize rows per batch
   * @param rows rows in a partition
   * @return minibatches the partition makes per epoch
   */
  public static int batchCount(int batchSize, long rows) {
    return (int) ((rows + batchSize - 1) / batchSize);
  }

  /**
   * Minibatches {@code [fromBatch, toBatch)} of a partition's epoch order (the order is computed
   * over all rows; only the requested batches are built).
   *
   * @param epoch the epoch (0-based)
   * @param rows one partition's rows
   * @param fromBatch first batch, inclusive
   * @param toBatch last batch, exclusive
   * @return those minibatches
   */
  public Iterator<DataSet> batches(int epoch, Iterator<Example> rows, int fromBatch, int toBatch) {
    List<DataSet> out = new ArrayList<>();
    for (List<Example> b : select(epoch, rows, fromBatch, toBatch)) {
      out.add(batch(epoch, b));
    }
    return out.iterator();
  }

  /**
   * As {@link #batches(int, Iterator, int, int)}, as multi-datasets; the distillation layout after
   * {@link #forDistillation}.
   *
   * @param epoch the epoch (0-based)
   * @param rows one partition's rows
   * @param fromBatch first batch, inclusive
   * @param toBatch last batch, exclusive
   * @return those minibatches
   */
  public Iterator<MultiDataSet> multiBatches(int epoch, Iterator<Example> rows, int fromBatch,
      int toBatch) {
    List<MultiDataSet> out = new ArrayList<>();
    for (List<Example> b : select(epoch, rows, fromBatch, toBatch)) {
      out.add(multiBatch(epoch, b));
    }
    return out.iterator();
  }

  private List<List<Example>> select(int epoch, Iterator<Example> rows, int fromBatch, int toBatch) {
    List<Example> all = new ArrayList<>();
    rows.forEachRemaining(all::add);
    long[] order = new long[all.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = RecordSeeds.mix(seed, "order/" + epoch + "/" + all.get(i).key());
    }
    Integer[] idx = new Integer[all.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (a, b) -> {
      int c = Long.compare(order[a], order[b]);
      return c != 0 ? c : all.get(a).key().compareTo(all.get(b).key());
    });
    List<List<Example>> out = new ArrayList<>();
    long last = Math.min((long) idx.length, (long) toBatch * batchSize);
    for (long from = (long) fromBatch * batchSize; from < last; from += batchSize) {
      int n = (int) Math.min(batchSize, idx.length - from);
      List<Example> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(all.get(idx[(int) from + i]));
      }
      out.add(batch);
    }
    return out;
  }

  /**
   * Builds one augmented minibatch.
   *
   * @param epoch the epoch
   * @param batch its rows (labels must be known)
   * @return features [n, channels, bins, cropFrames] and labels [n, numClasses]
   */
  public DataSet batch(int epoch, List<Example> batch) {
    if (embeddingSize >= 0 || groupOf != null) {
      throw new IllegalStateException("distillation and group-head batches are multi-datasets: use multiBatch");
    }
    Arrays a = build(epoch, batch);
    return new DataSet(a.x(), a.y());
  }

  /**
   * Builds one augmented minibatch as a multi-dataset: for plain batches the features and labels of
   * {@link #batch}; for distillation the layout of the class description.
   *
   * @param epoch the epoch
   * @param batch its rows (labels must be known)
   * @return the minibatch
   */
  public MultiDataSet multiBatch(int epoch, List<Example> batch) {
    Arrays a = build(epoch, batch);
    List<INDArray> labels = new ArrayList<>(List.of(a.y()));
    List<INDArray> masks = new ArrayList<>();
    masks.add(null);
    if (a.group() != null) {
      labels.add(a.group());
      masks.add(null);
    }
    if (a.embedding() != null) {
      labels.add(a.embedding());
      masks.add(a.embeddingMask());
    }
    return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {a.x()}, labels.toArray(new INDArray[0]),
        null, a.embedding() == null ? null : masks.toArray(new INDArray[0]));
  }

  private record Arrays(INDArray x, INDArray y, INDArray group, INDArray embedding, INDArray embeddingMask,
      INDArray device) {}

  private Arrays build(int epoch, List<Example> batch) {
    int n = batch.size();
    Example first = batch.get(0);
    int c = first.channels();
    int b = first.bins();
    int per = c * b * cropFrames;
    int width = embeddingSize >= 0 ? 2 * numClasses : numClasses;
    int dim = Math.max(embeddingSize, 0);
    float[] x = new float[n * per];
    float[] y = new float[n * width];
    float[] emb = new float[n * dim];
    float[] g = new float[groupOf == null ? 0 : n * groups];
    int devices = deviceIndex == null ? 0 : deviceIndex.size();
    float[] dv = new float[n * devices];
    float[] embMask = new float[n];
    for (int i = 0; i < n; i++) {
      Example e = batch.get(i);
      if (e.label() < 0 || e.label() >= numClasses) {
        throw new IllegalStateException("training row " + e.key() + " has no known label");
      }
      int maxStart = Math.max(0, e.frames() - cropFrames);
      SplittableRandom crop = RecordSeeds.rng(seed, "crop/" + epoch + "/" + e.key());
      int start = maxStart == 0 ? 0 : crop.nextInt(maxStart + 1);
      e.cropInto(start, cropFrames, x, i * per);
      if (specAugment != null) {
        mask(x, i * per, c, b, RecordSeeds.rng(seed, "specaug/" + epoch + "/" + e.key()));
      }
      y[i * width + e.label()] = 1f;
      if (groupOf != null) {
        g[i * groups + groupOf[e.label()]] = 1f;
      }
      if (deviceIndex != null) {
        Integer d = deviceIndex.get(e.device());
        if (d == null) {
          throw new IllegalStateException("row " + e.key() + " has device '" + e.device()
              + "', not among the training devices " + deviceIndex.keySet());
        }
        dv[i * devices + d] = 1f;
      }
      if (embeddingSize >= 0 && e.targets() != null) {
        float[] soft = e.targets().soft();
        if (soft.length != numClasses) {
          throw new IllegalStateException("row " + e.key() + " has a " + soft.length
              + "-class soft label; the run has " + numClasses + " classes");
        }
        System.arraycopy(soft, 0, y, i * width + numClasses, numClasses);
        float[] t = e.targets().embedding();
        if (dim > 0 && t != null) {
          if (t.length != dim) {
            throw new IllegalStateException("row " + e.key() + " has a " + t.length
                + "-value teacher embedding; expected " + dim);
          }
          System.arraycopy(t, 0, emb, i * dim, dim);
          embMask[i] = 1f;
        }
      }
    }
    if (mixup != null && n > 1) {
      SplittableRandom rng = RecordSeeds.rng(seed, "mixup/" + epoch + "/" + first.key());
      int[] partner = new int[n];
      for (int i = 0; i < n; i++) {
        partner[i] = i;
      }
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = partner[i];
        partner[i] = partner[j];
        partner[j] = t;
      }
      float[] x0 = x.clone();
      float[] y0 = y.clone();
      float[] e0 = emb.clone();
      float[] g0 = g.clone();
      float[] d0 = dv.clone();
      float[] m0 = embMask.clone();
      for (int i = 0; i < n; i++) {
        float lam = (float) mixup.drawLambda(rng);
        int p = partner[i];
        mix(x, x0, i, p, per, lam);
        mix(y, y0, i, p, width, lam);
        mix(emb, e0, i, p, dim, lam);
        mix(g, g0, i, p, groups, lam);
        mix(dv, d0, i, p, devices, lam);
        embMask[i] = m0[i] * m0[p];
      }
    }
    return new Arrays(Nd4j.create(x, new long[] {n, c, b, cropFrames}),
        Nd4j.create(y, new long[] {n, width}),
        groupOf == null ? null : Nd4j.create(g, new long[] {n, groups}),
        dim > 0 ? Nd4j.create(emb, new long[] {n, dim}) : null,
        dim > 0 ? Nd4j.create(embMask, new long[] {n, 1}) : null,
        devices > 0 ? Nd4j.create(dv, new long[] {n, devices}) : null);
  }

  /** Row i of {@code out} = lam * row i + (1 - lam) * row p of {@code in}, rows of {@code len}. */
  private static void mix(float[] out, float[] in, int i, int p, int len, float lam) {
    for (int k = 0; k < len; k++) {
      out[i * len + k] = lam * in[i * len + k] + (1 - lam) * in[p * len + k];
    }
  }

  private void mask(float[] x, int offset, int channels, int bins, SplittableRandom rng) {
    SpecAugment.Masks masks = specAugment.draw(bins, cropFrames, rng);
    boolean[] frames = masks.maskedFrames(cropFrames);
    boolean[] freq = masks.maskedBins(bins);
    for (int ch = 0; ch < channels; ch++) {
      for (int bin = 0; bin < bins; bin++) {
        int row = offset + (ch * bins + bin) * cropFrames;
        if (freq[bin]) {
          java.util.Arrays.fill(x, row, row + cropFrames, 0f);
        } else {
          for (int t = 0; t < cropFrames; t++) {
            if (frames[t]) {
              x[row + t] = 0f;
            }
          }
        }
      }
    }
  }
}
