#!/usr/bin/env python3
"""Reference outputs for the Java spectral front ends (org.ascspark.features.spectral).

Run from the repository root:  python3 tools/reference/make_spectral_refs.py
(the interpreter with numpy 2.4.6 and scipy 1.17.1; Debian's /usr/bin/python3 has neither version)

Pinned versions (last run with them; each output file records the versions it was made with under
"generator"): Python 3.11.7, numpy 2.4.6, scipy 1.17.1. librosa and torchaudio are NOT used: the
definitions they document are re-implemented here in float64 numpy/scipy, independently of the Java
code, so that the Java tests compare against a second implementation of the same formulas.
Deterministic: fixed seeds, no clocks; rerunning gives byte-identical files.

Layout: one `make_<family>_refs()` function per feature family, each writing its own files into
features/src/test/resources/spectral-reference/ and returning the list of paths it wrote. `main()`
calls every function in this module whose name matches `make_*_refs`, in source order, so a new
family only needs a new function. Shared helpers: `generator_info()`, `write_ref()`, `f32b64()`,
`test_signals()` (the input signals, also stored in stft-signals.json).

File format: JSON; arrays are base64 strings of little-endian float32 (`"dtype": "float32le"`) with
their shape stored beside them ("<name>_shape"), row-major.

Families written here (log-mel chain): stft-*, mel-*, delta-*, logmel-* (see each function).
"""
import base64
import json
import platform
import re
import sys
from pathlib import Path

import numpy as np
import scipy
import scipy.signal

REPO = Path(__file__).resolve().parents[2]
OUT_DIR = REPO / "features" / "src" / "test" / "resources" / "spectral-reference"


# ----------------------------------------------------------------------------------------------
# shared helpers


def generator_info():
    return {"script": "tools/reference/make_spectral_refs.py", "python": platform.python_version(),
            "numpy": np.__version__, "scipy": scipy.__version__}


def f32b64(a):
    """float array -> base64 of little-endian float32 bytes (row-major)."""
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")


def put_array(obj, name, a):
    """Stores array a under obj[name] (base64 float32) and obj[name + '_shape']."""
    a = np.asarray(a)
    obj[name] = f32b64(a)
    obj[name + "_shape"] = list(a.shape)


def write_ref(name, obj):
    """Writes OUT_DIR/name as compact JSON with the generator info first; returns the path."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / name
    body = {"generator": generator_info(), "dtype": "float32le"}
    body.update(obj)
    path.write_text(json.dumps(body, separators=(",", ":"), sort_keys=False) + "\n")
    return path


SIGNAL_SECONDS = 0.5


def test_signals():
    """The input signals: {name: (sample_rate_hz, float32 samples)}, deterministic.

    chirp-<sr>: exponential sweep 60 Hz -> 0.45 sr, amplitude 0.5, no noise: a large dynamic
        range within each frame (far-off bands 100+ dB below the loudest), which a float32 FFT
        could not reproduce to 1e-3 in log.
    noise-<sr>: white Gaussian noise, rms 0.1, seed 1 (44100) / 2 (22050).
    twotone-<sr>: 0.3 sin(2 pi 440 t) + 0.2 sin(2 pi 3000 t + 1), plus white noise at rms 1e-3
        (a -60 dBFS noise floor, as in a real recording).
    All 0.5 s long.
    """
    out = {}
    for sr, seed in ((44100, 1), (22050, 2)):
        n = int(round(SIGNAL_SECONDS * sr))
        t = np.arange(n) / sr
        rng = np.random.default_rng(seed)
        f0, f1 = 60.0, 0.45 * sr
        k = np.log(f1 / f0) / SIGNAL_SECONDS
        chirp = 0.5 * np.sin(2 * np.pi * f0 * (np.exp(k * t) - 1) / k)
        noise = 0.1 * rng.standard_normal(n)
        two = 0.3 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 3000 * t + 1.0)
        two = two + 1e-3 * rng.standard_normal(n)
        out[f"chirp-{sr}"] = (sr, chirp.astype(np.float32))
        out[f"noise-{sr}"] = (sr, noise.astype(np.float32))
        out[f"twotone-{sr}"] = (sr, two.astype(np.float32))
    return out


# ----------------------------------------------------------------------------------------------
# independent float64 implementations of the definitions


def window(kind, length, periodic):
    """Hann/Hamming; periodic = first `length` points of the symmetric window of length + 1."""
    m = length + 1 if periodic else length
    w = np.hanning(m) if kind == "hann" else np.hamming(m)
    w = w[:length]
    ref = scipy.signal.get_window(kind, length, fftbins=periodic)
    assert np.allclose(w, ref, rtol=0, atol=1e-15), "numpy and scipy windows disagree"
    return w


def stft(x, c):
    """Spectrogram [frames][n_fft//2+1] of float32 x per config dict c, in float64."""
    x = np.asarray(x, dtype=np.float64)
    if c["pre_emphasis"] > 0:
        x = scipy.signal.lfilter([1.0, -c["pre_emphasis"]], [1.0], x)
    n_fft = c["n_fft"]
    if c["center"]:
        x = np.pad(x, n_fft // 2, mode="reflect" if c["pad_mode"] == "reflect" else "constant")
    w = np.zeros(n_fft)
    lpad = (n_fft - c["win"]) // 2
    w[lpad:lpad + c["win"]] = window(c["window"], c["win"], c["periodic"])
    frames = np.lib.stride_tricks.sliding_window_view(x, n_fft)[::c["hop"]]
    spec = np.abs(np.fft.rfft(frames * w, axis=-1))
    return spec ** 2 if c["power"] == 2 else spec


def hz_to_mel(f, scale):
    f = np.asarray(f, dtype=np.float64)
    if scale == "htk":
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp = 200.0 / 3
    lin = f / f_sp
    logstep = np.log(6.4) / 27.0
    with np.errstate(divide="ignore"):
        log = 1000.0 / f_sp + np.log(np.maximum(f, 1e-300) / 1000.0) / logstep
    return np.where(f >= 1000.0, log, lin)


def mel_to_hz(m, scale):
    m = np.asarray(m, dtype=np.float64)
    if scale == "htk":
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp = 200.0 / 3
    logstep = np.log(6.4) / 27.0
    min_log_mel = 1000.0 / f_sp
    return np.where(m >= min_log_mel, 1000.0 * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_weights(sr, n_fft, c):
    """Dense [n_mels][n_fft//2+1] triangular filterbank (librosa.filters.mel definitions)."""
    n_mels = c["n_mels"]
    bin_hz = np.arange(n_fft // 2 + 1) * sr / n_fft
    edges = mel_to_hz(np.linspace(hz_to_mel(c["fmin"], c["mel_scale"]),
                                  hz_to_mel(c["fmax"], c["mel_scale"]), n_mels + 2),
                      c["mel_scale"])
    lo, mid, hi = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (bin_hz[None, :] - lo) / (mid - lo)
    falling = (hi - bin_hz[None, :]) / (hi - mid)
    wts = np.clip(np.minimum(rising, falling), 0.0, None)
    if c["mel_norm"] == "slaney":
        wts = wts * (2.0 / (hi - lo))
    return wts, edges


def compress(x, c, power):
    if c["log"] == "none":
        return x
    y = np.maximum(x, c["floor"])
    if c["log"] == "natural":
        return np.log(y)
    db = (10.0 if power else 20.0) * np.log10(y)
    if c["top_db"] > 0:
        db = np.maximum(db, db.max() - c["top_db"])
    return db


def deltas(x, width, order):
    return scipy.signal.savgol_filter(x, window_length=width, polyorder=order, deriv=order,
                                      axis=-1, mode="interp")


def stack(static, c):
    parts = [static] + [deltas(static, c["delta_width"], o) for o in range(1, c["delta_order"] + 1)]
    if c["stacking"] == "channels":
        return np.stack(parts)
    return np.concatenate(parts, axis=0)[None]


# ----------------------------------------------------------------------------------------------
# families

STFT_CONFIGS = [
    # name, signal, config
    ("hann-periodic-center-reflect-power", "chirp-44100",
     dict(window="hann", periodic=True, win=1024, hop=256, n_fft=1024, center=True,
          pad_mode="reflect", pre_emphasis=0.0, power=2)),
    ("hamming-symmetric-center-constant-mag-preemph", "twotone-22050",
     dict(window="hamming", periodic=False, win=400, hop=160, n_fft=512, center=True,
          pad_mode="constant", pre_emphasis=0.97, power=1)),
    ("hann-symmetric-nocenter-power", "noise-22050",
     dict(window="hann", periodic=False, win=512, hop=200, n_fft=512, center=False,
          pad_mode="reflect", pre_emphasis=0.0, power=2)),
    ("hamming-periodic-center-reflect-power-preemph-shortwin", "noise-44100",
     dict(window="hamming", periodic=True, win=882, hop=441, n_fft=1024, center=True,
          pad_mode="reflect", pre_emphasis=0.97, power=2)),
    ("hann-periodic-nocenter-mag-oddfft", "twotone-44100",
     dict(window="hann", periodic=True, win=400, hop=300, n_fft=511, center=False,
          pad_mode="reflect", pre_emphasis=0.0, power=1)),
]
STFT_MAX_FRAMES = 24


def make_stft_refs():
    """stft-signals.json: the input signals. stft-<config>.json: spectrogram frames.

    For each config, a subset of frames (first 3, last 3, evenly spaced between, at most
    STFT_MAX_FRAMES) of the [frames][bins] spectrogram, the total frame count, and the config.
    """
    sigs = test_signals()
    written = []
    obj = {"signals": []}
    for name, (sr, x) in sigs.items():
        entry = {"name": name, "sample_rate_hz": sr}
        put_array(entry, "samples", x)
        obj["signals"].append(entry)
    written.append(write_ref("stft-signals.json", obj))
    for cname, sname, c in STFT_CONFIGS:
        sr, x = sigs[sname]
        spec = stft(x, c)
        n = spec.shape[0]
        idx = sorted(set([0, 1, 2, n - 3, n - 2, n - 1]
                         + list(np.linspace(0, n - 1, STFT_MAX_FRAMES - 6).round().astype(int))))
        ref = {"name": cname, "signal": sname, "sample_rate_hz": sr, "config": c,
               "n_frames": int(n), "frame_index": [int(i) for i in idx]}
        put_array(ref, "spectrogram", spec[idx])
        written.append(write_ref(f"stft-{cname}.json", ref))
    return written


MEL_CONFIGS = [
    ("htk-nonorm-44100-2048-128", 44100, 2048,
     dict(n_mels=128, fmin=0.0, fmax=22050.0, mel_scale="htk", mel_norm="none")),
    ("slaney-slaney-44100-2048-256", 44100, 2048,
     dict(n_mels=256, fmin=0.0, fmax=22050.0, mel_scale="slaney", mel_norm="slaney")),
    ("htk-slaney-22050-512-40-fmin-fmax", 22050, 512,
     dict(n_mels=40, fmin=125.0, fmax=7600.0, mel_scale="htk", mel_norm="slaney")),
    ("slaney-nonorm-22050-1024-64-fmin-fmax", 22050, 1024,
     dict(n_mels=64, fmin=50.0, fmax=8000.0, mel_scale="slaney", mel_norm="none")),
    ("htk-nonorm-44100-2048-256-fmin20", 44100, 2048,
     dict(n_mels=256, fmin=20.0, fmax=22050.0, mel_scale="htk", mel_norm="none")),
]


def make_mel_refs():
    """mel-<config>.json: filterbank weights stored sparsely (first non-zero bin and the span of
    non-zero weights per filter) and the n_mels + 2 edge frequencies in Hz."""
    written = []
    for cname, sr, n_fft, c in MEL_CONFIGS:
        wts, edges = mel_weights(sr, n_fft, c)
        assert (wts.max(axis=1) > 0).all(), f"{cname}: empty filter"
        first, spans = [], []
        for row in wts:
            nz = np.nonzero(row)[0]
            first.append(int(nz[0]))
            spans.append(row[nz[0]:nz[-1] + 1])
        ref = {"name": cname, "sample_rate_hz": sr, "n_fft": n_fft, "config": c,
               "edges_hz": [float(e) for e in edges], "first_bin": first,
               "span_length": [int(len(s)) for s in spans]}
        put_array(ref, "weights", np.concatenate(spans))
        written.append(write_ref(f"mel-{cname}.json", ref))
    return written


DELTA_CASES = [(3, 1, 3), (3, 2, 7), (5, 1, 20), (9, 1, 9), (9, 2, 9), (9, 1, 40), (9, 2, 40),
               (7, 2, 15)]


def make_delta_refs():
    """delta-savgol.json: deltas of seeded random [4][frames] inputs for (width, order, frames),
    including frames == width (the shortest accepted)."""
    rng = np.random.default_rng(7)
    cases = []
    for width, order, frames in DELTA_CASES:
        x = rng.standard_normal((4, frames)).astype(np.float32)
        case = {"width": width, "order": order}
        put_array(case, "input", x)
        put_array(case, "delta", deltas(x.astype(np.float64), width, order))
        cases.append(case)
    return [write_ref("delta-savgol.json", {"cases": cases})]


LOGMEL_CONFIGS = [
    # Clova-like: pre-emphasis, 40 ms Hamming, 20 ms hop, 128 HTK mel, deltas as channels
    ("clova-44100", 44100,
     dict(window="hamming", periodic=True, win=1764, hop=882, n_fft=2048, center=True,
          pad_mode="reflect", pre_emphasis=0.97, power=2, n_mels=128, fmin=0.0, fmax=22050.0,
          mel_scale="htk", mel_norm="none", log="natural", floor=1e-10, top_db=0.0,
          delta_order=2, delta_width=9, stacking="channels")),
    # valeo-like: 2048/1024, 256 mel (HTK from 20 Hz so that no filter is empty), dB, top_db 80
    ("valeo-44100", 44100,
     dict(window="hann", periodic=True, win=2048, hop=1024, n_fft=2048, center=True,
          pad_mode="reflect", pre_emphasis=0.0, power=2, n_mels=256, fmin=20.0, fmax=22050.0,
          mel_scale="htk", mel_norm="none", log="db", floor=1e-10, top_db=80.0,
          delta_order=0, delta_width=9, stacking="channels")),
    # Slaney scale + Slaney norm, fmin/fmax, short hop, order-1 deltas as channels
    ("slaney-44100", 44100,
     dict(window="hann", periodic=True, win=1323, hop=441, n_fft=2048, center=True,
          pad_mode="reflect", pre_emphasis=0.0, power=2, n_mels=128, fmin=30.0, fmax=16000.0,
          mel_scale="slaney", mel_norm="slaney", log="natural", floor=1e-10, top_db=0.0,
          delta_order=1, delta_width=9, stacking="channels")),
    # magnitude, symmetric Hann, no centring, natural log floor 1e-5, deltas along frequency
    ("magnitude-nocenter-22050", 22050,
     dict(window="hann", periodic=False, win=1024, hop=512, n_fft=1024, center=False,
          pad_mode="reflect", pre_emphasis=0.0, power=1, n_mels=64, fmin=50.0, fmax=8000.0,
          mel_scale="slaney", mel_norm="slaney", log="natural", floor=1e-5, top_db=0.0,
          delta_order=1, delta_width=3, stacking="frequency")),
    # constant padding, pre-emphasis, HTK + Slaney norm, dB without top_db, order-2 deltas width 3
    ("constant-db-22050", 22050,
     dict(window="hamming", periodic=False, win=400, hop=160, n_fft=512, center=True,
          pad_mode="constant", pre_emphasis=0.97, power=2, n_mels=40, fmin=0.0, fmax=11025.0,
          mel_scale="htk", mel_norm="slaney", log="db", floor=1e-10, top_db=0.0,
          delta_order=2, delta_width=3, stacking="frequency")),
    # magnitude in dB (20 log10) with top_db
    ("magnitude-db-22050", 22050,
     dict(window="hann", periodic=True, win=882, hop=441, n_fft=1024, center=True,
          pad_mode="reflect", pre_emphasis=0.0, power=1, n_mels=40, fmin=0.0, fmax=11025.0,
          mel_scale="slaney", mel_norm="none", log="db", floor=1e-5, top_db=60.0,
          delta_order=0, delta_width=9, stacking="channels")),
]


def make_logmel_refs():
    """logmel-<config>.json: for each config and each signal at its rate, the full feature array
    [channels][bins][frames] (log-mel, deltas stacked as configured). Whether a static value is
    near the floor is read from the log value itself (log is monotonic), so the linear mel
    spectrogram is not stored."""
    sigs = test_signals()
    written = []
    for cname, sr, c in LOGMEL_CONFIGS:
        wts, _ = mel_weights(sr, c["n_fft"], c)
        outputs = []
        for sname, (ssr, x) in sigs.items():
            if ssr != sr:
                continue
            spec = stft(x, c)
            mel = (spec @ wts.T).T
            feats = stack(compress(mel, c, c["power"] == 2), c)
            entry = {"signal": sname}
            put_array(entry, "features", feats)
            outputs.append(entry)
        ref = {"name": cname, "sample_rate_hz": sr, "config": c, "outputs": outputs}
        written.append(write_ref(f"logmel-{cname}.json", ref))
    return written


# ----------------------------------------------------------------------------------------------
# gammatone (org.ascspark.features.spectral.gammatone)

GT_EAR_Q = 9.26449  # Slaney's EarQ (Glasberg & Moore: ERB = 24.7 (4.37 f / 1000 + 1))
GT_MIN_BW = 24.7  # Hz

GAMMATONE_CONFIGS = [
    # name, sample rate, signals, store all weight rows (else rows GT_WEIGHT_ROWS), config
    # Ellis's gammatonegram: magnitude STFT, linear output
    ("ellis-magnitude-22050", 22050, ["chirp-22050", "noise-22050", "twotone-22050"], True,
     dict(window="hann", periodic=True, win=1024, hop=256, n_fft=1024, center=True,
          pad_mode="reflect", pre_emphasis=0.0, power=1, n_bands=40, fmin=50.0, fmax=8000.0,
          width=1.0, log="none", floor=1e-10, top_db=0.0, delta_order=0, delta_width=9,
          stacking="channels")),
    # AIT-like: n_fft 4096, 2048 Hann, hop 326, 128 bands up to Nyquist, power, dB, deltas
    ("ait-power-db-44100", 44100, ["chirp-44100"], False,
     dict(window="hann", periodic=True, win=2048, hop=326, n_fft=4096, center=True,
          pad_mode="reflect", pre_emphasis=0.0, power=2, n_bands=128, fmin=50.0, fmax=22050.0,
          width=1.0, log="db", floor=1e-10, top_db=80.0, delta_order=2, delta_width=9,
          stacking="channels")),
    # wide filters (width 2), pre-emphasis, constant padding, natural log, deltas along frequency
    ("wide-natural-22050", 22050, ["noise-22050", "twotone-22050"], True,
     dict(window="hamming", periodic=False, win=400, hop=160, n_fft=512, center=True,
          pad_mode="constant", pre_emphasis=0.97, power=2, n_bands=24, fmin=100.0, fmax=11025.0,
          width=2.0, log="natural", floor=1e-10, top_db=0.0, delta_order=1, delta_width=3,
          stacking="frequency")),
]
GT_WEIGHT_ROWS = [0, 1, 40, 64, 100, 126, 127]


def gammatone_centres(c):
    """Centre frequencies equally spaced in ln(f + EarQ minBW) from fmin to fmax inclusive."""
    off = GT_EAR_Q * GT_MIN_BW
    return np.exp(np.linspace(np.log(c["fmin"] + off), np.log(c["fmax"] + off), c["n_bands"])) - off


def gammatone_weights(sr, n_fft, c):
    """Dense [n_bands][n_fft//2+1] magnitude responses of Slaney's 4th-order gammatone (Apple TR
    #35, 1993: four second-order sections A0 + A1j z^-1 over 1 + B1 z^-1 + B2 z^-2), evaluated with
    scipy.signal.freqz at the bin frequencies and normalised by the response at the centre
    frequency; that normalisation is cross-checked against Slaney's closed-form gain."""
    T = 1.0 / sr
    bins_hz = np.arange(n_fft // 2 + 1) * sr / n_fft
    rows = []
    for cf in gammatone_centres(c):
        erb = c["width"] * (cf / GT_EAR_Q + GT_MIN_BW)
        B = 1.019 * 2 * np.pi * erb
        arg = 2 * cf * np.pi * T
        cos, sin, e = np.cos(arg), np.sin(arg), np.exp(B * T)
        a1 = [-(2 * T * cos / e + 2 * np.sqrt(3 + 2 ** 1.5) * T * sin / e) / 2,
              -(2 * T * cos / e - 2 * np.sqrt(3 + 2 ** 1.5) * T * sin / e) / 2,
              -(2 * T * cos / e + 2 * np.sqrt(3 - 2 ** 1.5) * T * sin / e) / 2,
              -(2 * T * cos / e - 2 * np.sqrt(3 - 2 ** 1.5) * T * sin / e) / 2]
        den = [1.0, -2 * cos / e, np.exp(-2 * B * T)]
        h = np.ones(len(bins_hz), dtype=complex)
        h_cf = 1.0 + 0j
        for a in a1:
            h = h * scipy.signal.freqz([T, a], den, worN=bins_hz, fs=sr)[1]
            h_cf = h_cf * scipy.signal.freqz([T, a], den, worN=[cf], fs=sr)[1][0]
        # Slaney's closed-form gain |H(e^{i arg})|
        z2 = np.exp(2j * arg)
        g = 1.0 + 0j
        for s in (-np.sqrt(3 - 2 ** 1.5), np.sqrt(3 - 2 ** 1.5), -np.sqrt(3 + 2 ** 1.5),
                  np.sqrt(3 + 2 ** 1.5)):
            g *= -2 * z2 * T + 2 * np.exp(-B * T + 1j * arg) * T * (cos + s * sin)
        g = abs(g / (-2 / np.exp(2 * B * T) - 2 * z2 + 2 * (1 + z2) / np.exp(B * T)) ** 4)
        assert abs(abs(h_cf) / g - 1) < 1e-9, (cf, abs(h_cf), g)
        rows.append(np.abs(h) / abs(h_cf))
    return np.array(rows)


def make_gammatone_refs():
    """gammatone-<config>.json: Ellis's FFT-weighting gammatonegram, independently in float64.

    Per config: centre frequencies, the dense weights (all rows, or rows GT_WEIGHT_ROWS with their
    indices in "weight_rows"), and per signal (from stft-signals.json): "bands", the linear
    weighted sums [n_bands][frames] of the STFT (`stft()`: magnitude or power per the config),
    and, when the config has a log or deltas, "features", the extractor's output
    [channels][bins][frames] (`compress()` then `stack()`).
    """
    sigs = test_signals()
    written = []
    for cname, sr, snames, all_rows, c in GAMMATONE_CONFIGS:
        wts = gammatone_weights(sr, c["n_fft"], c)
        rows = list(range(c["n_bands"])) if all_rows else GT_WEIGHT_ROWS
        ref = {"name": cname, "sample_rate_hz": sr, "config": c,
               "centre_frequencies_hz": [float(f) for f in gammatone_centres(c)],
               "weight_rows": rows}
        put_array(ref, "weights", wts[rows])
        outputs = []
        for sname in snames:
            ssr, x = sigs[sname]
            assert ssr == sr
            spec = stft(x, c)
            bands = wts @ spec.T
            entry = {"signal": sname}
            put_array(entry, "bands", bands)
            if c["log"] != "none" or c["delta_order"] > 0:
                put_array(entry, "features", stack(compress(bands, c, c["power"] == 2), c))
            outputs.append(entry)
        ref["outputs"] = outputs
        written.append(write_ref(f"gammatone-{cname}.json", ref))
    return written


# ----------------------------------------------------------------------------------------------
# constant-Q (org.ascspark.features.spectral.cqt)

CQT_CONFIGS = [
    # name, sample rate, signals, config
    ("a2-12bpo-22050", 22050, ["chirp-22050", "noise-22050", "twotone-22050"],
     dict(bins_per_octave=12, fmin=110.0, n_bins=60, hop=256, filter_scale=1.0, log="none",
          floor=1e-10, top_db=0.0, delta_order=0, delta_width=9, stacking="channels")),
    # AIT-like: 128 bins, 24 per octave from C1 (32.7 Hz), hop 326, dB (20 log10 of magnitude)
    ("ait-db-44100", 44100, ["chirp-44100", "twotone-44100"],
     dict(bins_per_octave=24, fmin=32.70319566257483, n_bins=128, hop=326, filter_scale=1.0,
          log="db", floor=1e-10, top_db=80.0, delta_order=0, delta_width=9, stacking="channels")),
    # high bins (up to 16.9 kHz, short kernels with broad spectra), filter scale 0.8, deltas
    ("high-fs08-44100", 44100, ["noise-44100", "chirp-44100"],
     dict(bins_per_octave=12, fmin=1000.0, n_bins=50, hop=441, filter_scale=0.8, log="natural",
          floor=1e-10, top_db=0.0, delta_order=2, delta_width=5, stacking="frequency")),
]


def cqt_direct(x, sr, c):
    """|X_k(t)| [n_bins][frames] by direct inner products in float64 (no FFT, no sparsity):
    X_k(t) = (1/N_k) sum_{|m| <= M_k} x[t hop + m] (0.5 + 0.5 cos(2 pi m / N_k))
             exp(-2 pi i f_k m / sr),
    f_k = fmin 2^(k/bpo), Q = filter_scale / (2^(1/bpo) - 1), N_k = floor(Q sr / f_k + 0.5),
    M_k = (N_k - 1) // 2, frames 1 + len(x) // hop centred on t hop, zeros outside the signal."""
    bpo = c["bins_per_octave"]
    freqs = c["fmin"] * 2.0 ** (np.arange(c["n_bins"]) / bpo)
    q = c["filter_scale"] / (2.0 ** (1.0 / bpo) - 1.0)
    lengths = np.floor(q * sr / freqs + 0.5).astype(int)
    m0 = (lengths[0] - 1) // 2
    x = np.asarray(x, dtype=np.float64)
    hop = c["hop"]
    n_frames = 1 + len(x) // hop
    xp = np.concatenate([np.zeros(m0), x, np.zeros(m0 + hop)])
    centres = m0 + hop * np.arange(n_frames)
    out = np.empty((len(freqs), n_frames))
    for k, (f, n) in enumerate(zip(freqs, lengths)):
        mk = (n - 1) // 2
        m = np.arange(-mk, mk + 1)
        kern = (0.5 + 0.5 * np.cos(2 * np.pi * m / n)) * np.exp(-2j * np.pi * f * m / sr) / n
        segs = np.lib.stride_tricks.sliding_window_view(xp, 2 * mk + 1)[centres - mk]
        out[k] = np.abs(segs @ kern)
    return out, freqs, lengths


def make_cqt_refs():
    """cqt-<config>.json: constant-Q magnitudes by direct time-domain inner products (validates
    the Java FFT / sparse-kernel method). Per config: bin frequencies, window lengths N_k, and per
    signal "magnitude" [n_bins][frames] (linear |X_k(t)|) and, when the config has a log or
    deltas, "features" [channels][bins][frames] (`compress()` as magnitude, then `stack()`)."""
    sigs = test_signals()
    written = []
    for cname, sr, snames, c in CQT_CONFIGS:
        outputs = []
        for sname in snames:
            ssr, x = sigs[sname]
            assert ssr == sr
            mag, freqs, lengths = cqt_direct(x, sr, c)
            entry = {"signal": sname}
            put_array(entry, "magnitude", mag)
            if c["log"] != "none" or c["delta_order"] > 0:
                put_array(entry, "features", stack(compress(mag, c, False), c))
            outputs.append(entry)
        ref = {"name": cname, "sample_rate_hz": sr, "config": c,
               "frequencies_hz": [float(f) for f in freqs],
               "window_lengths": [int(n) for n in lengths], "outputs": outputs}
        written.append(write_ref(f"cqt-{cname}.json", ref))
    return written


# ----------------------------------------------------------------------------------------------


def main():
    makers = [f for name, f in globals().items()
              if callable(f) and re.fullmatch(r"make_\w+_refs", name)]
    written = []
    for make in makers:
        written += make()
    total = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} files, {total} bytes, to {OUT_DIR}", file=sys.stderr)


if __name__ == "__main__":
    main()
