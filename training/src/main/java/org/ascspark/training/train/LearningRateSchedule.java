package org.ascspark.training.train;

import java.io.Serializable;
import java.util.List;

/**
 * Learning rate as a function of training progress in (fractional) epochs, evaluated by the driver
 * before every parameter-averaging round.
 *
 * <ul>
 *   <li>{@code constant}: the base rate;
 *   <li>{@code cosine}: cosine annealing from the base rate to the minimum over all epochs
 *       (Loshchilov and Hutter 2017, without restarts);
 *   <li>{@code restarts}: cosine annealing restarted at each epoch in {@code restartEpochs}
 *       (SGDR; SCUT restarts at 4, 8, 16, 32, 64, 128), each cycle running to the next restart or
 *       to the end of training;
 *   <li>warm-up: over the first {@code warmupEpochs} the rate is multiplied by epoch / warmupEpochs.
 * </ul>
 *
 * @param kind constant, cosine or restarts
 * @param base the base (peak) rate, &gt; 0
 * @param min the rate at the end of each cosine cycle, in [0, base]
 * @param epochs total epochs, &ge; 1
 * @param restartEpochs restart epochs (ascending; those &ge; epochs are ignored)
 * @param warmupEpochs warm-up length in epochs, &ge; 0
 */
public record LearningRateSchedule(String kind, double base, double min, int epochs,
    List<Integer> restartEpochs, double warmupEpochs) implements Serializable {

  /** Schedule kinds. */
  public static final List<String> KINDS = List.of("constant", "cosine", "restarts");

  /** Validates. */
  public LearningRateSchedule {
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("unknown schedule '" + kind + "'; known: " + KINDS);
    }
    if (!(base > 0) || !(min >= 0) || min > base) {
      throw new IllegalArgumentException("need 0 <= min <= base and base > 0, got base " + base
          + ", min " + min);
    }
    restartEpochs = List.copyOf(restartEpochs);
    for (int i = 1; i < restartEpochs.size(); i++) {
      if (restartEpochs.get(i) <= restartEpochs.get(i - 1)) {
        throw new IllegalArgumentException("restart epochs must ascend: " + restartEpochs);
      }
    }
  }

  /**
   * @param progress epochs done so far, fractional, in [0, epochs]
   * @return the learning rate to use from there
   */
  public double at(double progress) {
    double lr;
    switch (kind) {
      case "constant":
        lr = base;
        break;
      case "cosine":
        lr = cosine(progress, 0, epochs);
        break;
      default: {
        double start = 0;
        double end = epochs;
        for (int r : restartEpochs) {
          if (r >= epochs) {
            break;
          }
          if (progress >= r) {
            start = r;
          } else {
            end = r;
            break;
          }
        }
        lr = cosine(progress, start, end);
      }
    }
    if (warmupEpochs > 0 && progress < warmupEpochs) {
      lr *= progress / warmupEpochs;
    }
    return lr;
  }

  private double cosine(double progress, double start, double end) {
    double f = end > start ? Math.min(1, Math.max(0, (progress - start) / (end - start))) : 0;
    return min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * f));
  }
}
