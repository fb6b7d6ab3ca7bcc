package org.ascspark.training.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.ascspark.features.RecordSeeds;
import org.ascspark.features.augment.Mixup;
import org.ascspark.features.augment.SpecAugment;
import org.nd4j.linalg.dataset.DataSet;
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
 */
public final class TrainingBatches implements Serializable {

  private static final long serialVersionUID = 1L;

  private final long seed;
  private final int numClasses;
  private final int batchSize;
  private final int cropFrames;
  private final SpecAugment specAugment;
  private final Mixup mixup;

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
    if (batchSize < 1 || cropFrames < 1 || numClasses < 1) {
      throw new IllegalArgumentException("batchSize, cropFrames and numClasses must be >= 1");
    }
    this.seed = seed;
    this.numClasses = numClasses;
    this.batchSize = batchSize;
    this.cropFrames = cropFrames;
    this.specAugment = specAugment;
    this.mixup = mixup;
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
    List<DataSet> out = new ArrayList<>();
    long last = Math.min((long) idx.length, (long) toBatch * batchSize);
    for (long from = (long) fromBatch * batchSize; from < last; from += batchSize) {
      int n = (int) Math.min(batchSize, idx.length - from);
      List<Example> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(all.get(idx[(int) from + i]));
      }
      out.add(batch(epoch, batch));
    }
    return out.iterator();
  }

  /**
   * Builds one augmented minibatch.
   *
   * @param epoch the epoch
   * @param batch its rows (labels must be known)
   * @return features [n, channels, bins, cropFrames] and labels [n, numClasses]
   */
  public DataSet batch(int epoch, List<Example> batch) {
    int n = batch.size();
    Example first = batch.get(0);
    int c = first.channels();
    int b = first.bins();
    int per = c * b * cropFrames;
    float[] x = new float[n * per];
    float[] y = new float[n * numClasses];
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
      y[i * numClasses + e.label()] = 1f;
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
      for (int i = 0; i < n; i++) {
        float lam = (float) mixup.drawLambda(rng);
        int p = partner[i];
        for (int k = 0; k < per; k++) {
          x[i * per + k] = lam * x0[i * per + k] + (1 - lam) * x0[p * per + k];
        }
        for (int k = 0; k < numClasses; k++) {
          y[i * numClasses + k] = lam * y0[i * numClasses + k] + (1 - lam) * y0[p * numClasses + k];
        }
      }
    }
    return new DataSet(Nd4j.create(x, new long[] {n, c, b, cropFrames}),
        Nd4j.create(y, new long[] {n, numClasses}));
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
