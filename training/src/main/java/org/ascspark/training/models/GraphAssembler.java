package org.ascspark.training.models;

import java.util.HashMap;
import java.util.Map;
import org.ascspark.training.nn.DilatedDepthwiseConvolution;
import org.ascspark.training.nn.SubSpectralNorm;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * A {@link ComputationGraphConfiguration.GraphBuilder} with NCHW shape bookkeeping, so a model factory
 * can fail with a readable message (which model, which layer, which feature shape) before DL4J's
 * own shape inference does. Convolutions are bias-free unless a method says otherwise and use
 * truncating output sizes, {@code out = floor((in + 2 pad - dil (k - 1) - 1) / stride) + 1}, as
 * PyTorch; {@link #convSame} is the exception (TensorFlow/Keras {@code padding='same'}).
 */
final class GraphAssembler {

    /** Activation shape without the batch dimension. */
    record Shape(long channels, long freq, long time) {
    }

    private final String model;
    private final String featureShape;
    private final ComputationGraphConfiguration.GraphBuilder graph;
    private final Map<String, Shape> shapes = new HashMap<>();

    GraphAssembler(String model, NeuralNetConfiguration.Builder base, int channels, int bins, int frames) {
        this.model = model;
        this.featureShape = "[" + channels + " x " + bins + " x " + frames + "] (channels x bins x frames)";
        this.graph = base.graphBuilder()
                .addInputs(Models.INPUT)
                .setInputTypes(InputType.convolutional(bins, frames, channels));
        shapes.put(Models.INPUT, new Shape(channels, bins, frames));
    }

    ComputationGraphConfiguration.GraphBuilder graph() {
        return graph;
    }

    Shape shape(String vertex) {
        return shapes.get(vertex);
    }

    private String put(String name, Shape s) {
        if (s.freq() < 1 || s.time() < 1) {
            throw new IllegalArgumentException(model + " cannot take features of shape " + featureShape
                    + ": the activation at '" + name + "' would be " + s.freq() + " x " + s.time()
                    + " (freq x time)");
        }
        shapes.put(name, s);
        return name;
    }

    private static long outSize(long in, int k, int stride, int pad, int dil) {
        return Math.floorDiv(in + 2L * pad - (long) dil * (k - 1) - 1, stride) + 1;
    }

    /** Bias-free 2-D convolution, kernel kf x kt (freq x time). */
    String conv(String name, String in, int nOut, int kf, int kt, int sf, int st, int pf, int pt) {
        Shape s = shapes.get(in);
        graph.addLayer(name, new ConvolutionLayer.Builder(kf, kt).stride(sf, st).padding(pf, pt).nOut(nOut)
                .hasBias(false).build(), in);
        return put(name, new Shape(nOut, outSize(s.freq(), kf, sf, pf, 1), outSize(s.time(), kt, st, pt, 1)));
    }

    /**
     * Stride-1 convolution with TensorFlow/Keras {@code padding='same'} (DL4J {@link ConvolutionMode#Same}):
     * the output has the input's size; for an even kernel the extra padding row/column goes at the
     * bottom/right, as in TensorFlow.
     */
    String convSame(String name, String in, int nOut, int kf, int kt, boolean bias) {
        Shape s = shapes.get(in);
        graph.addLayer(name, new ConvolutionLayer.Builder(kf, kt).stride(1, 1).convolutionMode(ConvolutionMode.Same)
                .nOut(nOut).hasBias(bias).build(), in);
        return put(name, new Shape(nOut, s.freq(), s.time()));
    }

    /** Bias-free depthwise (channel-wise, multiplier 1) convolution with a stride and no dilation. */
    String depthwiseStrided(String name, String in, int kf, int kt, int sf, int st, int pf, int pt) {
        Shape s = shapes.get(in);
        graph.addLayer(name, new DepthwiseConvolution2D.Builder(kf, kt).depthMultiplier(1).stride(sf, st)
                .padding(pf, pt).hasBias(false).build(), in);
        return put(name, new Shape(s.channels(), outSize(s.freq(), kf, sf, pf, 1), outSize(s.time(), kt, st, pt, 1)));
    }

    /**
     * Bias-free depthwise (channel-wise, multiplier 1) convolution with stride 1; a dilated one is a
     * {@link DilatedDepthwiseConvolution} (same parameters and output, computed on the phases).
     */
    String depthwise(String name, String in, int kf, int kt, int pf, int pt, int df, int dt) {
        Shape s = shapes.get(in);
        DepthwiseConvolution2D.Builder b = new DepthwiseConvolution2D.Builder(kf, kt).depthMultiplier(1)
                .stride(1, 1).padding(pf, pt).dilation(df, dt).hasBias(false);
        graph.addLayer(name, df > 1 || dt > 1 ? new DilatedDepthwiseConvolution(b) : b.build(), in);
        return put(name, new Shape(s.channels(), outSize(s.freq(), kf, 1, pf, df), outSize(s.time(), kt, 1, pt, dt)));
    }

    String batchNorm(String name, String in) {
        graph.addLayer(name, new BatchNormalization.Builder().build(), in);
        return put(name, shapes.get(in));
    }

    String activation(String name, String in, Activation activation) {
        graph.addLayer(name, new ActivationLayer.Builder().activation(activation).build(), in);
        return put(name, shapes.get(in));
    }

    /** k x k pooling with stride k, truncating. */
    String pool(String name, String in, PoolingType type, int k) {
        Shape s = shapes.get(in);
        graph.addLayer(name, new SubsamplingLayer.Builder(type).kernelSize(k, k).stride(k, k).build(), in);
        return put(name, new Shape(s.channels(), outSize(s.freq(), k, k, 0, 1), outSize(s.time(), k, k, 0, 1)));
    }

    String subSpectralNorm(String name, String in, int subBands) {
        Shape s = shapes.get(in);
        if (s.freq() % subBands != 0) {
            throw new IllegalArgumentException(model + " cannot take features of shape " + featureShape
                    + ": SubSpectral Norm '" + name + "' needs the frequency size " + s.freq()
                    + " to be divisible by " + subBands + " sub-bands");
        }
        SubSpectralNorm.add(graph, name, in, subBands);
        return put(name, s);
    }

    /** A shape-preserving custom vertex, or one whose output shape the caller gives. */
    String vertex(String name, GraphVertex vertex, Shape out, String... in) {
        graph.addVertex(name, vertex, in);
        return put(name, out);
    }

    /** Concatenation along channels (DL4J {@link MergeVertex}); the inputs must agree in frequency and time. */
    String concat(String name, String... in) {
        Shape first = shapes.get(in[0]);
        long channels = 0;
        for (String i : in) {
            channels += shapes.get(i).channels();
        }
        graph.addVertex(name, new MergeVertex(), in);
        return put(name, new Shape(channels, first.freq(), first.time()));
    }

    String add(String name, String... in) {
        graph.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), in);
        return put(name, shapes.get(in[0]));
    }

    /** A layer whose output is shape-preserving (dropout) or no longer a feature map (pooling, dense). */
    String layer(String name, Layer layer, Shape out, String in) {
        graph.addLayer(name, layer, in);
        shapes.put(name, out);
        return name;
    }
}
