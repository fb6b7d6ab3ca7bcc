#!/usr/bin/env bash
# Issue 7's done-when experiment: ./asc ablate on the demo's synthetic dataset (fftbin, speccorr, mp3;
# none, each, all, leave-one-out), once per seed. All seeds share one ablation folder (<work>/ablate:
# the features are computed once, each seed's runs have their own hash); each seed's table is copied to
# <work>/results-seed-<n>.{md,csv}.
#
# Usage: tools/experiments/ablation-seeds.sh [work folder]
#   MODEL, WIDTH, EPOCHS, SEEDS (space-separated; defaults in ablation-env.sh: bcresnet-asc, 1, 10,
#   "1 2 3") and SETS (HOCON list) override the defaults; EQUAL_STEPS=true runs with
#   ablate.equal-steps=true (tables then named results-equal-steps-seed-<n>).
# The clips come from ./asc demo's ingest stage (run first when <work>/demo/ingest is missing).
set -euo pipefail
# shellcheck source=ablation-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/ablation-env.sh"
SETS="${SETS:-[none, each, all, leave-one-out]}"
EQUAL_STEPS="${EQUAL_STEPS:-false}"
TAG=""
[[ "$EQUAL_STEPS" == "true" ]] && TAG="equal-steps-"

mkdir -p "$WORK"
if [[ ! -f "$WORK/demo/ingest/_manifest.json" ]]; then
  "$ASC" synth out="$WORK/demo/dataset" cities=4 locations-per-city=3 segments-per-location=2 clip-seconds=1.0
  "$ASC" ingest dataset="$WORK/demo/dataset" out="$WORK/demo/ingest"
fi
for seed in $SEEDS; do
  "$ASC" ablate clips="$WORK/demo/ingest" work="$WORK/ablate" sets="$SETS" equal-steps="$EQUAL_STEPS" \
    train.model="$MODEL" train.width="$WIDTH" train.epochs="$EPOCHS" train.seed="$seed"
  cp "$WORK/ablate/results.md" "$WORK/results-${TAG}seed-$seed.md"
  cp "$WORK/ablate/results.csv" "$WORK/results-${TAG}seed-$seed.csv"
done
