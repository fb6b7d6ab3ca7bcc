package org.ascspark.pipeline.synth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.ascspark.features.synth.AcousticScene;
import org.ascspark.features.synth.DeviceProfile;
import org.ascspark.features.RecordSeeds;

/**
 * The file plan of a synthetic dataset: which segments exist, which fold each belongs to, and which
 * devices record it. Pure and deterministic for the options; no audio is made here.
 *
 * <p>Locations: each (scene, city) gets {@code locationsPerCity} locations with TAU-style integer
 * ids unique within the city ({@code sceneIndex * locationsPerCity + l}), so an identifier
 * {@code <city>-<id>} names one place of one scene.
 *
 * <p>Folds, by location as in TAU (no location in both folds): per scene, the locations are
 * shuffled with a stream derived from (seed, scene) and the first
 * {@code round(evaluateLocationFraction × n)} (at least 1, at most n - 1) go to the evaluate fold,
 * the rest to train.
 *
 * <p>Devices: every segment has device a. Evaluate segments have all listed devices. For each scene
 * the train segments are shuffled (seed, scene) and each seen device b, c, s1, s2, s3 (if listed)
 * is given {@code max(1, round(seenDeviceFraction × m))} consecutive segments of that order,
 * starting at an offset spread evenly over the devices; so every seen device appears in both folds
 * for every scene, and unseen devices s4-s6 only in the evaluate fold.
 */
public final class SynthPlan {

  /** Fold name of the training split. */
  public static final String TRAIN = "train";
  /** Fold name of the evaluate (and test) split. */
  public static final String EVALUATE = "evaluate";

  /**
   * One planned segment.
   *
   * @param scene scene class
   * @param city city name
   * @param location location id within the city
   * @param segment segment index within the location
   * @param fold {@link #TRAIN} or {@link #EVALUATE}
   * @param devices devices recording it, in canonical order (a first)
   */
  public record Segment(
      AcousticScene scene, String city, int location, int segment, String fold,
      List<String> devices) {

    /** Copies the device list. */
    public Segment {
      devices = List.copyOf(devices);
    }

    /** @return TAU identifier {@code <city>-<location>} */
    public String identifier() {
      return city + "-" + location;
    }

    /** @return the pairing key {@code <scene>-<city>-<location>-<segment>} */
    public String pairKey() {
      return scene.label() + "-" + identifier() + "-" + segment;
    }

    /**
     * @param device device label
     * @return the dataset-relative file name {@code audio/<pairKey>-<device>.wav}
     */
    public String filename(String device) {
      return "audio/" + pairKey() + "-" + device + ".wav";
    }
  }

  private SynthPlan() {}

  /**
   * Plans the dataset.
   *
   * @param o options
   * @return segments sorted by pairing key
   */
  public static List<Segment> of(SynthOptions o) {
    List<String> cities = o.resolvedCities();
    List<String> all = o.deviceProfiles().stream().map(DeviceProfile::name).toList();
    List<String> seen = all.stream()
        .filter(d -> !d.equals("a") && !SynthOptions.UNSEEN_DEVICES.contains(d)).toList();
    List<Segment> out = new ArrayList<>();
    AcousticScene[] scenes = AcousticScene.values();
    for (int si = 0; si < scenes.length; si++) {
      AcousticScene scene = scenes[si];
      List<String[]> locations = new ArrayList<>();
      for (String city : cities) {
        for (int l = 0; l < o.locationsPerCity(); l++) {
          locations.add(new String[] {city, Integer.toString(si * o.locationsPerCity() + l)});
        }
      }
      shuffle(locations, RecordSeeds.rng(o.seed(), "split/" + scene.label()));
      int n = locations.size();
      int nEval = (int) Math.max(1, Math.min(n - 1, Math.round(o.evaluateLocationFraction() * n)));
      List<int[]> trainKeys = new ArrayList<>();
      List<String[]> trainLocations = locations.subList(nEval, n);
      for (int li = 0; li < nEval; li++) {
        String[] loc = locations.get(li);
        for (int s = 0; s < o.segmentsPerLocation(); s++) {
          out.add(new Segment(scene, loc[0], Integer.parseInt(loc[1]), s, EVALUATE, all));
        }
      }
      for (int li = 0; li < trainLocations.size(); li++) {
        for (int s = 0; s < o.segmentsPerLocation(); s++) {
          trainKeys.add(new int[] {li, s});
        }
      }
      shuffle(trainKeys, RecordSeeds.rng(o.seed(), "devices/" + scene.label()));
      int m = trainKeys.size();
      List<List<String>> devicesOf = new ArrayList<>();
      for (int k = 0; k < m; k++) {
        devicesOf.add(new ArrayList<>(List.of("a")));
      }
      int count = (int) Math.max(1, Math.min(m, Math.round(o.seenDeviceFraction() * m)));
      for (int j = 0; j < seen.size(); j++) {
        int offset = (int) ((long) j * m / seen.size());
        for (int k = 0; k < count; k++) {
          devicesOf.get((offset + k) % m).add(seen.get(j));
        }
      }
      for (int k = 0; k < m; k++) {
        String[] loc = trainLocations.get(trainKeys.get(k)[0]);
        List<String> devs = devicesOf.get(k);
        List<String> ordered = all.stream().filter(devs::contains).toList();
        out.add(new Segment(scene, loc[0], Integer.parseInt(loc[1]), trainKeys.get(k)[1], TRAIN,
            ordered));
      }
    }
    out.sort(Comparator.comparing(Segment::pairKey));
    return List.copyOf(out);
  }

  /** Fisher-Yates shuffle with the given stream. */
  private static <T> void shuffle(List<T> list, SplittableRandom rng) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }
}
