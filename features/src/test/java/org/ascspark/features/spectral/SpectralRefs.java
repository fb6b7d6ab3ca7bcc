package org.ascspark.features.spectral;

import static org.ascspark.features.testing.Json.integer;
import static org.ascspark.features.testing.Json.number;
import static org.ascspark.features.testing.Json.string;

import java.util.Map;
import org.ascspark.features.spectral.gammatone.ReferenceFiles;
import org.ascspark.features.testing.Json;

/**
 * Test access to the stft-*, mel-*, delta-* and logmel-* reference files written by
 * tools/reference/make_spectral_refs.py: loading, the input signals, and the generator's config
 * maps turned into params. Parsing and array decoding are {@link Json}'s.
 */
final class SpectralRefs {

  static final String DIR = "/spectral-reference/";

  private SpectralRefs() {}

  /** Parses a resource under spectral-reference/. */
  static Map<String, Object> load(String name) {
    return Json.resource(DIR + name, "run tools/reference/make_spectral_refs.py");
  }

  /** Input signals by name, from stft-signals.json. */
  static Map<String, float[]> signals() {
    return ReferenceFiles.signals();
  }

  /** STFT settings from a config map of the generator. */
  static StftParams stft(Map<String, Object> c) {
    return ReferenceFiles.stft(c);
  }

  static MelParams mel(Map<String, Object> c) {
    return new MelParams(
        integer(c, "n_mels"),
        number(c, "fmin"),
        number(c, "fmax"),
        "htk".equals(string(c, "mel_scale")) ? MelParams.Scale.HTK : MelParams.Scale.SLANEY,
        "slaney".equals(string(c, "mel_norm")) ? MelParams.Norm.SLANEY : MelParams.Norm.NONE);
  }

  static LogParams log(Map<String, Object> c) {
    return ReferenceFiles.log(c);
  }

  static DeltaParams deltas(Map<String, Object> c) {
    return ReferenceFiles.deltas(c);
  }
}
