package org.ascspark.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  @Test
  void cosineRunsFromBaseToMin() {
    LearningRateSchedule s = new LearningRateSchedule("cosine", 1.0, 0.0, 10, List.of(), 0);
    assertEquals(1.0, s.at(0), 1e-12);
    assertEquals(0.5, s.at(5), 1e-12);
    assertEquals(0.0, s.at(10), 1e-12);
    assertEquals(0.5 * (1 + Math.cos(Math.PI * 0.25)), s.at(2.5), 1e-12);
  }

  @Test
  void restartsBeginANewCycleAtEachRestartEpoch() {
    LearningRateSchedule s = new LearningRateSchedule("restarts", 1.0, 0.0, 16, List.of(4, 8, 32), 0);
    assertEquals(1.0, s.at(0), 1e-12);
    assertEquals(0.5, s.at(2), 1e-12);
    assertEquals(1.0, s.at(4), 1e-12);
    assertEquals(0.5, s.at(6), 1e-12);
    assertEquals(1.0, s.at(8), 1e-12);
    // The last cycle runs from 8 to the end of training (restart 32 is past it).
    assertEquals(0.5, s.at(12), 1e-12);
  }

  @Test
  void warmupScalesLinearlyAndConstantStays() {
    LearningRateSchedule s = new LearningRateSchedule("constant", 0.1, 0.0, 10, List.of(), 2);
    assertEquals(0.025, s.at(0.5), 1e-12);
    assertEquals(0.1, s.at(2), 1e-12);
    assertEquals(0.1, s.at(9), 1e-12);
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new LearningRateSchedule("linear", 1, 0, 1, List.of(), 0));
    assertThrows(IllegalArgumentException.class,
        () -> new LearningRateSchedule("cosine", 1, 2, 1, List.of(), 0));
    assertThrows(IllegalArgumentException.class,
        () -> new LearningRateSchedule("restarts", 1, 0, 1, List.of(8, 4), 0));
  }
}
