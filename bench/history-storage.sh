#!/usr/bin/env bash
# The call history's DN filter on a large history, before (LIKE over the comma-joined dns column) and after (the
# call_history_dn index), the V5/V6 migration's time, and the retention job's deletion rate. A throw-away
# PostgreSQL on loopback, then H2 in memory.
#
#   bench/history-storage.sh [CALLS]      default 100000
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test >/dev/null
for database in postgres h2; do
  java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" -Dproject.basedir="$ROOT" \
    org.signaling.api.call.HistoryStorageBenchmark "$database" "${1:-100000}" 2>&1 \
    | grep -vE "^[0-9:. ]+(\[| INFO| DEBUG| WARN)|^SLF4J"
done
