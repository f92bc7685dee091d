#!/usr/bin/env bash
# What a change costs on the read path, measured in one run: two builds of the service side by side against the same
# Kamailio and the same held calls, wrk alternating between them round after round, so that the machine's noise
# (JIT, other load) falls on both alike.
#
#   bench/reads-before-after.sh BEFORE_JAR AFTER_JAR [HELD_CALLS] [SECONDS] [ROUNDS] [PATH]
#       defaults: 200 10 3 /api/calls/active
#
# BEFORE_JAR, e.g.: git worktree add /tmp/before <commit> && (cd /tmp/before && ./mvnw -B -q -DskipTests package)
# Starts its own Kamailio (ports 25060/25071/28080), holds the calls between two SIPp agents, starts both services
# (before on https://127.0.0.1:18443, after on :18444, the same API key, rate limits out of the way), warms both up,
# (INITIAL_WARMUP seconds each, twice, in turn; default 30), then runs wrk -t2 -c16 for SECONDS against PATH on each
# in turn, ROUNDS times; prints each round, the medians and the median of the per-round ratios.
# Needs: kamailio, sip-tester, wrk, curl, jq, openssl. Only 127.0.0.1 is ever a target.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BEFORE_JAR="${1:?BEFORE_JAR}"
AFTER_JAR="${2:?AFTER_JAR}"
CALLS="${3:-200}"
DURATION="${4:-10}"
ROUNDS="${5:-3}"
URL_PATH="${6:-/api/calls/active}"
[[ -f "$BEFORE_JAR" && -f "$AFTER_JAR" ]] || { echo "both jars must exist" >&2; exit 2; }
(( CALLS >= 0 && CALLS <= 1000 )) || { echo "HELD_CALLS must be 0..1000" >&2; exit 2; }
(( DURATION >= 1 && DURATION <= 120 )) || { echo "SECONDS must be 1..120" >&2; exit 2; }
(( ROUNDS >= 1 && ROUNDS <= 20 )) || { echo "ROUNDS must be 1..20" >&2; exit 2; }
[[ "$URL_PATH" =~ ^/api/[a-z/0-9]+$ ]] || { echo "PATH must be an /api/ path" >&2; exit 2; }
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
bench_require
bench_kamailio
bench_register 2
bench_hold_calls "$CALLS"

BEFORE="https://127.0.0.1:18443"
AFTER="https://127.0.0.1:18444"
bench_service_jar "$BEFORE_JAR" 18443 before
bench_service_jar "$AFTER_JAR" 18444 after
key=(-H "X-API-Key: $BENCH_KEY")
for base in "$BEFORE" "$AFTER"; do
  for _ in $(seq 1 120); do
    count=$(curl -ks -m 2 "${key[@]}" "$base/api/calls/active" | jq -r '.active_calls // -1' 2>/dev/null || echo -1)
    (( count >= HELD )) && break
    sleep 0.5
  done
  echo "   $base lists $count active calls"
done

# Both JVMs keep getting faster for a minute or more (JIT): warm both up, in turn, before anything is measured.
echo "== Warming both up: ${INITIAL_WARMUP:-30}s each, twice, in turn"
for _ in 1 2; do
  for base in "$BEFORE" "$AFTER"; do
    wrk -t2 -c16 -d"${INITIAL_WARMUP:-30}s" "${key[@]}" "$base$URL_PATH" >/dev/null 2>&1 || true
  done
done

echo
echo "GET $URL_PATH with $HELD held calls; wrk -t2 -c16 -d${DURATION}s per run, ${WARMUP}s warm-up each;" \
  "$(nproc) cores shared by wrk, both services (HTTPS, API key) and Kamailio"
bench_header
before_rps=()
after_rps=()
ratios=()
for round in $(seq 1 "$ROUNDS"); do
  bench_wrk "round $round, before" "$BEFORE$URL_PATH" "${key[@]}"; before_rps+=("$WRK_RPS")
  bench_wrk "round $round, after" "$AFTER$URL_PATH" "${key[@]}"; after_rps+=("$WRK_RPS")
  ratios+=("$(awk -v a="${after_rps[-1]}" -v b="${before_rps[-1]}" 'BEGIN { printf "%.3f", a / b }')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mb=$(median "${before_rps[@]}")
ma=$(median "${after_rps[@]}")
echo "median req/s: before $mb, after $ma; after/before per round: ${ratios[*]}, median $(median "${ratios[@]}")"
size_before=$(curl -ks "${key[@]}" "$BEFORE$URL_PATH" | wc -c)
size_after=$(curl -ks "${key[@]}" "$AFTER$URL_PATH" | wc -c)
echo "response sizes: before $size_before bytes, after $size_after bytes"
