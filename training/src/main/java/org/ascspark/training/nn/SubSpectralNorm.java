package org.ascspark.training.nn;

import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;

/**
 * SubSpectral Normalisation (SSN; Chang et al., "Subspectral Normalization for Neural Audio Data
 * Processing", ICASSP 2021; the SSN of BC-ResNet, Kim et al. Interspeech 2021 §2.3, and of the QTI
 * BC-ResNet-ASC, seed 003 §1): batch normalisation with separate statistics and separate affine
 * parameters for every (channel, frequency sub-band), the F bins being split into S contiguous
 * sub-bands of F/S bins.
 *
 * <p>Built from standard pieces: a C-order reshape {@code [N, C, F, T] -> [N, C*S, F/S, T]}
 * ({@link SubBandReshapeVertex}), DL4J's {@link BatchNormalization} layer over the C*S channels, and
 * the inverse reshape. Channel c*S+s of the middle tensor is sub-band s of channel c, so the batch
 * norm's per-channel statistics are exactly the per-(channel, sub-band) statistics of SSN. With S = F
 * it is a batch norm per (channel, frequency bin), the "BN per mel bin" input layer of SP4ASC (seed 004
 * §2.3). Parameters: 4*C*S in DL4J's count (gamma, beta, running mean, running variance), 2*C*S
 * trainable.
 */
public final class SubSpectralNorm {

    private SubSpectralNorm() {
    }

    /**
     * Adds SSN to a graph as three vertices: {@code name + "_split"} (reshape),
     * {@code name + "_bn"} (the {@link BatchNormalization} layer holding all parameters) and
     * {@code name} (reshape back; the SSN output).
     *
     * @param graph    graph under construction; the input's type must be known (setInputTypes)
     * @param name     output vertex name; the two helper names must be free as well
     * @param input    name of the vertex feeding SSN, NCHW with frequency size divisible by subBands
     * @param subBands number of sub-bands S &gt;= 1 (1 gives plain batch normalisation)
     * @return {@code name}, the vertex to connect the next layer to
     */
    public static String add(ComputationGraphConfiguration.GraphBuilder graph, String name, String input,
            int subBands) {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        if (subBands < 1) {
            throw new IllegalArgumentException("SubSpectralNorm subBands must be >= 1; got " + subBands);
        }
        graph.addVertex(splitName(name), new SubBandReshapeVertex(subBands, SubBandReshapeVertex.Direction.SPLIT),
                input);
        graph.addLayer(batchNormName(name), new BatchNormalization.Builder().build(), splitName(name));
        graph.addVertex(name, new SubBandReshapeVertex(subBands, SubBandReshapeVertex.Direction.MERGE),
                batchNormName(name));
        return name;
    }

    /** @return the name of the split reshape vertex of the SSN called {@code name} */
    public static String splitName(String name) {
        return name + "_split";
    }

    /** @return the name of the batch-norm layer (the parameters) of the SSN called {@code name} */
    public static String batchNormName(String name) {
        return name + "_bn";
    }
}
