#!/usr/bin/env bash
# The database load replicas put on PostgreSQL (transactions a second, PostgreSQL's own count): one replica idle,
# one replica under SIPp calls at RATE a second, two replicas idle. A throw-away PostgreSQL, a real Kamailio and the
# AMI double, all on loopback.
#
#   bench/replica-db-load.sh [SECONDS] [RATE]      default 30 s per window, 20 calls/s
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_LIB_FUNCTIONS_ONLY=1 source "$ROOT/bench/lib.sh"
bench_java_main org.signaling.api.bench.ReplicaDatabaseLoadBenchmark "${1:-30}" "${2:-20}" 2>&1 | grep -E "^db-load:"
