package org.ascspark.training.compress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ascspark.training.nn.FakeQuantVertex;
import org.ascspark.training.nn.SubBandReshapeVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Simulated int8 activations: where a quantised kernel would store an int8 tensor, a
 * {@link FakeQuantVertex} is inserted, with a per-tensor affine range calibrated on training rows.
 *
 * <p><b>Where</b> ({@link #points}): on every network input and after every vertex except
 * <ul>
 *   <li>network outputs (the softmax probabilities stay float);</li>
 *   <li>vertices that cannot widen the range of an already quantised tensor and in an integer kernel
 *       keep their input's scale: max pooling (local and global), dropout (identity at inference),
 *       reshapes (SubSpectral Norm's sub-band reshape, {@code ReshapeVertex}, preprocessor vertices);</li>
 *   <li>a vertex whose only consumer is an activation layer: integer kernels fuse the activation
 *       (conv + ReLU), so only the activation's output is quantised.</li>
 * </ul>
 * <b>Calibration</b> ({@link #calibrate}): the smallest and largest value of each such tensor over
 * the calibration inputs (min/max observer), computed by an inference pass of the network with its
 * weights already quantised and without activation quantisation. The range becomes scale and zero
 * point by {@link Quantization#affine}.
 */
final class ActivationQuantization {

  /** Suffix of the inserted vertices' names. */
  static final String SUFFIX = "_fq";
  /** Budget for the activations of one calibration minibatch (all of them are held at once). */
  static final long CALIBRATION_BYTES = 256L << 20;

  private ActivationQuantization() {}

  /**
   * @param net a network
   * @return the network inputs and vertices whose outputs are quantised, in topological order
   */
  static List<String> points(ComputationGraph net) {
    GraphEdit g = new GraphEdit(net.getConfiguration());
    List<String> out = new ArrayList<>(net.getConfiguration().getNetworkInputs());
    for (String v : g.vertices()) {
      if (g.isOutput(v) || rangePreserving(g, v)) {
        continue;
      }
      List<String> cons = g.consumersOf(v);
      if (cons.size() == 1 && g.layer(cons.get(0)) instanceof ActivationLayer) {
        continue;
      }
      out.add(v);
    }
    return out;
  }

  private static boolean rangePreserving(GraphEdit g, String v) {
    Layer l = g.layer(v);
    if (l instanceof SubsamplingLayer s) {
      return s.getPoolingType() == PoolingType.MAX;
    }
    if (l instanceof GlobalPoolingLayer p) {
      return p.getPoolingType() == PoolingType.MAX;
    }
    if (l instanceof DropoutLayer) {
      return true;
    }
    GraphVertex cv = g.conf().getVertices().get(v);
    return cv instanceof SubBandReshapeVertex || cv instanceof ReshapeVertex || cv instanceof PreprocessorVertex;
  }

  /**
   * Minibatch size for calibration: as many examples as fit {@link #CALIBRATION_BYTES} of activations.
   *
   * @param net       the network
   * @param input     type of one example
   * @param requested the configured batch size
   * @return a batch size in [1, requested]
   */
  static int calibrationBatch(ComputationGraph net, InputType input, int requested) {
    Map<String, InputType> types = net.getConfiguration().clone().getLayerActivationTypes(input);
    long bytes = 0;
    for (InputType t : types.values()) {
      bytes += t.arrayElementsPerExample() * 4L;
    }
    return (int) Math.max(1, Math.min(requested, CALIBRATION_BYTES / Math.max(1, bytes)));
  }

  /**
   * Min/max of each point's output over the inputs.
   *
   * @param net    the network (weights quantised, no fake quantisation)
   * @param points from {@link #points}
   * @param inputs calibration minibatches
   * @return point to {lo, hi}
   */
  static Map<String, double[]> calibrate(ComputationGraph net, List<String> points, List<INDArray> inputs) {
    Map<String, double[]> ranges = new LinkedHashMap<>();
    for (String p : points) {
      ranges.put(p, new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
    }
    for (INDArray x : inputs) {
      Map<String, INDArray> acts = net.feedForward(x, false);
      for (String p : points) {
        INDArray a = acts.get(p);
        if (a == null) {
          throw new IllegalStateException("no activation for '" + p + "'");
        }
        double[] r = ranges.get(p);
        r[0] = Math.min(r[0], a.minNumber().doubleValue());
        r[1] = Math.max(r[1], a.maxNumber().doubleValue());
      }
    }
    return ranges;
  }

  /**
   * A copy of {@code net} with a fake-quantisation vertex {@code <point>_fq} after every point.
   *
   * @param net    the network (not changed)
   * @param ranges point to its calibrated {lo, hi}
   * @return the new network, with {@code net}'s parameters
   */
  static ComputationGraph insert(ComputationGraph net, Map<String, double[]> ranges) {
    GraphEdit g = new GraphEdit(net.getConfiguration());
    for (Map.Entry<String, double[]> e : ranges.entrySet()) {
      Quantization.Affine a = Quantization.affine(e.getValue()[0], e.getValue()[1], Quantization.INT8_MIN,
          Quantization.INT8_MAX);
      g.insertAfter(e.getKey(), g.freeName(e.getKey() + SUFFIX),
          new FakeQuantVertex(a.scale(), a.zeroPoint(), a.qMin(), a.qMax()));
    }
    return g.build(net);
  }
}
