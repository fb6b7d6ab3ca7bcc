#!/usr/bin/python3
"""PyTorch peer of ModelBench: bcresnet-asc and sp4asc on CPU, the same architectures as
org.ascspark.training.models.Models, timed for inference and training.

Run with Debian's interpreter, which has python3-torch (torch 1.13, numpy 1.24):
    /usr/bin/python3 tools/bench/torch_models.py [--threads 2] [--models bcresnet-asc:1,sp4asc:1]

What is measured, per model and clip length (frames), on random N(0, 1) input
[batch, 1, bins, frames] and uniform random labels of 10 classes:
  * inference: model.eval(), torch.no_grad(), one forward pass of the batch; ms per clip is the
    median batch time / batch;
  * training: model.train(), one step = zero_grad + forward + cross-entropy + backward +
    Adam(lr 1e-3).step(); samples/s is batch / median step time.
Warm-up iterations come first and are not timed. RESULT lines also give the minimum, the median
process CPU time (all threads) and the 1-minute load average before and after (the machine is
shared). torch.set_num_threads(--threads) and set_num_interop_threads(1); run it with
OMP_WAIT_POLICY=PASSIVE on a shared machine (tools/bench/models.sh does).

The models mirror Models.java layer by layer (same channels, kernels, strides, dilations, padding,
pooling, normalisations, dropout sites and heads; all convolutions bias-free; BatchNorm eps 1e-5,
momentum 0.1 = DL4J decay 0.9), so the trainable parameter counts must equal DL4J's
ParamCounts.trainable, and trainable + BN running mean/var must equal DL4J's numParams()
(ParamCounts.total). The script prints a machine-readable line per model,
    PARAMS model=<name> width=<w> trainable=<n> bn_running=<n> total=<n>
and checks the counts Models.java documents (256 bins, 1 channel, 10 classes). tools/bench/models.sh
compares these lines with ModelBench's.

Result lines, also machine-readable:
    RESULT model=<name> width=<w> frames=<f> batch=<b> infer_ms_per_clip=<x> train_samples_per_s=<y> ...
"""
import argparse
import math
import os
import platform
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

EXPECTED_TORCH = "1.13"
RESNORM_LAMBDA = 0.1  # Models.RESNORM_LAMBDA
RESNORM_EPS = 1e-5  # ResNormVertex.DEFAULT_EPS
SSN_SUB_BANDS = 4  # Models.SSN_SUB_BANDS
DEFAULT_DROPOUT = {"bcresnet-asc": 0.1, "sp4asc": 0.2}  # Models.defaultDropout
# Trainable and DL4J-total counts documented in Models.java for 256 bins, 1 channel, 10 classes.
DOCUMENTED_TRAINABLE = {("bcresnet-asc", 1.0): 8055, ("bcresnet-asc", 8.0): 314970}
DOCUMENTED_TOTAL = {("sp4asc", 1.0): 64330}


def channels(c):
    """Models.channels: max(1, Math.round(c)); Java rounds halves up, Python's round() to even."""
    return max(1, int(math.floor(c + 0.5)))


def bn(c):
    return nn.BatchNorm2d(c, eps=1e-5, momentum=0.1)


class ResNorm(nn.Module):
    """ResNormVertex: lambda * x + FreqIN(x); FreqIN normalises each (example, frequency bin) over
    channels and time with the population variance."""

    def __init__(self, lam=RESNORM_LAMBDA, eps=RESNORM_EPS):
        super().__init__()
        self.lam = lam
        self.eps = eps

    def forward(self, x):
        mu = x.mean(dim=(1, 3), keepdim=True)
        var = x.var(dim=(1, 3), keepdim=True, unbiased=False)
        return self.lam * x + (x - mu) / torch.sqrt(var + self.eps)


class SubSpectralNorm(nn.Module):
    """SubSpectralNorm: C-order reshape [N, C, F, T] -> [N, C*S, F/S, T], BatchNorm over the C*S
    channels, reshape back (channel c*S + s holds sub-band s of channel c, as SubBandReshapeVertex)."""

    def __init__(self, c, sub_bands):
        super().__init__()
        self.s = sub_bands
        self.bn = bn(c * sub_bands)

    def forward(self, x):
        n, c, f, t = x.shape
        y = self.bn(x.reshape(n, c * self.s, f // self.s, t))
        return y.reshape(n, c, f, t)


class BCResBlock(nn.Module):
    """Models.bcResBlock: [1x1 conv + BN + ReLU when channels change]; frequency-depthwise 3x1 + SSN
    = x1; frequency mean; temporal depthwise 1x3 + BN + swish + 1x1 conv + Dropout2d; ReLU(x1 + t
    broadcast over frequency [+ x in normal blocks])."""

    def __init__(self, cin, cout, dropout):
        super().__init__()
        self.transition = cin != cout
        if self.transition:
            self.tconv = nn.Conv2d(cin, cout, 1, bias=False)
            self.tbn = bn(cout)
        self.fdw = nn.Conv2d(cout, cout, (3, 1), padding=(1, 0), groups=cout, bias=False)
        self.ssn = SubSpectralNorm(cout, SSN_SUB_BANDS)
        self.tdw = nn.Conv2d(cout, cout, (1, 3), padding=(0, 1), groups=cout, bias=False)
        self.tbn2 = bn(cout)
        self.pw = nn.Conv2d(cout, cout, 1, bias=False)
        self.drop = nn.Dropout2d(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x):
        inp = x
        if self.transition:
            x = F.relu(self.tbn(self.tconv(x)))
        x1 = self.ssn(self.fdw(x))
        t = x1.mean(dim=2, keepdim=True)
        t = F.silu(self.tbn2(self.tdw(t)))
        t = self.drop(self.pw(t))
        out = x1 + t
        if not self.transition:
            out = out + inp
        return F.relu(out)


class BcResNetAsc(nn.Module):
    """Models.bcResNetAsc: ResNorm; conv 5x5 stride 2 pad 2 to 2c' + BN + ReLU; stages of 2, 2, 2, 3
    BC-ResBlocks with c', 1.5c', 2c', 2.5c' channels (c' = 10 x width), ResNorm after every stage,
    2x2 max-pool after stages 1 and 2; global average pool; linear to classes (softmax in the loss)."""

    def __init__(self, width=1.0, in_channels=1, num_classes=10, dropout=DEFAULT_DROPOUT["bcresnet-asc"]):
        super().__init__()
        c = 10 * width
        w = [channels(2 * c), channels(c), channels(1.5 * c), channels(2 * c), channels(2.5 * c)]
        self.input_resnorm = ResNorm()
        self.stem_conv = nn.Conv2d(in_channels, w[0], 5, stride=2, padding=2, bias=False)
        self.stem_bn = bn(w[0])
        stages = []
        cin = w[0]
        for stage, n_blocks in enumerate([2, 2, 2, 3]):
            blocks = []
            for _ in range(n_blocks):
                blocks.append(BCResBlock(cin, w[stage + 1], dropout))
                cin = w[stage + 1]
            blocks.append(ResNorm())
            if stage < 2:
                blocks.append(nn.MaxPool2d(2, 2))
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.output = nn.Linear(cin, num_classes)

    def forward(self, x):
        x = F.relu(self.stem_bn(self.stem_conv(self.input_resnorm(x))))
        x = self.stages(x)
        emb = x.mean(dim=(2, 3))
        return self.output(emb)


class Sp4AscBlock(nn.Module):
    """Models.sp4asc, one layer: Y = h3x1(g1x1(X)) + h1x3(g1x1(X)) with channel-wise h dilated by 2
    (no biases), BN, ReLU, 2x2 average pool."""

    def __init__(self, cin, cout):
        super().__init__()
        self.pw = nn.Conv2d(cin, cout, 1, bias=False)
        self.fdw = nn.Conv2d(cout, cout, (3, 1), padding=(2, 0), dilation=(2, 1), groups=cout, bias=False)
        self.tdw = nn.Conv2d(cout, cout, (1, 3), padding=(0, 2), dilation=(1, 2), groups=cout, bias=False)
        self.bn = bn(cout)

    def forward(self, x):
        p = self.pw(x)
        return F.avg_pool2d(F.relu(self.bn(self.fdw(p) + self.tdw(p))), 2, 2)


class Sp4Asc(nn.Module):
    """Models.sp4asc: BN per (channel, mel bin) on the input (SSN with one bin per sub-band); four
    blocks of 64, 128, 128, 128 x width channels; mean over frequency, then mean + max over time;
    dropout, linear to 128 x width + ReLU, dropout, linear to classes."""

    def __init__(self, width=1.0, in_channels=1, bins=256, num_classes=10, dropout=DEFAULT_DROPOUT["sp4asc"]):
        super().__init__()
        w = [channels(64 * width), channels(128 * width), channels(128 * width), channels(128 * width)]
        hidden = channels(128 * width)
        self.input_bn = SubSpectralNorm(in_channels, bins)
        blocks = []
        cin = in_channels
        for c in w:
            blocks.append(Sp4AscBlock(cin, c))
            cin = c
        self.blocks = nn.Sequential(*blocks)
        self.drop1 = nn.Dropout(dropout)
        self.embedding = nn.Linear(cin, hidden)
        self.drop2 = nn.Dropout(dropout)
        self.output = nn.Linear(hidden, num_classes)

    def forward(self, x):
        x = self.blocks(self.input_bn(x))
        f = x.mean(dim=2)  # [N, C, T]
        pooled = f.mean(dim=2) + f.amax(dim=2)
        emb = F.relu(self.embedding(self.drop1(pooled)))
        return self.output(self.drop2(emb))


def create(name, width, bins, num_classes=10):
    if name == "bcresnet-asc":
        return BcResNetAsc(width, 1, num_classes)
    if name == "sp4asc":
        return Sp4Asc(width, 1, bins, num_classes)
    raise SystemExit(f"unknown model '{name}'; known: bcresnet-asc, sp4asc")


def param_counts(model):
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    running = sum(b.numel() for n, b in model.named_buffers() if n.endswith(("running_mean", "running_var")))
    return trainable, running


def median_ms(fn, warmup, iterations):
    """Returns (median wall ms, min wall ms, median process CPU ms) over the timed iterations."""
    for _ in range(warmup):
        fn()
    times, cpu = [], []
    for _ in range(iterations):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.process_time() - c0) * 1e3)
    return statistics.median(times), min(times), statistics.median(cpu)


def parse_models(spec):
    out = []
    for item in spec.split(","):
        name, _, w = item.strip().partition(":")
        out.append((name, float(w) if w else 1.0))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", default="bcresnet-asc:1,bcresnet-asc:8,sp4asc:1",
                    help="comma-separated name:width list")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--bins", type=int, default=256)
    ap.add_argument("--frames", default="431,44", help="comma-separated clip lengths in frames")
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--iterations", type=int, default=5)
    ap.add_argument("--train-iterations", type=int, default=None,
                    help="timed training steps (default: --iterations)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--params-only", action="store_true", help="print the parameter counts and exit")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    print(f"== PyTorch {torch.__version__}, numpy {np.__version__}, Python {platform.python_version()}, "
          f"{torch.get_num_threads()} thread(s); oneDNN (mkldnn) available: "
          f"{torch.backends.mkldnn.is_available()}")
    if not torch.__version__.startswith(EXPECTED_TORCH):
        print(f"WARNING: expected torch {EXPECTED_TORCH}.x (Debian python3-torch), got {torch.__version__}")
    train_iterations = args.train_iterations or args.iterations
    frames_list = [int(f) for f in args.frames.split(",")]
    rows = []
    failed = False
    for name, width in parse_models(args.models):
        torch.manual_seed(args.seed)
        model = create(name, width, args.bins, args.classes)
        trainable, running = param_counts(model)
        print(f"PARAMS model={name} width={width:g} trainable={trainable} bn_running={running} "
              f"total={trainable + running}")
        if args.bins == 256 and args.classes == 10:
            exp_t = DOCUMENTED_TRAINABLE.get((name, width))
            exp_total = DOCUMENTED_TOTAL.get((name, width))
            if ((exp_t is not None and exp_t != trainable)
                    or (exp_total is not None and exp_total != trainable + running)):
                print(f"MISMATCH {name} width {width:g}: documented trainable {exp_t} total {exp_total}")
                failed = True
        if args.params_only:
            continue
        for frames in frames_list:
            gen = torch.Generator().manual_seed(args.seed)
            x = torch.randn(args.batch, 1, args.bins, frames, generator=gen)
            y = torch.randint(0, args.classes, (args.batch,), generator=gen)

            model.eval()

            def infer():
                with torch.no_grad():
                    model(x)

            load0 = os.getloadavg()[0]
            inf_med, inf_min, inf_cpu = median_ms(infer, args.warmup, args.iterations)

            model.train()
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            loss_fn = nn.CrossEntropyLoss()

            def step():
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(model(x), y)
                loss.backward()
                opt.step()

            tr_med, tr_min, tr_cpu = median_ms(step, args.warmup, train_iterations)
            row = (name, width, frames, inf_med / args.batch, inf_med, args.batch / (tr_med / 1e3), tr_med)
            rows.append(row)
            print(f"RESULT model={name} width={width:g} frames={frames} batch={args.batch} "
                  f"infer_ms_per_clip={row[3]:.3f} infer_ms_per_batch={inf_med:.1f} "
                  f"(min {inf_min:.1f}, cpu {inf_cpu:.1f}) "
                  f"train_samples_per_s={row[5]:.2f} train_ms_per_step={tr_med:.1f} "
                  f"(min {tr_min:.1f}, cpu {tr_cpu:.1f}) "
                  f"warmup={args.warmup} iterations={args.iterations}/{train_iterations} "
                  f"load={load0:.2f}/{os.getloadavg()[0]:.2f}", flush=True)

    if rows:
        print()
        print(f"| model | width | input | inference ms/clip | train step s/batch | train samples/s |")
        print(f"|---|---|---|---|---|---|")
        for name, width, frames, ms_clip, _, sps, tr_ms in rows:
            print(f"| {name} | {width:g} | [{args.batch},1,{args.bins},{frames}] | {ms_clip:.2f} | "
                  f"{tr_ms / 1e3:.3f} | {sps:.1f} |")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
