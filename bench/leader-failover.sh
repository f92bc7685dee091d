#!/usr/bin/env bash
# How long the cluster goes without a leader when the leader is stopped (lease released) or cut off from the
# database (lease lapses): two replicas' elections on a throw-away PostgreSQL on loopback.
#
#   bench/leader-failover.sh [ROUNDS] [LEASE]      default 10 rounds (2..40), lease 10s
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_LIB_FUNCTIONS_ONLY=1 source "$ROOT/bench/lib.sh"
bench_java_main org.signaling.api.cluster.internal.LeaderFailoverBenchmark "${1:-10}" "${2:-10s}" 2>&1 \
  | grep -E "^leader-failover:"
