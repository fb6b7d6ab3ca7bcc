package org.ascspark.training.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny bcresnet-asc learns a trivially separable two-class problem: diagonal stripes in the
 * time-frequency plane, {@code sin(2 pi (f + t) / 8 + phase)} for class 0 and {@code (f - t)} for class 1
 * (energy moving up or down in frequency), random phase per example, random offset and scale per bin
 * (which FreqIN removes, so they carry no information), plus noise.
 */
class BcResNetFitSmokeTest {

    private static final Logger LOG = LoggerFactory.getLogger(BcResNetFitSmokeTest.class);
    private static final int N = 32;
    private static final int BINS = 32;
    private static final int FRAMES = 16;

    private static DataSet data(long seed) {
        Random rnd = new Random(seed);
        double[][][][] x = new double[N][1][BINS][FRAMES];
        double[][] y = new double[N][2];
        for (int i = 0; i < N; i++) {
            int label = i % 2;
            y[i][label] = 1;
            double direction = label == 0 ? 1 : -1;
            double phase = rnd.nextDouble() * 2 * Math.PI;
            for (int f = 0; f < BINS; f++) {
                double amp = 0.5 + rnd.nextDouble();
                double offset = 3 * rnd.nextGaussian();
                for (int t = 0; t < FRAMES; t++) {
                    x[i][0][f][t] = offset + amp * Math.sin(2 * Math.PI * (f + direction * t) / 8 + phase)
                            + 0.3 * rnd.nextGaussian();
                }
            }
        }
        return new DataSet(Nd4j.create(x).castTo(DataType.FLOAT), Nd4j.create(y).castTo(DataType.FLOAT));
    }

    private static double accuracy(ComputationGraph net, DataSet ds) {
        INDArray pred = net.outputSingle(false, ds.getFeatures()).argMax(1);
        INDArray truth = ds.getLabels().argMax(1);
        return pred.eq(truth).castTo(DataType.INT).sumNumber().doubleValue() / ds.numExamples();
    }

    @Test
    void learnsSeparableProblem() {
        ComputationGraph net = Models.create(ModelSpec.of(Models.BCRESNET_ASC, 1, BINS, FRAMES, 2, 0.5, 7)
                .withUpdater(new Adam(5e-3)));
        DataSet train = data(1);
        double initial = net.score(train, false);
        for (int i = 0; i < 40; i++) {
            net.fit(train);
        }
        double last = net.score(train, false);
        double accTrain = accuracy(net, train);
        double accTest = accuracy(net, data(2));
        LOG.info("bcresnet-asc smoke fit: loss {} -> {}, accuracy train {} held-out {}", initial, last, accTrain,
                accTest);
        assertTrue(last < 0.5 * initial, "loss should fall clearly: " + initial + " -> " + last);
        assertTrue(accTrain >= 0.9, "training accuracy " + accTrain);
        assertTrue(accTest >= 0.9, "held-out accuracy " + accTest);
    }
}
