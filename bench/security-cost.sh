#!/usr/bin/env bash
# What access control costs, as ratios measured in one run: an authenticated GET /api/dn/list against the open
# GET /api/health, an API key against a JWT, and the API key lookup per request.
#
#   bench/security-cost.sh [REGISTERED_DNS] [SECONDS]      defaults: 100 10
#
# Same set-up as read-throughput.sh (own Kamailio, SIPp registrations, the service over HTTPS); the service also
# accepts HS256 JWTs signed with a secret made for the run. Only 127.0.0.1 is ever a target.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DNS="${1:-100}"
DURATION="${2:-10}"
(( DNS >= 2 && DNS <= 20000 )) || { echo "REGISTERED_DNS must be 2..20000" >&2; exit 2; }
(( DURATION >= 1 && DURATION <= 120 )) || { echo "SECONDS must be 1..120" >&2; exit 2; }
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
bench_require
bench_kamailio
bench_register "$DNS"

secret=$(head -c 32 /dev/urandom | base64 | tr -d '=+/\n')
bench_service --signaling.security.jwt.hs256-secret="$secret" --signaling.security.jwt.issuer=https://idp.bench.invalid \
  --signaling.security.jwt.audience=signaling-api
bench_await_dns "$DNS"

b64url() { base64 | tr '+/' '-_' | tr -d '=\n'; }
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
payload=$(printf '{"sub":"bench-agent","scope":"read","iss":"https://idp.bench.invalid","aud":"signaling-api","exp":%d}' \
  $(( $(date +%s) + 3600 )) | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$secret" -binary | b64url)
token="$header.$payload.$signature"
[[ $(curl -ks -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$API/api/dn/list") == 200 ]] \
  || { echo "the benchmark JWT was refused" >&2; exit 1; }

echo "== Warming every endpoint up before measuring any (2 rounds)"
for _ in 1 2; do
  bench_warm "$API/api/health"
  bench_warm "$API/api/health" -H "X-API-Key: $BENCH_KEY"
  bench_warm "$API/api/dn/list" -H "X-API-Key: $BENCH_KEY"
  bench_warm "$API/api/dn/list" -H "Authorization: Bearer $token"
  bench_warm "$API/api/dn/list" -H "X-API-Key: sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
done

echo
echo "Registered DNs: $DNS, wrk -t2 -c16 -d${DURATION}s after ${WARMUP}s warm-up, $(nproc) cores shared, HTTPS"
bench_header
# After the common warm-up; the open endpoint is measured first and again last, to show the drift.
bench_wrk "GET /api/health, no credential" "$API/api/health"; health_first=$WRK_RPS
bench_wrk "GET /api/health, API key" "$API/api/health" -H "X-API-Key: $BENCH_KEY"; health_key=$WRK_RPS
bench_wrk "GET /api/dn/list, API key" "$API/api/dn/list" -H "X-API-Key: $BENCH_KEY"; list_key=$WRK_RPS
bench_wrk "GET /api/dn/list, JWT (HS256)" "$API/api/dn/list" -H "Authorization: Bearer $token"; list_jwt=$WRK_RPS
bench_wrk "GET /api/dn/list, bad key (401)" "$API/api/dn/list" -H "X-API-Key: sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
bench_wrk "GET /api/health, no credential (again)" "$API/api/health"; health=$WRK_RPS
awk -v h1="$health_first" -v h="$health" -v hk="$health_key" -v lk="$list_key" -v lj="$list_jwt" 'BEGIN {
  hm = (h1 + h) / 2
  printf "Ratios (open health = mean of its two runs): authenticated dn/list / open health = %.2f; " \
         "health with key / open health = %.2f; dn/list API key / JWT = %.2f\n", lk / hm, hk / hm, lk / lj }'

echo
echo "== API key lookup cost (SHA-256 and a map lookup, no server):"
(cd "$ROOT" && ./mvnw -B -q -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null)
java -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$ROOT/target/bench-classpath.txt")" \
  org.signaling.api.security.internal.ApiKeyLookupBenchmark
