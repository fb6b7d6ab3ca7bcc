package org.ascspark.features.synth;

import static org.ascspark.features.synth.Envelopes.exponentialGapSeconds;
import static org.ascspark.features.synth.Envelopes.logUniform;
import static org.ascspark.features.synth.Envelopes.smoothRandom;
import static org.ascspark.features.synth.Envelopes.uniform;
import static org.ascspark.features.synth.Envelopes.uniformInt;
import static org.ascspark.features.synth.Levels.dbToGain;
import static org.ascspark.features.synth.ResponseCurve.highCut;
import static org.ascspark.features.synth.ResponseCurve.lowCut;
import static org.ascspark.features.synth.ResponseCurve.peak;
import static org.ascspark.features.synth.ResponseCurve.powerLaw;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The parametrised sound generators the scene recipes are built from.
 *
 * <p>Conventions: every generator returns a new signal of {@code n} samples at {@code sampleRateHz}
 * and draws randomness only from the stream it is given. Two level conventions are used and stated
 * on each method: <em>continuous</em> sources (beds, babble, engines, hum, music, wind) have an RMS
 * of 1 over the whole signal; <em>event</em> sources (footsteps, chirps, clacks, vehicles, beeps)
 * are scaled so that one event has an RMS of about 1 over its nominal duration, so that a sparse
 * sequence stays quiet on average and a dense one gets louder, as in a real scene. Spectral
 * colouring is zero-phase ({@link SpectralFilter}).
 */
public final class SoundSources {

  /**
   * Long-term average speech spectrum as seen by a distant microphone: vowel-formant regions near
   * 550, 1500 and 2600 Hz over a glottal source that falls off above about 4 kHz.
   */
  private static final ResponseCurve SPEECH =
      lowCut(110, 2)
          .plus(peak(550, 9, 1.1))
          .plus(peak(1500, 6, 0.9))
          .plus(peak(2600, 4, 0.7))
          .plus(highCut(3800, 1.5));

  private static final double SQRT3 = Math.sqrt(3.0);

  private SoundSources() {}

  /**
   * A stationary coloured-noise bed: power spectrum {@code ∝ f^-exponent} between a second-order
   * low cut and a second-order high cut, times an extra colouring (resonances).
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param exponent spectral tilt exponent (0 white, 1 pink, 2 brown)
   * @param lowCutHz low-cut corner in Hz
   * @param highCutHz high-cut corner in Hz
   * @param colour extra colouring
   * @param rng random stream
   * @return continuous source [n], RMS 1
   */
  public static double[] noiseBed(
      int n, int sampleRateHz, double exponent, double lowCutHz, double highCutHz,
      ResponseCurve colour, SplittableRandom rng) {
    ResponseCurve c =
        powerLaw(exponent).plus(lowCut(lowCutHz, 2)).plus(highCut(highCutHz, 2)).plus(colour);
    return SpectralFilter.colouredNoise(n, sampleRateHz, c, rng);
  }

  /**
   * A combustion engine or traction motor: an impulse train at the firing fundamental, whose
   * frequency drifts slowly (throttle) and glides linearly over the signal (acceleration or gear
   * change), shaped by the exhaust and body: harmonics falling 12 dB/octave above {@code lowpassHz}
   * with a body resonance near the third harmonic.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param f0Hz mean fundamental in Hz, positive
   * @param driftFraction depth of the slow random drift, relative, in [0, 0.5)
   * @param glideFraction linear glide from {@code -glide} to {@code +glide}, relative, in (-0.5,
   *     0.5)
   * @param lowpassHz corner of the harmonic roll-off in Hz
   * @param rng random stream
   * @return continuous source [n], RMS 1
   */
  public static double[] engine(
      int n, int sampleRateHz, double f0Hz, double driftFraction, double glideFraction,
      double lowpassHz, SplittableRandom rng) {
    double[] drift = smoothRandom(n, sampleRateHz, 0.4, rng);
    double[] f = new double[n];
    for (int i = 0; i < n; i++) {
      double ramp = n > 1 ? 2.0 * i / (n - 1) - 1.0 : 0.0;
      f[i] = f0Hz * (1.0 + driftFraction * drift[i] + glideFraction * ramp);
    }
    double[] pulses = Oscillators.pulseTrain(f, sampleRateHz, 0.03, rng);
    ResponseCurve body =
        lowCut(0.7 * f0Hz, 2).plus(highCut(lowpassHz, 2)).plus(peak(3.0 * f0Hz, 6, 1.0));
    return Levels.withRms(SpectralFilter.filter(pulses, sampleRateHz, body), 1.0);
  }

  /**
   * An electric motor whine: a two-partial tone at {@code freqHz} gliding linearly by
   * {@code ±glideFraction} (the inverter and gear mesh frequency follows the vehicle speed).
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param freqHz mean frequency in Hz
   * @param glideFraction relative glide, in (-0.5, 0.5)
   * @param rng random stream
   * @return continuous source [n], RMS 1
   */
  public static double[] whine(
      int n, int sampleRateHz, double freqHz, double glideFraction, SplittableRandom rng) {
    double[] wobble = smoothRandom(n, sampleRateHz, 1.0, rng);
    double[] f = new double[n];
    for (int i = 0; i < n; i++) {
      double ramp = n > 1 ? 2.0 * i / (n - 1) - 1.0 : 0.0;
      f[i] = freqHz * (1.0 + glideFraction * ramp + 0.004 * wobble[i]);
    }
    double[] amps = {1.0, dbToGain(uniform(rng, -14, -4))};
    return Levels.withRms(Oscillators.harmonicTone(f, sampleRateHz, amps, rng.nextDouble()), 1.0);
  }

  /**
   * Crowd babble: {@code talkers} independent voices, each a glottal impulse train with its own
   * fundamental and intonation contour, switched by a syllabic envelope (3-6 syllables per second)
   * and by phrase pauses, with a noise component for fricatives; the sum is shaped by the long-term
   * speech spectrum. Few talkers give audible syllables; many give a steady murmur.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param talkers number of voices, 0 for silence
   * @param f0MinHz lowest voice fundamental in Hz
   * @param f0MaxHz highest voice fundamental in Hz
   * @param rng random stream
   * @return continuous source [n], RMS 1 (all zeros for no talkers)
   */
  public static double[] babble(
      int n, int sampleRateHz, int talkers, double f0MinHz, double f0MaxHz,
      SplittableRandom rng) {
    double[] exc = new double[n];
    if (talkers <= 0) {
      return exc;
    }
    double[] fricatives = new double[n];
    for (int t = 0; t < talkers; t++) {
      double f0 = logUniform(rng, f0MinHz, f0MaxHz);
      double gain = dbToGain(uniform(rng, -9, 0));
      addTalker(exc, fricatives, sampleRateHz, f0, gain, 0.3, rng);
    }
    addNoise(exc, fricatives, rng);
    return Levels.withRms(SpectralFilter.filter(exc, sampleRateHz, SPEECH), 1.0);
  }

  /**
   * Footsteps on a hard floor: steps at Poisson times (several unsynchronised walkers), each a heel
   * strike and a weaker toe strike 50-120 ms later, both short decaying noise bursts (3-10 ms),
   * coloured by a floor resonance.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param stepsPerSecond mean step rate, 0 for none
   * @param floorResonanceHz centre of the floor and shoe resonance in Hz
   * @param rng random stream
   * @return event source [n], about RMS 1 over 50 ms per step
   */
  public static double[] footsteps(
      int n, int sampleRateHz, double stepsPerSecond, double floorResonanceHz,
      SplittableRandom rng) {
    double[] out = new double[n];
    if (!(stepsPerSecond > 0)) {
      return out;
    }
    int events = 0;
    double t = exponentialGapSeconds(stepsPerSecond, rng);
    while (t * sampleRateHz < n) {
      int start = (int) (t * sampleRateHz);
      double amp = dbToGain(uniform(rng, -10, 0));
      double tau = uniform(rng, 0.003, 0.010) * sampleRateHz;
      addDecayingNoise(out, start, tau, amp, rng);
      int toe = start + (int) (uniform(rng, 0.05, 0.12) * sampleRateHz);
      addDecayingNoise(out, toe, 0.7 * tau, 0.5 * amp, rng);
      events++;
      t += exponentialGapSeconds(stepsPerSecond, rng);
    }
    ResponseCurve floor =
        lowCut(100, 2).plus(highCut(6000, 1)).plus(peak(floorResonanceHz, 8, 1.5));
    double[] y = SpectralFilter.filterUnitPower(out, sampleRateHz, floor);
    return perEventRms(y, (long) events * (long) (0.05 * sampleRateHz));
  }

  /**
   * Birdsong: bouts at Poisson times, each 2-8 syllables of one bird; a syllable is a frequency-
   * modulated tone (a sweep of up to ±0.8 octave around the bird's pitch, sometimes with a 15-50 Hz
   * trill) with a sin² envelope and a weak second harmonic.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param boutsPerSecond mean bout rate, 0 for none
   * @param pitchMinHz lowest syllable centre frequency in Hz
   * @param pitchMaxHz highest syllable centre frequency in Hz
   * @param rng random stream
   * @return event source [n], about RMS 1 over each syllable
   */
  public static double[] birdsong(
      int n, int sampleRateHz, double boutsPerSecond, double pitchMinHz, double pitchMaxHz,
      SplittableRandom rng) {
    double[] out = new double[n];
    if (!(boutsPerSecond > 0)) {
      return out;
    }
    long active = 0;
    double t = exponentialGapSeconds(boutsPerSecond, rng);
    while (t * sampleRateHz < n) {
      double centre = logUniform(rng, pitchMinHz, pitchMaxHz);
      int count = uniformInt(rng, 2, 8);
      double durS = uniform(rng, 0.04, 0.16);
      double gapS = uniform(rng, 0.03, 0.12);
      double sweepOct = uniform(rng, -0.8, 0.8);
      double trillDepth = rng.nextDouble() < 0.4 ? uniform(rng, 0.03, 0.12) : 0.0;
      double trillHz = uniform(rng, 15, 50);
      double amp = dbToGain(uniform(rng, -8, 0));
      double s = t;
      for (int k = 0; k < count; k++) {
        int start = (int) (s * sampleRateHz);
        int len = Math.max(1, (int) (durS * sampleRateHz));
        active += addChirp(out, sampleRateHz, start, len, centre, sweepOct, trillDepth, trillHz,
            amp);
        s += durS + gapS;
      }
      t = s + exponentialGapSeconds(boutsPerSecond, rng);
    }
    return perEventRms(out, active);
  }

  /**
   * Road vehicles passing on a straight road: pass times at Poisson times (from 3 s before the
   * signal on), each with a passage time constant {@code tau = distance / speed} of 0.6-2 s. For
   * {@code x = (t - t0) / tau} the level follows {@code 1 / (1 + x^2)} (intensity over squared
   * distance) and the engine pitch follows the Doppler factor {@code 1 - k x / sqrt(1 + x^2)}, with
   * {@code k = v / c} of 0.02-0.06 (the radial speed is {@code v cos(theta)}). Tyre noise is
   * broadband with a 0.7-1.3 kHz peak; the engine is an impulse train low-passed at 400 Hz.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param vehiclesPerSecond mean pass rate, 0 for none
   * @param rng random stream
   * @return event source [n], RMS about 1 at the closest approach of the loudest vehicles
   */
  public static double[] passingVehicles(
      int n, int sampleRateHz, double vehiclesPerSecond, SplittableRandom rng) {
    double[] env = new double[n];
    if (!(vehiclesPerSecond > 0)) {
      return env;
    }
    double[] engine = new double[n];
    double durS = (double) n / sampleRateHz;
    double t = -3.0 + exponentialGapSeconds(vehiclesPerSecond, rng);
    while (t < durS + 3.0) {
      double tau = uniform(rng, 0.6, 2.0);
      double amp = dbToGain(uniform(rng, -8, 0));
      double f0 = uniform(rng, 25, 70);
      double k = uniform(rng, 0.02, 0.06);
      int from = Math.max(0, (int) Math.floor((t - 6 * tau) * sampleRateHz));
      int to = Math.min(n, (int) Math.ceil((t + 6 * tau) * sampleRateHz));
      if (from < to) {
        double[] e = new double[to - from];
        double[] f = new double[to - from];
        for (int j = 0; j < e.length; j++) {
          double x = ((double) (from + j) / sampleRateHz - t) / tau;
          e[j] = amp / (1.0 + x * x);
          f[j] = f0 * (1.0 - k * x / Math.sqrt(1.0 + x * x));
        }
        double[] pulses = Oscillators.pulseTrain(f, sampleRateHz, 0.03, rng);
        double norm = Math.sqrt(sampleRateHz / f0);
        for (int j = 0; j < e.length; j++) {
          env[from + j] += e[j];
          engine[from + j] += e[j] * pulses[j] * norm;
        }
      }
      t += exponentialGapSeconds(vehiclesPerSecond, rng);
    }
    ResponseCurve tyreColour =
        powerLaw(0.8).plus(peak(uniform(rng, 700, 1300), 8, 1.5)).plus(lowCut(100, 1))
            .plus(highCut(6000, 2));
    double[] tyre = SpectralFilter.colouredNoise(n, sampleRateHz, tyreColour, rng);
    double[] engineShaped = SpectralFilter.filterUnitPower(
        engine, sampleRateHz, lowCut(20, 2).plus(highCut(400, 2)).plus(peak(150, 6, 1.0)));
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = tyre[i] * env[i] + 0.5 * engineShaped[i];
    }
    return out;
  }

  /**
   * Wheel-rail squeal: a strong tone at {@code freqHz} (an unstable bending mode of the wheel) with
   * two weaker harmonics, a slow frequency wobble of 0.3-1.5 %, switched on and off by a slow
   * random gate that is open for about {@code dutyCycle} of the time.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param freqHz squeal frequency in Hz
   * @param dutyCycle fraction of time squealing, in [0, 1]
   * @param rng random stream
   * @return event source [n], RMS about 1 while squealing
   */
  public static double[] railSqueal(
      int n, int sampleRateHz, double freqHz, double dutyCycle, SplittableRandom rng) {
    double[] wobble = smoothRandom(n, sampleRateHz, 3.0, rng);
    double depth = uniform(rng, 0.003, 0.015);
    double[] f = new double[n];
    for (int i = 0; i < n; i++) {
      f[i] = freqHz * (1.0 + depth * wobble[i]);
    }
    double[] amps = {1.0, dbToGain(uniform(rng, -18, -6)), dbToGain(uniform(rng, -24, -10))};
    double[] tone = Oscillators.harmonicTone(f, sampleRateHz, amps, rng.nextDouble());
    double[] gate = smoothRandom(n, sampleRateHz, 0.8, rng);
    double threshold = 1.0 - 2.0 * dutyCycle;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double g = Math.max(0.0, Math.min(1.0, (gate[i] - threshold) * 4.0));
      out[i] = Math.sqrt(2.0) * g * tone[i];
    }
    return out;
  }

  /**
   * Rail joints: every {@code periodSeconds} (rail length over speed, ±5 % jitter) the two axles of
   * a bogie hit the joint 10-25 % of a period apart; each impact is a 2-6 ms noise burst plus a 30
   * ms low thump (50-110 Hz), heard through the car body (low-passed at 4 kHz).
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param periodSeconds mean time between joints in seconds, positive
   * @param rng random stream
   * @return event source [n], about RMS 1 over 40 ms per impact
   */
  public static double[] railClacks(
      int n, int sampleRateHz, double periodSeconds, SplittableRandom rng) {
    double[] out = new double[n];
    int events = 0;
    double spacing = uniform(rng, 0.10, 0.25) * periodSeconds;
    double thumpHz = uniform(rng, 50, 110);
    double t = rng.nextDouble() * periodSeconds;
    while (t * sampleRateHz < n) {
      for (int axle = 0; axle < 2; axle++) {
        int start = (int) ((t + axle * spacing) * sampleRateHz);
        double amp = dbToGain(uniform(rng, -4, 0));
        addDecayingNoise(out, start, uniform(rng, 0.002, 0.006) * sampleRateHz, amp, rng);
        addDecayingSine(out, start, thumpHz, sampleRateHz, 0.03 * sampleRateHz, 1.5 * amp);
        events++;
      }
      t += periodSeconds * (1.0 + 0.05 * (2.0 * rng.nextDouble() - 1.0));
    }
    double[] y = SpectralFilter.filterUnitPower(
        out, sampleRateHz, lowCut(30, 2).plus(highCut(4000, 1.5)));
    return perEventRms(y, (long) events * (long) (0.04 * sampleRateHz));
  }

  /**
   * Road bumps and suspension knocks inside a bus: Poisson impacts, each a decaying low sine
   * (35-80 Hz, 40-100 ms) plus a short low-passed noise burst.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param bumpsPerSecond mean rate, 0 for none
   * @param rng random stream
   * @return event source [n], about RMS 1 over 100 ms per bump
   */
  public static double[] bumps(int n, int sampleRateHz, double bumpsPerSecond,
      SplittableRandom rng) {
    double[] out = new double[n];
    if (!(bumpsPerSecond > 0)) {
      return out;
    }
    int events = 0;
    double t = exponentialGapSeconds(bumpsPerSecond, rng);
    while (t * sampleRateHz < n) {
      int start = (int) (t * sampleRateHz);
      double amp = dbToGain(uniform(rng, -8, 0));
      addDecayingSine(out, start, uniform(rng, 35, 80), sampleRateHz,
          uniform(rng, 0.04, 0.10) * sampleRateHz, amp);
      addDecayingNoise(out, start, 0.01 * sampleRateHz, 0.5 * amp, rng);
      events++;
      t += exponentialGapSeconds(bumpsPerSecond, rng);
    }
    double[] y = SpectralFilter.filterUnitPower(out, sampleRateHz, highCut(500, 2));
    return perEventRms(y, (long) events * (long) (0.1 * sampleRateHz));
  }

  /**
   * Rolling suitcase or trolley wheels: band noise (1-5 kHz) chopped at the wheel's joint-crossing
   * rate (tiles) while a slow random gate says the case is rolling.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param clickRateHz tile-joint rate in Hz (8-25 Hz for walking speed)
   * @param rng random stream
   * @return event source [n], RMS about 1 while rolling
   */
  public static double[] rollingWheels(
      int n, int sampleRateHz, double clickRateHz, SplittableRandom rng) {
    double[] band = SpectralFilter.colouredNoise(
        n, sampleRateHz, lowCut(1000, 2).plus(highCut(5000, 2)), rng);
    double[] gate = smoothRandom(n, sampleRateHz, 0.4, rng);
    double phase0 = rng.nextDouble();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double c = 0.5 + 0.5 * Oscillators.sinCycles(phase0 + clickRateHz * i / sampleRateHz);
      double chop = c * c * c * c;
      double g = Math.max(0.0, Math.min(1.0, gate[i] * 3.0));
      out[i] = 2.0 * g * chop * band[i];
    }
    return out;
  }

  /**
   * Background music through ceiling speakers: a four-chord progression in a random major or minor
   * key, one chord every two beats at 80-132 BPM, each chord a triad of six-harmonic tones with a
   * piano-like decay, a bass note two octaves below, and a kick (decaying 55 Hz sine) on every
   * beat.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param rng random stream
   * @return continuous source [n], RMS 1
   */
  public static double[] music(int n, int sampleRateHz, SplittableRandom rng) {
    double bpm = uniform(rng, 80, 132);
    double beatS = 60.0 / bpm;
    int key = uniformInt(rng, 0, 11);
    int[] scale = rng.nextBoolean() ? new int[] {0, 2, 3, 5, 7, 8, 10}
        : new int[] {0, 2, 4, 5, 7, 9, 11};
    int[][] progressions = {{0, 4, 5, 3}, {0, 3, 4, 4}, {5, 3, 0, 4}, {0, 5, 3, 4}};
    int[] prog = progressions[rng.nextInt(progressions.length)];
    double rolloff = uniform(rng, 1.0, 2.0);
    double[] amps = new double[6];
    for (int h = 0; h < amps.length; h++) {
      amps[h] = 1.0 / StrictMath.pow(h + 1, rolloff);
    }
    double[] bassAmps = {1.0, 0.5, 0.25};
    double[] out = new double[n];
    int chordLen = Math.max(1, (int) (2 * beatS * sampleRateHz));
    int beatLen = chordLen / 2;
    int start = -(int) (rng.nextDouble() * chordLen);
    for (int s = start, c = 0; s < n; s += chordLen, c++) {
      int degree = prog[c % prog.length];
      for (int v = 0; v < 3; v++) {
        int deg = degree + 2 * v;
        int midi = 60 + key + scale[deg % 7] + 12 * (deg / 7);
        addNote(out, sampleRateHz, s, chordLen, Oscillators.midiToHz(midi), amps, 0.6, 0.8);
      }
      int bass = 36 + key + scale[degree % 7];
      addNote(out, sampleRateHz, s, chordLen, Oscillators.midiToHz(bass), bassAmps, 0.9, 1.5);
      for (int b = 0; b < 2; b++) {
        addDecayingSine(out, s + b * beatLen, 55, sampleRateHz, 0.08 * sampleRateHz, 1.2);
      }
    }
    return Levels.withRms(out, 1.0);
  }

  /**
   * A public-address announcement starting at {@code startSample}: a chime of two or three
   * bell-like notes (partials 1, 2, 2.76, 5.4 with decays shortening with frequency), then one
   * voice speaking continuously for {@code durationSeconds}, band-limited to 300-3400 Hz like a
   * horn loudspeaker.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param startSample where the chime starts (may lie before 0 or beyond n)
   * @param durationSeconds length of the spoken part in seconds
   * @param rng random stream
   * @return event source [n], about RMS 1 while speaking
   */
  public static double[] announcement(
      int n, int sampleRateHz, int startSample, double durationSeconds, SplittableRandom rng) {
    double[] out = new double[n];
    int notes = uniformInt(rng, 2, 3);
    int base = uniformInt(rng, 67, 79);
    int[] steps = rng.nextBoolean() ? new int[] {0, 4, 7} : new int[] {7, 4, 0};
    int noteLen = (int) (0.35 * sampleRateHz);
    for (int k = 0; k < notes; k++) {
      addBell(out, sampleRateHz, startSample + k * noteLen, Oscillators.midiToHz(base + steps[k]),
          0.8);
    }
    int voiceStart = startSample + notes * noteLen + (int) (0.3 * sampleRateHz);
    int voiceLen = Math.max(1, (int) (durationSeconds * sampleRateHz));
    double[] exc = new double[voiceLen];
    double[] fricatives = new double[voiceLen];
    addTalker(exc, fricatives, sampleRateHz, uniform(rng, 110, 220), 1.0, 2.0, rng);
    addNoise(exc, fricatives, rng);
    ResponseCurve horn = SPEECH.plus(lowCut(300, 3)).plus(highCut(3400, 4)).plus(peak(2000, 4, 1));
    double[] voice = Levels.withRms(SpectralFilter.filter(exc, sampleRateHz, horn), 1.0);
    for (int j = 0; j < voiceLen; j++) {
      int i = voiceStart + j;
      if (i >= 0 && i < n) {
        out[i] += voice[j];
      }
    }
    return out;
  }

  /**
   * Mains or ventilation hum: a steady tone at {@code f0Hz} with {@code harmonics} partials of
   * random amplitudes (0 to -20 dB) and a slow ±10 % amplitude drift.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param f0Hz fundamental in Hz
   * @param harmonics number of partials, at least 1
   * @param rng random stream
   * @return continuous source [n], RMS 1
   */
  public static double[] hum(int n, int sampleRateHz, double f0Hz, int harmonics,
      SplittableRandom rng) {
    double[] amps = new double[Math.max(1, harmonics)];
    amps[0] = 1.0;
    for (int h = 1; h < amps.length; h++) {
      amps[h] = dbToGain(uniform(rng, -20, 0));
    }
    double[] f = new double[n];
    Arrays.fill(f, f0Hz);
    double[] tone = Oscillators.harmonicTone(f, sampleRateHz, amps, rng.nextDouble());
    double[] drift = smoothRandom(n, sampleRateHz, 0.5, rng);
    for (int i = 0; i < n; i++) {
      tone[i] *= 1.0 + 0.1 * drift[i];
    }
    return Levels.withRms(tone, 1.0);
  }

  /**
   * Wind: dark turbulence noise (power {@code ∝ f^-2.5} below 600 Hz) whose power follows the
   * square of a gust envelope (0.2-0.6 Hz), plus leaf rustle (1.5-9 kHz noise) following the gusts
   * linearly.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param gustDepth relative depth of the gusts, in [0, 1]
   * @param rng random stream
   * @return continuous source [n], RMS 1
   */
  public static double[] wind(int n, int sampleRateHz, double gustDepth, SplittableRandom rng) {
    double[] rumble = SpectralFilter.colouredNoise(
        n, sampleRateHz, powerLaw(2.5).plus(lowCut(15, 2)).plus(highCut(600, 2)), rng);
    double[] rustle = SpectralFilter.colouredNoise(
        n, sampleRateHz, powerLaw(0.3).plus(lowCut(1500, 2)).plus(highCut(9000, 2)), rng);
    double[] gust = smoothRandom(n, sampleRateHz, uniform(rng, 0.2, 0.6), rng);
    double rustleGain = dbToGain(uniform(rng, -16, -6));
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double g = Math.max(0.05, 1.0 + gustDepth * gust[i]);
      out[i] = g * g * rumble[i] + g * rustleGain * rustle[i];
    }
    return Levels.withRms(out, 1.0);
  }

  /**
   * Distant road traffic: dark noise ({@code ∝ f^-exponent}, low-passed at 2.5 kHz by distance and
   * buildings) with a slow ±30 % swell.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param exponent spectral tilt exponent, typically 1.8-2.8
   * @param rng random stream
   * @return continuous source [n], RMS 1
   */
  public static double[] distantTraffic(
      int n, int sampleRateHz, double exponent, SplittableRandom rng) {
    double[] noise = SpectralFilter.colouredNoise(n, sampleRateHz,
        powerLaw(exponent).plus(lowCut(30, 2)).plus(highCut(2500, 1.5)), rng);
    double[] swell = smoothRandom(n, sampleRateHz, 0.15, rng);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = noise[i] * (1.0 + 0.3 * swell[i]);
    }
    return Levels.withRms(out, 1.0);
  }

  /**
   * Running water (a fountain): nearly white noise ({@code ∝ f^-exponent} above 200 Hz) with a fast
   * random flicker (20 Hz) of ±25 %.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param exponent spectral tilt exponent, typically 0.2-0.8
   * @param rng random stream
   * @return continuous source [n], RMS 1
   */
  public static double[] water(int n, int sampleRateHz, double exponent, SplittableRandom rng) {
    double[] noise = SpectralFilter.colouredNoise(n, sampleRateHz,
        powerLaw(exponent).plus(lowCut(200, 2)).plus(highCut(12000, 2)), rng);
    double[] flicker = smoothRandom(n, sampleRateHz, 20.0, rng);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = noise[i] * (1.0 + 0.25 * flicker[i]);
    }
    return Levels.withRms(out, 1.0);
  }

  /**
   * A train entering a station: tunnel roar and traction motor swelling as {@code (1 + x^2)^-1.5}
   * around {@code centreSample} ({@code x} in units of half the duration), a decelerating motor,
   * and a brake squeal near the stop.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param centreSample time of the loudest point, in samples (may lie outside [0, n))
   * @param durationSeconds width of the swell in seconds
   * @param rng random stream
   * @return event source [n], RMS about 1 at the loudest point
   */
  public static double[] trainPass(
      int n, int sampleRateHz, int centreSample, double durationSeconds, SplittableRandom rng) {
    double[] roar = SpectralFilter.colouredNoise(n, sampleRateHz, powerLaw(1.5)
        .plus(lowCut(30, 2)).plus(peak(uniform(rng, 300, 700), 5, 1.5)).plus(highCut(5000, 2)),
        rng);
    double[] motor = engine(n, sampleRateHz, uniform(rng, 40, 80), 0.05, -0.3, 800, rng);
    double[] squeal = railSqueal(n, sampleRateHz, uniform(rng, 2000, 4500), 0.9, rng);
    double half = 0.5 * durationSeconds * sampleRateHz;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double x = (i - centreSample) / half;
      double q = 1.0 + x * x;
      double e = 1.0 / (q * Math.sqrt(q));
      double xs = x / 0.3;
      double sq = 1.0 / ((1.0 + xs * xs) * (1.0 + xs * xs));
      out[i] = e * (roar[i] + 0.5 * motor[i]) + 0.4 * sq * squeal[i];
    }
    return out;
  }

  /**
   * Beeps (door warning, bus stop request, car horn): {@code count} tones of
   * {@code beepSeconds} separated by {@code gapSeconds}, with 5 ms linear ramps.
   *
   * @param n number of samples
   * @param sampleRateHz sample rate in Hz
   * @param startSample start of the first beep (may lie outside [0, n))
   * @param freqHz fundamental in Hz
   * @param harmonicAmps amplitudes of harmonics 1, 2, ...
   * @param count number of beeps
   * @param beepSeconds length of one beep in seconds
   * @param gapSeconds silence between beeps in seconds
   * @return event source [n], RMS about 1 while sounding
   */
  public static double[] beeps(
      int n, int sampleRateHz, int startSample, double freqHz, double[] harmonicAmps, int count,
      double beepSeconds, double gapSeconds) {
    double[] out = new double[n];
    int len = Math.max(1, (int) (beepSeconds * sampleRateHz));
    int step = len + (int) (gapSeconds * sampleRateHz);
    int ramp = Math.max(1, (int) (0.005 * sampleRateHz));
    double norm = 0;
    for (double a : harmonicAmps) {
      norm += a * a;
    }
    norm = Math.sqrt(2.0 / Math.max(norm, 1e-12));
    for (int b = 0; b < count; b++) {
      int s = startSample + b * step;
      for (int j = 0; j < len; j++) {
        int i = s + j;
        if (i < 0 || i >= n) {
          continue;
        }
        double env = Math.min(1.0, Math.min((double) j / ramp, (double) (len - j) / ramp));
        double phase = freqHz * j / sampleRateHz;
        double v = 0;
        for (int h = 0; h < harmonicAmps.length; h++) {
          if ((h + 1) * freqHz >= 0.45 * sampleRateHz) {
            break;
          }
          v += harmonicAmps[h] * Oscillators.sinCycles((h + 1) * phase);
        }
        out[i] += norm * env * v;
      }
    }
    return out;
  }

  /**
   * Reverberation in a room: the dry signal plus its convolution with an exponentially decaying
   * noise impulse response (a statistical late-reverb model: -60 dB after {@code rt60Seconds},
   * capped at 3 s, after an 8-25 ms pre-delay, unit energy), low-passed at {@code dampingHz} (air
   * and wall absorption), at a direct-to-reverberant ratio of {@code directToReverbDb}.
   *
   * @param dry the dry signal [n]
   * @param sampleRateHz sample rate in Hz
   * @param rt60Seconds reverberation time in seconds, positive
   * @param directToReverbDb direct-to-reverberant energy ratio in dB (negative: reverb dominates)
   * @param dampingHz low-pass corner of the reverberant part in Hz
   * @param rng random stream
   * @return the reverberant signal [n]
   */
  public static double[] reverberate(
      double[] dry, int sampleRateHz, double rt60Seconds, double directToReverbDb,
      double dampingHz, SplittableRandom rng) {
    if (!(rt60Seconds > 0)) {
      throw new IllegalArgumentException("rt60Seconds must be positive, got " + rt60Seconds);
    }
    int pre = (int) (uniform(rng, 0.008, 0.025) * sampleRateHz);
    int len = Math.max(1, (int) (Math.min(rt60Seconds, 3.0) * sampleRateHz));
    double[] h = new double[pre + len];
    double decay = StrictMath.pow(10.0, -3.0 / (rt60Seconds * sampleRateHz));
    double e = 1.0;
    for (int j = 0; j < len; j++) {
      h[pre + j] = e * (2.0 * rng.nextDouble() - 1.0);
      e *= decay;
    }
    double energy = 0;
    for (double v : h) {
      energy += v * v;
    }
    h = Levels.scaled(h, 1.0 / Math.sqrt(energy));
    double[] wet = SpectralFilter.convolve(dry, h, sampleRateHz, highCut(dampingHz, 1));
    double g = dbToGain(-directToReverbDb);
    double[] out = new double[dry.length];
    for (int i = 0; i < dry.length; i++) {
      out[i] = dry[i] + g * wet[i];
    }
    return out;
  }

  /**
   * One voice: voiced pulses into {@code exc} and the envelope of its fricative noise into
   * {@code fricatives}, both under the syllable and phrase gates. The noise itself is added once
   * for all voices ({@link #addNoise}).
   */
  private static void addTalker(
      double[] exc, double[] fricatives, int sampleRateHz, double f0Hz, double gain,
      double speakingBias, SplittableRandom rng) {
    int n = exc.length;
    double[] intonation = smoothRandom(n, sampleRateHz, 2.5, rng);
    double[] f = new double[n];
    for (int i = 0; i < n; i++) {
      f[i] = f0Hz * (1.0 + 0.15 * intonation[i]);
    }
    double[] pulses = Oscillators.pulseTrain(f, sampleRateHz, 0.01, rng);
    double pulseNorm = Math.sqrt(sampleRateHz / f0Hz);
    double syllableRateHz = uniform(rng, 3.0, 6.0);
    double[] syllables = smoothRandom(n, sampleRateHz, 2.0 * syllableRateHz, rng);
    double[] phrases = smoothRandom(n, sampleRateHz, 0.6, rng);
    double[] voicing = smoothRandom(n, sampleRateHz, 4.0 * syllableRateHz, rng);
    for (int i = 0; i < n; i++) {
      double s = Math.max(0.0, syllables[i] + 0.3);
      double gate = Math.max(0.0, Math.min(1.0, (phrases[i] + speakingBias) * 3.0));
      double voiced = Math.max(0.0, Math.min(1.0, (voicing[i] + 0.5) * 4.0));
      double env = gain * s * s * gate;
      exc[i] += env * voiced * pulses[i] * pulseNorm;
      fricatives[i] += env * (1.0 - 0.8 * voiced) * 0.5;
    }
  }

  /** Adds unit-variance uniform noise times an envelope: {@code exc[i] += env[i] * u_i}. */
  private static void addNoise(double[] exc, double[] env, SplittableRandom rng) {
    for (int i = 0; i < exc.length; i++) {
      exc[i] += env[i] * SQRT3 * (2.0 * rng.nextDouble() - 1.0);
    }
  }

  /** Adds one chirp; returns the number of samples written. */
  private static int addChirp(
      double[] out, int sampleRateHz, int start, int len, double centreHz, double sweepOct,
      double trillDepth, double trillHz, double amp) {
    double limit = 0.45 * sampleRateHz;
    double ratio = StrictMath.pow(2.0, sweepOct / len);
    double f = centreHz * StrictMath.pow(2.0, -0.5 * sweepOct);
    double phase = 0;
    int written = 0;
    for (int j = 0; j < len; j++) {
      int i = start + j;
      if (i >= out.length) {
        break;
      }
      double fi = f * (1.0 + trillDepth * Oscillators.sinCycles(trillHz * j / sampleRateHz));
      double env = Oscillators.sinCycles(0.5 * j / len);
      env *= env;
      if (i >= 0 && fi < limit) {
        double v = Oscillators.sinCycles(phase);
        if (2.0 * fi < limit) {
          v += 0.2 * Oscillators.sinCycles(2.0 * phase);
        }
        out[i] += amp * env * v;
        written++;
      }
      phase += fi / sampleRateHz;
      f *= ratio;
    }
    return written;
  }

  /** Adds a piano-like note: 10 ms attack, exponential decay towards 30 %, 30 ms release. */
  private static void addNote(
      double[] out, int sampleRateHz, int start, int len, double freqHz, double[] amps,
      double gain, double decaySeconds) {
    int attack = Math.max(1, (int) (0.01 * sampleRateHz));
    int release = Math.max(1, (int) (0.03 * sampleRateHz));
    double k = StrictMath.exp(-1.0 / (decaySeconds * sampleRateHz));
    double d = 1.0;
    double limit = 0.45 * sampleRateHz;
    for (int j = 0; j < len; j++) {
      int i = start + j;
      double env = (0.3 + 0.7 * d)
          * Math.min(1.0, Math.min((double) j / attack, (double) (len - j) / release));
      d *= k;
      if (i < 0 || i >= out.length) {
        continue;
      }
      double phase = freqHz * j / sampleRateHz;
      double v = 0;
      for (int h = 0; h < amps.length; h++) {
        if ((h + 1) * freqHz >= limit) {
          break;
        }
        v += amps[h] * Oscillators.sinCycles((h + 1) * phase);
      }
      out[i] += gain * env * v;
    }
  }

  /** Adds a bell: inharmonic partials with decays shortening with partial frequency. */
  private static void addBell(double[] out, int sampleRateHz, int start, double freqHz,
      double amp) {
    double[] ratios = {1.0, 2.0, 2.76, 5.4};
    double[] amps = {1.0, 0.5, 0.35, 0.15};
    for (int p = 0; p < ratios.length; p++) {
      if (ratios[p] * freqHz < 0.45 * sampleRateHz) {
        addDecayingSine(out, start, ratios[p] * freqHz, sampleRateHz,
            0.6 * sampleRateHz / ratios[p], amp * amps[p]);
      }
    }
  }

  /** Adds {@code amp * e^(-j/tau) * u_j}, u_j unit-variance uniform noise, for 5 tau samples. */
  private static void addDecayingNoise(
      double[] out, int start, double tauSamples, double amp, SplittableRandom rng) {
    int len = (int) Math.ceil(5 * tauSamples);
    double k = StrictMath.exp(-1.0 / tauSamples);
    double e = amp;
    for (int j = 0; j < len; j++) {
      double u = SQRT3 * (2.0 * rng.nextDouble() - 1.0);
      int i = start + j;
      if (i >= 0 && i < out.length) {
        out[i] += e * u;
      }
      e *= k;
    }
  }

  /** Adds {@code amp * e^(-j/tau) * sin(2 pi f j / fs)} for 5 tau samples. */
  private static void addDecayingSine(
      double[] out, int start, double freqHz, int sampleRateHz, double tauSamples, double amp) {
    int len = (int) Math.ceil(5 * tauSamples);
    double k = StrictMath.exp(-1.0 / tauSamples);
    double e = amp;
    for (int j = 0; j < len; j++) {
      int i = start + j;
      if (i >= out.length) {
        break;
      }
      if (i >= 0) {
        out[i] += e * Oscillators.sinCycles(freqHz * j / sampleRateHz);
      }
      e *= k;
    }
  }

  /** Scales x so that its energy equals activeSamples (RMS 1 over the active part). */
  private static double[] perEventRms(double[] x, long activeSamples) {
    if (activeSamples <= 0) {
      return x;
    }
    double e = 0;
    for (double v : x) {
      e += v * v;
    }
    return e > 0 ? Levels.scaled(x, Math.sqrt(activeSamples / e)) : x;
  }
}
