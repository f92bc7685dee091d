#!/usr/bin/env bash
# How long the cluster goes without a leader when the leader is stopped (lease released) or cut off from the
# database (lease lapses): two replicas' elections on a throw-away PostgreSQL on loopback.
#
#   bench/leader-failover.sh [ROUNDS] [LEASE]      default 10 rounds (2..40), lease 10s
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test >/dev/null
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" -Dproject.basedir="$ROOT" \
  org.signaling.api.cluster.internal.LeaderFailoverBenchmark "${1:-10}" "${2:-10s}" 2>&1 | grep -E "^leader-failover:"
