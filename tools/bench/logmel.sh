#!/usr/bin/env bash
# Log-mel speed benchmark, one thread (issue 3 item 6, SPEC.md §12); results go in docs/benchmarks.md.
#
#   tools/bench/logmel.sh [--with-torchaudio] [LogMelBench options...]
#
# 1. compiles the features module with its tests (LogMelBench lives in src/test/java) and writes its
#    runtime classpath with the maven-dependency-plugin (offline; drop -o in MVN_FLAGS if a plugin is
#    missing);
# 2. runs org.ascspark.features.bench.LogMelBench pinned to one CPU (taskset -c 0 when available),
#    serial GC, JTransforms pinned to one thread: warm-up, then timed iterations, ms/clip printed;
# 3. with --with-torchaudio, runs tools/bench/torchaudio_logmel.py (Debian's /usr/bin/python3 with
#    python3-torchaudio) on the same signal, also on one CPU, and compares the log-mel values.
# Options after the flag go to LogMelBench, e.g. --warmup 100 --iterations 300 --f-min-hz 20.
set -euo pipefail
cd "$(dirname "$0")/../.."

WITH_TORCHAUDIO=0
if [[ "${1:-}" == "--with-torchaudio" ]]; then
  WITH_TORCHAUDIO=1
  shift
fi
MVN_FLAGS=${MVN_FLAGS:--q -o}
OUT=${BENCH_OUT:-features/target/bench}
mkdir -p "$OUT"

mvn $MVN_FLAGS -pl features test-compile
mvn $MVN_FLAGS -pl features dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/classpath.txt"
CP="features/target/classes:features/target/test-classes:$(cat "$OUT/classpath.txt")"

PIN=()
if command -v taskset >/dev/null 2>&1; then
  PIN=(taskset -c 0)
fi

echo "== machine: $(nproc) CPU(s), $(lscpu | sed -n 's/^Model name: *//p' | head -1); $(java -version 2>&1 | head -1)"
"${PIN[@]}" java -Xmx1g -XX:+UseSerialGC -cp "$CP" org.ascspark.features.bench.LogMelBench \
  --signal-out "$OUT/signal.f32" --features-out "$OUT/logmel.f32" "$@"

if [[ $WITH_TORCHAUDIO == 1 ]]; then
  FMIN=20
  args=("$@")
  for ((i = 0; i < ${#args[@]}; i++)); do
    if [[ "${args[$i]}" == "--f-min-hz" ]]; then FMIN=${args[$((i + 1))]}; fi
  done
  OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 "${PIN[@]}" /usr/bin/python3 tools/bench/torchaudio_logmel.py \
    --signal "$OUT/signal.f32" --ours "$OUT/logmel.f32" --f-min-hz "$FMIN"
fi
