package org.ascspark.training.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class InferenceTest {

  @Test
  void windowsCoverTheRowEndingAtItsLastFrame() {
    assertArrayEquals(new int[] {0}, Inference.windowStarts(10, 22));
    assertArrayEquals(new int[] {0}, Inference.windowStarts(22, 22));
    assertArrayEquals(new int[] {0, 22}, Inference.windowStarts(44, 22));
    assertArrayEquals(new int[] {0, 22, 23}, Inference.windowStarts(45, 22));
  }

  @Test
  void segmentsOfAClipAreAveraged() {
    List<Inference.ClipScore> clips = Inference.perClip(List.of(
        new Inference.Scored("c1", "audio/c1.wav", "a", 0, 0, new float[] {0.8f, 0.2f}),
        new Inference.Scored("c1", "audio/c1.wav", "a", 0, 1, new float[] {0.4f, 0.6f}),
        new Inference.Scored("c0", "audio/c0.wav", "b", 1, 0, new float[] {0.1f, 0.9f})));
    assertEquals(2, clips.size());
    assertEquals("c0", clips.get(0).prediction().clipId());
    assertArrayEquals(new double[] {0.6, 0.4}, clips.get(1).prediction().probs(), 1e-6);
    assertEquals("audio/c1.wav", clips.get(1).filename());
  }
}
