#!/usr/bin/env bash
# Latency of POST /api/call/make to its 202 and to the Originate reaching the AMI socket, median and p99.
#
#   bench/make-call-latency.sh [REQUESTS] [WARMUP] [RATE]      defaults: 1000 300 0
#
# RATE: requests started per second (0: back to back); issue 13's target is p99 <= 20 ms at 20 a second.
#
# Runs the service in-process against the AMI server double (real asterisk-java client over TCP) and a real
# Kamailio on free loopback ports, with one registered SIPp agent (5001). Needs kamailio and sip-tester.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  -Dproject.basedir="$ROOT" org.signaling.api.bench.MakeCallLatencyBenchmark "${1:-1000}" "${2:-300}" "${3:-0}"
