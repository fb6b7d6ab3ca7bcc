package org.ascspark.training.nn;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Swish {@code f(x) = x sigmoid(x)} (Ramachandran et al. 2017; the activation of BC-ResNet's temporal
 * path) with a derivative that stays finite for every input. Forward: the same values as ND4J's
 * {@code ActivationSwish}. Backward: {@code f'(x) = s + x s (1 - s)}, {@code s = sigmoid(x)}, in which
 * no term overflows (for large |x| one factor is 0 or 1).
 *
 * <p>Why: in ND4J 1.0.0-M2.1 {@code ActivationSwish.backprop} returns NaN for inputs above about 44 in
 * float32 (about 355 in float64), where its formula overflows; a single such activation turns every
 * gradient of the network into NaN. {@code ./asc compress} uses this class while fine-tuning (and
 * puts the original activation back before saving, as the forward pass is the same), because pruning
 * can push swish inputs that high; the test {@code StableSwishTest} shows the ND4J behaviour.
 */
public final class StableSwish extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        INDArray s = Transforms.sigmoid(in, true);
        return in.muli(s);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        INDArray s = Transforms.sigmoid(in, true);
        // s + x s (1 - s), written into in
        INDArray d = in.mul(s).muli(s.rsub(1.0)).addi(s);
        in.assign(d.muli(epsilon));
        return new Pair<>(in, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StableSwish;
    }

    @Override
    public int hashCode() {
        return StableSwish.class.hashCode();
    }

    @Override
    public String toString() {
        return "stableswish";
    }
}
