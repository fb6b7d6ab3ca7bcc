#!/usr/bin/env python3
"""Reference outputs for the Java evaluation metrics (org.ascspark.training.eval.Metrics).

Run from the repository root:  python3 tools/reference/make_metric_refs.py
Pinned versions (last run with them; recorded in the output under "generator"): Python 3.11.7,
numpy 2.4.6. scikit-learn is NOT used: the conventions Metrics documents are re-implemented here in
float64 numpy, independently of the Java code:
  * predicted class = argmax, ties to the lowest index (np.argmax does this);
  * per-item log loss = -ln(clip(p_true / sum(p), 1e-15, 1 - 1e-15));
  * accuracy macro / log loss macro = mean of class-wise values over classes that have items;
  * device groups disjoint; devices in no group summarised under "other".
Deterministic: fixed seed, no clocks; rerunning gives byte-identical output.

Output: training/src/test/resources/metric-reference/metrics-ref.json with the inputs (labels,
devices, probability rows as decimal float64 that round-trip exactly) and the expected values.
"""
import json
import platform
from pathlib import Path

import numpy as np

EPS = 1e-15
OUT = Path("training/src/test/resources/metric-reference/metrics-ref.json")


def make_inputs():
    rng = np.random.default_rng(20240505)
    n, k = 60, 5  # class 4 never occurs as a true label: tests its exclusion from the macro means
    labels = rng.integers(0, 4, size=n)
    devices = rng.choice(["a", "b", "c", "s1", "s2", "s4", "s5", "x"], size=n)
    probs = rng.dirichlet(np.full(k, 0.7), size=n)
    probs[::7] *= 0.83            # rows not summing to 1: renormalised
    probs[3] = [0.3, 0.3, 0.2, 0.2, 0.0]   # tie between classes 0 and 1 -> 0
    probs[5] = 0.0
    probs[5, (labels[5] + 1) % k] = 1.0     # zero true probability -> clipped at eps
    probs[8] = 0.0
    probs[8, labels[8]] = 1.0               # perfect -> clipped at 1 - eps
    probs[11] = 1.0 / k                     # uniform -> ln K
    return labels, devices, probs, k


def summary(lab, pred, loss, k):
    n = len(lab)
    if n == 0:
        return dict(count=0, correct=0, accuracy_micro=None, accuracy_macro=None,
                    log_loss=None, log_loss_macro=None)
    ok = lab == pred
    accs, losses = [], []
    for c in range(k):
        m = lab == c
        if m.any():
            accs.append(ok[m].mean())
            losses.append(loss[m].mean())
    return dict(count=int(n), correct=int(ok.sum()), accuracy_micro=float(ok.mean()),
                accuracy_macro=float(np.mean(accs)), log_loss=float(loss.mean()),
                log_loss_macro=float(np.mean(losses)))


def main():
    labels, devices, probs, k = make_inputs()
    q = probs / probs.sum(axis=1, keepdims=True)
    pt = np.clip(q[np.arange(len(labels)), labels], EPS, 1 - EPS)
    loss = -np.log(pt)
    pred = np.argmax(probs, axis=1)
    groups = {"real": ["a", "b", "c"], "seen": ["s1", "s2", "s3"], "unseen": ["s4", "s5", "s6"]}
    grouped = {d for ds in groups.values() for d in ds}

    confusion = np.zeros((k, k), dtype=np.int64)
    np.add.at(confusion, (labels, pred), 1)
    classes = []
    for c in range(k):
        m = labels == c
        classes.append(dict(count=int(m.sum()), correct=int((pred[m] == c).sum()),
                            accuracy=float((pred[m] == c).mean()) if m.any() else None,
                            log_loss=float(loss[m].mean()) if m.any() else None))
    dev = {}
    for d in sorted(set(devices)):
        m = devices == d
        dev[d] = dict(count=int(m.sum()), correct=int((pred[m] == labels[m]).sum()),
                      accuracy=float((pred[m] == labels[m]).mean()), log_loss=float(loss[m].mean()))
    grp = {}
    for g, ds in list(groups.items()) + [("other", sorted(set(devices) - grouped))]:
        m = np.isin(devices, ds)
        grp[g] = dict(devices=sorted(ds), **summary(labels[m], pred[m], loss[m], k))

    ref = dict(
        generator=dict(script="tools/reference/make_metric_refs.py", python=platform.python_version(),
                       numpy=np.__version__, eps=EPS),
        class_names=[f"c{c}" for c in range(k)],
        groups=groups,
        labels=labels.tolist(),
        devices=devices.tolist(),
        probs=[[float(v) for v in row] for row in probs],
        expected=dict(overall=summary(labels, pred, loss, k), item_log_loss=loss.tolist(),
                      predicted=pred.tolist(), classes=classes, devices=dev, groups=grp,
                      confusion=confusion.tolist()),
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(ref, indent=1) + "\n", encoding="utf-8")
    print(OUT)


if __name__ == "__main__":
    main()
