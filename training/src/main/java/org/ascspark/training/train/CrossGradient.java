package org.ascspark.training.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ascspark.training.models.Models;
import org.ascspark.training.nn.InputProbeVertex;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Cross-gradient training (Shankar et al., "Generalizing across domains via cross-gradient training",
 * ICLR 2018; SCUT §3.1.3): a scene classifier and a device classifier train side by side, each on its
 * examples plus copies perturbed along the input gradient of the other's loss:
 * <pre>
 *   x_d = x + eps_scene  * step(dJ_device / dx)    (scene classifier:  (1 - a) J_scene(x)  + a J_scene(x_d))
 *   x_s = x + eps_device * step(dJ_scene  / dx)    (device classifier: (1 - a) J_device(x) + a J_device(x_s))
 * </pre>
 * Deviations, stated: the step is the per-example gradient scaled to a root-mean-square of 1 per value
 * ({@code g * sqrt(D) / |g|}), so that eps is in units of the normalised features' standard deviation
 * (the paper adds eps times the raw gradient, whose scale depends on the loss and batch size); and on
 * Spark each round perturbs with the other classifier's parameters as of the round's start (the
 * parameter-averaging round of {@code averaging-frequency} minibatches), not of the current minibatch.
 * The two loss terms are one minibatch of 2n examples whose label masks weigh them 2(1 - a) and 2a
 * (a DL4J label mask multiplies each example's loss).
 *
 * @param epsScene eps of the device-gradient perturbation of the scene classifier's inputs
 * @param epsDevice eps of the scene-gradient perturbation of the device classifier's inputs
 * @param alpha weight a of the perturbed copies
 */
public record CrossGradient(double epsScene, double epsDevice, double alpha) implements Serializable {

  /** Name of the probe vertex {@link #withInputProbe} inserts after the input. */
  public static final String PROBE = "input_probe";

  /**
   * @param net a single-input network (not modified)
   * @return a copy whose input passes through an {@link InputProbeVertex}, with the same parameters
   */
  public static ComputationGraph withInputProbe(ComputationGraph net) {
    ComputationGraphConfiguration conf = net.getConfiguration().clone();
    for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
      List<String> in = new ArrayList<>(e.getValue());
      in.replaceAll(v -> v.equals(Models.INPUT) ? PROBE : v);
      e.setValue(in);
    }
    conf.getVertices().put(PROBE, new InputProbeVertex());
    conf.getVertexInputs().put(PROBE, List.of(Models.INPUT));
    conf.setTopologicalOrder(null);
    conf.setTopologicalOrderStr(null);
    ComputationGraph out = new ComputationGraph(conf);
    out.init();
    for (Map.Entry<String, INDArray> p : out.paramTable().entrySet()) {
      p.getValue().assign(net.getParam(p.getKey()));
    }
    return out;
  }

  /**
   * @param probed a network from {@link #withInputProbe} with one output
   * @param x inputs [n, ...]
   * @param labels that output's labels [n, K]
   * @return dL/dx of the network's loss summed over the examples (training-mode forward pass; DL4J
   *     averages over the minibatch only in its updater), so row i is example i's own loss gradient;
   *     the shape of x
   */
  public static INDArray inputGradient(ComputationGraph probed, INDArray x, INDArray labels) {
    probed.setInputs(x);
    probed.setLabels(labels);
    probed.computeGradientAndScore();
    return InputProbeVertex.lastGradient(probed, PROBE);
  }

  /**
   * @param x inputs [n, ...]
   * @param gradient a gradient of x's shape
   * @param eps step size in units of the features' standard deviation
   * @return x + eps · g · sqrt(D) / |g| per example (an all-zero gradient leaves the example unchanged)
   */
  public static INDArray perturb(INDArray x, INDArray gradient, double eps) {
    long n = x.size(0);
    long d = x.length() / n;
    INDArray g = gradient.reshape(n, d);
    INDArray norms = Transforms.max(g.norm2(1).reshape(n, 1), 1e-12, false);
    INDArray step = g.divColumnVector(norms).muli(eps * Math.sqrt(d));
    return x.add(step.reshape(x.shape()));
  }

  /**
   * @param x inputs [n, ...]
   * @param perturbed the perturbed copies
   * @param labels labels [n, K] of both
   * @return one minibatch of 2n examples with label masks 2(1 - a) for the originals and 2a for the copies
   */
  public DataSet pair(INDArray x, INDArray perturbed, INDArray labels) {
    long n = x.size(0);
    INDArray mask = Nd4j.vstack(Nd4j.valueArrayOf(new long[] {n, 1}, 2 * (1 - alpha), labels.dataType()),
        Nd4j.valueArrayOf(new long[] {n, 1}, 2 * alpha, labels.dataType()));
    return new DataSet(Nd4j.concat(0, x, perturbed), Nd4j.vstack(labels, labels), null, mask);
  }
}
