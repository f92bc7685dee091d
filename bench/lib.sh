# Shared by the bench/ scripts: a Kamailio on its own loopback ports, SIPp registrations, the service over HTTPS
# with a benchmark key and the rate limits out of the way, and wrk runs after a warm-up. Only 127.0.0.1 is a target.
# Source it after setting ROOT; it sets WORK, RPC_URL, API, BENCH_KEY and cleans up on exit.

WORK="$(mktemp -d /tmp/signaling-bench.XXXXXX)"
SIP_PORT=25060 RPC_PORT=25071 WS_PORT=28080 API_PORT=18443
RPC_URL="http://127.0.0.1:$RPC_PORT/RPC"
API="https://127.0.0.1:$API_PORT"
WARMUP="${WARMUP:-5}"
pids=()

bench_require() {
  local tool
  for tool in kamailio sipp wrk curl jq java openssl; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y kamailio sip-tester wrk curl jq)" >&2; exit 1; }
  done
}

bench_cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  KAMAILIO_RUN_DIR="$WORK/kamailio" KAMAILIO_SIP_PORT=$SIP_PORT KAMAILIO_RPC_PORT=$RPC_PORT KAMAILIO_WS_PORT=$WS_PORT \
    "$ROOT/scripts/kamailio" stop >/dev/null 2>&1 || true
}
trap bench_cleanup EXIT

bench_kamailio() {
  echo "== Kamailio on 127.0.0.1:$SIP_PORT (work dir $WORK)"
  KAMAILIO_RUN_DIR="$WORK/kamailio" KAMAILIO_SIP_PORT=$SIP_PORT KAMAILIO_RPC_PORT=$RPC_PORT KAMAILIO_WS_PORT=$WS_PORT \
    GENESYS_SERVER=127.0.0.1:25090 "$ROOT/scripts/kamailio" start
}

bench_register() { # COUNT: DNs 10000.. registered through SIPp
  echo "== Registering $1 DNs (10000..) with SIPp"
  seq 10000 $((10000 + $1 - 1)) | { echo SEQUENTIAL; cat; } > "$WORK/dns.csv"
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/bench/sipp/register-many.xml" -inf "$WORK/dns.csv" -m "$1" -r 500 -l 200 \
    -i 127.0.0.1 -p 25100 -cp 25101 -mp 41000 -nostdin -timeout 120s >"$WORK/register.out" 2>&1 \
    || { echo "registration failed, see $WORK/register.out" >&2; exit 1; }
}

bench_hold_calls() { # COUNT: SIPp agents 5001 and 5002 hold COUNT calls 5001 -> 5002; sets HELD (what Kamailio reports)
  HELD=0
  (( $1 > 0 )) || return 0
  echo "== Holding $1 calls 5001 -> 5002"
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/src/test/resources/sipp/register.xml" -m 1 -i 127.0.0.1 -p 25102 -key dn 5002 \
    -cp 25103 -mp 42000 -nostdin -timeout 10s >"$WORK/reg-5002.out" 2>&1
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/src/test/resources/sipp/uas.xml" -i 127.0.0.1 -p 25102 -key dn 5002 \
    -cp 25104 -mp 43000 -default_behaviors all,-abortunexp -nostdin -timeout 600s >"$WORK/uas.out" 2>&1 &
  pids+=($!)
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/src/test/resources/sipp/register.xml" -m 1 -i 127.0.0.1 -p 25105 -key dn 5001 \
    -cp 25106 -mp 44000 -nostdin -timeout 10s >"$WORK/reg-5001.out" 2>&1
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/src/test/resources/sipp/uac.xml" -s 5002 -i 127.0.0.1 -p 25105 -key dn 5001 \
    -m "$1" -l "$1" -r 50 -cp 25107 -mp 45000 -default_behaviors all,-abortunexp -nostdin -timeout 600s \
    >"$WORK/uac.out" 2>&1 &
  pids+=($!)
  local _
  for _ in $(seq 1 60); do
    HELD=$(curl -s -m 2 -d '{"jsonrpc":"2.0","method":"dlg.stats_active","id":1}' "$RPC_URL" | jq -r '.result.ongoing // 0')
    (( HELD >= $1 )) && break
    sleep 0.5
  done
  echo "   Kamailio reports $HELD confirmed dialogs"
}

bench_service() { # [EXTRA SPRING ARGUMENTS...]: starts the service with a fresh admin key in BENCH_KEY
  local jar
  jar=$(ls "$ROOT"/target/signaling-api-*.jar 2>/dev/null | grep -v original | head -1 || true)
  [[ -n "$jar" ]] || (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
  jar=$(ls "$ROOT"/target/signaling-api-*.jar | grep -v original | head -1)
  bench_service_jar "$jar" "$API_PORT" service "$@"
}

bench_service_jar() { # JAR PORT NAME [EXTRA SPRING ARGUMENTS...]: one service (log WORK/NAME.log), key in BENCH_KEY
  local jar=$1 port=$2 name=$3 out hash
  shift 3
  echo "== Starting $name ($jar) on https://127.0.0.1:$port"
  if [[ -z "${BENCH_KEY:-}" ]]; then
    out=$("$ROOT/scripts/new-api-key" bench admin)
    BENCH_KEY=$(sed -n 's/^API key.*: \(sk_[A-Za-z0-9_-]*\)$/\1/p' <<<"$out")
    BENCH_KEY_HASH=$(sed -n 's/^ *hash: \(sha256:[0-9a-f]*\)$/\1/p' <<<"$out")
  fi
  hash=$BENCH_KEY_HASH
  [[ -f "$WORK/bench.p12" ]] || keytool -genkeypair -alias bench -keyalg EC -groupname secp256r1 -validity 2 \
    -dname CN=localhost -ext SAN=ip:127.0.0.1 -storetype PKCS12 -keystore "$WORK/bench.p12" -storepass bench-only \
    >/dev/null 2>&1
  java -jar "$jar" --spring.config.location=optional:classpath:/ --server.port="$port" \
    --server.ssl.key-store="file:$WORK/bench.p12" --server.ssl.key-store-password=bench-only \
    --spring.datasource.url="jdbc:h2:file:$WORK/db-$name" \
    --signaling.kamailio.rpc-url="$RPC_URL" --signaling.kamailio.sip-domain=127.0.0.1 \
    --signaling.genesys.server=127.0.0.1:25090 --logging.level.root=warn \
    --signaling.security.api-keys[0].name=bench --signaling.security.api-keys[0].hash="$hash" \
    --signaling.security.api-keys[0].scopes=admin \
    --signaling.security.rate-limits.per-ip-per-minute=100000000 \
    --signaling.security.rate-limits.per-credential-per-hour=100000000 "$@" >"$WORK/$name.log" 2>&1 &
  pids+=($!)
}

bench_await_dns() { # COUNT: waits (bounded) until /api/dn/list reports at least COUNT DNs
  local count=0 _
  for _ in $(seq 1 120); do
    count=$(curl -ks -m 2 -H "X-API-Key: $BENCH_KEY" "$API/api/dn/list" | jq -r '.count // 0' 2>/dev/null || echo 0)
    (( count >= $1 )) && break
    sleep 0.5
  done
  echo "   /api/dn/list reports $count DNs"
}

bench_warm() { # URL [wrk options...]: load without measuring (JIT, TLS sessions) before any measured run
  local url=$1
  shift
  wrk -t2 -c16 -d"${WARMUP}s" "$@" "$url" >/dev/null 2>&1 || true
}

bench_header() {
  printf '| %-40s | %10s | %8s | %8s | %s\n' "request" "req/s" "p50" "p99" "errors"
}

bench_wrk() { # NAME URL [wrk options...]: prints a table row; sets WRK_RPS
  local name=$1 url=$2
  shift 2
  wrk -t2 -c16 -d"${WARMUP}s" "$@" "$url" >/dev/null 2>&1 || true
  local out rps p50 p99 errors
  out=$(wrk -t2 -c16 -d"${DURATION}s" --latency "$@" "$url" 2>&1)
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  printf '| %-40s | %10s | %8s | %8s | %s\n' "$name" "$rps" "$p50" "$p99" "${errors:-}"
  WRK_RPS=$rps
}
