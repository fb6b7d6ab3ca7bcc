package org.ascspark.training.evaluate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ascspark.training.eval.Prediction;
import org.ascspark.training.infer.Inference;
import org.ascspark.training.train.TrainingException;

/**
 * Late fusion of several models' clip probabilities (AIT §2.2: three students on Mel, Gammatone and
 * CQT spectrograms). {@code mean}: p_c = (1/S) Σ_s p_sc. {@code prod}: p_c ∝ Π_s p_sc, renormalised
 * to sum to 1 (AIT's (1/S) Π_s p_sc has the same argmax; the log loss needs a distribution), computed
 * in the log domain with each probability floored at 1e-12.
 */
public final class Fusion {
  private static final double FLOOR = 1e-12;

  private Fusion() {}

  /**
   * @param method {@code mean} or {@code prod}
   * @param members each model's clip scores (same clips, any order)
   * @return the fused clip scores, in the first member's order, with its file names and labels
   * @throws TrainingException when the members scored different clips
   */
  public static List<Inference.ClipScore> fuse(String method, List<List<Inference.ClipScore>> members) {
    List<Inference.ClipScore> first = members.get(0);
    List<Map<String, double[]>> byClip = new ArrayList<>();
    for (List<Inference.ClipScore> m : members) {
      Map<String, double[]> map = new HashMap<>();
      for (Inference.ClipScore c : m) {
        map.put(c.prediction().clipId(), c.prediction().probs());
      }
      if (map.size() != first.size()) {
        throw new TrainingException("fusion: one model scored " + map.size() + " clips, the first "
            + first.size() + "; fused models must see the same clips");
      }
      byClip.add(map);
    }
    List<Inference.ClipScore> out = new ArrayList<>(first.size());
    for (Inference.ClipScore c : first) {
      Prediction p = c.prediction();
      int k = p.probs().length;
      double[] fused = new double[k];
      for (Map<String, double[]> m : byClip) {
        double[] q = m.get(p.clipId());
        if (q == null) {
          throw new TrainingException("fusion: clip " + p.clipId() + " is missing from one model's scores");
        }
        for (int j = 0; j < k; j++) {
          fused[j] += method.equals("prod") ? Math.log(Math.max(q[j], FLOOR)) : q[j] / byClip.size();
        }
      }
      if (method.equals("prod")) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : fused) {
          max = Math.max(max, v);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
          fused[j] = Math.exp(fused[j] - max);
          sum += fused[j];
        }
        for (int j = 0; j < k; j++) {
          fused[j] /= sum;
        }
      } else if (!method.equals("mean")) {
        throw new IllegalArgumentException("unknown fusion '" + method + "'; known: mean, prod");
      }
      out.add(new Inference.ClipScore(c.filename(), new Prediction(p.clipId(), p.trueLabel(), p.device(), fused)));
    }
    return out;
  }
}
