package org.ascspark.features.synth;

import org.ascspark.features.RecordSeeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What makes one recording location sound like itself: its room or street colouring, its background
 * level, an optional tonal hum of its own (a fan, a transformer), its reverberation relative to its
 * scene's typical value, and a seed for the scene parameters that are properties of the place (how
 * big the hall is, which engine the bus line uses).
 *
 * <p>Derived only from (global seed, identifier), so every segment and device of a location shares
 * it. Because these traits are shared within a location and differ between locations, a model can
 * over-fit to the training locations; splitting train and evaluate by location (as TAU does)
 * measures that.
 *
 * @param identifier TAU identifier {@code <city>-<location>}
 * @param roomPeaks resonances and dips of the room or street colouring
 * @param roomTiltDbPerOct overall spectral tilt of the colouring in dB per octave, pivot 1 kHz
 * @param bedTiltOffset offset added to the scene's noise-bed tilt exponent
 * @param levelOffsetDb offset added to the scene's RMS level, in dB
 * @param humHz fundamental of the location's own hum in Hz, 0 for none
 * @param humHarmonics partials of the hum
 * @param humLevelDb level of the hum relative to the scene's bed, in dB
 * @param rt60Scale factor on the scene's reverberation time
 * @param siteSeed seed of the place-specific scene parameters
 */
public record LocationProfile(
    String identifier, List<EqPeak> roomPeaks, double roomTiltDbPerOct, double bedTiltOffset,
    double levelOffsetDb, double humHz, int humHarmonics, double humLevelDb, double rt60Scale,
    long siteSeed) {

  /**
   * One resonance or dip of a colouring.
   *
   * @param centreHz centre frequency in Hz
   * @param gainDb gain at the centre in dB
   * @param bandwidthOct width at half the dB gain, in octaves
   */
  public record EqPeak(double centreHz, double gainDb, double bandwidthOct) {}

  /** Validates and copies. */
  public LocationProfile {
    Objects.requireNonNull(identifier, "identifier");
    roomPeaks = List.copyOf(roomPeaks);
  }

  /**
   * Draws the profile of a location: three colouring peaks (100 Hz-8 kHz, ±3 dB, 0.3-1 octave),
   * tilt ±0.5 dB/octave, bed tilt offset ±0.2, level offset ±2 dB, a hum (60-400 Hz, 3 partials,
   * -26 to -14 dB) in half of the locations, reverberation scale 0.8-1.25.
   *
   * @param seed global seed
   * @param identifier TAU identifier {@code <city>-<location>}
   * @return the profile
   */
  public static LocationProfile of(long seed, String identifier) {
    SplittableRandom r = RecordSeeds.rng(seed, "location/" + identifier);
    List<EqPeak> peaks = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      peaks.add(new EqPeak(Envelopes.logUniform(r, 100, 8000), Envelopes.uniform(r, -3, 3),
          Envelopes.uniform(r, 0.3, 1.0)));
    }
    double tilt = Envelopes.uniform(r, -0.5, 0.5);
    double bedTilt = Envelopes.uniform(r, -0.2, 0.2);
    double level = Envelopes.uniform(r, -2, 2);
    boolean hasHum = r.nextBoolean();
    double humHz = Envelopes.logUniform(r, 60, 400);
    double humLevel = Envelopes.uniform(r, -26, -14);
    double rt60Scale = Envelopes.uniform(r, 0.8, 1.25);
    return new LocationProfile(identifier, peaks, tilt, bedTilt, level, hasHum ? humHz : 0.0, 3,
        humLevel, rt60Scale, RecordSeeds.mix(seed, "site/" + identifier));
  }

  /** @return the room or street colouring as a curve: the tilt plus the peaks */
  public ResponseCurve roomEq() {
    ResponseCurve c = ResponseCurve.tilt(roomTiltDbPerOct, 1000.0);
    for (EqPeak p : roomPeaks) {
      c = c.plus(ResponseCurve.peak(p.centreHz(), p.gainDb(), p.bandwidthOct()));
    }
    return c;
  }
}
