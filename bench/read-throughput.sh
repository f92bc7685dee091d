#!/usr/bin/env bash
# Read throughput of the API against a real Kamailio on loopback, next to Kamailio's own dlg.list JSON-RPC rate,
# measured in the same run with the same wrk settings.
#
#   bench/read-throughput.sh [REGISTERED_DNS] [HELD_CALLS] [SECONDS]     defaults: 1000 50 10
#
# Starts its own Kamailio (ports 25060/25071/28080) and the service (https://127.0.0.1:18443), registers DNs with
# SIPp, holds calls between two SIPp agents, runs wrk (2 threads, 16 connections) against
# GET /api/calls/active, /api/dn/list, /api/dn/5001, /api/calls/dn/5001 and Kamailio's own dlg.list (each after a
# warm-up), prints a table, and stops everything.
# Needs: kamailio, sip-tester, wrk, curl, jq (apt-get install -y wrk ...). Only 127.0.0.1 is ever a target.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DNS="${1:-1000}"
CALLS="${2:-50}"
DURATION="${3:-10}"
WARMUP=5
(( DNS >= 2 && DNS <= 20000 )) || { echo "REGISTERED_DNS must be 2..20000" >&2; exit 2; }
(( CALLS >= 0 && CALLS <= 1000 )) || { echo "HELD_CALLS must be 0..1000" >&2; exit 2; }
(( DURATION >= 1 && DURATION <= 120 )) || { echo "SECONDS must be 1..120" >&2; exit 2; }
for tool in kamailio sipp wrk curl jq java; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y kamailio sip-tester wrk curl jq)" >&2; exit 1; }
done

WORK="$(mktemp -d /tmp/signaling-bench.XXXXXX)"
SIP_PORT=25060 RPC_PORT=25071 WS_PORT=28080 API_PORT=18443
RPC_URL="http://127.0.0.1:$RPC_PORT/RPC"
API="https://127.0.0.1:$API_PORT"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  KAMAILIO_RUN_DIR="$WORK/kamailio" KAMAILIO_SIP_PORT=$SIP_PORT KAMAILIO_RPC_PORT=$RPC_PORT KAMAILIO_WS_PORT=$WS_PORT \
    "$ROOT/scripts/kamailio" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== Kamailio on 127.0.0.1:$SIP_PORT (work dir $WORK)"
KAMAILIO_RUN_DIR="$WORK/kamailio" KAMAILIO_SIP_PORT=$SIP_PORT KAMAILIO_RPC_PORT=$RPC_PORT KAMAILIO_WS_PORT=$WS_PORT \
  GENESYS_SERVER=127.0.0.1:25090 "$ROOT/scripts/kamailio" start

echo "== Registering $DNS DNs (10000..) with SIPp"
seq 10000 $((10000 + DNS - 1)) | { echo SEQUENTIAL; cat; } > "$WORK/dns.csv"
sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/bench/sipp/register-many.xml" -inf "$WORK/dns.csv" -m "$DNS" -r 500 -l 200 \
  -i 127.0.0.1 -p 25100 -cp 25101 -mp 41000 -nostdin -timeout 120s >"$WORK/register.out" 2>&1 \
  || { echo "registration failed, see $WORK/register.out" >&2; exit 1; }

if (( CALLS > 0 )); then
  echo "== Holding $CALLS calls 5001 -> 5002"
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/src/test/resources/sipp/register.xml" -m 1 -i 127.0.0.1 -p 25102 -key dn 5002 \
    -cp 25103 -mp 42000 -nostdin -timeout 10s >"$WORK/reg-5002.out" 2>&1
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/src/test/resources/sipp/uas.xml" -i 127.0.0.1 -p 25102 -key dn 5002 \
    -cp 25104 -mp 43000 -default_behaviors all,-abortunexp -nostdin -timeout 600s >"$WORK/uas.out" 2>&1 &
  pids+=($!)
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/src/test/resources/sipp/register.xml" -m 1 -i 127.0.0.1 -p 25105 -key dn 5001 \
    -cp 25106 -mp 44000 -nostdin -timeout 10s >"$WORK/reg-5001.out" 2>&1
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/src/test/resources/sipp/uac.xml" -s 5002 -i 127.0.0.1 -p 25105 -key dn 5001 \
    -m "$CALLS" -l "$CALLS" -r 50 -cp 25107 -mp 45000 -default_behaviors all,-abortunexp -nostdin -timeout 600s \
    >"$WORK/uac.out" 2>&1 &
  pids+=($!)
fi

active=0
for _ in $(seq 1 60); do
  active=$(curl -s -m 2 -d '{"jsonrpc":"2.0","method":"dlg.stats_active","id":1}' "$RPC_URL" | jq -r '.result.ongoing // 0')
  (( active >= CALLS )) && break
  sleep 0.5
done
echo "   Kamailio reports $active confirmed dialogs"

echo "== Starting the service on $API"
jar=$(ls "$ROOT"/target/signaling-api-*.jar 2>/dev/null | grep -v original | head -1 || true)
[[ -n "$jar" ]] || (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
jar=$(ls "$ROOT"/target/signaling-api-*.jar | grep -v original | head -1)
keytool -genkeypair -alias bench -keyalg EC -groupname secp256r1 -validity 2 -dname CN=localhost \
  -ext SAN=ip:127.0.0.1 -storetype PKCS12 -keystore "$WORK/bench.p12" -storepass bench-only >/dev/null 2>&1
java -jar "$jar" --spring.config.location=optional:classpath:/ --server.port=$API_PORT \
  --server.ssl.key-store="file:$WORK/bench.p12" --server.ssl.key-store-password=bench-only \
  --signaling.kamailio.rpc-url="$RPC_URL" --signaling.kamailio.sip-domain=127.0.0.1 \
  --signaling.genesys.server=127.0.0.1:25090 --logging.level.root=warn >"$WORK/service.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  count=$(curl -ks -m 2 "$API/api/dn/list" | jq -r '.count // 0' 2>/dev/null || echo 0)
  (( count >= DNS )) && break
  sleep 0.5
done
echo "   /api/dn/list reports $count DNs"

run_wrk() { # name url [script]
  local out
  # Warm-up first (JIT, TLS sessions, Kamailio's workers), then the measured run.
  wrk -t2 -c16 -d"$WARMUP"s ${3:+-s "$3"} "$2" >/dev/null 2>&1 || true
  out=$(wrk -t2 -c16 -d"${DURATION}s" --latency ${3:+-s "$3"} "$2" 2>&1)
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  printf '| %-34s | %10s | %8s | %8s | %s\n' "$1" "$rps" "$p50" "$p99" "${errors:-}"
}

echo
echo "Registered DNs: $DNS (+2 agents), held calls: $active, wrk -t2 -c16 -d${DURATION}s after ${WARMUP}s warm-up," \
  "$(nproc) cores shared by wrk, the service (HTTPS) and Kamailio (plain HTTP)"
printf '| %-34s | %10s | %8s | %8s | %s\n' "request" "req/s" "p50" "p99" "errors"
run_wrk "GET /api/calls/active" "$API/api/calls/active"
run_wrk "GET /api/dn/list ($((DNS + 2)) DNs)" "$API/api/dn/list"
run_wrk "GET /api/dn/5001" "$API/api/dn/5001"
run_wrk "GET /api/calls/dn/5001" "$API/api/calls/dn/5001"
run_wrk "Kamailio JSON-RPC dlg.list" "$RPC_URL" "$ROOT/bench/rpc-dlg-list.lua"
size_list=$(curl -ks "$API/api/dn/list" | wc -c)
size_dlg=$(curl -s -d '{"jsonrpc":"2.0","method":"dlg.list","id":1}' "$RPC_URL" | wc -c)
echo "Response sizes: /api/dn/list $size_list bytes, dlg.list $size_dlg bytes"
metrics=$(curl -ks "$API/actuator/prometheus")
for method in ul.dump dlg.list dispatcher.list; do
  awk -v m="$method" '$1 ~ "signaling_kamailio_refresh_seconds_(sum|count)" && $0 ~ "method=\""m"\"" && $0 ~ "outcome=\"success\"" {
      if ($1 ~ /_sum/) s=$2; else c=$2 } END { if (c > 0) printf "Live view refresh: %-15s %4d calls, mean %.1f ms\n", m, c, 1000*s/c }' <<<"$metrics"
done
