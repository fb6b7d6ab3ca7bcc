package org.ascspark.training.compress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The weight tensors that quantisation and pruning act on, and the output channel of every element.
 *
 * <p>A weight is a parameter array of a layer (not a BatchNormalization) that the layer's
 * {@code ParamInitializer} calls a weight: the kernels of convolutions, depthwise and separable
 * convolutions, dense and output layers. Biases, BatchNorm scale/shift and running statistics are not
 * weights; this is the split {@link org.ascspark.training.complexity.ComplexityAnalyzer} uses for
 * mixed-precision sizes. Output channel of element {@code i} of the C-order array (DL4J layouts):
 * <ul>
 *   <li>convolution {@code W [outC, inC, kH, kW]} (also 1-D) and separable pointwise
 *       {@code pW [outC, inC·dm, 1, 1]}: {@code i / (inC·kH·kW)};</li>
 *   <li>dense and output layers {@code W [nIn, nOut]}: {@code i mod nOut};</li>
 *   <li>depthwise {@code W [kH, kW, inC, dm]}: {@code i mod (inC·dm)};</li>
 *   <li>separable depthwise part {@code W [dm, inC, kH, kW]}: {@code i / (kH·kW)} (one filter per
 *       (multiplier, input channel));</li>
 *   <li>any other weight: one channel for the whole tensor (per-tensor).</li>
 * </ul>
 */
final class WeightTensors {

  private WeightTensors() {}

  /**
   * One weight array of a network.
   *
   * @param vertex    the layer's vertex name
   * @param key       the parameter key, e.g. {@code W}
   * @param values    the live parameter view (writing it changes the network)
   * @param channelOf output channel of every C-order element
   * @param channels  number of output channels
   * @param layout    how the channels were assigned, for reports ({@code per-channel} or
   *                  {@code per-tensor})
   */
  record Tensor(String vertex, String key, INDArray values, int[] channelOf, int channels, String layout) {

    /** @return {@code vertex/key} */
    String id() {
      return vertex + "/" + key;
    }

    /** @return the values in C order, as floats */
    float[] read() {
      return values.dup('c').data().asFloat();
    }

    /** Writes values given in C order. */
    void write(float[] v) {
      values.assign(org.nd4j.linalg.factory.Nd4j.create(v, values.shape(), 'c').castTo(values.dataType()));
    }
  }

  /**
   * @param net a network
   * @return its weight tensors in topological order
   */
  static List<Tensor> of(ComputationGraph net) {
    List<Tensor> out = new ArrayList<>();
    for (int idx : net.topologicalSortOrder()) {
      org.deeplearning4j.nn.graph.vertex.GraphVertex v = net.getVertices()[idx];
      if (v.isInputVertex() || !v.hasLayer()) {
        continue;
      }
      org.deeplearning4j.nn.conf.graph.GraphVertex cv = net.getConfiguration().getVertices().get(v.getVertexName());
      if (!(cv instanceof LayerVertex lv)) {
        continue;
      }
      Layer layer = lv.getLayerConf().getLayer();
      if (layer instanceof BatchNormalization) {
        continue;
      }
      Map<String, INDArray> params = v.paramTable(false);
      if (params == null) {
        continue;
      }
      for (Map.Entry<String, INDArray> p : params.entrySet()) {
        if (!layer.initializer().isWeightParam(layer, p.getKey())) {
          continue;
        }
        INDArray w = p.getValue();
        long[] shape = w.shape();
        int n = (int) w.length();
        int[] channelOf = new int[n];
        int channels;
        String layout = "per-channel";
        if (layer instanceof SeparableConvolution2D && p.getKey().equals("W") && shape.length == 4) {
          int per = (int) (shape[2] * shape[3]);
          channels = n / per;
          for (int i = 0; i < n; i++) {
            channelOf[i] = i / per;
          }
        } else if (layer instanceof DepthwiseConvolution2D && shape.length == 4) {
          channels = (int) (shape[2] * shape[3]);
          for (int i = 0; i < n; i++) {
            channelOf[i] = i % channels;
          }
        } else if ((layer instanceof SeparableConvolution2D || layer.getClass() == ConvolutionLayer.class
            || layer.getClass() == Convolution2D.class || layer instanceof Convolution1DLayer)
            && shape.length >= 2) {
          channels = (int) shape[0];
          int per = n / channels;
          for (int i = 0; i < n; i++) {
            channelOf[i] = i / per;
          }
        } else if ((layer instanceof DenseLayer || layer instanceof BaseOutputLayer) && shape.length == 2) {
          channels = (int) shape[1];
          for (int i = 0; i < n; i++) {
            channelOf[i] = i % channels;
          }
        } else {
          channels = 1;
          layout = "per-tensor";
        }
        out.add(new Tensor(v.getVertexName(), p.getKey(), w, channelOf, channels, layout));
      }
    }
    return out;
  }
}
