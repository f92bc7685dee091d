#!/usr/bin/env bash
# The registration and call-setup latency that SIP authentication adds, measured in one run: Kamailio before
# (commit febb259's kamailio.cfg, no authentication) and after (this tree's kamailio.cfg: every REGISTER challenged
# with a 401, every agent's INVITE with a 407, answered with ephemeral credentials) side by side, SIPp alternating
# between them round after round, so that the machine's noise falls on both alike.
#
#   bench/sip-auth-latency.sh [REGISTERS] [CALLS] [ROUNDS]       defaults: 200 100 5
#
# Per round and side: REGISTERS registrations of distinct DNs (one SIPp process, -inf CSV: DN, username, password;
# the credentials are computed with openssl exactly as signaling-api issues them, by bench_sip_credentials of
# bench/lib.sh: username "<expiry>:<dn>", password base64(HMAC-SHA256(SIP_AUTH_SECRET, username))), from the first
# REGISTER to the 200 (after: the 401 round trip included); then CALLS calls from agent 5001 to agent 5002
# (registered, answering with src/test/resources/sipp/uas.xml), from the first INVITE to the 200 (after: the 407, its
# ACK and the second INVITE included), each hung up at once. A warm-up round on each comes first.
# Every call is timed by SIPp (gettimeofday in the scenario, bench/sipp/register-auth.xml and call-setup.xml; SIPp's
# own response times are whole milliseconds), and checked: "before" never challenged, "after" always. Prints each
# round's medians, then per side the median and p95 over all rounds, the time added, the ratio after/before of the
# medians and the median of the per-round ratios, and Kamailio's CPU time per REGISTER and per call (all its
# processes, /proc/PID/schedstat): 1e6 / that (us) is how many one core would sustain.
#
# Both Kamailios run with the same arguments as scripts/kamailio (4 UDP workers, 64 MB shm) on free loopback ports;
# only "after" gets a SIP_AUTH_SECRET (random, for this run only) and a trusted peers file (127.0.0.2, so no SIPp
# here is trusted). pike is raised for "after" (PIKE_DENSITY=100000 instead of 64 per 2 s): the bench sends hundreds
# of requests per second from 127.0.0.1 and pike would otherwise block it; its check still runs on every request.
# The dispatcher's OPTIONS probe of the Genesys SIP Server (nothing listens there) is every hour, out of the way.
# Rates are fixed (REG_RATE, CALL_RATE per second; defaults 100, 50): latency is measured below saturation.
# Needs: kamailio, sip-tester (sipp), openssl, curl, git, ss. Only 127.0.0.1 is ever a target. Exits 1 when a
# Kamailio does not start or a registration or call fails (logs kept in the work directory it names).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REGISTERS="${1:-200}"
CALLS="${2:-100}"
ROUNDS="${3:-5}"
REG_RATE="${REG_RATE:-100}"
CALL_RATE="${CALL_RATE:-50}"
BEFORE_COMMIT=febb259
# shellcheck source=lib.sh
BENCH_LIB_FUNCTIONS_ONLY=1 source "$ROOT/bench/lib.sh"   # bench_sip_credentials; this bench runs its own Kamailios
(( REGISTERS >= 10 && REGISTERS <= 1000 )) || { echo "REGISTERS must be 10..1000" >&2; exit 2; }
(( CALLS >= 10 && CALLS <= 1000 )) || { echo "CALLS must be 10..1000" >&2; exit 2; }
(( ROUNDS >= 1 && ROUNDS <= 20 )) || { echo "ROUNDS must be 1..20" >&2; exit 2; }
(( REG_RATE >= 1 && REG_RATE <= 1000 && CALL_RATE >= 1 && CALL_RATE <= 500 )) \
  || { echo "REG_RATE must be 1..1000, CALL_RATE 1..500" >&2; exit 2; }
for tool in kamailio sipp openssl curl git ss; do
  command -v "$tool" >/dev/null \
    || { echo "missing $tool (apt-get install -y kamailio sip-tester openssl curl)" >&2; exit 1; }
done

WORK="$(mktemp -d /tmp/sip-auth-bench.XXXXXX)"
SIPP_SCENARIOS="$ROOT/bench/sipp"
AGENT_SCENARIOS="$ROOT/src/test/resources/sipp"
pids=()         # SIPp callees
kamailio_pids=()
declare -A SIP_PORT MAIN_PID

fail() {
  echo "sip-auth-latency: $*" >&2
  exit 1
}

cleanup() {
  local rc=$? pid _
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  # Kamailio's main process stops its children on SIGTERM
  for pid in "${kamailio_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${kamailio_pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      pkill -KILL -P "$pid" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  # the credentials are worthless once this run's Kamailio is gone; removed all the same
  rm -f "$WORK"/*.csv
  if (( rc == 0 )); then rm -rf "$WORK"; else echo "logs kept in $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# VAR...: sets each VAR to a port with nothing on it, nor on the 3 ports above it (SIPp's media ports), UDP and TCP,
# and not handed out before in this run (a variable, not $(...), so that the ports handed out are remembered).
taken_ports=" "
free_port() {
  local _fp_var _fp_port _fp_try   # prefixed: printf -v must not land on a local of this function
  for _fp_var in "$@"; do
    _fp_port=
    for _fp_try in $(seq 1 200); do
      _fp_port=$((20000 + (RANDOM % 5000) * 4))
      [[ "$taken_ports" == *" $_fp_port "* ]] && continue
      [[ -z "$(ss -Htuan "( sport >= :$_fp_port and sport <= :$((_fp_port + 3)) )" 2>/dev/null)" ]] && break
    done
    [[ -n "$_fp_port" && "$taken_ports" != *" $_fp_port "* ]] || fail "no free loopback port found"
    taken_ports+="$_fp_port "
    printf -v "$_fp_var" '%s' "$_fp_port"
  done
}

# NAME CONFIG [SECRET]: starts one Kamailio with scripts/kamailio's arguments; with SECRET, the authenticating one.
start_kamailio() {
  local name=$1 cfg=$2 secret=${3:-} dir="$WORK/$1" sip ws rpc evapi genesys pid _
  mkdir -p "$dir"
  free_port sip ws rpc evapi genesys
  printf '1 sip:127.0.0.1:%s 0 0 duid=genesys1;desc=Genesys\n' "$genesys" > "$dir/dispatcher.list"
  printf '1 127.0.0.2 32 0\n' > "$dir/trusted-peers.list"
  local args=(-f "$cfg" -DD -E -m 64 -M 8 -Y "$dir" -P "$dir/kamailio.pid" -w "$dir"
    -A "LISTEN_IP=127.0.0.1" -A "SIP_PORT=$sip" -A "WS_PORT=$ws" -A "RPC_PORT=$rpc" -A "EVAPI_PORT=$evapi"
    -A "DISPATCHER_LIST=\"$dir/dispatcher.list\"" -A "DS_PING_INTERVAL=3600" -A "FR_TIMER=5000"
    -A "DS_PING_FROM=\"sip:kamailio@127.0.0.1\"" -A "BRIDGE_CONTROLLER=\"sip:controller@127.0.0.1\""
    -A "BRIDGE_CONTACT=\"sip:controller@127.0.0.1:$sip\"")
  if [[ -n "$secret" ]]; then
    args+=(-A "TRUSTED_PEERS_FILE=\"$dir/trusted-peers.list\"" -A "PIKE_DENSITY=100000")
    # the secret reaches Kamailio through its environment only, as in production
    SIP_AUTH_SECRET="$secret" kamailio "${args[@]}" </dev/null >"$dir/kamailio.log" 2>&1 &
  else
    env -u SIP_AUTH_SECRET kamailio "${args[@]}" </dev/null >"$dir/kamailio.log" 2>&1 &
  fi
  pid=$!
  kamailio_pids+=("$pid")
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$dir/kamailio.log" >&2; fail "Kamailio $name exited during start-up"; }
    if curl -sf -m 2 -d '{"jsonrpc":"2.0","method":"core.version","id":1}' "http://127.0.0.1:$rpc/RPC" \
        2>/dev/null | grep -q '"result"'; then
      SIP_PORT[$name]=$sip MAIN_PID[$name]=$pid
      echo "   $name: Kamailio pid $pid, SIP 127.0.0.1:$sip ($cfg)"
      return 0
    fi
    sleep 0.2
  done
  tail -n 20 "$dir/kamailio.log" >&2
  fail "Kamailio $name did not answer JSON-RPC within 10 s"
}

# NAME: CPU time (us) used so far by Kamailio NAME, main process and children: the first field of
# /proc/PID/schedstat, nanoseconds on a CPU (utime and stime are 10 ms ticks, too coarse here). Two processes only:
# forks are slow on a loaded machine, and this runs around every measured SIPp run.
kamailio_cpu_us() {
  local main=${MAIN_PID[$1]} children
  children=$(pgrep -P "$main" | sed 's|.*|/proc/&/schedstat|' || true)
  # shellcheck disable=SC2086 # one file name per child
  awk '{ ns += $1 } END { printf "%d\n", ns / 1000 }' "/proc/$main/schedstat" $children 2>/dev/null || true
}

# NAME SCENARIO CSV COUNT RATE OUT [SIPP OPTIONS...]: one SIPp run against Kamailio NAME; every call's time from its
# first request to its 200 (ms; the scenario logs gettimeofday at both: SIPp's own response times are whole
# milliseconds) appended to WORK/OUT-NAME, the median in LAST_MEDIAN, Kamailio's CPU time (us) added to CPU[NAME-OUT].
# Fails the bench unless every call succeeded.
declare -A CPU
sipp_run() {
  local name=$1 scenario=$2 csv=$3 count=$4 rate=$5 out=$6 dir cpu_before port cport mport got
  shift 6
  dir=$(mktemp -d "$WORK/$name-$(basename "$scenario" .xml).XXXX")
  free_port port cport mport
  cpu_before=$(kamailio_cpu_us "$name")
  (cd "$dir" && sipp "127.0.0.1:${SIP_PORT[$name]}" -sf "$scenario" -inf "$csv" -m "$count" -r "$rate" -l 100 \
    -i 127.0.0.1 -p "$port" -cp "$cport" -mp "$mport" -trace_logs -nostdin -timeout 60s "$@" >sipp.out 2>&1) \
    || fail "SIPp $(basename "$scenario") against $name failed, see $dir"
  CPU[$name-$out]=$(( ${CPU[$name-$out]:-0} + $(kamailio_cpu_us "$name") - cpu_before ))
  # "before" must never have been challenged, "after" always
  local path=open
  [[ $name == after ]] && path=challenged
  awk -F';' -v path="$path" 'NF == 5 && $5 == path { printf "%.3f\n", (($3 - $1) * 1000000 + $4 - $2) / 1000 }' \
    "$dir"/*_logs.log > "$dir/times"
  got=$(wc -l < "$dir/times")
  (( got == count )) \
    || fail "SIPp $(basename "$scenario") against $name: $got of $count calls timed and $path, see $dir"
  cat "$dir/times" >> "$WORK/$out-$name"
  LAST_MEDIAN=$(quantile 0.5 < "$dir/times")
}

# Q < numbers: the Q quantile (nearest rank)
quantile() {
  sort -g | awk -v q="$1" '{ v[NR] = $1 } END { i = int(q * NR + 0.999999); if (i < 1) i = 1; print v[i] }'
}
median() { printf '%s\n' "$@" | quantile 0.5; }

echo "== Two Kamailios on loopback (work dir $WORK)"
git -C "$ROOT" show "$BEFORE_COMMIT:config/kamailio/kamailio.cfg" > "$WORK/kamailio-before.cfg" \
  || fail "cannot read config/kamailio/kamailio.cfg at $BEFORE_COMMIT"
SECRET=$(openssl rand -base64 48 | tr -d '\n')
start_kamailio before "$WORK/kamailio-before.cfg"
start_kamailio after "$ROOT/config/kamailio/kamailio.cfg" "$SECRET"

echo "== Credentials for $(( (ROUNDS + 1) * REGISTERS + 2 )) DNs (openssl, as signaling-api issues them)"
EXPIRY=$(( $(date +%s) + 3600 ))
for round in $(seq 0 "$ROUNDS"); do    # round 0 warms both up
  first=$(( 100001 + round * 1000 ))
  { echo SEQUENTIAL; bench_sip_credentials "$SECRET" "$EXPIRY" $(seq "$first" $(( first + REGISTERS - 1 ))); } \
    > "$WORK/register-$round.csv"
done
{ echo SEQUENTIAL; bench_sip_credentials "$SECRET" "$EXPIRY" 5001; } > "$WORK/caller.csv"
callee_credentials=$(bench_sip_credentials "$SECRET" "$EXPIRY" 5002)
callee_user=$(cut -d';' -f2 <<<"$callee_credentials")
callee_pass=$(cut -d';' -f3 <<<"$callee_credentials")

echo "== Callee 5002 registered on each, answering with uas.xml"
for name in before after; do
  free_port port cport mport cport2 mport2
  sipp "127.0.0.1:${SIP_PORT[$name]}" -sf "$AGENT_SCENARIOS/register.xml" -m 1 -i 127.0.0.1 -p "$port" -key dn 5002 \
    -au "$callee_user" -ap "$callee_pass" -cp "$cport" -mp "$mport" -nostdin -timeout 10s \
    >"$WORK/$name/callee-register.out" 2>&1 || fail "callee 5002 could not register on $name, see $WORK/$name"
  sipp "127.0.0.1:${SIP_PORT[$name]}" -sf "$AGENT_SCENARIOS/uas.xml" -i 127.0.0.1 -p "$port" -key dn 5002 \
    -cp "$cport2" -mp "$mport2" -default_behaviors all,-abortunexp -nostdin -timeout 600s \
    >"$WORK/$name/callee.out" 2>&1 &
  pids+=($!)
done

call_options=(-s 5002 -default_behaviors all,-abortunexp)
echo "== Warm-up: $REGISTERS registrations and $CALLS calls on each"
for name in before after; do
  sipp_run "$name" "$SIPP_SCENARIOS/register-auth.xml" "$WORK/register-0.csv" "$REGISTERS" "$REG_RATE" warmup-reg
  sipp_run "$name" "$SIPP_SCENARIOS/call-setup.xml" "$WORK/caller.csv" "$CALLS" "$CALL_RATE" warmup-call \
    "${call_options[@]}"
done

echo "== $ROUNDS rounds, before and after in turn: $REGISTERS REGISTERs at $REG_RATE/s, $CALLS calls at $CALL_RATE/s"
printf '%-7s | %-22s | %-22s\n' round "REGISTER median ms" "INVITE->200 median ms"
printf '%-7s | %10s %11s | %10s %11s\n' "" before after before after
reg_ratios=() call_ratios=()
for round in $(seq 1 "$ROUNDS"); do
  sipp_run before "$SIPP_SCENARIOS/register-auth.xml" "$WORK/register-$round.csv" "$REGISTERS" "$REG_RATE" reg
  reg_before=$LAST_MEDIAN
  sipp_run after "$SIPP_SCENARIOS/register-auth.xml" "$WORK/register-$round.csv" "$REGISTERS" "$REG_RATE" reg
  reg_after=$LAST_MEDIAN
  sipp_run before "$SIPP_SCENARIOS/call-setup.xml" "$WORK/caller.csv" "$CALLS" "$CALL_RATE" call "${call_options[@]}"
  call_before=$LAST_MEDIAN
  sipp_run after "$SIPP_SCENARIOS/call-setup.xml" "$WORK/caller.csv" "$CALLS" "$CALL_RATE" call "${call_options[@]}"
  call_after=$LAST_MEDIAN
  reg_ratios+=("$(awk -v a="$reg_after" -v b="$reg_before" 'BEGIN { printf "%.2f", a / b }')")
  call_ratios+=("$(awk -v a="$call_after" -v b="$call_before" 'BEGIN { printf "%.2f", a / b }')")
  printf '%-7s | %10.3f %11.3f | %10.3f %11.3f\n' "$round" "$reg_before" "$reg_after" "$call_before" "$call_after"
done

echo
echo "All rounds: $(( ROUNDS * REGISTERS )) REGISTERs and $(( ROUNDS * CALLS )) calls per side. Times in ms, first" \
  "request to 200 as SIPp sees it; CPU: Kamailio's CPU time per request (all its processes, /proc/PID/schedstat);" \
  "$(nproc) cores shared by SIPp and both Kamailios"
printf '| %-20s | %-8s | %-8s | %-8s | %-13s | %-8s | %-8s | %-15s |\n' "" "median" "median" "added" "after/before" \
  "p95" "p95" "CPU us/request"
printf '| %-20s | %-8s | %-8s | %-8s | %-13s | %-8s | %-8s | %-15s |\n' "" before after "" "(per round)" before after \
  "before / after"
for what in reg call; do
  label="REGISTER -> 200"; count=$(( ROUNDS * REGISTERS )); ratios=("${reg_ratios[@]}")
  [[ $what == call ]] && { label="INVITE -> 200"; count=$(( ROUNDS * CALLS )); ratios=("${call_ratios[@]}"); }
  mb=$(quantile 0.5 < "$WORK/$what-before") ma=$(quantile 0.5 < "$WORK/$what-after")
  pb=$(quantile 0.95 < "$WORK/$what-before") pa=$(quantile 0.95 < "$WORK/$what-after")
  printf '| %-20s | %8.3f | %8.3f | %8.3f | %5.2f (%5.2f) | %8.3f | %8.3f | %6d / %-6d |\n' "$label" "$mb" "$ma" \
    "$(awk -v a="$ma" -v b="$mb" 'BEGIN { print a - b }')" "$(awk -v a="$ma" -v b="$mb" 'BEGIN { print a / b }')" \
    "$(median "${ratios[@]}")" "$pb" "$pa" \
    $(( ${CPU[before-$what]} / count )) $(( ${CPU[after-$what]} / count ))
done
echo "after/before of each round's medians: REGISTER ${reg_ratios[*]}; call ${call_ratios[*]}"
