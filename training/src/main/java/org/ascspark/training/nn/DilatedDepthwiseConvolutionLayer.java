package org.ascspark.training.nn;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.DepthwiseConvolution2DLayer;
import org.deeplearning4j.nn.params.DepthwiseConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The layer of a {@link DilatedDepthwiseConvolution}: folds the phases of the dilated axis into the
 * other spatial axis, runs libnd4j's undilated {@code depthwise_conv2d} / {@code depthwise_conv2d_bp}
 * (oneDNN-backed on the onednn build), and unfolds. Fold and unfold are each other's adjoints (a
 * zero pad plus a permutation, and a permutation plus a crop), so the backward pass folds the output
 * gradient, runs the op's backward and unfolds the input gradient.
 *
 * <p>Shapes, for NCHW input {@code [n, c, h, w]}, dilation {@code d} along axis {@code a} of size
 * {@code s}, padded to {@code P = ceil(s / d) d}:
 * <ul>
 *   <li>a = frequency: {@code [n, c, P, w]} viewed as {@code [n, c, P/d, d w]} (phase r of row
 *       {@code m d + r} sits in columns {@code r w .. r w + w - 1}); kernel {@code k x 1} needs no
 *       further change;</li>
 *   <li>a = time: {@code [n, c, h, P/d, d]} transposed to {@code [n, c, h, d, P/d]} and viewed as
 *       {@code [n, c, h d, P/d]}; kernel {@code 1 x k}.</li>
 * </ul>
 */
public class DilatedDepthwiseConvolutionLayer extends DepthwiseConvolution2DLayer {

    private static final long serialVersionUID = 1L;

    /**
     * @param conf     the layer's configuration; its layer is a {@link DilatedDepthwiseConvolution}
     * @param dataType the network's data type
     */
    public DilatedDepthwiseConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private DilatedDepthwiseConvolution dilated() {
        return (DilatedDepthwiseConvolution) conf.getLayer();
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr ws) {
        assertInputSet(false);
        checkInput();
        DilatedDepthwiseConvolution c = dilated();
        INDArray w = getParamWithNoise(DepthwiseConvolutionParamInitializer.WEIGHT_KEY, training, ws);
        INDArray b = c.hasBias() ? getParamWithNoise(DepthwiseConvolutionParamInitializer.BIAS_KEY, training, ws) : null;
        INDArray folded = fold(input, c, ws, ArrayType.FF_WORKING_MEM);
        long[] foldedOut = foldedOutputShape(folded.shape(), w, c);
        INDArray out = ws.createUninitialized(ArrayType.FF_WORKING_MEM, folded.dataType(), foldedOut, 'c');
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("depthwise_conv2d")
                .addIntegerArguments(foldedArgs(c))
                .addOutputs(out)
                .callInplace(false);
        op.addInputs(b == null ? new INDArray[] {folded, w} : new INDArray[] {folded, w, b});
        Nd4j.getExecutioner().exec(op.build());
        long outSize = outputSize(input.size(c.dilatedAxis()), c);
        return new Pair<>(unfold(out, c, input.shape(), outSize, ws, ArrayType.ACTIVATIONS,
                ArrayType.FF_WORKING_MEM), null);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr ws) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, ws);
        INDArray z = preOutput(training, false, ws).getFirst();
        return layerConf().getActivationFn().getActivation(z, training);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr ws) {
        assertInputSet(true);
        checkInput();
        DilatedDepthwiseConvolution c = dilated();
        INDArray w = getParamWithNoise(DepthwiseConvolutionParamInitializer.WEIGHT_KEY, true, ws);
        IActivation afn = layerConf().getActivationFn();
        INDArray delta = epsilon;
        if (!(afn instanceof ActivationIdentity)) {
            INDArray z = preOutput(true, true, ws).getFirst();
            delta = afn.backprop(z, epsilon).getFirst();
        }
        INDArray foldedIn = fold(input, c, ws, ArrayType.BP_WORKING_MEM);
        INDArray foldedDelta = fold(delta, c, ws, ArrayType.BP_WORKING_MEM,
                foldedOutputShape(foldedIn.shape(), w, c));
        INDArray foldedGradIn = ws.createUninitialized(ArrayType.BP_WORKING_MEM, foldedIn.dataType(),
                foldedIn.shape(), 'c');
        INDArray weightGrad = gradientViews.get(DepthwiseConvolutionParamInitializer.WEIGHT_KEY);
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("depthwise_conv2d_bp")
                .addIntegerArguments(foldedArgs(c))
                .callInplace(false);
        Gradient gradient = new DefaultGradient();
        if (c.hasBias()) {
            INDArray b = getParamWithNoise(DepthwiseConvolutionParamInitializer.BIAS_KEY, true, ws);
            INDArray biasGrad = gradientViews.get(DepthwiseConvolutionParamInitializer.BIAS_KEY);
            op.addInputs(foldedIn, w, b, foldedDelta).addOutputs(foldedGradIn, weightGrad, biasGrad);
            gradient.setGradientFor(DepthwiseConvolutionParamInitializer.BIAS_KEY, biasGrad);
        } else {
            op.addInputs(foldedIn, w, foldedDelta).addOutputs(foldedGradIn, weightGrad);
        }
        Nd4j.getExecutioner().exec(op.build());
        gradient.setGradientFor(DepthwiseConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        weightNoiseParams.clear();
        INDArray gradIn = unfold(foldedGradIn, c, input.shape(), input.size(c.dilatedAxis()), ws,
                ArrayType.ACTIVATION_GRAD, ArrayType.BP_WORKING_MEM);
        return new Pair<>(gradient, backpropDropOutIfPresent(gradIn));
    }

    private void checkInput() {
        if (input.rank() != 4) {
            throw new DL4JInvalidInputException("Layer '" + layerConf().getLayerName()
                    + "' (dilated depthwise convolution) expects NCHW input of rank 4; got shape "
                    + java.util.Arrays.toString(input.shape()));
        }
    }

    /** libnd4j depthwise_conv2d integer arguments for the folded, undilated convolution (NCHW). */
    private static int[] foldedArgs(DilatedDepthwiseConvolution c) {
        int[] k = c.getKernelSize();
        int[] p = c.getPadding().clone();
        int a = c.dilatedAxis() - 2;
        p[a] /= c.factor();
        return new int[] {k[0], k[1], 1, 1, p[0], p[1], 1, 1, 0, 0};
    }

    /** Dilated output size along the dilated axis: {@code s + 2 p - d (k - 1)}. */
    static long outputSize(long size, DilatedDepthwiseConvolution c) {
        int a = c.dilatedAxis() - 2;
        return size + 2L * c.getPadding()[a] - (long) c.factor() * (c.getKernelSize()[a] - 1);
    }

    private static long[] foldedOutputShape(long[] foldedIn, INDArray w, DilatedDepthwiseConvolution c) {
        int[] k = c.getKernelSize();
        int[] p = c.getPadding().clone();
        p[c.dilatedAxis() - 2] /= c.factor();
        return new long[] {foldedIn[0], foldedIn[1] * w.size(3), foldedIn[2] + 2L * p[0] - (k[0] - 1),
            foldedIn[3] + 2L * p[1] - (k[1] - 1)};
    }

    private static INDArray fold(INDArray x, DilatedDepthwiseConvolution c, LayerWorkspaceMgr ws, ArrayType type) {
        return fold(x, c, ws, type, null);
    }

    /**
     * Zero-pads {@code x} along the dilated axis to a multiple of d (or, with {@code foldedShape}, to
     * the length that folds into that shape) and moves the phases into the other axis.
     */
    static INDArray fold(INDArray x, DilatedDepthwiseConvolution c, LayerWorkspaceMgr ws, ArrayType type,
            long[] foldedShape) {
        int axis = c.dilatedAxis();
        int d = c.factor();
        long n = x.size(0);
        long ch = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        long size = x.size(axis);
        long perPhase = foldedShape != null ? foldedShape[axis == 2 ? 2 : 3] : (size + d - 1) / d;
        long padded = perPhase * d;
        if (padded < size) {
            throw new IllegalStateException("fold: " + size + " positions do not fit " + perPhase + " x " + d);
        }
        if (axis == 2) {
            INDArray buf = ws.create(type, x.dataType(), new long[] {n, ch, padded, w}, 'c');
            buf.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, size), NDArrayIndex.all())
                    .assign(x);
            return buf.reshape('c', n, ch, perPhase, (long) d * w);
        }
        INDArray buf = ws.create(type, x.dataType(), new long[] {n, ch, h, padded}, 'c');
        buf.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, size))
                .assign(x);
        INDArray phases = ws.createUninitialized(type, x.dataType(), new long[] {n, ch, h, d, perPhase}, 'c');
        phases.assign(buf.reshape('c', n, ch, h, perPhase, d).permute(0, 1, 2, 4, 3));
        return phases.reshape('c', n, ch, h * d, perPhase);
    }

    /**
     * Inverse of {@link #fold}: moves the phases back and crops the dilated axis to {@code size}.
     *
     * @param y       folded, c-ordered
     * @param shape   the unfolded shape; its dilated axis is replaced by {@code size}
     * @param type    the array type of the result
     * @param scratch the array type of the intermediate transpose (time axis)
     */
    static INDArray unfold(INDArray y, DilatedDepthwiseConvolution c, long[] shape, long size,
            LayerWorkspaceMgr ws, ArrayType type, ArrayType scratch) {
        int axis = c.dilatedAxis();
        int d = c.factor();
        long n = y.size(0);
        long ch = y.size(1);
        long[] outShape = shape.clone();
        outShape[1] = ch;
        outShape[axis] = size;
        INDArray out = ws.createUninitialized(type, y.dataType(), outShape, 'c');
        if (axis == 2) {
            long perPhase = y.size(2);
            long w = y.size(3) / d;
            INDArray rows = y.reshape('c', n, ch, perPhase * d, w);
            out.assign(rows.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, size),
                    NDArrayIndex.all()));
            return out;
        }
        long h = y.size(2) / d;
        long perPhase = y.size(3);
        INDArray cols = ws.createUninitialized(scratch, y.dataType(), new long[] {n, ch, h, perPhase, d}, 'c');
        cols.assign(y.reshape('c', n, ch, h, d, perPhase).permute(0, 1, 2, 4, 3));
        out.assign(cols.reshape('c', n, ch, h, perPhase * d).get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.interval(0, size)));
        return out;
    }
}
