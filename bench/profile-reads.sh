#!/usr/bin/env bash
# Where a read request's CPU goes: the service under wrk with Java Flight Recorder, one recording per request kind,
# and the hottest frames of the request threads printed per kind (self time: the frame on top of the stack; and the
# project's own frames anywhere on the stack).
#
#   bench/profile-reads.sh [REGISTERED_DNS] [SECONDS] [TOP]      defaults: 1000 15 15
#
# Same set-up as read-throughput.sh (its own Kamailio, SIPp registrations, 50 held calls, the service over HTTPS with
# a benchmark key and a second key limited to one request an hour for the 429 path). Kinds: the 429 path,
# GET /api/dn/5001, GET /api/dn/list with gzip, its 304, GET /api/health. Only 127.0.0.1 is ever a target.
# Needs: kamailio, sip-tester, wrk, curl, jq, openssl, jcmd, jfr, python3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DNS="${1:-1000}"
DURATION="${2:-15}"
TOP="${3:-15}"
(( DNS >= 2 && DNS <= 20000 )) || { echo "REGISTERED_DNS must be 2..20000" >&2; exit 2; }
(( DURATION >= 1 && DURATION <= 120 )) || { echo "SECONDS must be 1..120" >&2; exit 2; }
(( TOP >= 1 && TOP <= 100 )) || { echo "TOP must be 1..100" >&2; exit 2; }
# Each kind warms for 25 s before its recording (WARMUP): until C2 has compiled it, AES-GCM runs in plain Java and a
# profile shows that instead of the request path (bench/README.md, "Reads at memory speed").
WARMUP="${WARMUP:-25}"
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
bench_require
for tool in jcmd jfr python3; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }; done
bench_kamailio
bench_register "$DNS"
bench_hold_calls 50

bench_service_with_throttled_key
service_pid=${pids[-1]}
bench_await_dns "$DNS"
key=(-H "X-API-Key: $BENCH_KEY")
curl -ks -o /dev/null -H "X-API-Key: $THROTTLED_KEY" "$API/api/dn/5001"
etag=$(curl -ks -D - -o /dev/null "${key[@]}" "$API/api/dn/list" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')

profile() { # NAME URL [wrk options...]
  local name=$1 url=$2 file="$WORK/$1.jfr"
  shift 2
  bench_warm "$url" "$@"
  jcmd "$service_pid" JFR.start name="$name" settings=profile >>"$WORK/jcmd.log" 2>&1
  local rps
  rps=$(wrk -t2 -c16 -d"${DURATION}s" "$@" "$url" 2>&1 | awk '/Requests\/sec/ {print $2}')
  jcmd "$service_pid" JFR.dump name="$name" filename="$file" >>"$WORK/jcmd.log" 2>&1
  jcmd "$service_pid" JFR.stop name="$name" >>"$WORK/jcmd.log" 2>&1
  [[ -s "$file" ]] || { echo "no recording (see $WORK/jcmd.log)" >&2; cat "$WORK/jcmd.log" >&2; exit 1; }
  echo
  echo "### $name: $rps req/s"
  jfr print --json --events jdk.ExecutionSample "$file" | python3 "$ROOT/bench/jfr-top-frames.py" "$TOP"
}

profile "rejected-429" "$API/api/dn/5001" -H "X-API-Key: $THROTTLED_KEY"
profile "dn-5001" "$API/api/dn/5001" "${key[@]}"
profile "dn-list-gzip" "$API/api/dn/list" "${key[@]}" -H "Accept-Encoding: gzip"
profile "dn-list-304" "$API/api/dn/list" "${key[@]}" -H "If-None-Match: $etag"
profile "health" "$API/api/health"
