package org.ascspark.features.synth;

import org.ascspark.features.RecordSeeds;
import static org.ascspark.features.synth.ResponseCurve.highCut;
import static org.ascspark.features.synth.ResponseCurve.lowCut;
import static org.ascspark.features.synth.ResponseCurve.peak;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The acoustic recipe of each scene class: which {@link SoundSources} play, at which relative
 * levels, in which room, with parameters drawn from scene-specific ranges.
 *
 * <p>Design. Every recipe mixes a stationary bed with scene-typical sources; the classes share
 * building blocks so that related classes overlap (bus / tram / metro: engine rumble, babble and,
 * for the rail vehicles, clacks and squeal; street_pedestrian / public_square: babble, footsteps
 * and distant traffic; airport / shopping_mall / metro_station: reverberant crowds and hum) and
 * differ on average in spectral tilt, event types and rates, fundamentals and reverberation.
 * Parameter ranges overlap between related classes, so single recordings can be confused while the
 * classes stay separable on average.
 *
 * <p>Two levels of randomness. A parameter drawn with a name ({@code "rt60"}) combines a value
 * fixed for the location (from {@link LocationProfile#siteSeed()} and the name, so it does not
 * depend on the order of draws) with the recording's own draw, half and half; event times and noise
 * come from the recording's stream only. Recordings of one location are therefore similar, and a
 * location's traits ({@link LocationProfile}: colouring, hum, level) are shared by its segments.
 *
 * <p>Rendering. A recipe renders one second of pre-roll before the clip, so reverberation tails and
 * events that began earlier are present at the clip start; then the location hum and colouring are
 * applied, the pre-roll is dropped, the clip is scaled to its target RMS (scene range plus location
 * offset) and, if its peak exceeds {@link #PEAK_CEILING_DBFS}, scaled down linearly (never
 * clipped).
 */
public final class SceneRecipes {

  /** Highest allowed peak of a rendered source, in dBFS: headroom for device gains and EQ. */
  public static final double PEAK_CEILING_DBFS = -6.0;

  /** Weight of the location's value in a named parameter; the recording's own draw has the rest. */
  private static final double SITE_WEIGHT = 0.5;

  private SceneRecipes() {}

  /**
   * Renders the sound arriving at the microphones during one segment: the input of every device,
   * and the device-A recording up to the reference device's near-flat response and noise floor.
   *
   * @param scene scene class
   * @param location location profile (shared by all segments of the location)
   * @param nSamples clip length in samples, positive
   * @param sampleRateHz sample rate in Hz, at least 8000
   * @param rng the recording's random stream (advanced)
   * @return the source [nSamples], full scale 1.0, RMS within the scene's range plus the location
   *     offset (or lower if peak-limited), peak at most {@link #PEAK_CEILING_DBFS}
   */
  public static float[] render(
      AcousticScene scene, LocationProfile location, int nSamples, int sampleRateHz,
      SplittableRandom rng) {
    Objects.requireNonNull(scene, "scene");
    Objects.requireNonNull(location, "location");
    if (nSamples <= 0) {
      throw new IllegalArgumentException("nSamples must be positive, got " + nSamples);
    }
    if (sampleRateHz < 8000) {
      throw new IllegalArgumentException("sampleRateHz must be at least 8000, got " + sampleRateHz);
    }
    Params p = new Params(location.siteSeed(), rng);
    int pre = sampleRateHz;
    int n = nSamples + pre;
    int fs = sampleRateHz;
    double targetDbfs =
        p.u("rms", scene.rmsMinDbfs(), scene.rmsMaxDbfs()) + location.levelOffsetDb();
    double[] mix = switch (scene) {
      case AIRPORT -> airport(n, fs, location, p);
      case BUS -> bus(n, fs, location, p);
      case METRO -> metro(n, fs, location, p);
      case METRO_STATION -> metroStation(n, fs, location, p);
      case PARK -> park(n, fs, location, p);
      case PUBLIC_SQUARE -> publicSquare(n, fs, location, p);
      case SHOPPING_MALL -> shoppingMall(n, fs, location, p);
      case STREET_PEDESTRIAN -> streetPedestrian(n, fs, location, p);
      case STREET_TRAFFIC -> streetTraffic(n, fs, location, p);
      case TRAM -> tram(n, fs, location, p);
    };
    if (location.humHz() > 0) {
      double[] hum = SoundSources.hum(n, fs, location.humHz(), location.humHarmonics(), p.events());
      double g = Levels.dbToGain(location.humLevelDb());
      for (int i = 0; i < n; i++) {
        mix[i] += g * hum[i];
      }
    }
    double[] coloured = SpectralFilter.filter(mix, fs, location.roomEq());
    double[] clip = new double[nSamples];
    System.arraycopy(coloured, pre, clip, 0, nSamples);
    clip = Levels.withRms(clip, Levels.dbToGain(targetDbfs));
    double peak = Levels.peak(clip);
    double ceiling = Levels.dbToGain(PEAK_CEILING_DBFS);
    if (peak > ceiling) {
      clip = Levels.scaled(clip, ceiling / peak);
    }
    float[] out = new float[nSamples];
    for (int i = 0; i < nSamples; i++) {
      out[i] = (float) clip[i];
    }
    return out;
  }

  // Airport: a large, reverberant hall (RT60 1.2-2.6 s) dominated by a dense crowd (10-24 talkers),
  // with footsteps and rolling suitcases on hard floors, sometimes a PA announcement, and the
  // ventilation: a fairly flat bed (tilt 0.5-1.1) with a low hum. Shares reverberant babble and hum
  // with shopping_mall (which has music and fewer talkers) and metro_station (darker, trains).
  private static double[] airport(int n, int fs, LocationProfile loc, Params p) {
    Mix room = new Mix(n);
    room.add(SoundSources.babble(n, fs, p.i("talkers", 10, 24), 90, 250, p.events()),
        p.u("crowdDb", 4, 10));
    room.add(SoundSources.footsteps(n, fs, p.u("steps", 0.5, 3), p.logU("floorHz", 800, 2500),
        p.events()), p.u("stepsDb", -10, -3));
    if (p.chance("suitcase", 0.5)) {
      room.add(SoundSources.rollingWheels(n, fs, p.u("wheelHz", 8, 25), p.events()),
          p.u("wheelsDb", -14, -6));
    }
    if (p.take(0.5)) {
      room.add(announcement(n, fs, p), p.u("announceDb", 0, 6));
    }
    Mix m = new Mix(n);
    m.add(bed(n, fs, loc, p, 0.5, 1.1, 7000, 12000, 150, 500, 2, 6), 0);
    m.add(reverb(room.sum(), fs, loc, p, 1.2, 2.6, -9, -3), 0);
    m.add(SoundSources.hum(n, fs, p.u("hvacHz", 50, 120), 4, p.events()), p.u("hvacDb", -12, -4));
    return m.sum();
  }

  // Shopping mall: a reverberant indoor space (RT60 0.8-2.0 s) with a moderate crowd, footsteps,
  // background music from ceiling speakers in most (90 %) malls, and occasional trolleys and
  // announcements.
  private static double[] shoppingMall(int n, int fs, LocationProfile loc, Params p) {
    Mix room = new Mix(n);
    room.add(SoundSources.babble(n, fs, p.i("talkers", 4, 12), 90, 260, p.events()),
        p.u("crowdDb", -2, 4));
    room.add(SoundSources.footsteps(n, fs, p.u("steps", 1, 4), p.logU("floorHz", 600, 2000),
        p.events()), p.u("stepsDb", -8, -2));
    if (p.chance("music", 0.9)) {
      double[] music = SpectralFilter.filter(SoundSources.music(n, fs, p.events()), fs,
          lowCut(150, 2).plus(highCut(p.u("speakerHz", 5000, 9000), 2)));
      room.add(Levels.withRms(music, 1.0), p.u("musicDb", -4, 4));
    }
    if (p.chance("trolley", 0.2)) {
      room.add(SoundSources.rollingWheels(n, fs, p.u("wheelHz", 8, 25), p.events()),
          p.u("wheelsDb", -14, -6));
    }
    if (p.take(0.1)) {
      room.add(announcement(n, fs, p), p.u("announceDb", -4, 2));
    }
    Mix m = new Mix(n);
    m.add(bed(n, fs, loc, p, 0.8, 1.5, 6000, 11000, 200, 600, 2, 5), 0);
    m.add(reverb(room.sum(), fs, loc, p, 0.8, 2.0, -6, 0), 0);
    m.add(SoundSources.hum(n, fs, p.u("hvacHz", 50, 150), 4, p.events()), p.u("hvacDb", -20, -10));
    return m.sum();
  }

  // Metro station: a very reverberant, dark space (RT60 1.8-3.2 s, bed tilt 1.6-2.3 with tunnel
  // rumble) with footsteps and talk, a train arriving in 60 % of the recordings, occasional
  // announcements and door beeps.
  private static double[] metroStation(int n, int fs, LocationProfile loc, Params p) {
    Mix room = new Mix(n);
    room.add(SoundSources.footsteps(n, fs, p.u("steps", 1, 5), p.logU("floorHz", 500, 1800),
        p.events()), p.u("stepsDb", -6, 0));
    room.add(SoundSources.babble(n, fs, p.i("talkers", 3, 10), 90, 250, p.events()),
        p.u("crowdDb", -6, 0));
    if (p.take(0.6)) {
      int centre = p.events().nextInt(n);
      room.add(SoundSources.trainPass(n, fs, centre, p.u("trainS", 3, 7), p.events()),
          p.u("trainDb", 6, 12));
    }
    if (p.take(0.2)) {
      room.add(announcement(n, fs, p), p.u("announceDb", -4, 2));
    }
    if (p.take(0.15)) {
      room.add(doorBeeps(n, fs, p), p.u("beepDb", -10, -2));
    }
    Mix m = new Mix(n);
    m.add(bed(n, fs, loc, p, 1.6, 2.3, 4000, 8000, 80, 300, 4, 9), 0);
    m.add(reverb(room.sum(), fs, loc, p, 1.8, 3.2, -12, -6), 0);
    m.add(SoundSources.hum(n, fs, 50 * p.i("mainsMultiple", 1, 2), 5, p.events()),
        p.u("humDb", -18, -10));
    return m.sum();
  }

  // Bus: a small cabin with a dark rumble bed (tilt 1.7-2.5, cabin boom at 70-160 Hz) and a diesel
  // engine whose firing fundamental (22-45 Hz) drifts and glides with gear changes; passengers
  // talk, the road knocks the suspension, sometimes the stop bell rings. No rail clacks or squeal.
  private static double[] bus(int n, int fs, LocationProfile loc, Params p) {
    Mix m = new Mix(n);
    m.add(bed(n, fs, loc, p, 1.7, 2.5, 4000, 8000, 70, 160, 6, 10), 0);
    m.add(SoundSources.engine(n, fs, p.u("engineHz", 22, 45), p.u("drift", 0.03, 0.08),
        p.u("glide", -0.15, 0.15), p.u("engineLowpassHz", 250, 600), p.events()),
        p.u("engineDb", -2, 6));
    m.add(cabinTalk(n, fs, loc, p, 2, 6), p.u("crowdDb", -14, -6));
    m.add(SoundSources.bumps(n, fs, p.u("bumps", 0.2, 1.2), p.events()), p.u("bumpsDb", -8, -2));
    if (p.take(0.1)) {
      int start = p.events().nextInt(n);
      m.add(SoundSources.beeps(n, fs, start, p.u("bellHz", 800, 1200), new double[] {1, 0.3}, 1,
          0.25, 0), p.u("bellDb", -10, -2));
    }
    return m.sum();
  }

  // Tram: a cabin like the bus but lighter (tilt 1.4-2.1) with electric traction: a weaker rumble,
  // an inverter whine (250-900 Hz) gliding with speed, rail-joint clacks every 0.5-1.2 s, squeal in
  // curves for some recordings, passengers, and now and then the tram bell.
  private static double[] tram(int n, int fs, LocationProfile loc, Params p) {
    Mix m = new Mix(n);
    m.add(bed(n, fs, loc, p, 1.4, 2.1, 5000, 10000, 90, 220, 4, 8), 0);
    m.add(SoundSources.engine(n, fs, p.u("engineHz", 35, 70), p.u("drift", 0.03, 0.08),
        p.u("glide", -0.1, 0.1), p.u("engineLowpassHz", 300, 700), p.events()),
        p.u("engineDb", -10, -2));
    m.add(SoundSources.whine(n, fs, p.logU("whineHz", 250, 900), p.u("whineGlide", -0.25, 0.25),
        p.events()), p.u("whineDb", -16, -6));
    m.add(SoundSources.railClacks(n, fs, p.u("clackPeriod", 0.5, 1.2), p.events()),
        p.u("clackDb", -4, 4));
    if (p.chance("squeal", 0.4)) {
      m.add(SoundSources.railSqueal(n, fs, p.logU("squealHz", 1500, 4000),
          p.u("squealDuty", 0.2, 0.6), p.events()), p.u("squealDb", -14, -4));
    }
    m.add(cabinTalk(n, fs, loc, p, 2, 8), p.u("crowdDb", -12, -4));
    if (p.take(0.12)) {
      int start = p.events().nextInt(n);
      m.add(SoundSources.beeps(n, fs, start, p.u("bellHz", 600, 1000),
          new double[] {1, 0.6, 0.4, 0.3}, 2, 0.12, 0.08), p.u("bellDb", -8, 0));
    }
    return m.sum();
  }

  // Metro: a loud, broadband tunnel roar (tilt 1.0-1.8, resonance 300-700 Hz) with a traction
  // rumble at 40-80 Hz, a higher inverter whine (500-1500 Hz), fast rail clacks (every 0.3-0.9 s),
  // frequent squeal, a few passengers and occasional door beeps.
  private static double[] metro(int n, int fs, LocationProfile loc, Params p) {
    Mix m = new Mix(n);
    m.add(bed(n, fs, loc, p, 1.0, 1.8, 7000, 12000, 300, 700, 4, 8), 0);
    m.add(SoundSources.engine(n, fs, p.u("engineHz", 40, 80), p.u("drift", 0.03, 0.08),
        p.u("glide", -0.15, 0.15), p.u("engineLowpassHz", 400, 900), p.events()),
        p.u("engineDb", -6, 0));
    m.add(SoundSources.whine(n, fs, p.logU("whineHz", 500, 1500), p.u("whineGlide", -0.25, 0.25),
        p.events()), p.u("whineDb", -14, -4));
    m.add(SoundSources.railClacks(n, fs, p.u("clackPeriod", 0.3, 0.9), p.events()),
        p.u("clackDb", -6, 2));
    if (p.chance("squeal", 0.6)) {
      m.add(SoundSources.railSqueal(n, fs, p.logU("squealHz", 2000, 6000),
          p.u("squealDuty", 0.3, 0.8), p.events()), p.u("squealDb", -10, 0));
    }
    m.add(cabinTalk(n, fs, loc, p, 1, 5), p.u("crowdDb", -16, -8));
    if (p.take(0.1)) {
      m.add(doorBeeps(n, fs, p), p.u("beepDb", -10, -2));
    }
    return m.sum();
  }

  // Park: quiet and open: wind in the trees as the bed, birdsong (2-7 kHz chirps), distant traffic,
  // sometimes distant voices and footsteps on gravel. Birds are shared with public_square, distant
  // traffic with the street classes.
  private static double[] park(int n, int fs, LocationProfile loc, Params p) {
    Mix m = new Mix(n);
    m.add(SoundSources.wind(n, fs, p.u("gust", 0.3, 0.9), p.events()), 0);
    m.add(SoundSources.birdsong(n, fs, p.u("birdBouts", 0.3, 3), 2000, 7000, p.events()),
        p.u("birdDb", -6, 6));
    m.add(SoundSources.distantTraffic(n, fs, p.u("trafficTilt", 2.0, 2.8) + loc.bedTiltOffset(),
        p.events()), p.u("trafficDb", -10, 0));
    int talkers = p.i("talkers", 0, 4);
    if (talkers > 0) {
      double[] voices = SpectralFilter.filter(
          SoundSources.babble(n, fs, talkers, 90, 250, p.events()), fs, highCut(2000, 1));
      m.add(voices, p.u("voicesDb", -20, -10));
    }
    m.add(SoundSources.footsteps(n, fs, p.u("steps", 0, 0.6), p.logU("floorHz", 2000, 5000),
        p.events()), p.u("stepsDb", -14, -6));
    return m.sum();
  }

  // Pedestrian street: close talkers (3-10) and dense footsteps (3-8 per second) in a street canyon
  // (short reverb, mostly direct sound), distant traffic as the bed, a rare passing vehicle and
  // sometimes birds. Close to public_square, which has more but more distant talkers, fewer steps
  // and sometimes a fountain.
  private static double[] streetPedestrian(int n, int fs, LocationProfile loc, Params p) {
    Mix room = new Mix(n);
    room.add(SoundSources.babble(n, fs, p.i("talkers", 3, 10), 90, 260, p.events()),
        p.u("crowdDb", -2, 4));
    room.add(SoundSources.footsteps(n, fs, p.u("steps", 3, 8), p.logU("floorHz", 600, 2000),
        p.events()), p.u("stepsDb", 0, 6));
    Mix m = new Mix(n);
    m.add(SoundSources.distantTraffic(n, fs, p.u("trafficTilt", 1.8, 2.6) + loc.bedTiltOffset(),
        p.events()), 0);
    m.add(reverb(room.sum(), fs, loc, p, 0.2, 0.6, 4, 10), 0);
    m.add(SoundSources.passingVehicles(n, fs, p.u("vehicles", 0, 0.15), p.events()),
        p.u("vehiclesDb", -4, 2));
    if (p.chance("birds", 0.15)) {
      m.add(SoundSources.birdsong(n, fs, p.u("birdBouts", 0.3, 2), 2000, 7000, p.events()),
          p.u("birdDb", -12, -4));
    }
    return m.sum();
  }

  // Public square: an open space with a diffuse, more distant crowd (6-20 talkers, low-passed),
  // fewer footsteps, distant traffic, a fountain in some squares, birds (pigeons, sparrows) and
  // rare vehicles.
  private static double[] publicSquare(int n, int fs, LocationProfile loc, Params p) {
    Mix room = new Mix(n);
    double[] crowd = SpectralFilter.filter(
        SoundSources.babble(n, fs, p.i("talkers", 6, 20), 90, 260, p.events()), fs,
        highCut(p.u("crowdLowpassHz", 2500, 4000), 1));
    room.add(Levels.withRms(crowd, 1.0), p.u("crowdDb", -4, 2));
    room.add(SoundSources.footsteps(n, fs, p.u("steps", 0.5, 3), p.logU("floorHz", 600, 2000),
        p.events()), p.u("stepsDb", -10, -3));
    Mix m = new Mix(n);
    m.add(SoundSources.distantTraffic(n, fs, p.u("trafficTilt", 1.8, 2.6) + loc.bedTiltOffset(),
        p.events()), 0);
    m.add(reverb(room.sum(), fs, loc, p, 0.4, 1.0, -4, 2), 0);
    if (p.chance("fountain", 0.4)) {
      m.add(SoundSources.water(n, fs, p.u("waterTilt", 0.2, 0.8), p.events()),
          p.u("waterDb", -6, 2));
    }
    if (p.chance("birds", 0.35)) {
      m.add(SoundSources.birdsong(n, fs, p.u("birdBouts", 0.3, 2), 1500, 6000, p.events()),
          p.u("birdDb", -10, 0));
    }
    m.add(SoundSources.passingVehicles(n, fs, p.u("vehicles", 0, 0.1), p.events()),
        p.u("vehiclesDb", -6, 0));
    return m.sum();
  }

  // Street with traffic: vehicles passing every 1-2.5 s (level swells, tyre noise, Doppler glides
  // of the engine), a roaring bed with a tyre-noise peak, idling engines at lights in half the
  // streets, a rare horn, a few pedestrians.
  private static double[] streetTraffic(int n, int fs, LocationProfile loc, Params p) {
    Mix m = new Mix(n);
    m.add(bed(n, fs, loc, p, 1.4, 2.2, 4000, 9000, 600, 1200, 3, 6), 0);
    m.add(SoundSources.passingVehicles(n, fs, p.u("vehicles", 0.4, 1.2), p.events()),
        p.u("vehiclesDb", 4, 10));
    if (p.chance("idling", 0.5)) {
      m.add(SoundSources.engine(n, fs, p.u("idleHz", 20, 40), 0.03, 0, 300, p.events()),
          p.u("idleDb", -12, -4));
    }
    if (p.take(0.08)) {
      int start = p.events().nextInt(n);
      double[] horn = {1, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15};
      m.add(SoundSources.beeps(n, fs, start, p.u("hornHz", 350, 500), horn, 1,
          p.u("hornS", 0.3, 0.9), 0), p.u("hornDb", -2, 6));
    }
    m.add(SoundSources.footsteps(n, fs, p.u("steps", 0, 1), p.logU("floorHz", 600, 2000),
        p.events()), p.u("stepsDb", -12, -6));
    m.add(SoundSources.babble(n, fs, p.i("talkers", 0, 3), 90, 260, p.events()),
        p.u("crowdDb", -16, -8));
    return m.sum();
  }

  /** A noise bed with the scene's tilt range (plus the location's offset) and one resonance. */
  private static double[] bed(
      int n, int fs, LocationProfile loc, Params p, double tiltLo, double tiltHi,
      double highCutLoHz, double highCutHiHz, double resLoHz, double resHiHz, double resLoDb,
      double resHiDb) {
    double tilt = p.u("bedTilt", tiltLo, tiltHi) + loc.bedTiltOffset();
    double highCutHz = p.u("bedHighCutHz", highCutLoHz, highCutHiHz);
    ResponseCurve resonance =
        peak(p.logU("bedResHz", resLoHz, resHiHz), p.u("bedResDb", resLoDb, resHiDb), 1.0);
    return SoundSources.noiseBed(n, fs, tilt, 25, highCutHz, resonance, p.events());
  }

  /** Passengers in a vehicle cabin: babble in a small, damped room. */
  private static double[] cabinTalk(
      int n, int fs, LocationProfile loc, Params p, int minTalkers, int maxTalkers) {
    double[] talk = SoundSources.babble(n, fs, p.i("talkers", minTalkers, maxTalkers), 90, 260,
        p.events());
    return Levels.withRms(reverb(talk, fs, loc, p, 0.25, 0.5, 0, 6), 1.0);
  }

  /** Reverberation with the scene's RT60 and direct-to-reverberant ranges, times the location's. */
  private static double[] reverb(
      double[] dry, int fs, LocationProfile loc, Params p, double rt60Lo, double rt60Hi,
      double drrLoDb, double drrHiDb) {
    double rt60 = p.u("rt60", rt60Lo, rt60Hi) * loc.rt60Scale();
    return SoundSources.reverberate(dry, fs, rt60, p.u("drrDb", drrLoDb, drrHiDb),
        p.u("dampingHz", 3000, 8000), p.events());
  }

  /** A PA announcement starting anywhere in the render, 1.5-4 s of speech. */
  private static double[] announcement(int n, int fs, Params p) {
    SplittableRandom r = p.events();
    int start = r.nextInt(n) - fs;
    return SoundSources.announcement(n, fs, start, Envelopes.uniform(r, 1.5, 4.0), r);
  }

  /** Door-closing warning: three square-ish beeps at 1.5-3 kHz. */
  private static double[] doorBeeps(int n, int fs, Params p) {
    SplittableRandom r = p.events();
    return SoundSources.beeps(n, fs, r.nextInt(n), Envelopes.uniform(r, 1500, 3000),
        new double[] {1, 0, 1.0 / 3, 0, 1.0 / 5}, 3, 0.15, 0.1);
  }

  /** Sums components with gains in dB. */
  private static final class Mix {
    private final double[] sum;

    Mix(int n) {
      sum = new double[n];
    }

    void add(double[] x, double gainDb) {
      double g = Levels.dbToGain(gainDb);
      for (int i = 0; i < sum.length; i++) {
        sum[i] += g * x[i];
      }
    }

    double[] sum() {
      return sum.clone();
    }
  }

  /**
   * Parameter draws combining a per-location value (keyed by name) with a per-recording deviation,
   * and the recording's event streams.
   */
  private static final class Params {
    private final long siteSeed;
    private final SplittableRandom take;

    Params(long siteSeed, SplittableRandom take) {
      this.siteSeed = siteSeed;
      this.take = take;
    }

    /** A position in [0, 1]: a weighted mean of the location's value and the recording's draw. */
    private double position(String name) {
      double site = (RecordSeeds.mix(siteSeed, name) >>> 11) * 0x1.0p-53;
      return SITE_WEIGHT * site + (1.0 - SITE_WEIGHT) * take.nextDouble();
    }

    double u(String name, double lo, double hi) {
      return lo + (hi - lo) * position(name);
    }

    double logU(String name, double lo, double hi) {
      return lo * StrictMath.pow(hi / lo, position(name));
    }

    int i(String name, int lo, int hi) {
      return Math.min(hi, lo + (int) Math.floor((hi - lo + 1) * position(name)));
    }

    /** Presence decided mostly by the location (e.g. whether a mall plays music). */
    boolean chance(String name, double probability) {
      return position(name) < probability;
    }

    /** Presence decided by the recording alone (e.g. an announcement during this segment). */
    boolean take(double probability) {
      return take.nextDouble() < probability;
    }

    SplittableRandom events() {
      return take.split();
    }
  }
}
