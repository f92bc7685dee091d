#!/usr/bin/env bash
# Call control end to end against the AMI double: per operation, the time from the API request to its answer, to
# the AMI action read by the double, and to its event committed in the event log (median and p99).
#
#   bench/call-control-latency.sh [ROUNDS]      default: 50
#
# Runs the service in-process against the AMI server double (real asterisk-java client over TCP) and a real
# Kamailio on free loopback ports, with one registered SIPp agent (5001). Needs kamailio and sip-tester.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  -Dproject.basedir="$ROOT" org.signaling.api.bench.CallControlLatencyBenchmark "${1:-50}"
