#!/usr/bin/env bash
# Read throughput of the API against a real Kamailio on loopback, next to Kamailio's own dlg.list JSON-RPC rate,
# measured in the same run with the same wrk settings.
#
#   bench/read-throughput.sh [REGISTERED_DNS] [HELD_CALLS] [SECONDS]     defaults: 1000 200 10
#
# Starts its own Kamailio (ports 25060/25071/28080), a fake Genesys SIP Server Kamailio probes (SIPp answering OPTIONS
# on 25090: GET /api/genesys/status answers 200 "active"; a 503 would close each connection) and the service
# (https://127.0.0.1:18443, a benchmark API key, rate limits out of the way, a second key limited to one request an
# hour for the 429 path), registers DNs with SIPp, holds calls between two SIPp agents, warms the JVMs up for
# JIT_WARMUP seconds (default 20) per kind, runs wrk (2 threads, 16 connections, after a WARMUP of 5 s) against the 429
# path, Kamailio's own ul.dump and dlg.list, every read endpoint, the gzipped list, a 304 and the floors (bare JSSE
# servers on 18444 to 18447 writing the plain list's, the calls' and the 429's bytes), prints a table, the ratios
# issue 13 sets targets for and the ceiling of each large answer, and the
# Kamailio RPC rate of the service's live view with no client and under each read (it must not follow the clients),
# and stops everything.
# Needs: kamailio, sip-tester, wrk, curl, jq, openssl, java. Only 127.0.0.1 is ever a target.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DNS="${1:-1000}"
CALLS="${2:-200}"
DURATION="${3:-10}"
JIT_WARMUP="${JIT_WARMUP:-20}"
FLOOR_PORT=18444
(( DNS >= 2 && DNS <= 20000 )) || { echo "REGISTERED_DNS must be 2..20000" >&2; exit 2; }
(( CALLS >= 0 && CALLS <= 1000 )) || { echo "HELD_CALLS must be 0..1000" >&2; exit 2; }
(( DURATION >= 1 && DURATION <= 120 )) || { echo "SECONDS must be 1..120" >&2; exit 2; }
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
bench_require
bench_genesys
bench_kamailio
bench_register "$DNS"

bench_hold_calls "$CALLS"

bench_service_with_throttled_key
bench_await_dns "$DNS"
for _ in $(seq 1 60); do  # bounded: Kamailio probes the dispatcher set every few seconds
  [[ $(curl -ks -o /dev/null -w '%{http_code}' -H "X-API-Key: $BENCH_KEY" "$API/api/genesys/status") == 200 ]] && break
  sleep 0.5
done

echo
echo "Registered DNs: $DNS (+2 agents), held calls: $HELD, wrk -t2 -c16 -d${DURATION}s after ${WARMUP}s warm-up," \
  "$(nproc) cores shared by wrk, the service (HTTPS, API key) and Kamailio (plain HTTP)"
key=(-H "X-API-Key: $BENCH_KEY")
curl -ks -o /dev/null -H "X-API-Key: $THROTTLED_KEY" "$API/api/dn/5001"
# The floor under each large answer: a bare JSSE server (bench/TlsFloor.java) answering every request with that
# answer's own bytes, in the same JVM version: what writing them over TLS costs here with no HTTP stack at all.
# One more writes the 429's body: the difference is the cost of the large answer's bytes alone.
declare -A floor_port=([/api/dn/list]=$FLOOR_PORT [/api/calls/active]=$((FLOOR_PORT + 2))
  [/api/calls/dn/5001]=$((FLOOR_PORT + 3)) [small]=$((FLOOR_PORT + 1)))
declare -A size
for path in /api/dn/list /api/calls/active /api/calls/dn/5001; do
  curl -ks "${key[@]}" "$API$path" >"$WORK/floor-body-${floor_port[$path]}.json"
  size[$path]=$(wc -c <"$WORK/floor-body-${floor_port[$path]}.json")
done
curl -ks -H "X-API-Key: $THROTTLED_KEY" "$API/api/dn/5001" >"$WORK/floor-body-${floor_port[small]}.json"
for port in "${floor_port[@]}"; do
  java "$ROOT/bench/TlsFloor.java" "$port" "$WORK/bench.p12" bench-only "$WORK/floor-body-$port.json" \
    >"$WORK/floor-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -ks -o /dev/null "https://127.0.0.1:$port/" && break; sleep 0.2; done
done
# Steady state before any figure: C2 compiles the request path and the AES-GCM intrinsics only after some tens of
# thousands of requests, and until then TLS runs in plain Java (GHASH.processBlocks on top of the profile). Measured:
# the 429 path at 6,174 req/s after 5 s of warm-up and 14,293 after 30 s.
echo "== Warming up the JVMs (${JIT_WARMUP}s per kind)"
(WARMUP=$JIT_WARMUP
  bench_warm "$API/api/dn/5001" -H "X-API-Key: $THROTTLED_KEY"
  bench_warm "$API/api/dn/5001" "${key[@]}"
  bench_warm "$API/api/dn/list" "${key[@]}"
  bench_warm "$API/api/dn/list" "${key[@]}" -H "Accept-Encoding: gzip"
  for port in "${floor_port[@]}"; do bench_warm "https://127.0.0.1:$port/"; done)
bench_header
bench_wrk "429 (rejection path)" "$API/api/dn/5001" -H "X-API-Key: $THROTTLED_KEY"
bench_wrk "Kamailio JSON-RPC ul.dump" "$RPC_URL" -s "$ROOT/bench/rpc-ul-dump.lua"; ul_dump=$WRK_RPS
bench_wrk "Kamailio JSON-RPC dlg.list" "$RPC_URL" -s "$ROOT/bench/rpc-dlg-list.lua"; dlg_list=$WRK_RPS
# The view's own Kamailio RPCs (every method), counted by the service: they must not follow the client rate.
view_rpcs() { curl -ks "${key[@]}" "$API/actuator/prometheus" \
  | awk '$1 ~ /^signaling_kamailio_refresh_seconds_count/ { s += $2 } END { printf "%.0f", s }'; }
now() { date +%s.%N; }
per_second() { awk -v a="$1" -v b="$2" -v s="$3" -v e="$4" 'BEGIN { printf "%.1f", (b - a) / (e - s) }'; }
declare -A rps rpc_rate paired
# Each read is compared with the 429 path measured just before it, not with one measurement at the start: this
# machine's speed drifts between minutes (one run's 429 path measured 14,575 req/s, the next run's 21,443).
paired_429() { # LABEL: measures the 429 path again (already warm), for the read measured next
  WARMUP=1 bench_wrk "  the 429 path, before the next" "$API/api/dn/5001" -H "X-API-Key: $THROTTLED_KEY"
  paired[$1]=$WRK_RPS
}
r0=$(view_rpcs); s0=$(now); sleep "$DURATION"; idle_rpc=$(per_second "$r0" "$(view_rpcs)" "$s0" "$(now)")
for path in /api/dn/list /api/calls/active /api/dn/5001 /api/calls/dn/5001 /api/genesys/status /api/health \
  /api/routing/dn/5001 "/api/routing/select?candidates=5001,5002,5003"; do
  paired_429 "$path"
  r0=$(view_rpcs); s0=$(now)
  bench_wrk "GET $path" "$API$path" "${key[@]}"
  rpc_rate[$path]=$(per_second "$r0" "$(view_rpcs)" "$s0" "$(now)")
  rps[$path]=$WRK_RPS
done
declare -A floor
for path in /api/dn/list /api/calls/active /api/calls/dn/5001 small; do
  label="$path's bytes"; [[ $path == small ]] && label="the 429's body"
  bench_wrk "the floor: a bare JSSE server, $label" "https://127.0.0.1:${floor_port[$path]}/"
  floor[$path]=$WRK_RPS
done
paired_429 gzip
bench_wrk "GET /api/dn/list, gzip" "$API/api/dn/list" "${key[@]}" -H "Accept-Encoding: gzip"; gzip_list=$WRK_RPS
# A monitor's probe: /api/health without a key (with one, the answer is the detailed one, built per request).
paired_429 open-health
bench_wrk "GET /api/health, open (a monitor's probe)" "$API/api/health"; open_health=$WRK_RPS
paired_429 calls-gzip
bench_wrk "GET /api/calls/active, gzip" "$API/api/calls/active" "${key[@]}" -H "Accept-Encoding: gzip"
gzip_calls=$WRK_RPS
etag=$(curl -ks -D - -o /dev/null "${key[@]}" "$API/api/dn/list" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
paired_429 304
bench_wrk "GET /api/dn/list, If-None-Match (304)" "$API/api/dn/list" "${key[@]}" -H "If-None-Match: $etag"
not_modified=$WRK_RPS
size_list=${size[/api/dn/list]}
size_gzip=$(curl -ks "${key[@]}" -H "Accept-Encoding: gzip" "$API/api/dn/list" | wc -c)
size_dump=$(curl -s -d '{"jsonrpc":"2.0","method":"ul.dump","id":1}' "$RPC_URL" | wc -c)
size_dlg=$(curl -s -d '{"jsonrpc":"2.0","method":"dlg.list","id":1}' "$RPC_URL" | wc -c)
echo "Response sizes: /api/dn/list $size_list bytes ($size_gzip gzipped), /api/calls/active ${size[/api/calls/active]}," \
  "/api/calls/dn/5001 ${size[/api/calls/dn/5001]}, ul.dump $size_dump, dlg.list $size_dlg"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo
echo "| ratio                                          | measured | target |"
echo "|------------------------------------------------|---------:|-------:|"
printf '| GET /api/dn/list / Kamailio ul.dump           | %7sx | >= 50x |\n' "$(ratio "${rps[/api/dn/list]}" "$ul_dump")"
# The most a large answer can do here: every request is authenticated and rate-limited as the 429 path is before it
# is answered, so it costs at least the 429 path plus what writing its bytes costs more than the 429's body (the two
# floors' difference). Not a target: what the ratios are measured against.
declare -A ceiling
for path in /api/dn/list /api/calls/active /api/calls/dn/5001; do
  ceiling[$path]=$(awk -v r="${paired[$path]}" -v f="${floor[$path]}" -v s="${floor[small]}" \
    'BEGIN { printf "%.0f", 1 / (1/r + 1/f - 1/s) }')
done
printf '|   the floor (bare JSSE, same bytes) / ul.dump | %7sx |        |\n' "$(ratio "${floor[/api/dn/list]}" "$ul_dump")"
printf '|   GET /api/dn/list / the floor                | %7sx |        |\n' "$(ratio "${rps[/api/dn/list]}" "${floor[/api/dn/list]}")"
printf '|   the ceiling (%6s req/s) / ul.dump        | %7sx |        |\n' "${ceiling[/api/dn/list]}" \
  "$(ratio "${ceiling[/api/dn/list]}" "$ul_dump")"
printf '| GET /api/dn/list gzip / Kamailio ul.dump      | %7sx | >= 50x |\n' "$(ratio "$gzip_list" "$ul_dump")"
printf '| GET /api/calls/active / Kamailio dlg.list     | %7sx |  >= 2x |\n' "$(ratio "${rps[/api/calls/active]}" "$dlg_list")"
for path in "${!rps[@]}"; do
  printf '| GET %-26s / the 429 path | %7sx | >= 0.7x |\n' "$path" "$(ratio "${rps[$path]}" "${paired[$path]}")"
done | sort
for path in /api/dn/list /api/calls/active /api/calls/dn/5001; do
  printf '|   GET %-24s: its ceiling %6s req/s (%s B) = %5sx the 429 path; measured %5sx the ceiling |\n' "$path" \
    "${ceiling[$path]}" "${size[$path]}" "$(ratio "${ceiling[$path]}" "${paired[$path]}")" \
    "$(ratio "${rps[$path]}" "${ceiling[$path]}")"
done
printf '| GET /api/dn/list gzip / the 429 path         | %7sx | >= 0.7x |\n' "$(ratio "$gzip_list" "${paired[gzip]}")"
printf '| GET /api/health open / the 429 path          | %7sx | >= 0.7x |\n' "$(ratio "$open_health" "${paired[open-health]}")"
# each against its own 429 pair: the machine's speed drifts between the two measurements
printf '| GET /api/health open / GET /api/dn/5001       | %7sx |  >= 1x |\n' "$(ratio \
  "$(ratio "$open_health" "${paired[open-health]}")" "$(ratio "${rps[/api/dn/5001]}" "${paired[/api/dn/5001]}")")"
printf '| GET /api/calls/active gzip / the 429 path    | %7sx | >= 0.7x |\n' "$(ratio "$gzip_calls" "${paired[calls-gzip]}")"
printf '| a 304 / the 429 path                          | %7sx |  >= 1x |\n' "$(ratio "$not_modified" "${paired[304]}")"
echo
echo "Kamailio RPCs per second made by the live view (all methods): $idle_rpc with no client; while wrk ran:"
for path in "${!rpc_rate[@]}"; do
  printf '  GET %-20s at %10s req/s: %s RPC/s\n' "$path" "${rps[$path]}" "${rpc_rate[$path]}"
done | sort
metrics=$(curl -ks "${key[@]}" "$API/actuator/prometheus")
for method in ul.dump ul.lookup stats.fetch dlg.list dispatcher.list; do
  awk -v m="$method" '$1 ~ "signaling_kamailio_refresh_seconds_(sum|count)" && $0 ~ "method=\""m"\"" && $0 ~ "outcome=\"success\"" {
      if ($1 ~ /_sum/) s=$2; else c=$2 } END { if (c > 0) printf "Live view refresh: %-15s %4d calls, mean %.1f ms\n", m, c, 1000*s/c }' <<<"$metrics"
done
