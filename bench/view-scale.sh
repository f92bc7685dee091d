#!/usr/bin/env bash
# What the live view of Kamailio costs as it grows, and that clients do not add to it: for each size, the wall time
# of a full ul.dump and of dlg.list, the service's CPU per refresh cycle while no client asks, the heap after a full
# GC, the data age clients see, and the Kamailio RPC rate at 1 client request per second and under wrk at full speed.
#
#   bench/view-scale.sh [SIZES] [SECONDS] [CHURN]      defaults: "100:10 1000:200 10000:1000" 30 20
#
# SIZES: registered AoRs:held dialogs pairs. Per size: its own Kamailio (ports 25060/25071/28080, evapi 28448), SIPp
# registrations and held calls, the service with push on (bench/lib.sh); SECONDS of quiet (CPU per refresh cycle),
# then, while SIPp re-registers the AoRs at CHURN REGISTERs a second (as agents refreshing their registrations do),
# SECONDS of age sampled every 100 ms with GET /api/dn/5001, SECONDS with 1 request/s and SECONDS under wrk -t2 -c16
# on it (Kamailio RPC calls per second, every method, from signaling_kamailio_refresh_seconds_count; client requests
# per second from http_server_requests_seconds_count). Only 127.0.0.1 is ever a target.
# Needs: kamailio, sip-tester, wrk, curl, jq, openssl, jcmd.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES="${1:-100:10 1000:200 10000:1000}"
DURATION="${2:-30}"
CHURN="${3:-20}"
(( DURATION >= 5 && DURATION <= 300 )) || { echo "SECONDS must be 5..300" >&2; exit 2; }
(( CHURN >= 0 && CHURN <= 200 )) || { echo "CHURN must be 0..200 REGISTERs a second" >&2; exit 2; }
for size in $SIZES; do
  [[ "$size" =~ ^([0-9]+):([0-9]+)$ ]] || { echo "size $size: want AORS:DIALOGS" >&2; exit 2; }
  (( ${BASH_REMATCH[1]} >= 2 && ${BASH_REMATCH[1]} <= 20000 && ${BASH_REMATCH[2]} <= 1000 )) \
    || { echo "size $size: AoRs 2..20000, dialogs 0..1000" >&2; exit 2; }
done

if [[ -z "${VIEW_SCALE_ONE:-}" ]]; then
  # one size per process: each gets a clean Kamailio, service and work directory (bench/lib.sh's exit trap)
  printf '| %6s | %7s | %12s | %12s | %14s | %9s | %13s | %13s | %13s | %13s |\n' "AoRs" "dialogs" \
    "ul.dump ms" "dlg.list ms" "CPU ms/cycle" "heap MB" "age p50 ms" "age max ms" "RPC/s @1 rps" "RPC/s @wrk (rps)"
  printf '|%s|\n' "--------|---------|--------------|--------------|----------------|-----------|---------------|---------------|---------------|---------------"
  for size in $SIZES; do
    VIEW_SCALE_ONE=1 "$0" "$size" "$DURATION" "$CHURN" | tail -1
  done
  exit 0
fi

AORS=${SIZES%%:*}
DIALOGS=${SIZES##*:}
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
bench_require
{
  bench_kamailio
  bench_register "$AORS"
  bench_hold_calls "$DIALOGS"
  bench_service
  service_pid=${pids[-1]}
  bench_await_dns "$AORS"
} >&2
key=(-H "X-API-Key: $BENCH_KEY")
metrics() { curl -ks "${key[@]}" "$API/actuator/prometheus"; }
sum_of() { # METRIC-REGEX [LABEL-REGEX]: the sum of matching samples
  awk -v m="$1" -v l="${2:-}" '$1 ~ m && $0 ~ l { s += $2 } END { printf "%.6f", s }'
}
# one dlg.list per refresh cycle (registrations cost a full ul.dump, some ul.lookups or nothing)
refreshes() { metrics | sum_of '^signaling_kamailio_refresh_seconds_count' 'method="dlg.list"'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$service_pid/stat"; }

# quiet, no client at all: CPU per refresh cycle (one ul.dump, dlg.list and dispatcher.list, and what the view's
# listeners do with them); then the age clients see, sampled every 100 ms (each sample a new TLS connection, which is
# why the CPU is measured first)
sleep 5
r0=$(refreshes); t0=$(cpu_ticks)
sleep "$DURATION"
r1=$(refreshes); t1=$(cpu_ticks)
# Kamailio's own time for the whole table and the dialogs (curl, median of 3, before the churn starts): what a view
# that read them every cycle would wait for
rpc_ms() { local i
  for i in 1 2 3; do
    curl -s -o /dev/null -w '%{time_total}\n' -d "{\"jsonrpc\":\"2.0\",\"method\":\"$1\",\"id\":1}" "$RPC_URL"
  done | sort -n | awk 'NR == 2 { printf "%.1f", 1000 * $1 }'; }
dump_ms=$(rpc_ms ul.dump)
dlg_ms=$(rpc_ms dlg.list)
if (( CHURN > 0 )); then
  # the same AoRs, again and again, for the rest of the run: each a saved REGISTER, pushed and read back
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/bench/sipp/register-auth.xml" -inf "$WORK/dns.csv" -m $(( CHURN * DURATION * 4 )) \
    -r "$CHURN" -l 200 -i 127.0.0.1 -p 25110 -cp 25111 -mp 41100 -nostdin -timeout $(( DURATION * 5 ))s \
    >"$WORK/churn.out" 2>&1 &
  pids+=($!)
fi
ages=()
end=$(( SECONDS + DURATION ))
while (( SECONDS < end )); do
  ages+=("$(curl -ks -D - -o /dev/null "${key[@]}" "$API/api/dn/5001" | tr -d '\r' | sed -n 's/^X-State-Age-Ms: //Ip')")
  sleep 0.1
done
hz=$(getconf CLK_TCK)
cpu_ms=$(awk -v t=$(( t1 - t0 )) -v r="$(awk -v a="$r1" -v b="$r0" 'BEGIN { print a - b }')" -v hz="$hz" \
  'BEGIN { if (r > 0) printf "%.1f", 1000 * t / hz / r; else print "n/a" }')
age_p50=$(printf '%s\n' "${ages[@]}" | grep -E '^[0-9]+$' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
age_max=$(printf '%s\n' "${ages[@]}" | grep -E '^[0-9]+$' | sort -n | tail -1)
jcmd "$service_pid" GC.run >/dev/null
heap_mb=$(jcmd "$service_pid" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); print int(v / 1024); exit } }')

rpc_rate() { # the Kamailio RPC calls per second and client requests per second while "$@" runs
  local c0 q0 c1 q1 start stop
  c0=$(metrics | sum_of '^signaling_kamailio_refresh_seconds_count'); q0=$(metrics | sum_of '^http_server_requests_seconds_count' 'uri="/api/dn/\{dn\}"')
  start=$(date +%s.%N); "$@"; stop=$(date +%s.%N)
  c1=$(metrics | sum_of '^signaling_kamailio_refresh_seconds_count'); q1=$(metrics | sum_of '^http_server_requests_seconds_count' 'uri="/api/dn/\{dn\}"')
  awk -v a="$c0" -v b="$c1" -v p="$q0" -v q="$q1" -v s="$start" -v e="$stop" \
    'BEGIN { d = e - s; printf "%.1f (%.0f)", (b - a) / d, (q - p) / d }'
}
one_per_second() { local i; for i in $(seq 1 "$DURATION"); do curl -ks -o /dev/null "${key[@]}" "$API/api/dn/5001"; sleep 1; done; }
full_speed() { wrk -t2 -c16 -d"${DURATION}s" "${key[@]}" "$API/api/dn/5001" >/dev/null 2>&1; }
slow=$(rpc_rate one_per_second)
fast=$(rpc_rate full_speed)
printf '| %6s | %7s | %12s | %12s | %14s | %9s | %13s | %13s | %13s | %13s |\n' "$AORS" "$HELD" "$dump_ms" "$dlg_ms" \
  "$cpu_ms" "$heap_mb" "$age_p50" "$age_max" "${slow%% *}" "$fast"
