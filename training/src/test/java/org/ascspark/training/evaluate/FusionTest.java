package org.ascspark.training.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.ascspark.training.eval.Prediction;
import org.ascspark.training.infer.Inference;
import org.ascspark.training.train.TrainingException;
import org.junit.jupiter.api.Test;

/** {@link Fusion}: mean and PROD fusion against hand-computed values, and mismatched members. */
class FusionTest {

  private static Inference.ClipScore clip(String id, double... p) {
    return new Inference.ClipScore(id + ".wav", new Prediction(id, 0, "a", p));
  }

  @Test
  void meanAndProdFusion() {
    List<Inference.ClipScore> a = List.of(clip("c1", 0.6, 0.3, 0.1), clip("c2", 0.2, 0.2, 0.6));
    List<Inference.ClipScore> b = List.of(clip("c2", 0.1, 0.8, 0.1), clip("c1", 0.5, 0.1, 0.4));
    List<Inference.ClipScore> mean = Fusion.fuse("mean", List.of(a, b));
    assertArrayEquals(new double[] {0.55, 0.2, 0.25}, mean.get(0).prediction().probs(), 1e-12);
    assertArrayEquals(new double[] {0.15, 0.5, 0.35}, mean.get(1).prediction().probs(), 1e-12);
    List<Inference.ClipScore> prod = Fusion.fuse("prod", List.of(a, b));
    // c1: 0.30, 0.03, 0.04 -> / 0.37
    assertArrayEquals(new double[] {0.30 / 0.37, 0.03 / 0.37, 0.04 / 0.37}, prod.get(0).prediction().probs(), 1e-12);
    // c2: 0.02, 0.16, 0.06 -> / 0.24: PROD picks class 1 where mean also does
    assertArrayEquals(new double[] {0.02 / 0.24, 0.16 / 0.24, 0.06 / 0.24}, prod.get(1).prediction().probs(), 1e-12);
    assertEquals("c1.wav", prod.get(0).filename());
  }

  @Test
  void membersMustScoreTheSameClips() {
    List<Inference.ClipScore> a = List.of(clip("c1", 0.5, 0.5), clip("c2", 0.5, 0.5));
    assertThrows(TrainingException.class, () -> Fusion.fuse("prod", List.of(a, List.of(clip("c1", 0.5, 0.5)))));
    assertThrows(TrainingException.class, () -> Fusion.fuse("prod",
        List.of(a, List.of(clip("c1", 0.5, 0.5), clip("c3", 0.5, 0.5)))));
  }
}
