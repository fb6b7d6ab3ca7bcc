#!/usr/bin/env bash
# Feature job throughput per core vs the plain library loop, and local[2] vs local[1].
# usage: tools/bench/feature_job.sh [WORK_DIR] [SEGMENTS_PER_LOCATION] [features key=value ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
cp_file="$PWD/pipeline/target/bench-classpath.txt"
# In the reactor (-am) the features module resolves to its target/classes; pipeline runs last and
# leaves its own classpath in the file.
mvn -B -q -o test-compile dependency:build-classpath -pl pipeline -am \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
OPENS=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
         java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
         sun.security.action sun.util.calendar; do
  OPENS="$OPENS --add-opens=java.base/$p=ALL-UNNAMED"
done
# shellcheck disable=SC2086
java -Xmx6g ${BENCH_JAVA_OPTS:-} $OPENS -Dlog4j2.configurationFile="$PWD/conf/log4j2.properties" \
  -cp "pipeline/target/test-classes:pipeline/target/classes:$(cat "$cp_file")" \
  org.ascspark.pipeline.bench.FeatureJobBench "${1:-pipeline/target/feature-job-bench}" "${2:-2}" "${@:3}"
