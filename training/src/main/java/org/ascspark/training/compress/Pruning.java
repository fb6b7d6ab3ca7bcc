package org.ascspark.training.compress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * One-shot unstructured magnitude pruning (QTI, seed 003 §3 "Magnitude based one-shot unstructured
 * pruning"): the weights of smallest absolute value are set to zero.
 *
 * <p>Definition. The prunable weights are those of {@link WeightTensors} (convolution, depthwise,
 * separable, dense and output kernels; not biases, not BatchNorm). For a target sparsity
 * {@code s} in [0, 1) and a pool of {@code n} weights, exactly {@code k = floor(s n + 1/2)} weights of
 * the pool are zeroed: the {@code k} smallest by {@code |w|}, ties broken by position (tensor order,
 * then C-order index), so the result is deterministic. The pool is all prunable weights together
 * ({@link Scope#GLOBAL}, one threshold for the network) or each tensor on its own
 * ({@link Scope#LAYER}, every tensor reaches {@code s}). Weights that are already zero count among the
 * smallest. The zeros are what the DCASE 2021 rule discounts (non-zero parameters).
 */
public final class Pruning {

  /** Which weights compete for pruning. */
  public enum Scope {
    /** One ranking over all prunable weights. */
    GLOBAL,
    /** A ranking per weight tensor. */
    LAYER
  }

  private Pruning() {}

  /**
   * @param n        weights in a pool
   * @param sparsity target fraction in [0, 1)
   * @return how many of them are zeroed, {@code floor(s n + 1/2)}
   */
  public static long pruneCount(long n, double sparsity) {
    if (!(sparsity >= 0 && sparsity < 1)) {
      throw new IllegalArgumentException("sparsity must be in [0, 1); got " + sparsity);
    }
    return (long) Math.floor(sparsity * n + 0.5);
  }

  /**
   * Masks of magnitude pruning.
   *
   * @param weights  the weight tensors, each flattened
   * @param sparsity target fraction in [0, 1)
   * @param scope    global or per tensor
   * @return per tensor, true where the weight is kept
   */
  public static boolean[][] masks(float[][] weights, double sparsity, Scope scope) {
    boolean[][] keep = new boolean[weights.length][];
    for (int t = 0; t < weights.length; t++) {
      keep[t] = new boolean[weights[t].length];
      Arrays.fill(keep[t], true);
    }
    if (scope == Scope.LAYER) {
      for (int t = 0; t < weights.length; t++) {
        prune(new float[][] {weights[t]}, new boolean[][] {keep[t]}, sparsity);
      }
    } else {
      prune(weights, keep, sparsity);
    }
    return keep;
  }

  /** Zeroes the mask of the k smallest |w| of the pool; position breaks ties. */
  private static void prune(float[][] pool, boolean[][] keep, double sparsity) {
    long n = 0;
    for (float[] w : pool) {
      n += w.length;
    }
    if (n >= Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many weights to rank: " + n);
    }
    int k = (int) pruneCount(n, sparsity);
    if (k == 0) {
      return;
    }
    // key = (bits of |w|, position): the bits of a non-negative float order like its value
    long[] keys = new long[(int) n];
    int pos = 0;
    for (float[] w : pool) {
      for (float v : w) {
        keys[pos] = ((long) Float.floatToIntBits(Math.abs(v)) << 32) | pos;
        pos++;
      }
    }
    Arrays.sort(keys);
    int[] starts = new int[pool.length];
    for (int t = 1; t < pool.length; t++) {
      starts[t] = starts[t - 1] + pool[t - 1].length;
    }
    for (int i = 0; i < k; i++) {
      int p = (int) (keys[i] & 0xffffffffL);
      int t = Arrays.binarySearch(starts, p);
      if (t < 0) {
        t = -t - 2;
      }
      while (t + 1 < starts.length && starts[t + 1] == p) {
        t++; // skip empty tensors that start at the same position
      }
      keep[t][p - starts[t]] = false;
    }
  }

  /**
   * Prunes a network's weights in place.
   *
   * @param net      the network
   * @param sparsity target fraction in [0, 1)
   * @param scope    global or per tensor
   * @return the masks, to keep pruned weights at zero while fine-tuning
   */
  static List<Mask> prune(ComputationGraph net, double sparsity, Scope scope) {
    List<WeightTensors.Tensor> tensors = WeightTensors.of(net);
    float[][] w = new float[tensors.size()][];
    for (int t = 0; t < w.length; t++) {
      w[t] = tensors.get(t).read();
    }
    boolean[][] keep = masks(w, sparsity, scope);
    List<Mask> out = new ArrayList<>();
    for (int t = 0; t < w.length; t++) {
      float[] m = new float[w[t].length];
      for (int i = 0; i < m.length; i++) {
        if (keep[t][i]) {
          m[i] = 1f;
        } else {
          w[t][i] = 0f;
        }
      }
      tensors.get(t).write(w[t]);
      out.add(new Mask(tensors.get(t), m));
    }
    return out;
  }

  /**
   * The kept positions of one tensor.
   *
   * @param tensor the weight tensor
   * @param keep   1 where kept, 0 where pruned, in C order
   */
  record Mask(WeightTensors.Tensor tensor, float[] keep) {

    /** Sets the pruned weights of the tensor to zero again. */
    void apply() {
      float[] w = tensor.read();
      for (int i = 0; i < w.length; i++) {
        if (keep[i] == 0f) {
          w[i] = 0f;
        }
      }
      tensor.write(w);
    }

    /** @return number of pruned positions */
    long pruned() {
      long n = 0;
      for (float k : keep) {
        n += k == 0f ? 1 : 0;
      }
      return n;
    }
  }
}
