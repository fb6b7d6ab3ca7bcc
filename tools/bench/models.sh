#!/usr/bin/env bash
# Model speed benchmark: DL4J (ModelBench) next to PyTorch (torch_models.py), same architectures,
# input and batch; results go in docs/benchmarks.md.
#
#   tools/bench/models.sh [ModelBench options...]
#   e.g. tools/bench/models.sh --models bcresnet-asc:8 --frames 431 --warmup 1 --iterations 2
#
# 1. compiles the training module with its tests (ModelBench lives in src/test/java) and writes its
#    runtime classpath with the maven-dependency-plugin (offline); the installed asc-* snapshot jars on
#    that classpath are replaced by this checkout's reactor outputs (*/target/classes);
# 2. picks the ND4J native jar (ND4J_CLASSIFIER) and the DL4J layer helpers (DL4J_HELPERS);
# 3. runs org.ascspark.training.bench.ModelBench with the root pom's asc.jvm.opens flags (which include
#    -Dorg.eclipse.deeplearning4j.helpers.disable=false);
# 4. runs tools/bench/torch_models.py (Debian's /usr/bin/python3 with python3-torch) with the options
#    both programs share (--models --batch --bins --frames --classes --warmup --iterations
#    --train-iterations --seed --params-only), then checks that both report the same parameter counts.
#
# Environment:
#   ND4J_CLASSIFIER  unset (default): the ND4J native jars of the poms, as the project runs (oneDNN); or
#                    linux-x86_64 / linux-x86_64-onednn-avx2: that jar replaces the pom's on the
#                    classpath (it must be in ~/.m2: mvn dependency:get
#                    -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:linux-x86_64-onednn-avx2) and
#                    -Dorg.bytedeco.javacpp.platform.extension is set to match
#   DL4J_HELPERS     project (default) or shim (the same now): the training module ships
#                    org.nd4j.nativeblas.Nd4jCpu, the class DL4J 1.0.0-M2.1's oneDNN check looks for
#                    (ND4J M2.1 renamed it), so DL4J creates its oneDNN helpers; inject: ModelBench
#                    sets them by reflection
#   THREADS          OMP_NUM_THREADS for the JVM and torch.set_num_threads (default 2)
#   OMP_WAIT_POLICY  PASSIVE by default, for both: ND4J and PyTorch use GNU OpenMP, whose spinning
#                    waits make every parallel region wait for a time slice when other processes share
#                    the cores (measured 25x slower DL4J training steps, 3x PyTorch, on this shared
#                    2-core machine); set ACTIVE on an otherwise idle machine
#   RUN              both (default), dl4j or torch
#   JAVA_XMX, OFFHEAP, MAX_RSS  JVM heap (default 2g), ND4J's off-heap limit (default 8g) and the
#                    JVM's resident-size limit enforced by JavaCPP (default 10g), so that a large
#                    configuration fails with an OutOfMemoryError instead of waking the kernel's OOM
#                    killer on a shared machine (DL4J's default build needed > 24 GB for bcresnet-asc
#                    width 8 and sp4asc at [32,1,256,431]); PyTorch runs under ulimit -v MAX_VM_KB
#                    (default 12 GiB)
#   SKIP_BUILD       1: reuse the classes and $BENCH_OUT/classpath.txt of an earlier run (no Maven)
#   BENCH_OUT        output folder (default training/target/bench); logs are written there
set -euo pipefail
cd "$(dirname "$0")/../.."

DL4J_STATUS=0
CLASSIFIER=${ND4J_CLASSIFIER:-pom}
HELPERS=${DL4J_HELPERS:-project}
THREADS=${THREADS:-2}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
RUN=${RUN:-both}
OUT=${BENCH_OUT:-training/target/bench}
MVN_FLAGS=${MVN_FLAGS:--B -q -o}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TAG="$CLASSIFIER-$HELPERS"
DL4J_LOG="$OUT/dl4j-$TAG.txt"
TORCH_LOG="$OUT/torch.txt"

# options torch_models.py understands too
TORCH_ARGS=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --models|--batch|--bins|--frames|--classes|--warmup|--iterations|--train-iterations|--seed)
      TORCH_ARGS+=("${args[$i]}" "${args[$((i + 1))]}")
      i=$((i + 1)) ;;
    --params-only) TORCH_ARGS+=("${args[$i]}") ;;
    --helpers|--native-helpers|--dump|--compare|--threads) i=$((i + 1)) ;;
  esac
done

echo "== machine: $(nproc) CPU(s), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)" \
  "(family $(sed -n 's/^cpu family\s*: //p' /proc/cpuinfo | head -1)); load average $(cut -d' ' -f1-3 /proc/loadavg);" \
  "$(java -version 2>&1 | head -1)"

if [[ $RUN != torch ]]; then
  if [[ ${SKIP_BUILD:-0} != 1 || ! -s "$OUT/classpath.txt" ]]; then
    mvn $MVN_FLAGS -pl training -am test-compile
    mvn $MVN_FLAGS -pl training dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt"
  fi
  [[ -s "$OUT/classpath.txt" ]] || { echo "no classpath written to $OUT/classpath.txt" >&2; exit 2; }

  # reactor outputs instead of installed snapshots; the chosen native jar instead of the pom's
  CP="training/target/test-classes:training/target/classes:pipeline/target/classes:features/target/classes"
  EXTRA=()
  if [[ $CLASSIFIER == pom ]]; then
    while IFS= read -r entry; do
      case "$entry" in
        */org/ascspark/*) ;;
        *) CP="$CP:$entry" ;;
      esac
    done < <(tr ':' '\n' < "$OUT/classpath.txt")
  else
    M2=${M2_REPO:-$HOME/.m2/repository}
    WANT="$M2/org/nd4j/nd4j-native/1.0.0-M2.1/nd4j-native-1.0.0-M2.1-$CLASSIFIER.jar"
    if [[ ! -f $WANT ]]; then
      echo "missing $WANT; fetch it with: mvn dependency:get -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:$CLASSIFIER" >&2
      exit 2
    fi
    while IFS= read -r entry; do
      case "$entry" in
        */org/ascspark/*) ;;
        */nd4j-native-1.0.0-M2.1-linux-x86_64*.jar) [[ $CP == *"$WANT"* ]] || CP="$CP:$WANT" ;;
        *) CP="$CP:$entry" ;;
      esac
    done < <(tr ':' '\n' < "$OUT/classpath.txt")
    case "$CLASSIFIER" in
      linux-x86_64) EXTRA+=("-Dorg.bytedeco.javacpp.platform.extension=") ;;  # the plain build
      linux-x86_64-*) EXTRA+=("-Dorg.bytedeco.javacpp.platform.extension=${CLASSIFIER#linux-x86_64}") ;;
      *) echo "unsupported ND4J_CLASSIFIER $CLASSIFIER" >&2; exit 2 ;;
    esac
  fi

  BENCH_HELPERS=auto
  case "$HELPERS" in
    shim) ;;  # the training module ships the class (org.nd4j.nativeblas.Nd4jCpu) since the oneDNN switch
    inject) BENCH_HELPERS=inject ;;
    project) ;;
    *) echo "unsupported DL4J_HELPERS $HELPERS (project, shim, inject)" >&2; exit 2 ;;
  esac

  OPENS=$(sed -n 's:.*<asc.jvm.opens>\(.*\)</asc.jvm.opens>.*:\1:p' pom.xml)
  XMX=${JAVA_XMX:-2g}
  OFFHEAP=${OFFHEAP:-8g}
  MAX_RSS=${MAX_RSS:-10g}
  echo "== DL4J: ND4J classifier $CLASSIFIER, helpers $HELPERS, OMP_NUM_THREADS=$THREADS, OMP_WAIT_POLICY=$OMP_WAIT_POLICY, -Xmx$XMX, off-heap $OFFHEAP, RSS $MAX_RSS -> $DL4J_LOG"
  # shellcheck disable=SC2086
  OMP_NUM_THREADS=$THREADS java -Xmx"$XMX" -Dorg.bytedeco.javacpp.maxbytes="$OFFHEAP" \
    -Dorg.bytedeco.javacpp.maxphysicalbytes="$MAX_RSS" $OPENS "${EXTRA[@]}" -cp "$CP" \
    org.ascspark.training.bench.ModelBench --helpers "$BENCH_HELPERS" "$@" 2>&1 \
    | grep --line-buffered -v -E "Added differentiated op|Duplicate TF op mapping" | tee "$DL4J_LOG" \
    || DL4J_STATUS=$?  # a FAILED configuration: go on with PyTorch, exit non-zero at the end
fi

if [[ $RUN != dl4j ]]; then
  echo "== PyTorch, $THREADS thread(s), OMP_WAIT_POLICY=$OMP_WAIT_POLICY -> $TORCH_LOG"
  (ulimit -v "${MAX_VM_KB:-12582912}" && OMP_NUM_THREADS=$THREADS /usr/bin/python3 tools/bench/torch_models.py \
    --threads "$THREADS" "${TORCH_ARGS[@]}") | tee "$TORCH_LOG"
fi

if [[ $RUN == both ]]; then
  # the same architecture has the same parameters: trainable and trainable + BN running statistics
  status=0
  while read -r line; do
    key=$(sed -E 's/.*(model=[^ ]+ width=[^ ]+).*/\1/' <<< "$line")
    dl4j=$(grep -F "PARAMS $key " "$DL4J_LOG" | sed -E 's/.*(trainable=[0-9]+ bn_running=[0-9]+ total=[0-9]+).*/\1/' || true)
    torch=$(sed -E 's/.*(trainable=[0-9]+ bn_running=[0-9]+ total=[0-9]+).*/\1/' <<< "$line")
    if [[ "$dl4j" == "$torch" ]]; then
      echo "params match: $key $torch"
    else
      echo "PARAMS DIFFER: $key DL4J '$dl4j', PyTorch '$torch'" >&2
      status=1
    fi
  done < <(grep '^PARAMS ' "$TORCH_LOG")
  [[ $status == 0 ]] || exit $status
fi
exit "$DL4J_STATUS"
