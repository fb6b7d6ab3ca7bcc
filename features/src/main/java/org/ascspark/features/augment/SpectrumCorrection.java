package org.ascspark.features.augment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Spectrum correction in augmentation mode (SCUT DCASE 2022 report, section 2.2; Nguyen, Pernkopf
 * and Kosmider, ICASSP 2020): imposes the estimated frequency response of a randomly drawn seen
 * device on a clip recorded by the reference device, so that a reference-device clip sounds as if
 * recorded by that device.
 *
 * <p><b>Conventions.</b>
 *
 * <ul>
 *   <li>Input: the STFT spectrum of a clip of the <b>reference device</b> of the {@link
 *       DeviceResponses} (its responses are relative to it). Other clips are not checked here; the
 *       caller chooses which clips get this variant.
 *   <li>Draw: exactly one {@code rng.nextInt(devices.size())} picks the device, indexing the
 *       {@code devices} list in the order given to the constructor (so a config list and a seed fix
 *       the draw), uniformly.
 *   <li>Gain: every frame is multiplied by {@link DeviceResponses#response} of the drawn device
 *       (a linear magnitude ratio per bin) for a magnitude spectrum, by its square for a power
 *       spectrum ({@link DeviceResponses#applyGain}); values are rounded once to float.
 *   <li>The spectrum's sample rate and FFT length must be those the responses were estimated
 *       with.
 * </ul>
 *
 * <p>Recorded parameters ({@link Applied#params()}): {@code {"device": "<name>"}}. Immutable,
 * thread-safe and serializable (carries the responses: a few kB per device).
 */
public final class SpectrumCorrection implements SpectrumAugmentation {

  private static final long serialVersionUID = 1L;

  /** Name in configs and in the {@code augmentation} column. */
  public static final String NAME = "speccorr";

  /** Key of the drawn device in {@link Applied#params()}. */
  public static final String PARAM_DEVICE = "device";

  private final DeviceResponses responses;
  private final List<String> devices;

  /**
   * Builds and validates the augmentation.
   *
   * @param responses estimated device responses
   * @param devices devices whose responses may be imposed: non-empty, no duplicates, each one of
   *     {@code responses.devices()}, none the reference device
   * @throws IllegalArgumentException naming {@code devices} and the offending value
   */
  public SpectrumCorrection(DeviceResponses responses, List<String> devices) {
    if (responses == null) {
      throw new IllegalArgumentException("device responses are required");
    }
    if (devices == null || devices.isEmpty()) {
      throw new IllegalArgumentException("devices must list at least one device, got "
          + devices + "; devices with responses: " + nonReference(responses));
    }
    Set<String> seen = new HashSet<>();
    for (String d : devices) {
      if (d != null && d.equals(responses.referenceDevice())) {
        throw new IllegalArgumentException("devices must not include the reference device '" + d
            + "' (its response is 1: the identity)");
      }
      if (d == null || !responses.devices().contains(d)) {
        throw new IllegalArgumentException("devices: unknown device '" + d
            + "'; devices with responses: " + nonReference(responses));
      }
      if (!seen.add(d)) {
        throw new IllegalArgumentException("devices lists device '" + d + "' more than once");
      }
    }
    this.responses = responses;
    this.devices = List.copyOf(devices);
  }

  private static List<String> nonReference(DeviceResponses r) {
    List<String> out = new ArrayList<>(r.devices());
    out.remove(r.referenceDevice());
    return out;
  }

  /** @return {@code speccorr} */
  @Override
  public String name() {
    return NAME;
  }

  /** @return the devices drawn from, in draw-index order (unmodifiable) */
  public List<String> devices() {
    return devices;
  }

  /** @return the responses imposed */
  public DeviceResponses responses() {
    return responses;
  }

  /**
   * Draws a device and imposes its response.
   *
   * @param spectrum power or magnitude spectrum of a reference-device clip [frames][nFft / 2 + 1],
   *     not modified; may have no frames
   * @param sampleRateHz sample rate in Hz; must equal {@link DeviceResponses#sampleRateHz()}
   * @param nFft FFT length; must equal {@link DeviceResponses#nFft()}
   * @param power true: power spectrum (times response^2); false: magnitude (times response)
   * @param rng the record's random stream; one {@code nextInt} is drawn
   * @return new spectrum [frames][nFft / 2 + 1] and {@code {"device": d}}
   * @throws IllegalArgumentException if the sample rate, FFT length or a row length does not match
   */
  @Override
  public Applied apply(
      float[][] spectrum, int sampleRateHz, int nFft, boolean power, SplittableRandom rng) {
    if (spectrum == null || rng == null) {
      throw new IllegalArgumentException("spectrum and rng are required");
    }
    if (sampleRateHz != responses.sampleRateHz() || nFft != responses.nFft()) {
      throw new IllegalArgumentException("spectrum at " + sampleRateHz + " Hz with n-fft " + nFft
          + " does not match the device responses, estimated at " + responses.sampleRateHz()
          + " Hz with n-fft " + responses.nFft());
    }
    String device = devices.get(rng.nextInt(devices.size()));
    float[][] out = DeviceResponses.applyGain(spectrum, responses.response(device), power);
    return new Applied(out, Map.of(PARAM_DEVICE, device));
  }

  @Override
  public String toString() {
    return "SpectrumCorrection[devices=" + devices + ", reference="
        + responses.referenceDevice() + "]";
  }
}
