#!/usr/bin/env bash
# Device-augmentation speed benchmark, one thread (issue 4 item 3, SPEC.md §12); results go in
# docs/benchmarks.md.
#
#   tools/bench/augmentations.sh [AugmentationBench options...]
#
# 1. compiles the features module with its tests (AugmentationBench lives in src/test/java) and
#    writes its runtime classpath with the maven-dependency-plugin (offline; drop -o in MVN_FLAGS if
#    a plugin is missing);
# 2. runs org.ascspark.features.bench.AugmentationBench from the repository root, pinned to one CPU
#    (taskset -c 0 when available), serial GC, JTransforms pinned to one thread: every augmentation
#    on one 10 s 44.1 kHz clip (or its STFT, or a [1][128][431] feature array), warm-up then timed
#    calls, median/min ms per clip and x real time per core printed as a Markdown table.
# Options go to AugmentationBench, e.g. --warmup 5 --iterations 20 --slow-iterations 15
# --ir-dir ../shared/data/micirp (the default, relative to the repository root; the DIR case is
# skipped with a note when the folder is absent) --only Tempo.
set -euo pipefail
cd "$(dirname "$0")/../.."

MVN_FLAGS=${MVN_FLAGS:--B -q -o}
OUT=${BENCH_OUT:-features/target/bench}
mkdir -p "$OUT"

mvn $MVN_FLAGS -pl features test-compile
mvn $MVN_FLAGS -pl features dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/classpath.txt"
CP="features/target/classes:features/target/test-classes:$(cat "$OUT/classpath.txt")"

PIN=()
if command -v taskset >/dev/null 2>&1; then
  PIN=(taskset -c 0)
fi

echo "== machine: $(nproc) CPU(s), $(lscpu | sed -n 's/^Model name: *//p' | head -1);" \
  "$(java -version 2>&1 | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
"${PIN[@]}" java -Xmx2g -XX:+UseSerialGC -cp "$CP" \
  org.ascspark.features.bench.AugmentationBench "$@"
