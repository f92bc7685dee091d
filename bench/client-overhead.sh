#!/usr/bin/env bash
# What the client libraries cost per call, over plain HTTP from the same process in the same run: GET /api/dn/{dn}
# and GET /api/calls/active through Node's fetch vs @signaling-api/client (clients/js), and through the JDK's
# HttpClient vs signaling-api-client (clients/java). Raw and client requests alternate, after a warm-up, on one
# kept-alive connection each; median and p95 per call and the difference. Numbers only, never asserted.
#
#   bench/client-overhead.sh [COUNT] [WARMUP]        defaults: 2000 500 (requests per variant and endpoint)
#
# Against a running service: SIGNALING_API_URL=https://127.0.0.1:8443 SIGNALING_API_KEY=sk_... and, for a
# self-signed certificate, SIGNALING_CA_PEM=<its PEM> (for scripts/run: keytool -exportcert -rfc -keystore
# run/tls/dev-keystore.p12 -storepass:file run/tls/dev-keystore.pass -alias signaling-api). Without them it starts
# its own lab like the other bench/ scripts (Kamailio, 2 SIPp registrations, the service) on loopback ports.
# Only 127.0.0.1 is ever a target.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COUNT="${1:-2000}"
WARMUP_CALLS="${2:-500}"
(( COUNT >= 10 && COUNT <= 100000 )) || { echo "COUNT must be 10..100000" >&2; exit 2; }
(( WARMUP_CALLS >= 0 && WARMUP_CALLS <= 100000 )) || { echo "WARMUP must be 0..100000" >&2; exit 2; }
for tool in node java javac keytool curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

if [[ -n "${SIGNALING_API_URL:-}" ]]; then
  [[ "$SIGNALING_API_URL" =~ ^https?://(127\.0\.0\.1|localhost)(:[0-9]+)?/?$ ]] \
    || { echo "SIGNALING_API_URL must be a loopback address" >&2; exit 2; }
  API="${SIGNALING_API_URL%/}"
  KEY="${SIGNALING_API_KEY:?SIGNALING_API_KEY is required with SIGNALING_API_URL}"
  WORK="$(mktemp -d /tmp/signaling-bench.XXXXXX)"
  trap 'rm -rf "$WORK"' EXIT
  PEM="${SIGNALING_CA_PEM:-}"
  DN="${SIGNALING_DN:-5001}"
else
  for tool in kamailio sipp jq openssl; do
    command -v "$tool" >/dev/null \
      || { echo "missing $tool (apt-get install -y kamailio sip-tester jq openssl)" >&2; exit 1; }
  done
  # shellcheck source=lib.sh
  source "$ROOT/bench/lib.sh"
  bench_kamailio
  bench_register 2
  bench_service
  bench_await_dns 2
  KEY="$BENCH_KEY"
  PEM="$WORK/service.pem"
  keytool -exportcert -rfc -alias bench -keystore "$WORK/bench.p12" -storepass bench-only -file "$PEM" >/dev/null 2>&1
  DN=10000
fi

status=$(curl -s -o /dev/null -w '%{http_code}' ${PEM:+--cacert "$PEM"} -H "X-API-Key: $KEY" "$API/api/dn/$DN")
[[ "$status" == 200 ]] || { echo "GET $API/api/dn/$DN answered $status (is $DN registered? is the key right?)" >&2; exit 1; }

JAVA_OPTS=()
if [[ -n "$PEM" ]]; then
  keytool -importcert -noprompt -alias service -file "$PEM" -keystore "$WORK/trust.p12" -storetype PKCS12 \
    -storepass bench-only >/dev/null 2>&1
  JAVA_OPTS=(-Djavax.net.ssl.trustStore="$WORK/trust.p12" -Djavax.net.ssl.trustStorePassword=bench-only
    -Djavax.net.ssl.trustStoreType=PKCS12)
fi
mkdir -p "$WORK/client-classes"
javac -d "$WORK/client-classes" --release 17 $(find "$ROOT/clients/java/src/main/java" -name '*.java')

echo
echo "Per-call time, $COUNT calls per variant after $WARMUP_CALLS warm-up calls, raw and client alternating; $API, DN $DN; $(nproc) cores shared"
printf '| %-9s | %-28s | %-15s | %10s | %10s |\n' "language" "request" "variant" "median ms" "p95 ms"
NODE_EXTRA_CA_CERTS="${PEM:-}" node "$ROOT/bench/client-overhead.mjs" "$API" "$KEY" "$DN" "$COUNT" "$WARMUP_CALLS"
java "${JAVA_OPTS[@]}" -cp "$WORK/client-classes" "$ROOT/bench/ClientOverhead.java" "$API" "$KEY" "$DN" "$COUNT" "$WARMUP_CALLS"
