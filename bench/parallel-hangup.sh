#!/usr/bin/env bash
# Parties left in a call after API hang-ups under load (issue 16): ROUNDS rounds of ParallelHangupIT (200 held SIPp
# calls through a real Kamailio, hung up through the API 8 at a time, each party's BYEs counted from its SIPp log),
# first with config/kamailio/kamailio.cfg as deployed, then, as the anchor, with bare dlg.end_dlg (the config's BYE
# race guard off). Prints one line per round and a total per Kamailio. Only loopback; about 1 minute per round.
#
#   bench/parallel-hangup.sh [ROUNDS]        default 5 (1,000 hang-ups each way), at most 20
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${1:-5}"
[[ "$ROUNDS" =~ ^[0-9]+$ && "$ROUNDS" -ge 1 && "$ROUNDS" -le 20 ]] || { echo "ROUNDS must be 1..20" >&2; exit 2; }
cd "$ROOT"
./mvnw -B -q -DskipTests test-compile >/dev/null

for kamailio in deployed bare; do
  defines=""
  [[ "$kamailio" == bare ]] && defines="WITHOUT_BYE_RACE_GUARD"
  callers=0; callees=0; doubled=0; reported=0
  for round in $(seq 1 "$ROUNDS"); do
    # the IT fails when a party was left in a call: its printed counts are what is measured here
    out="$(./mvnw -B failsafe:integration-test@default -Dit.test=ParallelHangupIT \
      -Dfailsafe.failIfNoSpecifiedTests=false -Dit.kamailio.defines="$defines" 2>&1 || true)"
    left="$(grep -m1 -o 'parties left in a call: callers [0-9]*, callees [0-9]*; BYEs doubled: [0-9]*; answers naming a party not released: [0-9]*' <<<"$out" || true)"
    latency="$(grep -m1 -o '[0-9]* hang-ups, 8 at a time: p50 [0-9.]* ms, p99 [0-9.]* ms' <<<"$out" || true)"
    [[ -n "$left" ]] || { echo "round $round ($kamailio): no result; see target/failsafe-reports" >&2; exit 1; }
    echo "parallel-hangup: $kamailio round $round: $latency; $left"
    read -r c e d r < <(sed -E 's/.*callers ([0-9]+), callees ([0-9]+); BYEs doubled: ([0-9]+); answers naming a party not released: ([0-9]+)/\1 \2 \3 \4/' <<<"$left")
    callers=$((callers + c)); callees=$((callees + e)); doubled=$((doubled + d)); reported=$((reported + r))
  done
  echo "parallel-hangup: $kamailio: $((ROUNDS * 200)) hang-ups, callers left $callers, callees left $callees, BYEs doubled $doubled, answers naming a party not released $reported"
done
