#!/usr/bin/env bash
# Webhook delivery throughput from the durable outbox to a local receiver on loopback.
#
#   bench/webhook-throughput.sh [EVENTS] [SUBJECTS]      defaults: 5000 100
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test >/dev/null
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  org.signaling.api.bench.WebhookThroughputBenchmark "${1:-5000}" "${2:-100}" 2>&1 | grep --line-buffered -E "^webhooks:"
