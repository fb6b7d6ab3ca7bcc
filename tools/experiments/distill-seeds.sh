#!/usr/bin/env bash
# Distilled student vs the same student without distillation, over several seeds, on the demo's
# synthetic dataset (issue 6's done-when experiment). Runs: one teacher, its outputs, then per seed
# ./asc distill (which trains the KD student and the plain student with the same seed) and prints a
# table of last-epoch accuracies and their means.
#
# Usage: tools/experiments/distill-seeds.sh [work folder]
#   TEACHER_MODEL, TEACHER_WIDTH, TEACHER_EPOCHS, STUDENT_MODEL, STUDENT_WIDTH, STUDENT_EPOCHS,
#   TEMPERATURE, KL, CE, AVERAGE_SEGMENTS (Clova's soft-label averaging), SEEDS (space-separated)
#   override the defaults below.
# The features come from ./asc demo (run first when <work>/demo/features is missing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${1:-$ROOT/work/kd-experiment}"
TEACHER_MODEL="${TEACHER_MODEL:-bcresnet-asc}"
TEACHER_WIDTH="${TEACHER_WIDTH:-4}"
TEACHER_EPOCHS="${TEACHER_EPOCHS:-10}"
STUDENT_MODEL="${STUDENT_MODEL:-bcresnet-asc}"
STUDENT_WIDTH="${STUDENT_WIDTH:-1}"
STUDENT_EPOCHS="${STUDENT_EPOCHS:-6}"
TEMPERATURE="${TEMPERATURE:-2}"
KL="${KL:-1}"
CE="${CE:-1}"
AVERAGE_SEGMENTS="${AVERAGE_SEGMENTS:-1}"
SEEDS="${SEEDS:-1 2 3}"
ASC="$ROOT/asc"

mkdir -p "$WORK"
if ! ls -d "$WORK"/demo/features/*/ >/dev/null 2>&1; then
  "$ASC" demo work="$WORK/demo"
fi
FEATURES="$(ls -d "$WORK"/demo/features/*/ | head -1)"
FEATURES="${FEATURES%/}"
echo "features: $FEATURES"

if [[ ! -f "$WORK/runs/teacher/last.zip" ]]; then
  "$ASC" train features="$FEATURES" out="$WORK/runs" run-name=teacher resume=true \
      model="$TEACHER_MODEL" width="$TEACHER_WIDTH" epochs="$TEACHER_EPOCHS"
fi
if [[ ! -f "$WORK/teacher-outputs/_manifest.json" ]]; then
  "$ASC" teacher-outputs features="$FEATURES" teachers="[$WORK/runs/teacher/last.zip]" \
      out="$WORK/teacher-outputs" temperature="$TEMPERATURE" average-segments="$AVERAGE_SEGMENTS"
fi
for seed in $SEEDS; do
  if [[ ! -f "$WORK/runs/student-s$seed/distill-report.json" ]]; then
    "$ASC" distill teacher-outputs="$WORK/teacher-outputs" train.features="$FEATURES" \
        train.out="$WORK/runs" train.run-name="student-s$seed" train.resume=true \
        train.model="$STUDENT_MODEL" train.width="$STUDENT_WIDTH" train.epochs="$STUDENT_EPOCHS" \
        train.seed="$seed" loss.ce="$CE" loss.kl="$KL" evaluate-teachers="$([[ $seed == ${SEEDS%% *} ]] && echo true || echo false)"
  fi
done

python3 - "$WORK" $SEEDS <<'PY'
import json, sys
work, seeds = sys.argv[1], sys.argv[2:]
rows = []
for s in seeds:
    r = json.load(open(f"{work}/runs/student-s{s}/distill-report.json"))
    m = {e["role"]: e for e in r["models"]}
    rows.append((s, m["student (KD), last epoch"], m["student (no KD), last epoch"], m.get("teacher")))
print("| seed | KD accuracy | no-KD accuracy | difference | KD log loss | no-KD log loss |")
print("|---|---:|---:|---:|---:|---:|")
for s, kd, plain, _ in rows:
    print(f"| {s} | {kd['accuracy']:.4f} | {plain['accuracy']:.4f} | {kd['accuracy'] - plain['accuracy']:+.4f}"
          f" | {kd['log_loss']:.4f} | {plain['log_loss']:.4f} |")
n = len(rows)
kd = sum(r[1]["accuracy"] for r in rows) / n
pl = sum(r[2]["accuracy"] for r in rows) / n
print(f"| mean | {kd:.4f} | {pl:.4f} | {kd - pl:+.4f} | {sum(r[1]['log_loss'] for r in rows) / n:.4f}"
      f" | {sum(r[2]['log_loss'] for r in rows) / n:.4f} |")
t = rows[0][3]
if t:
    print(f"\nteacher: {t['model']}, {t['parameters']} parameters, accuracy {t['accuracy']:.4f}, log loss {t['log_loss']:.4f}")
s = rows[0][1]
print(f"student: {s['model']}, {s['parameters']} parameters, {s['macs_per_1s'] / 1e6:.2f} MMACs/s, "
      f"{s['size_kb_int8']:.1f} KB at int8, DCASE 2022: {'pass' if s['passes_dcase2022'] else 'fail'}")
PY
