#!/usr/bin/python3
"""Peer benchmark for LogMelBench: torchaudio's MelSpectrogram on the same clip, one thread.

Run with Debian's interpreter, which has python3-torchaudio (torch 1.13, torchaudio 0.13):
    /usr/bin/python3 tools/bench/torchaudio_logmel.py --signal SIGNAL.f32 [--ours LOGMEL.f32]

Config (the same as org.ascspark.features.bench.LogMelBench): 44.1 kHz, n_fft 2048, hop 1024, Hann
periodic window (torch default), center=True, pad_mode='reflect', power 2, 256 mels, mel_scale='htk',
norm=None, f_max = 22050, f_min 20 Hz by default (see --f-min-hz), then
log = torch.log(torch.clamp(mel, min=1e-10)), i.e. ln(max(mel, 1e-10)), the Java convention.
torch.set_num_threads(1) and set_num_interop_threads(1).

--signal: float32 little-endian samples written by LogMelBench --signal-out.
--ours: float32 little-endian [256][frames] log-mel written by LogMelBench --features-out; prints
the max |difference| in natural log over bands that are non-empty in torchaudio's filterbank and
values where both are above 10 x floor.
"""
import argparse
import statistics
import time

import numpy as np
import torch
import torchaudio

SR = 44100
FLOOR = 1e-10


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--signal", required=True)
    ap.add_argument("--ours")
    ap.add_argument("--f-min-hz", type=float, default=20.0)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--iterations", type=int, default=100)
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    x = torch.from_numpy(np.fromfile(args.signal, dtype="<f4").copy())
    mel_t = torchaudio.transforms.MelSpectrogram(
        sample_rate=SR, n_fft=2048, win_length=2048, hop_length=1024, f_min=args.f_min_hz,
        f_max=SR / 2, n_mels=256, window_fn=torch.hann_window, power=2.0, center=True,
        pad_mode="reflect", norm=None, mel_scale="htk")

    def run():
        with torch.no_grad():
            return torch.log(torch.clamp(mel_t(x), min=FLOOR))

    for _ in range(args.warmup):
        run()
    times = []
    for _ in range(args.iterations):
        t0 = time.perf_counter()
        out = run()
        times.append((time.perf_counter() - t0) * 1e3)
    print(f"torchaudio {torchaudio.__version__} (torch {torch.__version__}), "
          f"{torch.get_num_threads()} thread(s), f_min {args.f_min_hz} Hz: "
          f"median {statistics.median(times):.2f} ms/clip, mean {statistics.mean(times):.2f}, "
          f"min {min(times):.2f} ({args.iterations} iterations after {args.warmup} warm-up)")

    theirs = out.numpy().astype(np.float64)
    fb = mel_t.mel_scale.fb.numpy()            # [n_freqs][n_mels]
    nonempty = fb.max(axis=0) > 0
    print(f"torchaudio filterbank: {int((~nonempty).sum())} empty band(s) of {fb.shape[1]}: "
          f"{np.nonzero(~nonempty)[0].tolist()}")
    if args.ours:
        ours = np.fromfile(args.ours, dtype="<f4").astype(np.float64).reshape(256, -1)
        if ours.shape != theirs.shape:
            raise SystemExit(f"shape mismatch: ours {ours.shape}, torchaudio {theirs.shape}")
        above = (ours > np.log(10 * FLOOR)) & (theirs > np.log(10 * FLOOR)) & nonempty[:, None]
        diff = np.abs(ours - theirs)[above]
        worst = np.unravel_index(np.argmax(np.where(above, np.abs(ours - theirs), -1)), ours.shape)
        print(f"compared {above.sum()} of {ours.size} values (non-empty bands, both above "
              f"{10 * FLOOR:g}): max |ln ours - ln torchaudio| = {diff.max():.3e} "
              f"(at band {worst[0]}, frame {worst[1]}), mean {diff.mean():.3e}, "
              f"99.9th percentile {np.percentile(diff, 99.9):.3e}")


if __name__ == "__main__":
    main()
