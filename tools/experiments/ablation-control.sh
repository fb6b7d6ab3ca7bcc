#!/usr/bin/env bash
# The control of tools/experiments/ablation-seeds.sh: every chain adds one variant per training clip,
# so an augmented set also trains on more rows (and more steps) per epoch. This run adds one variant
# that is an unchanged copy (the gain augmentation at 0 dB), with the same model, epochs and seeds,
# so "copy" minus "none" is the effect of the extra rows alone. Tables: <work>/control-seed-<n>.csv.
#
# Usage: tools/experiments/ablation-control.sh [work folder]   (the same folder as ablation-seeds.sh)
#   MODEL, WIDTH, EPOCHS, SEEDS as there (defaults in ablation-env.sh).
set -euo pipefail
# shellcheck source=ablation-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/ablation-env.sh"
[[ -f "$WORK/demo/ingest/_manifest.json" ]] || { echo "run tools/experiments/ablation-seeds.sh $WORK first" >&2; exit 1; }
for seed in $SEEDS; do
  "$ASC" ablate clips="$WORK/demo/ingest" work="$WORK/control" 'augmentations={copy=[[gain]]}' sets='[none, each]' \
    features.augment.gain.min-db=0 features.augment.gain.max-db=0 \
    train.model="$MODEL" train.width="$WIDTH" train.epochs="$EPOCHS" train.seed="$seed"
  cp "$WORK/control/results.csv" "$WORK/control-seed-$seed.csv"
done
