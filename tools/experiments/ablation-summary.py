#!/usr/bin/env python3
"""Means and per-seed values of ablation tables (results.csv files of ./asc ablate), e.g. the seeds of
tools/experiments/ablation-seeds.sh and its control:

    python3 tools/experiments/ablation-summary.py WORK/results-seed-*.csv WORK/control-seed-*.csv

Prints, per set: accuracy over all devices and per device group (mean over the files that have the
set, then the per-file values), log loss, and the change against 'none' of the same file.
"""
import csv
import sys
from collections import defaultdict

COLUMNS = ["accuracy", "real_accuracy", "seen_accuracy", "unseen_accuracy", "log_loss"]


def main(paths):
    values = defaultdict(lambda: defaultdict(list))  # set -> column -> values
    deltas = defaultdict(lambda: defaultdict(list))
    order = []
    for path in paths:
        with open(path, newline="") as f:
            rows = {r["set"]: r for r in csv.DictReader(f)}
        base = rows.get("none")
        for name, r in rows.items():
            # the control's own 'none' runs are kept apart from the main tables' ones
            key = "none (control run)" if name == "none" and "copy" in rows else name
            if key not in order:
                order.append(key)
            for c in COLUMNS:
                values[key][c].append(float(r[c]))
                if base is not None:
                    deltas[key][c].append(float(r[c]) - float(base[c]))
    print("| set | runs | " + " | ".join(COLUMNS) + " | " + " | ".join("Δ " + c for c in COLUMNS[:4]) + " |")
    print("|---|---:|" + "---:|" * (2 * len(COLUMNS) - 1))
    for name in order:
        v = values[name]
        n = len(v["accuracy"])
        cells = []
        for c in COLUMNS:
            mean = sum(v[c]) / n
            cells.append(("%.3f" if c == "log_loss" else "%.1f") % (mean if c == "log_loss" else 100 * mean))
        for c in COLUMNS[:4]:
            d = deltas[name][c]
            per = ", ".join("%+.1f" % (100 * x) for x in d)
            cells.append("%+.1f (%s)" % (100 * sum(d) / len(d), per))
        print("| %s | %d | %s |" % (name, n, " | ".join(cells)))


if __name__ == "__main__":
    main(sys.argv[1:])
