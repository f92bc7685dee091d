#!/usr/bin/env bash
# Latencies from SIPp to the matching Server-Sent Event, with Kamailio's evapi push and with the periodic refresh
# alone, against a real Kamailio on free loopback ports: a REGISTER's 200 to dn.registered, a call's INVITE 200 (at
# the caller) to call.answered, and the caller's BYE 200 to call.ended.
#
#   bench/event-latency.sh [COUNT]      registrations and calls per mode, 1..2000, default 100
# Each call is held 2.5 s before the caller hangs up, after a random 0..1 s pause: about 4 s per call per mode.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test >/dev/null
for mode in push poll; do
  java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" -Dproject.basedir="$ROOT" \
    org.signaling.api.bench.EventLatencyBenchmark "$mode" "${1:-100}" 2>&1 | grep -E "^(push|poll):"
done
