#!/usr/bin/env bash
# Click-to-dial as a supervisor sees it, in real headless Chromium: runs BrowserEndToEndIT RUNS times (each run a
# fresh service, Kamailio and browsers, in the loopback-only network namespace) and sums up what it measured:
# dashboard click on Dial -> callee ringing, click on Hang up -> both pages idle, page closed / browser killed ->
# DN offline on the dashboard. Min, median and max over the runs; nothing is asserted on them.
#
#   bench/browser-click-to-dial.sh [RUNS]       default 5, at most 20 (each run takes about a minute)
#
# Needs root (or unprivileged user namespaces), kamailio, chromium, chromium-driver, node and npm, as the
# `browser` failsafe execution does. The per-run lines stay in target/browser-artifacts/timings.txt.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${1:-5}"
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 1 && "$RUNS" -le 20 ]] || { echo "RUNS: 1 to 20" >&2; exit 2; }
TIMINGS=target/browser-artifacts/timings.txt

./mvnw -B -q -o test-compile
rm -f "$TIMINGS"
failed=0
for run in $(seq 1 "$RUNS"); do
  echo "== run $run of $RUNS"
  if ! ./mvnw -B -q -o failsafe:integration-test@browser failsafe:verify@browser -Dit.test=BrowserEndToEndIT \
    > "target/browser-bench-run-$run.log" 2>&1; then
    failed=$((failed + 1))
    echo "   failed: target/browser-bench-run-$run.log"
  fi
  grep -h '^\[browser-timing\]' "target/browser-bench-run-$run.log" | sed 's/^/   /' || true
done

echo "== $RUNS runs, $failed failed; milliseconds (min / median / max, n)"
[[ -f "$TIMINGS" ]] || { echo "no timings recorded" >&2; exit 1; }
# line: <instant> <what> <number> ms[ (...)]
sed -E 's/^[^ ]+ (.*[^ ]) ([0-9]+) ms$/\2\t\1/' "$TIMINGS" | sort -t$'\t' -k2,2 -k1,1n | awk -F'\t' '
  function flush() {
    if (n) printf "%-80s %6d / %6d / %6d  (%d)\n", what, v[1], (n % 2 ? v[(n + 1) / 2] : int((v[n / 2] + v[n / 2 + 1]) / 2)), v[n], n
  }
  $2 != what { flush(); what = $2; n = 0 }
  { v[++n] = $1 }
  END { flush() }'
[[ "$failed" -eq 0 ]]
