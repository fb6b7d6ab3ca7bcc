#!/usr/bin/env python3
"""Reference outputs for the Java compression numerics (org.ascspark.training.compress).

Run from the repository root:  python3 tools/reference/make_quant_refs.py
Pinned versions (last run with them; recorded in the output under "generator"): Python 3.11.7,
numpy 2.4.6. Independent of the Java code: float64 numpy re-implementations of the conventions that
Quantization, FakeQuantVertex and Pruning document:
  * int8 weights, symmetric per output channel: scale_c = max|w_c| / 127 (1 for an all-zero channel),
    q = clip(rint(w / scale_c), -127, 127) (numpy rint = round half to even), dequantised
    float32(q * scale_c). Output channel of a DL4J weight: conv W [outC, inC, kH, kW] -> axis 0,
    depthwise W [kH, kW, inC, dm] -> axes (2, 3), dense/output W [nIn, nOut] -> axis 1.
  * int8 activations, affine per tensor (PyTorch MinMaxObserver, qint8): range widened to contain 0,
    scale = max((hi - lo) / 255, float32 eps), zero_point = clip(-128 - rint(lo / scale), -128, 127);
    fake_quant(x) = (clip(rint(x / scale) + zp, -128, 127) - zp) * scale.
  * fp16: numpy astype(float16) (round to nearest even, subnormals, overflow to inf).
  * pruning: k = floor(s * n + 1/2) weights of smallest |w| zeroed, ties by position (stable argsort);
    one ranking over all tensors (global) or one per tensor (layer).
Deterministic: fixed seed, no clocks; rerunning gives byte-identical output.

Output: training/src/test/resources/quant-reference/quant-ref.json. Float32 inputs are written as the
decimal of their exact value (Python float repr of a float32 is exact and parses back to the same
float32 in Java); infinite fp16 results as the strings "inf" and "-inf" (strict JSON).
"""
import json
import platform
from pathlib import Path

import numpy as np

OUT = Path("training/src/test/resources/quant-reference/quant-ref.json")
F32_EPS = float(np.finfo(np.float32).eps)


def f32list(a):
    return [float(v) for v in np.asarray(a, dtype=np.float32).ravel(order="C")]


def weight_case(name, layout, w):
    w = w.astype(np.float32)
    wd = w.astype(np.float64)
    if layout == "conv":
        axes = tuple(range(1, w.ndim))
        m = np.abs(wd).max(axis=axes, keepdims=True)
    elif layout == "depthwise":
        m = np.abs(wd).max(axis=(0, 1), keepdims=True)
    elif layout == "dense":
        m = np.abs(wd).max(axis=0, keepdims=True)
    else:
        raise ValueError(layout)
    scale = np.where(m > 0, m / 127.0, 1.0)
    q = np.clip(np.rint(wd / scale), -127, 127)
    deq = (q * scale).astype(np.float32)
    return dict(name=name, layout=layout, shape=list(w.shape), values=f32list(w),
                scales=[float(v) for v in scale.ravel(order="C")],
                levels=[int(v) for v in q.ravel(order="C")],
                dequantized=f32list(deq))


def affine(lo, hi):
    lo_n, hi_p = min(lo, 0.0), max(hi, 0.0)
    scale = max((hi_p - lo_n) / 255.0, F32_EPS)
    zp = int(np.clip(-128 - np.rint(lo_n / scale), -128, 127))
    return scale, zp


def fake_quant(x, scale, zp):
    q = np.clip(np.rint(x / scale) + zp, -128, 127)
    return (q - zp) * scale


def prune_masks(tensors, s, scope):
    def one(pool):
        flat = np.concatenate([np.abs(t.astype(np.float32)).ravel() for t in pool])
        k = int(np.floor(s * flat.size + 0.5))
        keep = np.ones(flat.size, dtype=bool)
        keep[np.argsort(flat, kind="stable")[:k]] = False
        out, start = [], 0
        for t in pool:
            out.append(keep[start:start + t.size])
            start += t.size
        return out
    if scope == "global":
        return one(tensors)
    return [one([t])[0] for t in tensors]


def main():
    rng = np.random.default_rng(20240606)

    # weights of the test network: conv 3->4 3x3, depthwise 3x1 multiplier 2 on 4 channels, dense 8->5,
    # output 5->3
    conv = rng.normal(0, 0.3, size=(4, 3, 3, 3))
    conv[1] = 0.0                                        # an all-zero channel: scale 1, levels 0
    conv[2, 0, 0, 0] = 127.0                             # scale exactly 1: ties at .5 round to even
    conv[2, 0, 0, 1:3] = [2.5, -3.5]
    conv[2, 1, 1, :] = [0.5, 1.5, -0.5]
    dw = rng.normal(0, 0.5, size=(3, 1, 4, 2))
    dense = rng.normal(0, 0.2, size=(8, 5))
    dense[:, 3] *= 40.0                                  # one channel of a much larger range
    out = rng.normal(0, 0.4, size=(5, 3))
    weights = [weight_case("conv", "conv", conv), weight_case("dw", "depthwise", dw),
               weight_case("dense", "dense", dense), weight_case("out", "dense", out)]

    x = np.concatenate([rng.normal(0, 2.0, size=40), [0.0, -0.0, 1e-9, 100.0, -100.0]])
    x = x.astype(np.float32).astype(np.float64)
    acts = []
    for lo, hi in [(-1.3, 2.7), (0.0, 6.0), (-0.5, -0.1), (0.2, 0.9), (0.0, 0.0), (-3.0, 3.0)]:
        scale, zp = affine(lo, hi)
        acts.append(dict(lo=lo, hi=hi, scale=scale, zero_point=zp, x=[float(v) for v in x],
                         y=[float(v) for v in fake_quant(x, scale, zp)]))

    h = np.concatenate([
        np.array([1 / 3, 65504.0, 65519.0, 65520.0, 70000.0, -65520.0, 1e-8, 6e-8, 2.0 ** -25, -2.0 ** -25,
                  3 * 2.0 ** -25, 1 + 2.0 ** -11, 1 + 3 * 2.0 ** -11, 2.0 ** -14, 2.0 ** -14 * (1 - 2.0 ** -11),
                  0.1, -2.71828, 1024.5, 2049.0]),
        rng.normal(0, 1, size=30), rng.normal(0, 1e-5, size=10)]).astype(np.float32)
    with np.errstate(over="ignore"):                     # 65520 and above overflow to inf, as intended
        hy = h.astype(np.float16).astype(np.float32)
    half = dict(x=f32list(h), y=[float(v) if np.isfinite(v) else ("inf" if v > 0 else "-inf") for v in hy])

    p1 = rng.normal(0, 1, size=37).astype(np.float32)
    p1[[3, 9, 20]] = 0.0
    p1[[5, 6]] = [0.25, -0.25]
    p2 = rng.normal(0, 0.1, size=23).astype(np.float32)
    p2[[1, 2]] = [-0.25, 0.25]
    prune = []
    for s in (0.0, 0.3, 0.5, 0.9):
        for scope in ("global", "layer"):
            masks = prune_masks([p1, p2], s, scope)
            prune.append(dict(sparsity=s, scope=scope, keep=[[bool(v) for v in m] for m in masks]))

    ref = dict(
        generator=dict(script="tools/reference/make_quant_refs.py", python=platform.python_version(),
                       numpy=np.__version__),
        weights=weights,
        activations=acts,
        half=half,
        prune=dict(tensors=[f32list(p1), f32list(p2)], cases=prune),
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(ref, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    print(OUT)


if __name__ == "__main__":
    main()
