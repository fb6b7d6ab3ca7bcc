package org.ascspark.training.compress;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The number formats of the compressed models, as pure functions (STYLE.md rule 2), and their
 * application to a network's weights. Checked against an independent numpy implementation
 * ({@code tools/reference/make_quant_refs.py}).
 *
 * <h2>int8 weights: symmetric, per output channel</h2>
 * For the weights {@code w_c} of output channel {@code c} (channels as {@link WeightTensors} assigns
 * them), with {@code M = 2^(bits-1) - 1} (127 for int8, the "restricted range" [-127, 127] of TFLite's
 * int8 weights and PyTorch's {@code per_channel_symmetric} with {@code reduce_range} off):
 * <pre>
 *   scale_c = max|w_c| / M          (scale_c = 1 when the channel is all zero)
 *   q_i     = clamp(rint(w_i / scale_c), -M, M)      rint: round half to even
 *   w'_i    = q_i · scale_c         (the dequantised value the simulation computes with)
 * </pre>
 * in float64, the result rounded once to float32. Zero point 0, so a zero weight (pruned) stays 0.
 * No value is clamped ({@code |w_i| / scale_c <= M}), hence {@code |w_i - w'_i| <= scale_c / 2}
 * (plus the float32 rounding of {@code w'_i}).
 *
 * <h2>int8 activations: affine, per tensor</h2>
 * From a calibrated range {@code [lo, hi]} ({@link #affine}), PyTorch's {@code MinMaxObserver} with
 * {@code qint8} and TFLite's int8 activation scheme: the range is widened to contain 0 (so 0 is exact,
 * as zero padding needs), {@code scale = (hi - lo) / 255} (at least float32 epsilon), zero point
 * {@code -128 - rint(lo / scale)} clamped to [-128, 127]; values are fake-quantised by
 * {@link org.ascspark.training.nn.FakeQuantVertex}.
 *
 * <h2>fp16</h2>
 * {@link #toHalf} rounds a float32 to the nearest IEEE 754 binary16 value, ties to even, with
 * subnormals (down to 2^-24) and overflow to infinity above 65504 (numpy's {@code astype(float16)}).
 * The fp16 export itself converts the network with ND4J's cast ({@code DataType.HALF}); the tests check
 * that cast against numpy and this function on the same values.
 */
public final class Quantization {

  /** Largest int8 weight level: weights use [-127, 127]. */
  public static final int INT8_WEIGHT_LEVEL = 127;
  /** int8 activation range. */
  public static final long INT8_MIN = -128;
  /** int8 activation range. */
  public static final long INT8_MAX = 127;
  /** Smallest activation scale (PyTorch's observers use float32 epsilon). */
  public static final double MIN_SCALE = Math.ulp(1.0f);

  private Quantization() {}

  /**
   * Symmetric per-channel quantisation of one weight array.
   *
   * @param w         the weights, any flattening
   * @param channelOf output channel of each element (same length as {@code w}), in [0, channels)
   * @param channels  number of channels, &gt;= 1
   * @param maxLevel  largest level M, e.g. {@value #INT8_WEIGHT_LEVEL}
   * @return levels, per-channel scales and dequantised values
   */
  public static PerChannel symmetricPerChannel(float[] w, int[] channelOf, int channels, int maxLevel) {
    if (w.length != channelOf.length || channels < 1 || maxLevel < 1) {
      throw new IllegalArgumentException("bad arguments: " + w.length + " weights, " + channelOf.length
          + " channel indices, " + channels + " channels, max level " + maxLevel);
    }
    double[] max = new double[channels];
    for (int i = 0; i < w.length; i++) {
      max[channelOf[i]] = Math.max(max[channelOf[i]], Math.abs((double) w[i]));
    }
    double[] scales = new double[channels];
    for (int c = 0; c < channels; c++) {
      scales[c] = max[c] > 0 ? max[c] / maxLevel : 1.0;
    }
    int[] levels = new int[w.length];
    float[] deq = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      double s = scales[channelOf[i]];
      double q = Math.max(-maxLevel, Math.min(maxLevel, Math.rint(w[i] / s)));
      levels[i] = (int) q;
      deq[i] = (float) (q * s);
    }
    return new PerChannel(levels, scales, deq);
  }

  /**
   * Result of {@link #symmetricPerChannel}.
   *
   * @param levels      integer levels in [-M, M], one per weight
   * @param scales      scale per channel
   * @param dequantized {@code levels · scale}, rounded to float32
   */
  public record PerChannel(int[] levels, double[] scales, float[] dequantized) {}

  /**
   * Affine per-tensor quantisation parameters of a calibrated range.
   *
   * @param lo   smallest value seen
   * @param hi   largest value seen, &gt;= lo
   * @param qMin smallest level, e.g. {@value #INT8_MIN}
   * @param qMax largest level, e.g. {@value #INT8_MAX}
   * @return scale and zero point
   */
  public static Affine affine(double lo, double hi, long qMin, long qMax) {
    if (!(hi >= lo) || !Double.isFinite(lo) || !Double.isFinite(hi) || qMax <= qMin) {
      throw new IllegalArgumentException("bad range [" + lo + ", " + hi + "] or levels [" + qMin + ", " + qMax + "]");
    }
    double minNeg = Math.min(lo, 0.0);
    double maxPos = Math.max(hi, 0.0);
    double scale = Math.max((maxPos - minNeg) / (double) (qMax - qMin), MIN_SCALE);
    long zero = qMin - (long) Math.rint(minNeg / scale);
    zero = Math.max(qMin, Math.min(qMax, zero));
    return new Affine(scale, zero, qMin, qMax);
  }

  /**
   * Affine quantisation parameters.
   *
   * @param scale     grid step
   * @param zeroPoint level that represents 0
   * @param qMin      smallest level
   * @param qMax      largest level
   */
  public record Affine(double scale, long zeroPoint, long qMin, long qMax) {}

  /**
   * @param x a float32 value
   * @return the nearest binary16 value (ties to even), as a float32
   */
  public static float toHalf(float x) {
    if (Float.isNaN(x) || Float.isInfinite(x) || x == 0f) {
      return x;
    }
    double a = Math.abs((double) x);
    int e = Math.max(Math.getExponent(x), -14);
    double ulp = Math.scalb(1.0, e - 10);
    double r = Math.rint(a / ulp) * ulp;
    if (r > 65504.0) {
      return Math.copySign(Float.POSITIVE_INFINITY, x);
    }
    return (float) Math.copySign(r, x);
  }

  /**
   * Replaces every weight of {@code net} (see {@link WeightTensors}) by its int8 dequantised value.
   *
   * @param net the network, changed in place
   * @return per tensor, its per-channel scales
   */
  static List<TensorScales> quantizeWeights(ComputationGraph net) {
    return quantizeWeights(WeightTensors.of(net));
  }

  static List<TensorScales> quantizeWeights(List<WeightTensors.Tensor> tensors) {
    List<TensorScales> out = new ArrayList<>();
    for (WeightTensors.Tensor t : tensors) {
      PerChannel q = symmetricPerChannel(t.read(), t.channelOf(), t.channels(), INT8_WEIGHT_LEVEL);
      t.write(q.dequantized());
      out.add(new TensorScales(t.vertex(), t.key(), t.layout(), q.scales()));
    }
    return out;
  }

  /**
   * The int8 scales of one weight tensor.
   *
   * @param vertex vertex name
   * @param key    parameter key
   * @param layout {@code per-channel} or {@code per-tensor}
   * @param scales one scale per channel
   */
  record TensorScales(String vertex, String key, String layout, double[] scales) {}
}
