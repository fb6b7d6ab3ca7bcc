package org.ascspark.features.synth;

import static org.ascspark.features.synth.ResponseCurve.highCut;
import static org.ascspark.features.synth.ResponseCurve.highShelf;
import static org.ascspark.features.synth.ResponseCurve.lowCut;
import static org.ascspark.features.synth.ResponseCurve.peak;

import java.util.List;
import java.util.Optional;

/**
 * The nine simulated devices, named as in TAU Urban Acoustic Scenes 2020 Mobile.
 *
 * <p>Design: {@code a} is the reference (flat above 20 Hz, -100 dBFS noise). {@code b} and
 * {@code c} are moderate phone-like colourings. The simulated devices come in three families, one
 * seen and one unseen member each, with different curves, so a model trained without device
 * augmentation meets new curves of a familiar kind: band-limited like a speech codec (s1 at 3.8
 * kHz, s4 at 5.5 kHz with other resonances), strong low cut and bright (s2 at 700 Hz, s5 at 1 kHz
 * with a presence dip), and dull with soft clipping (s3 bassy, s6 boxy with a low cut). Delays are
 * fixed, 0-0.9 ms.
 *
 * <table>
 *   <caption>Device responses</caption>
 *   <tr><th>device</th><th>response</th><th>gain</th><th>noise</th><th>clip knee</th></tr>
 *   <tr><td>a</td><td>low cut 10 Hz/2</td><td>0 dB</td><td>-100 dBFS white</td><td>-</td></tr>
 *   <tr><td>b</td><td>low cut 90 Hz/2, +4 dB at 2.8 kHz, shelf -6 dB above 9 kHz, high cut 16 kHz/4
 *       </td><td>-2 dB</td><td>-78 dBFS pink</td><td>-</td></tr>
 *   <tr><td>c</td><td>low cut 180 Hz/3, -3 dB at 1.2 kHz, +5 dB at 5 kHz, high cut 13 kHz/6</td>
 *       <td>-1 dB</td><td>-74 dBFS white</td><td>-</td></tr>
 *   <tr><td>s1</td><td>low cut 300 Hz/4, high cut 3.8 kHz/8, +3 dB at 1.8 kHz</td><td>-1 dB</td>
 *       <td>-70 dBFS white</td><td>-</td></tr>
 *   <tr><td>s2</td><td>low cut 700 Hz/3, shelf +6 dB above 5 kHz, +4 dB at 9 kHz</td>
 *       <td>-3 dB</td><td>-72 dBFS pink</td><td>-</td></tr>
 *   <tr><td>s3</td><td>+5 dB at 150 Hz, shelf -12 dB above 2.5 kHz, high cut 10 kHz/2</td>
 *       <td>+6 dB</td><td>-68 dBFS brown</td><td>0.30</td></tr>
 *   <tr><td>s4</td><td>low cut 220 Hz/4, high cut 5.5 kHz/8, +5 dB at 1.1 kHz, -4 dB at 3 kHz</td>
 *       <td>0 dB</td><td>-70 dBFS white</td><td>-</td></tr>
 *   <tr><td>s5</td><td>low cut 1 kHz/3, -7 dB at 3.2 kHz, shelf +7 dB above 6.5 kHz</td>
 *       <td>-2 dB</td><td>-73 dBFS pink</td><td>-</td></tr>
 *   <tr><td>s6</td><td>low cut 150 Hz/2, +6 dB at 700 Hz, high cut 1.2 kHz/0.5 (-3 dB/oct),
 *       high cut 7 kHz/4</td><td>+6 dB</td><td>-66 dBFS brown</td><td>0.25</td></tr>
 * </table>
 */
public final class DeviceProfiles {

  /** The reference device. */
  public static final DeviceProfile A = new DeviceProfile("a", DeviceGroup.REAL,
      "reference microphone, flat", lowCut(10, 2), 0, -100, 0, 0, 0);

  /** A phone-like device with a presence peak and a soft top. */
  public static final DeviceProfile B = new DeviceProfile("b", DeviceGroup.REAL,
      "phone: mild low cut, presence peak, soft top",
      lowCut(90, 2).plus(peak(2800, 4, 0.8)).plus(highShelf(9000, -6)).plus(highCut(16000, 4)),
      -2, -78, 1, 0, 0.25);

  /** A phone-like device with a thinner bass and a bright 5 kHz peak. */
  public static final DeviceProfile C = new DeviceProfile("c", DeviceGroup.REAL,
      "phone: low cut, mid scoop, bright peak",
      lowCut(180, 3).plus(peak(1200, -3, 1.0)).plus(peak(5000, 5, 0.7)).plus(highCut(13000, 6)),
      -1, -74, 0, 0, 0.5);

  /** Seen: speech-codec-like band limit to 300 Hz-3.8 kHz. */
  public static final DeviceProfile S1 = new DeviceProfile("s1", DeviceGroup.SIMULATED_SEEN,
      "narrow band like a speech codec, 300 Hz-3.8 kHz",
      lowCut(300, 4).plus(highCut(3800, 8)).plus(peak(1800, 3, 1.0)), -1, -70, 0, 0, 0.1);

  /** Seen: strong low cut and a bright top. */
  public static final DeviceProfile S2 = new DeviceProfile("s2", DeviceGroup.SIMULATED_SEEN,
      "strong low cut at 700 Hz, bright",
      lowCut(700, 3).plus(highShelf(5000, 6)).plus(peak(9000, 4, 0.5)), -3, -72, 1, 0, 0.7);

  /** Seen: dull and bassy, driven into soft clipping. */
  public static final DeviceProfile S3 = new DeviceProfile("s3", DeviceGroup.SIMULATED_SEEN,
      "dull and bassy, soft clipping",
      peak(150, 5, 1.0).plus(highShelf(2500, -12)).plus(highCut(10000, 2)), 6, -68, 2, 0.30, 0.3);

  /** Unseen: band limit to 220 Hz-5.5 kHz with a mid peak and a dip. */
  public static final DeviceProfile S4 = new DeviceProfile("s4", DeviceGroup.SIMULATED_UNSEEN,
      "band-limited 220 Hz-5.5 kHz, mid peak, presence dip",
      lowCut(220, 4).plus(highCut(5500, 8)).plus(peak(1100, 5, 0.6)).plus(peak(3000, -4, 0.5)),
      0, -70, 0, 0, 0.9);

  /** Unseen: very strong low cut, presence dip, bright top. */
  public static final DeviceProfile S5 = new DeviceProfile("s5", DeviceGroup.SIMULATED_UNSEEN,
      "very strong low cut at 1 kHz, presence dip, bright",
      lowCut(1000, 3).plus(peak(3200, -7, 0.6)).plus(highShelf(6500, 7)), -2, -73, 1, 0, 0);

  /** Unseen: small speaker-like low cut, boxy mid peak, dark top, soft clipping, noisy. */
  public static final DeviceProfile S6 = new DeviceProfile("s6", DeviceGroup.SIMULATED_UNSEEN,
      "low cut 150 Hz, boxy 700 Hz peak, dark (-3 dB/oct above 1.2 kHz), soft clipping, noisy",
      lowCut(150, 2).plus(peak(700, 6, 0.7)).plus(highCut(1200, 0.5)).plus(highCut(7000, 4)),
      6, -66, 2, 0.25, 0.6);

  private static final List<DeviceProfile> ALL = List.of(A, B, C, S1, S2, S3, S4, S5, S6);

  private DeviceProfiles() {}

  /** @return all nine devices in TAU order: a, b, c, s1, ..., s6 */
  public static List<DeviceProfile> all() {
    return ALL;
  }

  /** @return the reference device {@code a} */
  public static DeviceProfile reference() {
    return A;
  }

  /**
   * @param name device label
   * @return the device with that label, if any
   */
  public static Optional<DeviceProfile> byName(String name) {
    return ALL.stream().filter(d -> d.name().equals(name)).findFirst();
  }
}
