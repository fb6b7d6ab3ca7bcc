package org.ascspark.training.nn;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A depthwise convolution dilated along one axis, computed as an undilated one on the phases of that
 * axis. It is a {@link DepthwiseConvolution2D} in every other respect: the same parameters (names,
 * shapes, initialisation), the same output sizes, the same JSON apart from the class name, so
 * complexity accounting and BN folding treat it as one.
 *
 * <p>Why: on the oneDNN build of ND4J 1.0.0-M2.1, libnd4j's {@code depthwise_conv2d} fails for any
 * dilation ("could not create a descriptor for a dilated convolution forward propagation primitive":
 * its right padding ignores the dilation), and the build without oneDNN runs dilated depthwise
 * convolutions about 8x slower than PyTorch.
 *
 * <p>How: with dilation {@code d} and padding {@code p = d p'} along an axis, output position
 * {@code i = m d + r} only reads inputs of phase {@code r}: {@code y[m d + r] = sum_j w[j] x[(m - p' + j) d + r]}.
 * So the input is zero-padded to a multiple of {@code d} along the axis, its {@code d} phases are
 * moved into the other spatial axis (a reshape when the dilated axis is frequency, a transpose when it
 * is time), convolved without dilation and with padding {@code p'}, and moved back and cropped to the
 * dilated output size. The kernel along the other axis must be 1 (as in separable blocks), so the
 * phases stay apart. See {@link DilatedDepthwiseConvolutionLayer}.
 *
 * <p>Constraints, checked when built: NCHW, depth multiplier any, stride 1, truncating (not Same)
 * convolution mode, dilation &gt; 1 along exactly one axis, the padding along that axis a multiple of
 * the dilation, and kernel size 1 and padding 0 along the other axis.
 */
public class DilatedDepthwiseConvolution extends DepthwiseConvolution2D {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation only. */
    public DilatedDepthwiseConvolution() {
        super();
    }

    /**
     * @param builder a depthwise convolution builder, with the dilation set
     * @throws IllegalArgumentException when the configuration is outside the constraints above
     */
    public DilatedDepthwiseConvolution(DepthwiseConvolution2D.Builder builder) {
        super(builder);
        validate();
    }

    /** @return 2 when the dilated axis is frequency (height), 3 when it is time (width) */
    int dilatedAxis() {
        return dilation[0] > 1 ? 2 : 3;
    }

    /** @return the dilation along the dilated axis */
    int factor() {
        return Math.max(dilation[0], dilation[1]);
    }

    void validate() {
        String what = "DilatedDepthwiseConvolution" + (getLayerName() == null ? "" : " '" + getLayerName() + "'");
        if ((dilation[0] > 1) == (dilation[1] > 1)) {
            throw new IllegalArgumentException(what + " needs a dilation > 1 along exactly one axis; got "
                    + dilation[0] + " x " + dilation[1]);
        }
        if (stride[0] != 1 || stride[1] != 1) {
            throw new IllegalArgumentException(what + " needs stride 1; got " + stride[0] + " x " + stride[1]);
        }
        if (convolutionMode == ConvolutionMode.Same) {
            throw new IllegalArgumentException(what + " needs explicit padding (not ConvolutionMode.Same)");
        }
        if (getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw new IllegalArgumentException(what + " needs NCHW input; got " + getCnn2dDataFormat());
        }
        int a = dilation[0] > 1 ? 0 : 1;
        if (padding[a] % dilation[a] != 0) {
            throw new IllegalArgumentException(what + " needs the padding along the dilated axis ("
                    + padding[a] + ") to be a multiple of the dilation (" + dilation[a] + ")");
        }
        if (kernelSize[1 - a] != 1 || padding[1 - a] != 0) {
            throw new IllegalArgumentException(what + " needs kernel size 1 and padding 0 along the undilated"
                    + " axis; got kernel " + kernelSize[0] + " x " + kernelSize[1] + ", padding " + padding[0]
                    + " x " + padding[1]);
        }
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        validate();
        DilatedDepthwiseConvolutionLayer layer = new DilatedDepthwiseConvolutionLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        ParamInitializer init = initializer();
        Map<String, INDArray> table = init.init(conf, layerParamsView, initializeParams);
        layer.setParamTable(table);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public DilatedDepthwiseConvolution clone() {
        return (DilatedDepthwiseConvolution) super.clone();
    }
}
