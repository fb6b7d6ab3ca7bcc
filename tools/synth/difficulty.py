#!/usr/bin/env python3
"""How hard is a synthetic dataset? A quick, independent baseline (numpy + scipy only).

Reads a TAU-layout dataset written by `./asc synth`, computes per-clip log-mel statistics (mean and
standard deviation over time of 64 log-mel bands, 2048-point STFT, hop 1024), fits a multinomial
logistic regression on fold1_train, and prints accuracy on fold1_evaluate per device and device
group. A small CNN should do better than this linear baseline; the synthetic recipes aim at a good
model reaching roughly 80-95%, with the unseen devices s4-s6 hardest.

usage: python3 tools/synth/difficulty.py DATASET_DIR
"""
import csv
import sys
from collections import defaultdict

import numpy as np
from scipy.io import wavfile


def mel_filterbank(sr, n_fft, n_mels):
    def hz_to_mel(f):
        return 2595.0 * np.log10(1.0 + f / 700.0)

    def mel_to_hz(m):
        return 700.0 * (10 ** (m / 2595.0) - 1.0)

    mels = np.linspace(hz_to_mel(0), hz_to_mel(sr / 2), n_mels + 2)
    hz = mel_to_hz(mels)
    bins = np.fft.rfftfreq(n_fft, 1.0 / sr)
    fb = np.zeros((n_mels, len(bins)))
    for i in range(n_mels):
        lo, c, hi = hz[i], hz[i + 1], hz[i + 2]
        fb[i] = np.clip(np.minimum((bins - lo) / (c - lo), (hi - bins) / (hi - c)), 0, None)
    return fb


def features(path, fb, n_fft=2048, hop=1024):
    sr, x = wavfile.read(path)
    x = x.astype(np.float64) / (2 ** 31)  # scipy returns 24-bit as int32, left-aligned
    if len(x) < n_fft:
        x = np.pad(x, (0, n_fft - len(x)))
    frames = np.lib.stride_tricks.sliding_window_view(x, n_fft)[::hop] * np.hanning(n_fft)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    logmel = np.log(power @ fb.T + 1e-10)
    return np.concatenate([logmel.mean(axis=0), logmel.std(axis=0)])


def read_fold(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    return [(r[0], r[1]) for r in rows[1:] if r]


def fit_logreg(x, y, n_classes, epochs=400, lr=0.5, l2=1e-3):
    w = np.zeros((x.shape[1], n_classes))
    b = np.zeros(n_classes)
    onehot = np.eye(n_classes)[y]
    for _ in range(epochs):
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) / len(x)
        w -= lr * (x.T @ g + l2 * w)
        b -= lr * g.sum(axis=0)
    return w, b


def main():
    root = sys.argv[1]
    meta = {r[0]: r for r in read_fold(root + "/meta.csv")}
    with open(root + "/meta.csv", newline="") as f:
        device = {r[0]: r[3] for r in list(csv.reader(f, delimiter="\t"))[1:] if r}
    train = read_fold(root + "/evaluation_setup/fold1_train.csv")
    evaluate = read_fold(root + "/evaluation_setup/fold1_evaluate.csv")
    labels = sorted({lab for _, lab in train})
    sr = wavfile.read(root + "/" + train[0][0])[0]
    fb = mel_filterbank(sr, 2048, 64)
    xtr = np.array([features(root + "/" + f, fb) for f, _ in train])
    ytr = np.array([labels.index(lab) for _, lab in train])
    xev = np.array([features(root + "/" + f, fb) for f, _ in evaluate])
    yev = np.array([labels.index(lab) for _, lab in evaluate])
    mu, sd = xtr.mean(axis=0), xtr.std(axis=0) + 1e-9
    w, b = fit_logreg((xtr - mu) / sd, ytr, len(labels))
    pred_tr = np.argmax(((xtr - mu) / sd) @ w + b, axis=1)
    pred = np.argmax(((xev - mu) / sd) @ w + b, axis=1)
    print(f"{len(meta)} files; train {len(train)}, evaluate {len(evaluate)}; {len(labels)} classes")
    print(f"train accuracy {np.mean(pred_tr == ytr):.3f}")
    print(f"evaluate accuracy {np.mean(pred == yev):.3f}")
    by_dev = defaultdict(list)
    for (f, _), p, y in zip(evaluate, pred, yev):
        by_dev[device[f]].append(p == y)
    for d in sorted(by_dev):
        print(f"  device {d:3s} {np.mean(by_dev[d]):.3f}  (n={len(by_dev[d])})")
    groups = {"real a,b,c": ["a", "b", "c"], "seen s1-s3": ["s1", "s2", "s3"], "unseen s4-s6": ["s4", "s5", "s6"]}
    for g, ds in groups.items():
        v = [x for d in ds for x in by_dev.get(d, [])]
        if v:
            print(f"  {g:13s} {np.mean(v):.3f}")


if __name__ == "__main__":
    main()
