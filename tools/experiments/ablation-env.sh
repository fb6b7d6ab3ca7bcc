# Settings shared by ablation-seeds.sh and ablation-control.sh (sourced, not run): the work folder
# ($1, default work/ablation-experiment) and the MODEL, WIDTH, EPOCHS and SEEDS defaults, so the
# control runs the same model, epochs and seeds as the ablation it controls.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${1:-$ROOT/work/ablation-experiment}"
MODEL="${MODEL:-bcresnet-asc}"
WIDTH="${WIDTH:-1}"
EPOCHS="${EPOCHS:-10}"
SEEDS="${SEEDS:-1 2 3}"
ASC="$ROOT/asc"
