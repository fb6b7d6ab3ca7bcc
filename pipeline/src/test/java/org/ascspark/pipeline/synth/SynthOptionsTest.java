package org.ascspark.pipeline.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.ascspark.features.synth.AcousticScene;
import org.junit.jupiter.api.Test;

/** Validation of {@link SynthOptions} and the fold design of {@link SynthPlan} at default size. */
class SynthOptionsTest {

  private static void assertInvalid(String field, String value,
      UnaryOperator<SynthOptions.Builder> change) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> change.apply(SynthOptions.builder()).build());
    assertTrue(e.getMessage().contains(field) && e.getMessage().contains(value),
        "message should name " + field + " and " + value + ": " + e.getMessage());
  }

  @Test
  void invalidValuesFailNamingFieldAndValue() {
    assertInvalid("cities", "0", b -> b.cities(0));
    assertInvalid("cities", "13", b -> b.cities(13));
    assertInvalid("cityNames", "Paris", b -> b.cityNames(List.of("Paris")));
    assertInvalid("cityNames", "lyon", b -> b.cityNames(List.of("lyon", "lyon")));
    assertInvalid("locationsPerCity", "0", b -> b.locationsPerCity(0));
    assertInvalid("locationsPerCity", "1", b -> b.cities(1).locationsPerCity(1));
    assertInvalid("segmentsPerLocation", "-1", b -> b.segmentsPerLocation(-1));
    assertInvalid("clipSeconds", "0.0", b -> b.clipSeconds(0));
    assertInvalid("clipSeconds", "NaN", b -> b.clipSeconds(Double.NaN));
    assertInvalid("sampleRateHz", "100", b -> b.sampleRateHz(100));
    assertInvalid("devices", "s7", b -> b.devices(List.of("a", "s7")));
    assertInvalid("devices", "[b, c]", b -> b.devices(List.of("b", "c")));
    assertInvalid("seenDeviceFraction", "0.0", b -> b.seenDeviceFraction(0));
    assertInvalid("evaluateLocationFraction", "1.0", b -> b.evaluateLocationFraction(1));
    assertInvalid("threads", "0", b -> b.threads(0));
  }

  @Test
  void explicitCityNamesAndManyCitiesAreAccepted() {
    SynthOptions o = SynthOptions.builder().cityNames(List.of("oslo", "rome")).build();
    assertEquals(List.of("oslo", "rome"), o.resolvedCities());
    assertEquals(12, SynthOptions.builder().cities(12).build().resolvedCities().size());
    assertEquals(List.of("barcelona", "helsinki", "lisbon", "london"),
        SynthOptions.defaults().resolvedCities());
  }

  @Test
  void defaultPlanSplitsByLocationAndCoversEverySceneAndDevice() {
    SynthOptions o = SynthOptions.defaults();
    List<SynthPlan.Segment> plan = SynthPlan.of(o);
    assertEquals(240, plan.size());
    Map<String, String> foldOfLocation = new HashMap<>();
    Set<String> keys = new HashSet<>();
    Map<String, Integer> files = new HashMap<>();
    for (SynthPlan.Segment s : plan) {
      assertTrue(keys.add(s.pairKey()), "repeated " + s.pairKey());
      String previous = foldOfLocation.put(s.identifier(), s.fold());
      assertTrue(previous == null || previous.equals(s.fold()), s.identifier() + " in both folds");
      assertEquals("a", s.devices().get(0));
      for (String d : s.devices()) {
        files.merge(s.fold() + "/" + s.scene().label() + "/" + d, 1, Integer::sum);
        if (s.fold().equals(SynthPlan.TRAIN)) {
          assertTrue(!SynthOptions.UNSEEN_DEVICES.contains(d), d + " in train");
        }
      }
    }
    for (AcousticScene scene : AcousticScene.values()) {
      for (String d : List.of("a", "b", "c", "s1", "s2", "s3")) {
        assertTrue(files.getOrDefault("train/" + scene.label() + "/" + d, 0) > 0, scene + "/" + d);
        assertTrue(files.getOrDefault("evaluate/" + scene.label() + "/" + d, 0) > 0,
            scene + "/" + d);
      }
      // 12 locations per scene: 4 evaluate (8 segments, all devices), 8 train (16 segments)
      assertEquals(16, files.get("train/" + scene.label() + "/a"));
      assertEquals(8, files.get("train/" + scene.label() + "/s2"));
      assertEquals(8, files.get("evaluate/" + scene.label() + "/s5"));
    }
    assertEquals(plan, SynthPlan.of(o.toBuilder().threads(1).build()));
  }
}
