package org.ascspark.training.compress;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import org.ascspark.training.data.Example;
import org.ascspark.training.data.TrainingBatches;
import org.ascspark.training.nn.StableSwish;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Short fine-tuning of a compressed network on the driver, with a hook that keeps the compression in
 * place: {@link WeightFakeQuant} (quantisation-aware training) or {@link KeepPruned} (pruning).
 *
 * <p>Why on the driver: a few epochs over a capped sample of training rows need no cluster, and a
 * local {@code ComputationGraph.fit} runs DL4J training listeners, which carry the weight swap of the
 * straight-through estimator (a Spark parameter-averaging worker would not run them). Minibatches come
 * from {@link TrainingBatches} (order and random crops seeded per (seed, epoch, row), no SpecAugment
 * or mixup); ND4J's generator (dropout) is seeded before the first step; the updater of the model's
 * training configuration (Adam, SGD, ...) starts from a fresh state and iteration 0 at the given
 * learning rate. So a rerun on the same rows gives the same model.
 *
 * <p>While it runs, ND4J's swish is replaced by {@link StableSwish}: ND4J 1.0.0-M2.1's swish derivative is
 * NaN for inputs above about 44 (float32), which pruning in particular produces (measured on the demo's
 * bcresnet-asc: every gradient NaN after the first step). The forward values are the same, and the
 * original activation is put back before the model is saved.
 */
final class FineTuning {
  private static final Logger LOG = LoggerFactory.getLogger(FineTuning.class);
  /** Minibatches built at once (bounds the memory of long rows). */
  private static final int CHUNK = 16;

  private FineTuning() {}

  /**
   * @param net          the network, trained in place
   * @param rows         labelled training rows
   * @param batches      minibatch maker
   * @param batchSize    rows per minibatch (as given to {@code batches})
   * @param epochs       passes over the rows
   * @param learningRate the learning rate of every layer
   * @param seed         seed of ND4J's generator (dropout)
   * @param hook         listener keeping the compression (null for none)
   * @param what         name for the log
   * @return the mean training loss of each epoch
   */
  static List<Double> fit(ComputationGraph net, List<Example> rows, TrainingBatches batches, int batchSize,
      int epochs, double learningRate, long seed, TrainingListener hook, String what) {
    List<Double> losses = new ArrayList<>();
    if (epochs == 0 || rows.isEmpty()) {
      return losses;
    }
    Nd4j.getRandom().setSeed(seed);
    net.getConfiguration().setIterationCount(0);
    net.getConfiguration().setEpochCount(0);
    net.setLearningRate(learningRate);
    if (hook != null) {
      net.setListeners(hook);
    }
    int count = TrainingBatches.batchCount(batchSize, rows.size());
    Map<org.deeplearning4j.nn.conf.layers.Layer, IActivation> swapped = useStableSwish(net);
    try {
      for (int epoch = 0; epoch < epochs; epoch++) {
        double sum = 0;
        long n = 0;
        for (int from = 0; from < count; from += CHUNK) {
          Iterator<DataSet> it = batches.batches(epoch, rows.iterator(), from, Math.min(count, from + CHUNK));
          while (it.hasNext()) {
            DataSet ds = it.next();
            net.fit(ds);
            long b = ds.getFeatures().size(0);
            sum += net.score() * b;
            n += b;
          }
        }
        double loss = sum / Math.max(1, n);
        losses.add(loss);
        LOG.info(String.format(Locale.ROOT, "compress: %s fine-tuning epoch %d/%d, %d rows, loss %.4f", what,
            epoch + 1, epochs, n, loss));
        if (!Double.isFinite(loss)) {
          throw new org.ascspark.training.train.TrainingException("compress: the " + what + " fine-tuning loss"
              + " became " + loss + " in epoch " + (epoch + 1) + "; lower its learning rate");
        }
      }
    } finally {
      net.setListeners(new TrainingListener[0]);
      swapped.forEach(FineTuning::setActivation);
    }
    return losses;
  }

  /**
   * Replaces ND4J's swish by {@link StableSwish} (same forward values, a derivative that does not
   * overflow) in every layer of the network, for the duration of the fine-tuning.
   *
   * @return each changed layer configuration with its original activation, to put back
   */
  static Map<org.deeplearning4j.nn.conf.layers.Layer, IActivation> useStableSwish(ComputationGraph net) {
    Map<org.deeplearning4j.nn.conf.layers.Layer, IActivation> swapped = new IdentityHashMap<>();
    for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
      org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
      IActivation a = conf instanceof ActivationLayer al ? al.getActivationFn()
          : conf instanceof BaseLayer bl ? bl.getActivationFn() : null;
      if (a instanceof ActivationSwish) {
        swapped.put(conf, a);
        setActivation(conf, new StableSwish());
      }
    }
    return swapped;
  }

  private static void setActivation(org.deeplearning4j.nn.conf.layers.Layer conf, IActivation a) {
    if (conf instanceof ActivationLayer al) {
      al.setActivationFn(a);
    } else {
      ((BaseLayer) conf).setActivationFn(a);
    }
  }

  /**
   * Quantisation-aware training of the weights by the straight-through estimator (SCUT, seed 002
   * §3.2.1; Jacob et al. 2018): float "shadow" weights are kept; before each forward pass the network
   * holds their int8 fake-quantised values ({@link Quantization#symmetricPerChannel}, scales from the
   * current shadow weights), so the loss and its gradient are those of the quantised network; after
   * the gradient is computed ({@code onGradientCalculation}, before DL4J's updater runs) the shadow
   * weights are put back, so the update (and weight decay) applies to the float weights; after the
   * step ({@code iterationDone}) the new float weights are saved and their quantised values installed
   * again. The gradient with respect to a float weight is thus taken to be the gradient with respect
   * to its quantised value (rounding's derivative treated as 1; nothing is clamped, as the symmetric
   * scale covers every weight). Between iterations, and at the end, the network holds the quantised
   * weights. The shadow weights are kept as float32 (the networks of this project are float32). The
   * hook relies on DL4J's order within an iteration (M2.1 {@code BaseOptimizer.gradientAndScore}, then
   * {@code StochasticGradientDescent.optimize}): gradient, {@code onGradientCalculation}, updater and
   * step, {@code iterationDone}; {@code FineTuningTest} checks one step against a hand computation.
   */
  static final class WeightFakeQuant extends BaseTrainingListener {
    private final List<WeightTensors.Tensor> tensors;
    private final float[][] shadow;
    private List<Quantization.TensorScales> scales;

    /**
     * Saves the current (float) weights and installs their quantised values.
     *
     * @param tensors the weight tensors of the network being trained
     */
    WeightFakeQuant(List<WeightTensors.Tensor> tensors) {
      this.tensors = List.copyOf(tensors);
      this.shadow = new float[tensors.size()][];
      install();
    }

    private void install() {
      List<Quantization.TensorScales> s = new ArrayList<>();
      for (int i = 0; i < tensors.size(); i++) {
        WeightTensors.Tensor t = tensors.get(i);
        shadow[i] = t.read();
        Quantization.PerChannel q = Quantization.symmetricPerChannel(shadow[i], t.channelOf(), t.channels(),
            Quantization.INT8_WEIGHT_LEVEL);
        t.write(q.dequantized());
        s.add(new Quantization.TensorScales(t.vertex(), t.key(), t.layout(), q.scales()));
      }
      scales = s;
    }

    @Override
    public void onGradientCalculation(Model model) {
      for (int i = 0; i < tensors.size(); i++) {
        tensors.get(i).write(shadow[i]);
      }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
      install();
    }

    /** @return the float weights the quantised ones come from, per tensor */
    float[][] shadow() {
      return shadow;
    }

    /** @return the scales of the installed quantised weights */
    List<Quantization.TensorScales> scales() {
      return scales;
    }
  }

  /** Keeps pruned weights at zero: re-applies the masks after every update. */
  static final class KeepPruned extends BaseTrainingListener {
    private final List<Pruning.Mask> masks;

    /** @param masks the pruning masks */
    KeepPruned(List<Pruning.Mask> masks) {
      this.masks = List.copyOf(masks);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
      for (Pruning.Mask m : masks) {
        m.apply();
      }
    }
  }
}
