package org.ascspark.training.compress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ascspark.training.models.Models;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Folds BatchNormalization layers into the linear layers in front of them (valeo SP4ASC, seed 004
 * §2.2 eq. 3-5: "at testing time ... merging each convolution layer with its following batch
 * normalisation layer ... in the form of a bias"), producing a network without those BN layers that
 * computes the same outputs at inference.
 *
 * <p>At inference a BN is the per-channel affine map {@code y = s_c x + t_c} with
 * {@code s_c = gamma_c / sqrt(var_c + eps)} and {@code t_c = beta_c - mean_c s_c} (DL4J M2.1 with
 * {@code useLogStd}: {@code var = 10^(2 log10std)}; {@code lockGammaBeta}: the fixed gamma and beta). A
 * BN folds when it has one input, no input preprocessor, is not a network output nor the
 * {@value Models#EMBEDDING} vertex, and its input is either
 * <ol>
 *   <li>a <b>linear layer</b>: a plain 2-D or 1-D convolution, a depthwise or separable convolution
 *       (into its pointwise kernel) or a dense layer, with identity activation, that feeds nothing
 *       but the BN and is not a network output; then {@code W'_c = s_c W_c} and
 *       {@code b'_c = s_c b_c + t_c} (a bias is added when the layer had none); or</li>
 *   <li>an <b>element-wise sum of linear layers</b> of that kind (the separable block of sp4asc,
 *       seed 004 eq. 2: {@code h3x1(g(X)) + h1x3(g(X))}), the sum feeding nothing but the BN: every
 *       summand's kernel and bias are scaled by {@code s_c} and {@code t_c} is added to the bias of
 *       the first summand only.</li>
 * </ol>
 * The BN vertex is then removed and its consumers read the layer (or the sum) instead. Everything
 * else stays, with a reason: a BN on the network input, behind a reshape (SubSpectral Norm and
 * sp4asc's BN per mel bin), after an activation (ait-student's conv - ReLU - BN), after a layer that
 * also feeds another vertex, ... Folding a BN into the layer <em>after</em> it is not attempted (zero
 * padding makes it inexact). Parameters of everything else are copied unchanged; the folded network
 * has a fresh updater state.
 *
 * <p>{@link org.ascspark.training.models.ParamCounts#folded} counts what this leaves; the complexity
 * analyser counts the folded network's parameters as its own.
 */
public final class BatchNormFolding {

  private BatchNormFolding() {}

  /**
   * What folding did.
   *
   * @param net    the folded network
   * @param folded BN vertex name to the layers it was folded into, in topological order
   * @param kept   BN vertex name to why it stays, in topological order
   */
  public record Result(ComputationGraph net, Map<String, List<String>> folded, Map<String, String> kept) {}

  /**
   * @param net a network (not changed)
   * @return the folded network and what was folded
   */
  public static Result fold(ComputationGraph net) {
    GraphEdit edit = new GraphEdit(net.getConfiguration());
    Map<String, List<String>> folded = new LinkedHashMap<>();
    Map<String, String> kept = new LinkedHashMap<>();
    for (String v : edit.vertices()) {
      if (edit.layer(v) instanceof BatchNormalization) {
        List<String> targets = new ArrayList<>();
        String reason = blocker(edit, v, targets);
        if (reason == null) {
          folded.put(v, targets);
        } else {
          kept.put(v, reason);
        }
      }
    }
    for (Map.Entry<String, List<String>> e : folded.entrySet()) {
      List<String> targets = e.getValue();
      for (int i = 0; i < targets.size(); i++) {
        Layer l = edit.layer(targets.get(i));
        if (i == 0) {
          setHasBias(l);
        }
      }
      edit.bypass(e.getKey());
    }
    ComputationGraph out = edit.build(net);
    for (Map.Entry<String, List<String>> e : folded.entrySet()) {
      double[][] affine = affine(net, e.getKey());
      List<String> targets = e.getValue();
      for (int i = 0; i < targets.size(); i++) {
        foldInto(net, out, targets.get(i), affine[0], i == 0 ? affine[1] : null);
      }
    }
    return new Result(out, folded, kept);
  }

  /** @return null when the BN folds (targets filled), else why it does not */
  private static String blocker(GraphEdit edit, String bn, List<String> targets) {
    GraphVertex cv = edit.conf().getVertices().get(bn);
    if (((LayerVertex) cv).getPreProcessor() != null) {
      return "it has an input preprocessor";
    }
    if (edit.isOutput(bn) || bn.equals(Models.EMBEDDING)) {
      return "it is a named output of the network";
    }
    List<String> ins = edit.inputsOf(bn);
    if (ins.size() != 1) {
      return "it has " + ins.size() + " inputs";
    }
    String p = ins.get(0);
    GraphVertex pv = edit.conf().getVertices().get(p);
    if (pv == null) {
      return "its input '" + p + "' is the network input";
    }
    long channels = ((BatchNormalization) edit.layer(bn)).getNOut();
    if (pv instanceof ElementWiseVertex ew) {
      if (ew.getOp() != ElementWiseVertex.Op.Add) {
        return "its input '" + p + "' is an element-wise " + ew.getOp() + ", not a sum";
      }
      String why = soleConsumer(edit, p, bn);
      if (why != null) {
        return why;
      }
      for (String s : edit.inputsOf(p)) {
        why = foldableLayer(edit, s, p, channels);
        if (why != null) {
          return "its input '" + p + "' is a sum whose summand " + why;
        }
        if (targets.contains(s)) {
          return "its input '" + p + "' adds '" + s + "' twice";
        }
        targets.add(s);
      }
      return null;
    }
    String why = foldableLayer(edit, p, bn, channels);
    if (why != null) {
      return "its input " + why;
    }
    targets.add(p);
    return null;
  }

  /** @return null when {@code vertex} feeds only {@code consumer} and is not an output, else why not */
  private static String soleConsumer(GraphEdit edit, String vertex, String consumer) {
    List<String> cons = edit.consumersOf(vertex);
    if (cons.size() != 1 || edit.isOutput(vertex)) {
      List<String> others = new ArrayList<>(cons);
      others.remove(consumer);
      if (edit.isOutput(vertex)) {
        others.add("the network output");
      }
      return "'" + vertex + "' also feeds " + String.join(", ", others);
    }
    return null;
  }

  /** @return null when {@code vertex} is a linear layer a BN of this width can fold into, else why not */
  private static String foldableLayer(GraphEdit edit, String vertex, String consumer, long channels) {
    Layer l = edit.layer(vertex);
    if (l == null) {
      GraphVertex v = edit.conf().getVertices().get(vertex);
      return "'" + vertex + "' is " + (v == null ? "the network input" : "a " + v.getClass().getSimpleName());
    }
    if (kind(l) == null) {
      return "'" + vertex + "' is a " + l.getClass().getSimpleName() + ", not a convolution or dense layer";
    }
    if (!(((BaseLayer) l).getActivationFn() instanceof ActivationIdentity)) {
      return "'" + vertex + "' has activation " + ((BaseLayer) l).getActivationFn();
    }
    if (((FeedForwardLayer) l).getNOut() != channels) {
      return "'" + vertex + "' has " + ((FeedForwardLayer) l).getNOut() + " channels, the BN " + channels;
    }
    return soleConsumer(edit, vertex, consumer);
  }

  /** Layout of the kernel a BN scales, relative to its output channels. */
  private enum Kind {
    /** {@code W [outC, ...]}: channel = i / (length / outC). */
    CONV,
    /** {@code W [nIn, nOut]}: channel = i mod nOut. */
    DENSE,
    /** {@code W [kH, kW, inC, dm]}: channel = i mod (inC dm). */
    DEPTHWISE,
    /** pointwise {@code pW [outC, inC dm, 1, 1]}: channel = i / (length / outC). */
    SEPARABLE
  }

  private static Kind kind(Layer l) {
    if (l instanceof SeparableConvolution2D) {
      return Kind.SEPARABLE;
    }
    if (l instanceof DepthwiseConvolution2D) {
      return Kind.DEPTHWISE;
    }
    if (l.getClass() == ConvolutionLayer.class || l.getClass() == Convolution2D.class
        || l instanceof Convolution1DLayer) {
      return Kind.CONV;
    }
    if (l.getClass() == DenseLayer.class) {
      return Kind.DENSE;
    }
    return null;
  }

  private static void setHasBias(Layer l) {
    if (l instanceof ConvolutionLayer c) {
      c.setHasBias(true);
    } else if (l instanceof DenseLayer d) {
      d.setHasBias(true);
    }
  }

  /** @return {scale s_c, shift t_c} of a BN vertex at inference */
  static double[][] affine(ComputationGraph net, String bn) {
    BatchNormalization conf = (BatchNormalization) net.getLayer(bn).conf().getLayer();
    Map<String, INDArray> p = net.getVertex(bn).paramTable(false);
    double[] mean = values(p.get("mean"));
    int c = mean.length;
    double[] var;
    if (conf.isUseLogStd()) {
      double[] log10Std = values(p.get("log10stdev"));
      var = new double[c];
      for (int i = 0; i < c; i++) {
        var[i] = Math.pow(10.0, 2.0 * log10Std[i]);
      }
    } else {
      var = values(p.get("var"));
    }
    double[] gamma = new double[c];
    double[] beta = new double[c];
    if (conf.isLockGammaBeta()) {
      java.util.Arrays.fill(gamma, conf.getGamma());
      java.util.Arrays.fill(beta, conf.getBeta());
    } else {
      gamma = values(p.get("gamma"));
      beta = values(p.get("beta"));
    }
    double[] s = new double[c];
    double[] t = new double[c];
    for (int i = 0; i < c; i++) {
      s[i] = gamma[i] / Math.sqrt(var[i] + conf.getEps());
      t[i] = beta[i] - mean[i] * s[i];
    }
    return new double[][] {s, t};
  }

  /**
   * Sets the kernel and bias of {@code layer} in {@code out} from those in {@code in}: kernel and bias
   * scaled by {@code s} per output channel, {@code t} added to the bias when given.
   */
  private static void foldInto(ComputationGraph in, ComputationGraph out, String layer, double[] s, double[] t) {
    Kind kind = kind(in.getLayer(layer).conf().getLayer());
    String wKey = kind == Kind.SEPARABLE ? "pW" : "W";
    INDArray w = in.getVertex(layer).paramTable(false).get(wKey);
    double[] wv = values(w);
    int c = s.length;
    for (int i = 0; i < wv.length; i++) {
      int ch = switch (kind) {
        case CONV, SEPARABLE -> i / (wv.length / c);
        case DENSE, DEPTHWISE -> i % c;
      };
      wv[i] *= s[ch];
    }
    Map<String, INDArray> target = out.getVertex(layer).paramTable(false);
    INDArray tw = target.get(wKey);
    tw.assign(Nd4j.create(wv, w.shape(), 'c').castTo(tw.dataType()));
    INDArray oldB = in.getVertex(layer).paramTable(false).get("b");
    INDArray tb = target.get("b");
    if (tb == null) {
      if (t != null || oldB != null) {
        throw new IllegalStateException("folded layer '" + layer + "' has no bias to take the BN shift");
      }
      return;
    }
    double[] b = oldB == null ? new double[c] : values(oldB);
    for (int ch = 0; ch < c; ch++) {
      b[ch] = s[ch] * b[ch] + (t == null ? 0.0 : t[ch]);
    }
    tb.assign(Nd4j.create(b, tb.shape(), 'c').castTo(tb.dataType()));
  }

  /** @return the array's values in C order, as doubles */
  static double[] values(INDArray a) {
    return a.dup('c').data().asDouble();
  }
}
