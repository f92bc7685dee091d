#!/usr/bin/env bash
# Read throughput of the API against a real Kamailio on loopback, next to Kamailio's own dlg.list JSON-RPC rate,
# measured in the same run with the same wrk settings.
#
#   bench/read-throughput.sh [REGISTERED_DNS] [HELD_CALLS] [SECONDS]     defaults: 1000 50 10
#
# Starts its own Kamailio (ports 25060/25071/28080) and the service (https://127.0.0.1:18443, a benchmark API key,
# rate limits out of the way), registers DNs with SIPp, holds calls between two SIPp agents, runs wrk (2 threads,
# 16 connections, after a warm-up) against GET /api/calls/active, /api/dn/list, /api/dn/5001, /api/calls/dn/5001 and
# Kamailio's own dlg.list, prints a table, and stops everything.
# Needs: kamailio, sip-tester, wrk, curl, jq, openssl. Only 127.0.0.1 is ever a target.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DNS="${1:-1000}"
CALLS="${2:-50}"
DURATION="${3:-10}"
(( DNS >= 2 && DNS <= 20000 )) || { echo "REGISTERED_DNS must be 2..20000" >&2; exit 2; }
(( CALLS >= 0 && CALLS <= 1000 )) || { echo "HELD_CALLS must be 0..1000" >&2; exit 2; }
(( DURATION >= 1 && DURATION <= 120 )) || { echo "SECONDS must be 1..120" >&2; exit 2; }
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
bench_require
bench_kamailio
bench_register "$DNS"

bench_hold_calls "$CALLS"

bench_service
bench_await_dns "$DNS"

echo
echo "Registered DNs: $DNS (+2 agents), held calls: $HELD, wrk -t2 -c16 -d${DURATION}s after ${WARMUP}s warm-up," \
  "$(nproc) cores shared by wrk, the service (HTTPS, API key) and Kamailio (plain HTTP)"
bench_header
key=(-H "X-API-Key: $BENCH_KEY")
bench_wrk "GET /api/calls/active" "$API/api/calls/active" "${key[@]}"
bench_wrk "GET /api/dn/list ($((DNS + 2)) DNs)" "$API/api/dn/list" "${key[@]}"
bench_wrk "GET /api/dn/5001" "$API/api/dn/5001" "${key[@]}"
bench_wrk "GET /api/calls/dn/5001" "$API/api/calls/dn/5001" "${key[@]}"
bench_wrk "Kamailio JSON-RPC dlg.list" "$RPC_URL" -s "$ROOT/bench/rpc-dlg-list.lua"
size_list=$(curl -ks "${key[@]}" "$API/api/dn/list" | wc -c)
size_dlg=$(curl -s -d '{"jsonrpc":"2.0","method":"dlg.list","id":1}' "$RPC_URL" | wc -c)
echo "Response sizes: /api/dn/list $size_list bytes, dlg.list $size_dlg bytes"
metrics=$(curl -ks "${key[@]}" "$API/actuator/prometheus")
for method in ul.dump dlg.list dispatcher.list; do
  awk -v m="$method" '$1 ~ "signaling_kamailio_refresh_seconds_(sum|count)" && $0 ~ "method=\""m"\"" && $0 ~ "outcome=\"success\"" {
      if ($1 ~ /_sum/) s=$2; else c=$2 } END { if (c > 0) printf "Live view refresh: %-15s %4d calls, mean %.1f ms\n", m, c, 1000*s/c }' <<<"$metrics"
done
