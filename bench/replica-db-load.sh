#!/usr/bin/env bash
# The database load replicas put on PostgreSQL (transactions a second, PostgreSQL's own count): one replica idle,
# one replica under SIPp calls at RATE a second, two replicas idle. A throw-away PostgreSQL, a real Kamailio and the
# AMI double, all on loopback.
#
#   bench/replica-db-load.sh [SECONDS] [RATE]      default 30 s per window, 20 calls/s
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test >/dev/null
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" -Dproject.basedir="$ROOT" \
  org.signaling.api.bench.ReplicaDatabaseLoadBenchmark "${1:-30}" "${2:-20}" 2>&1 \
  | grep -E "^db-load:"
