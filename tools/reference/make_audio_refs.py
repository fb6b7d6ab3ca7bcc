#!/usr/bin/env python3
"""Reference outputs for the Java WavDecoder and Resampler (org.ascspark.features.audio).

Run from the repository root:  python3 tools/reference/make_audio_refs.py [--shared DIR]

Last run with: Python 3.11.7, numpy 2.4.6, scipy 1.17.1 (each output file records the versions it
was made with under "generator"). Output: features/src/test/resources/audio-reference/*.json.

1. Decoding references (decode-<folder>.json), one entry per WAV file under
   <shared>/data/{real,wav-edge-cases,micirp}. Decoded independently of the Java code with
   scipy.io.wavfile, cross-checked sample by sample against the stdlib `wave` module plus a manual
   numpy unpack wherever `wave` can read the file (integer PCM). Conversion is the Java convention:
   integer PCM v -> v / 2^(bits-1) in float64, then float32 (scipy returns 24-bit left-justified in
   int32, so int32 / 2^31 is exact for both 24 and 32 bits); 8-bit (u - 128) / 128; float64 ->
   float32. Stored per file: path relative to <shared>/data, sample rate, channels, frames, the
   SHA-256 of each channel's float32 little-endian bytes, the first 32 samples and 32 samples at
   stored evenly spaced positions. Files scipy cannot decode get "expect_reject": true with the
   format tag and its name, which the Java rejection reason must contain.

2. Resampler references (resample-<from>-<to>.json) for 48000->44100, 22050->44100, 16000->44100,
   44100->32000, 96000->44100. Two 0.1 s test signals per pair (seeded band-limited noise, low-pass
   at 0.8 x the lower Nyquist frequency; a sum of three tones), each with 5 ms raised-cosine fades.
   Inputs are stored (float32 little-endian, base64), because Java cannot regenerate numpy's RNG.
   The reference output is scipy.signal.resample_poly in float64 with an explicit filter that has
   the Java filter's cutoff (0.95 x the lower Nyquist frequency) but is longer and deeper: Kaiser
   beta 14.47 (about 140 dB) and 100 lower-rate samples of half-width. It is stored as float32.
"""
import argparse
import base64
import hashlib
import json
import math
import platform
import struct
import sys
import warnings
import wave
from pathlib import Path

import numpy as np
import scipy
import scipy.io.wavfile
import scipy.signal

REPO = Path(__file__).resolve().parents[2]
OUT_DIR = REPO / "features" / "src" / "test" / "resources" / "audio-reference"
FOLDERS = ["real", "wav-edge-cases", "micirp"]
N_DIAG = 32

RESAMPLE_PAIRS = [(48000, 44100), (22050, 44100), (16000, 44100), (44100, 32000), (96000, 44100)]
SIGNAL_SECONDS = 0.1
FADE_SECONDS = 0.005
ROLLOFF = 0.95                 # must equal Resampler.ROLLOFF
REF_BETA = 0.1102 * (140 - 8.7)
REF_HALF_WIDTH_LOW = 100       # reference filter half-width in lower-rate samples

TAG_NAMES = {1: "PCM", 2: "MS-ADPCM", 3: "IEEE float", 6: "A-law", 7: "mu-law", 0x11: "IMA-ADPCM",
             0x31: "GSM 6.10", 0x50: "MPEG", 0x55: "MPEG Layer 3", 0xFFFE: "WAVE_FORMAT_EXTENSIBLE"}


def generator_info():
    return {"script": "tools/reference/make_audio_refs.py", "python": platform.python_version(),
            "numpy": np.__version__, "scipy": scipy.__version__}


def fmt_header(path):
    """Format tag and bits per sample from the first fmt chunk (only to name rejected encodings)."""
    b = path.read_bytes()
    pos = 12
    while pos + 8 <= len(b):
        cid, size = b[pos:pos + 4], struct.unpack("<I", b[pos + 4:pos + 8])[0]
        if cid == b"fmt ":
            tag, _, _, _, _, bits = struct.unpack("<HHIIHH", b[pos + 8:pos + 24])
            if tag == 0xFFFE:
                tag = struct.unpack("<H", b[pos + 32:pos + 34])[0]
                return tag, bits, True
            return tag, bits, False
        pos += 8 + size + (size & 1)
    raise ValueError(f"{path}: no fmt chunk")


def to_float32(data):
    """scipy.io.wavfile output -> float32 [frames, channels] with the Java conversion."""
    if data.dtype == np.uint8:
        f = (data.astype(np.float64) - 128.0) / 128.0
    elif data.dtype == np.int16:
        f = data.astype(np.float64) / 2.0 ** 15
    elif data.dtype == np.int32:
        f = data.astype(np.float64) / 2.0 ** 31
    elif data.dtype in (np.float32, np.float64):
        f = data
    else:
        raise ValueError(f"unexpected dtype {data.dtype}")
    f = f.astype(np.float32)
    return f.reshape(f.shape[0], -1)


def decode_with_wave_module(path):
    """Second, independent decoder for integer PCM: stdlib wave + manual unpack."""
    with wave.open(str(path), "rb") as w:
        ch, width, n = w.getnchannels(), w.getsampwidth(), w.getnframes()
        raw = np.frombuffer(w.readframes(n), dtype=np.uint8)
    if width == 1:
        v = raw.astype(np.float64) - 128.0
    elif width == 3:
        t = raw.reshape(-1, 3).astype(np.int32)
        i = t[:, 0] | (t[:, 1] << 8) | (t[:, 2] << 16)
        v = np.where(i >= 1 << 23, i - (1 << 24), i).astype(np.float64)
    else:
        v = np.frombuffer(raw.tobytes(), dtype="<i2" if width == 2 else "<i4").astype(np.float64)
    return (v / 2.0 ** (8 * width - 1)).astype(np.float32).reshape(-1, ch)


def decode_entry(path, shared_data):
    rel = path.relative_to(shared_data).as_posix()
    tag, bits, extensible = fmt_header(path)
    entry = {"path": rel}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rate, data = scipy.io.wavfile.read(str(path))
    except ValueError as e:
        entry.update({"expect_reject": True, "format_tag": tag,
                      "encoding_name": TAG_NAMES.get(tag, "unknown"), "scipy_error": str(e)})
        return entry
    x = to_float32(data)
    if not np.all(np.isfinite(x)):
        entry.update({"expect_reject": True, "format_tag": tag, "encoding_name": "NaN"})
        return entry
    cross = None
    if tag == 1 and not extensible:
        y = decode_with_wave_module(path)
        if y.shape != x.shape or not np.array_equal(x, y):
            raise SystemExit(f"{rel}: scipy and the wave module disagree")
        cross = "stdlib wave + numpy unpack: identical"
    frames, ch = x.shape
    positions = np.linspace(0, frames - 1, N_DIAG).round().astype(int).tolist()
    encoding = ("float" if tag == 3 else "pcm") + str(bits) + ("-extensible" if extensible else "")
    entry.update({
        "expect_reject": False, "sample_rate_hz": int(rate), "channels": int(ch),
        "frames": int(frames), "bits_per_sample": bits, "encoding": encoding,
        "sha256_f32le": [hashlib.sha256(x[:, c].astype("<f4").tobytes()).hexdigest()
                         for c in range(ch)],
        "first_samples": [[float(v) for v in x[:N_DIAG, c]] for c in range(ch)],
        "positions": positions,
        "samples_at_positions": [[float(x[p, c]) for p in positions] for c in range(ch)],
        "cross_check": cross,
    })
    return entry


def write_json(name, obj, indent):
    path = OUT_DIR / name
    path.write_text(json.dumps(obj, indent=indent) + "\n")
    return path


def make_decode_refs(shared_data):
    written = []
    for folder in FOLDERS:
        d = shared_data / folder
        if not d.is_dir():
            print(f"skipping missing {d}", file=sys.stderr)
            continue
        files = sorted(p for p in d.iterdir() if p.suffix.lower() == ".wav")
        entries = [decode_entry(p, shared_data) for p in files]
        written.append(write_json(f"decode-{folder}.json", {
            "generator": generator_info(),
            "convention": "int PCM v/2^(bits-1) in float64 then float32; 8-bit (u-128)/128; "
                          "float64 cast to float32; sha256 over each channel's float32 LE bytes",
            "files": entries}, indent=1))
    return written


def fade(n, rate):
    """Raised-cosine fade-in and fade-out of FADE_SECONDS each."""
    m = int(round(FADE_SECONDS * rate))
    w = np.ones(n)
    ramp = 0.5 - 0.5 * np.cos(np.pi * (np.arange(m) + 0.5) / m)
    w[:m] = ramp
    w[n - m:] = ramp[::-1]
    return w


def band_limited_noise(rate, n, min_nyquist_hz, seed):
    """Seeded white noise low-passed at 0.8 x min_nyquist_hz (Kaiser FIR, 120 dB, width 0.08)."""
    nyq = rate / 2
    numtaps, beta = scipy.signal.kaiserord(120, 0.08 * min_nyquist_hz / nyq)
    numtaps |= 1
    h = scipy.signal.firwin(numtaps, 0.8 * min_nyquist_hz / nyq, window=("kaiser", beta))
    rng = np.random.default_rng(seed)
    white = rng.standard_normal(n + numtaps - 1)
    x = np.convolve(white, h, mode="valid") * fade(n, rate)
    return x / np.max(np.abs(x)) * 0.5, {"kind": "band_limited_noise", "seed": seed,
                                          "lowpass_hz": 0.8 * min_nyquist_hz,
                                          "lowpass_taps": int(numtaps), "peak": 0.5}


def tones(rate, n, min_nyquist_hz):
    freqs = [1000.0, 0.37 * min_nyquist_hz, 0.75 * min_nyquist_hz]
    amps = [0.3, 0.2, 0.1]
    t = np.arange(n) / rate
    x = sum(a * np.sin(2 * np.pi * f * t + 0.3 * k) for k, (f, a) in enumerate(zip(freqs, amps)))
    return x * fade(n, rate), {"kind": "tones", "freqs_hz": freqs, "amplitudes": amps,
                               "phases_rad": [0.0, 0.3, 0.6]}


def reference_resample(x32, from_hz, to_hz):
    g = math.gcd(from_hz, to_hz)
    up, down = to_hz // g, from_hz // g
    max_rate = max(up, down)
    half_len = REF_HALF_WIDTH_LOW * max_rate
    h = scipy.signal.firwin(2 * half_len + 1, ROLLOFF / max_rate, window=("kaiser", REF_BETA))
    y = scipy.signal.resample_poly(x32.astype(np.float64), up, down, window=h)
    return y, up, down, 2 * half_len + 1


def b64(x):
    return base64.b64encode(np.asarray(x, dtype="<f4").tobytes()).decode("ascii")


def make_resample_refs():
    written = []
    for i, (from_hz, to_hz) in enumerate(RESAMPLE_PAIRS):
        n = int(round(SIGNAL_SECONDS * from_hz))
        min_nyq = min(from_hz, to_hz) / 2
        signals = []
        for x, params in (band_limited_noise(from_hz, n, min_nyq, seed=1234 + i),
                          tones(from_hz, n, min_nyq)):
            x32 = x.astype(np.float32)
            y, up, down, ref_taps = reference_resample(x32, from_hz, to_hz)
            assert len(y) == -(-n * up // down)
            signals.append({"params": params, "input_length": n, "output_length": len(y),
                            "input_peak": float(np.max(np.abs(x32))),
                            "input_f32le_b64": b64(x32), "reference_f32le_b64": b64(y)})
        dc, up, down, _ = reference_resample(np.ones(n, np.float32), from_hz, to_hz)
        dc_err = float(np.max(np.abs(dc[len(dc) // 4: 3 * len(dc) // 4] - 1)))
        written.append(write_json(f"resample-{from_hz}-{to_hz}.json", {
            "generator": generator_info(),
            "from_hz": from_hz, "to_hz": to_hz, "up": up, "down": down,
            "reference": {"function": "scipy.signal.resample_poly(x_float64, up, down, window=h)",
                          "filter": "scipy.signal.firwin(numtaps, rolloff / max(up, down), "
                                    "window=('kaiser', beta))",
                          "rolloff": ROLLOFF, "kaiser_beta": REF_BETA, "numtaps": ref_taps,
                          "interior_dc_gain_error": dc_err},
            "alignment": "output k at input time k*down/up, zero padding, "
                         "length ceil(n*up/down)",
            "signals": signals}, indent=1))
    return written


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                    help="shared folder holding data/ (default: ../shared next to the repo)")
    args = ap.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    written = make_decode_refs(args.shared / "data") + make_resample_refs()
    index = {"generator": generator_info(), "files": sorted(p.name for p in written)}
    write_json("index.json", index, indent=1)
    total = sum(p.stat().st_size for p in OUT_DIR.glob("*.json"))
    print(f"wrote {len(written) + 1} files, {total} bytes, to {OUT_DIR}")


if __name__ == "__main__":
    main()
