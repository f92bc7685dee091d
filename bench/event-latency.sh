#!/usr/bin/env bash
# Latency from a SIPp REGISTER to its dn.registered Server-Sent Event, with Kamailio's evapi push and with the
# periodic refresh alone, against a real Kamailio on free loopback ports.
#
#   bench/event-latency.sh [REGISTRATIONS]      default 100
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test >/dev/null
for mode in push poll; do
  java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" -Dproject.basedir="$ROOT" \
    org.signaling.api.bench.EventLatencyBenchmark "$mode" "${1:-100}" 2>&1 | grep -E "^(push|poll):"
done
