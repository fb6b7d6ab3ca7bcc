package org.ascspark.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ascspark.features.augment.Mixup;
import org.ascspark.features.augment.SpecAugment;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

class TrainingBatchesTest {

  private static List<Example> rows(int n, int frames) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[2 * 3 * frames];
      for (int k = 0; k < v.length; k++) {
        v[k] = i * 1000 + k;
      }
      out.add(new Example("clip" + i, "audio/clip" + i + ".wav", "a", i % 3, 0, 0, 2, 3, frames, v));
    }
    return out;
  }

  private static List<DataSet> all(TrainingBatches b, int epoch, List<Example> rows) {
    List<DataSet> out = new ArrayList<>();
    b.batches(epoch, rows.iterator()).forEachRemaining(out::add);
    return out;
  }

  @Test
  void batchesDependOnSeedEpochAndRowsNotOnTheirOrder() {
    TrainingBatches b = new TrainingBatches(7, 3, 4, 5, new SpecAugment(1, 2, 1, 1,
        SpecAugment.MaskValue.ZERO), new Mixup(0.4, false));
    List<Example> rows = rows(10, 12);
    List<Example> shuffled = new ArrayList<>(rows);
    Collections.reverse(shuffled);
    List<DataSet> a = all(b, 3, rows);
    List<DataSet> c = all(b, 3, shuffled);
    assertEquals(3, a.size());
    assertEquals(2, a.get(2).numExamples());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).getFeatures().data().asFloat(), c.get(i).getFeatures().data().asFloat());
      assertArrayEquals(a.get(i).getLabels().data().asFloat(), c.get(i).getLabels().data().asFloat());
    }
    assertNotEquals(a.get(0).getFeatures(), all(b, 4, rows).get(0).getFeatures());
    // A sub-range of batches equals the same batches of the whole epoch.
    List<DataSet> second = new ArrayList<>();
    b.batches(3, rows.iterator(), 1, 2).forEachRemaining(second::add);
    assertEquals(1, second.size());
    assertArrayEquals(a.get(1).getFeatures().data().asFloat(), second.get(0).getFeatures().data().asFloat());
  }

  @Test
  void mixedLabelsSumToOneAndCropsComeFromTheRow() {
    TrainingBatches plain = new TrainingBatches(1, 3, 4, 5, null, null);
    DataSet d = plain.batch(0, rows(4, 12));
    assertArrayEquals(new long[] {4, 2, 3, 5}, d.getFeatures().shape());
    float[] x = d.getFeatures().data().asFloat();
    // Row 0, channel 0, bin 0: five consecutive frames of the source row.
    for (int t = 1; t < 5; t++) {
      assertEquals(x[0] + t, x[t], 0f);
    }
    TrainingBatches mixed = new TrainingBatches(1, 3, 4, 5, null, new Mixup(1.0, false));
    float[] y = mixed.batch(0, rows(4, 12)).getLabels().data().asFloat();
    for (int i = 0; i < 4; i++) {
      assertEquals(1f, y[3 * i] + y[3 * i + 1] + y[3 * i + 2], 1e-6f);
    }
  }

  @Test
  void shortRowsAreZeroPadded() {
    TrainingBatches b = new TrainingBatches(1, 3, 1, 8, null, null);
    float[] x = b.batch(0, rows(1, 5)).getFeatures().data().asFloat();
    for (int t = 5; t < 8; t++) {
      assertEquals(0f, x[t], 0f);
    }
    assertEquals(4f, x[4], 0f);
  }

  @Test
  void distillationBatchesPackHardAndSoftLabelsAndMaskMissingEmbeddings() {
    List<Example> rows = new ArrayList<>();
    for (Example e : rows(4, 12)) {
      int i = Integer.parseInt(e.clipId().substring(4));
      // row 3 has no teacher outputs
      rows.add(i == 3 ? e : e.withTargets(new Example.Targets(new float[] {0.2f, 0.3f, 0.5f},
          new float[] {i, i + 0.5f})));
    }
    TrainingBatches plain = new TrainingBatches(1, 3, 4, 5, null, null);
    MultiDataSet m = plain.forDistillation(2).multiBatch(0, rows);
    assertArrayEquals(new long[] {4, 6}, m.getLabels(0).shape());
    assertArrayEquals(new long[] {4, 2}, m.getLabels(1).shape());
    assertEquals(2, m.getLabelsMaskArrays().length);
    for (int i = 0; i < 4; i++) {
      Example e = rows.get(i);
      float[] y = m.getLabels(0).getRow(i).toFloatVector();
      assertEquals(1f, y[e.label()], 0f);
      assertEquals(e.targets() == null ? 0f : 0.5f, y[5], 0f);
      assertEquals(e.targets() == null ? 0f : i + 0.5f, m.getLabels(1).getFloat(i, 1), 0f);
      assertEquals(e.targets() == null ? 0f : 1f, m.getLabelsMaskArray(1).getFloat(i, 0), 0f);
    }
    // a group head adds one-hot group labels between the class and embedding labels
    MultiDataSet grouped = plain.withGroups(new int[] {0, 1, 1}, 2).forDistillation(2).multiBatch(0, rows);
    assertEquals(3, grouped.getLabels().length);
    for (int i = 0; i < 4; i++) {
      assertEquals(1f, grouped.getLabels(1).getFloat(i, rows.get(i).label() == 0 ? 0 : 1), 0f);
    }
    assertArrayEquals(new long[] {4, 2}, grouped.getLabels(2).shape());
    // without an embedding term: one label array of [hard | soft]
    assertEquals(1, plain.forDistillation(0).multiBatch(0, rows).getLabels().length);
    // mixup mixes hard and soft halves with one weight; mixed rows keep a soft label summing to 1
    // when both rows had one
    MultiDataSet mixed = new TrainingBatches(1, 3, 4, 5, null, new Mixup(1.0, false)).forDistillation(2)
        .multiBatch(0, rows.subList(0, 3));
    for (int i = 0; i < 3; i++) {
      float[] y = mixed.getLabels(0).getRow(i).toFloatVector();
      assertEquals(1f, y[0] + y[1] + y[2], 1e-6f);
      assertEquals(1f, y[3] + y[4] + y[5], 1e-6f);
      assertEquals(1f, mixed.getLabelsMaskArray(1).getFloat(i, 0), 0f);
    }
  }
}
