# Shared by the bench/ scripts: a Kamailio on its own loopback ports, SIPp registrations with SIP credentials, the
# service over HTTPS with a benchmark key and the rate limits out of the way, and wrk runs after a warm-up. Only
# 127.0.0.1 is a target. Source it after setting ROOT; it sets WORK, RPC_URL, API, BENCH_KEY and cleans up on exit.
# With BENCH_LIB_FUNCTIONS_ONLY=1 it only defines the functions (bench/sip-auth-latency.sh, which runs its own
# Kamailios, uses bench_sip_credentials): no work directory, no trap.

if [[ -z "${BENCH_LIB_FUNCTIONS_ONLY:-}" ]]; then
  WORK="$(mktemp -d /tmp/signaling-bench.XXXXXX)"
  SIP_PORT=25060 RPC_PORT=25071 WS_PORT=28080 EVAPI_PORT=28448 API_PORT=18443
  RPC_URL="http://127.0.0.1:$RPC_PORT/RPC"
  API="https://127.0.0.1:$API_PORT"
  WARMUP="${WARMUP:-5}"
  pids=()
  # The SIP secret Kamailio checks the agents' credentials with, made for this run and handed to Kamailio and the
  # service through their environment only (bench_kamailio, bench_service_jar), as in production. Not exported: no
  # other process of the bench needs it. A lab secret exported by the caller's shell must reach neither (its
  # SIP_AUTH_SECRET_PREVIOUS would make Kamailio accept that secret too).
  unset SIP_AUTH_SECRET SIP_AUTH_SECRET_PREVIOUS
  BENCH_SIP_SECRET=$(head -c 48 /dev/urandom | base64 -w0)
  # The agents' credentials are valid as long as the service's (signaling.sip-auth.ttl default): past any bench run.
  BENCH_SIP_EXPIRY=$(( $(date +%s) + 12 * 3600 ))
  trap bench_cleanup EXIT
fi

bench_java_main() { # CLASS [ARGS...]: a bench main of the test classes, on the test classpath, from ROOT
  (cd "$ROOT" && ./mvnw -B -q -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null)
  java -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$ROOT/target/bench-classpath.txt")" \
    -Dproject.basedir="$ROOT" "$@"
}

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
  # the agents' credentials are worthless once this run's Kamailio is gone; removed all the same
  rm -f "$WORK"/*.csv
}

# SECRET EXPIRY DN...: one line "DN;<EXPIRY>:DN;<password>" per DN, the SIP credentials POST /api/agent/sip-credentials
# issues (username "<expiry>:<dn>", password base64(HMAC-SHA256(SECRET, username))): fields 0 to 2 of a SIPp -inf
# line (bench/sipp/register-auth.xml, call-setup.xml). One openssl run for them all (one per DN took minutes on a
# loaded machine); awk turns its hex into base64. SECRET is on openssl's command line for that moment: only ever a
# random one, made for the run's Kamailio. Needs WORK.
bench_sip_credentials() {
  local secret=$1 expiry=$2 dir dn
  shift 2
  dir=$(mktemp -d "$WORK/usernames.XXXX")
  for dn in "$@"; do printf '%s' "$expiry:$dn" > "$dir/$dn"; done
  (cd "$dir" && openssl dgst -sha256 -hmac "$secret" -r "$@") | awk -v expiry="$expiry" '
    function base64(hex,   digits, alphabet, n, i, b, t, out) {
      digits = "0123456789abcdef"
      alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
      n = length(hex) / 2
      for (i = 0; i < n; i++)
        b[i] = (index(digits, substr(hex, 2 * i + 1, 1)) - 1) * 16 + index(digits, substr(hex, 2 * i + 2, 1)) - 1
      for (i = 0; i < n; i += 3) {
        t = b[i] * 65536 + (i + 1 < n ? b[i + 1] : 0) * 256 + (i + 2 < n ? b[i + 2] : 0)
        out = out substr(alphabet, int(t / 262144) % 64 + 1, 1) substr(alphabet, int(t / 4096) % 64 + 1, 1)
        out = out (i + 1 < n ? substr(alphabet, int(t / 64) % 64 + 1, 1) : "=")
        out = out (i + 2 < n ? substr(alphabet, t % 64 + 1, 1) : "=")
      }
      return out
    }
    { dn = substr($2, 2); printf "%s;%s:%s;%s\n", dn, expiry, dn, base64($1) }'
  rm -rf "$dir"
}

# Kamailio as scripts/kamailio starts it (the working tree's kamailio.cfg: agents challenged, 127.0.0.2 trusted), with
# this run's SIP secret in its environment. pike is raised (KAMAILIO_PIKE_DENSITY=100000 instead of the product's 64
# requests per source address per 2 s): the bench registers hundreds of agents per second, and holds its calls, from
# the one address 127.0.0.1, which pike would block; its check still runs on every request.
bench_kamailio() {
  echo "== Kamailio on 127.0.0.1:$SIP_PORT (work dir $WORK)"
  SIP_AUTH_SECRET="$BENCH_SIP_SECRET" KAMAILIO_PIKE_DENSITY=100000 KAMAILIO_TRUSTED_PEERS=127.0.0.2 \
    KAMAILIO_RUN_DIR="$WORK/kamailio" KAMAILIO_SIP_PORT=$SIP_PORT KAMAILIO_RPC_PORT=$RPC_PORT \
    KAMAILIO_WS_PORT=$WS_PORT KAMAILIO_EVAPI_PORT=$EVAPI_PORT GENESYS_SERVER=127.0.0.1:25090 \
    "$ROOT/scripts/kamailio" start
}

bench_register() { # COUNT: DNs 10000.. registered through SIPp, each answering Kamailio's 401 with its own credentials
  echo "== Registering $1 DNs (10000..) with SIPp"
  { echo SEQUENTIAL; bench_sip_credentials "$BENCH_SIP_SECRET" "$BENCH_SIP_EXPIRY" $(seq 10000 $((10000 + $1 - 1))); } \
    > "$WORK/dns.csv"
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/bench/sipp/register-auth.xml" -inf "$WORK/dns.csv" -m "$1" -r 500 -l 200 \
    -i 127.0.0.1 -p 25100 -cp 25101 -mp 41000 -nostdin -timeout 120s >"$WORK/register.out" 2>&1 \
    || { echo "registration failed, see $WORK/register.out" >&2; exit 1; }
}

# COUNT: SIPp agents 5001 and 5002 hold COUNT calls 5001 -> 5002; sets HELD (what Kamailio reports). Both register
# with their credentials and 5001 answers each INVITE's 407 with them (-au/-ap: visible in ps, like the tests' agents;
# worthless beyond this run's Kamailio).
bench_genesys() { # a fake Genesys SIP Server on 127.0.0.1:25090 answering Kamailio's OPTIONS probes: status active
  echo "== Fake Genesys SIP Server (SIPp OPTIONS responder) on 127.0.0.1:25090"
  sipp -sf "$ROOT/src/test/resources/sipp/options-responder.xml" -i 127.0.0.1 -p 25090 -cp 25091 -mp 46000 \
    -default_behaviors all,-abortunexp -nostdin -timeout 900s >"$WORK/genesys.out" 2>&1 &
  pids+=($!)
}

bench_hold_calls() {
  HELD=0
  (( $1 > 0 )) || return 0
  echo "== Holding $1 calls 5001 -> 5002"
  local credentials dn username password
  local -A user pass
  credentials=$(bench_sip_credentials "$BENCH_SIP_SECRET" "$BENCH_SIP_EXPIRY" 5001 5002)
  while IFS=';' read -r dn username password; do user[$dn]=$username pass[$dn]=$password; done <<<"$credentials"
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/src/test/resources/sipp/register.xml" -m 1 -i 127.0.0.1 -p 25102 -key dn 5002 \
    -au "${user[5002]}" -ap "${pass[5002]}" -cp 25103 -mp 42000 -nostdin -timeout 10s >"$WORK/reg-5002.out" 2>&1 \
    || { echo "5002 could not register, see $WORK/reg-5002.out" >&2; exit 1; }
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/src/test/resources/sipp/uas.xml" -i 127.0.0.1 -p 25102 -key dn 5002 \
    -cp 25104 -mp 43000 -default_behaviors all,-abortunexp -nostdin -timeout 600s >"$WORK/uas.out" 2>&1 &
  pids+=($!)
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/src/test/resources/sipp/register.xml" -m 1 -i 127.0.0.1 -p 25105 -key dn 5001 \
    -au "${user[5001]}" -ap "${pass[5001]}" -cp 25106 -mp 44000 -nostdin -timeout 10s >"$WORK/reg-5001.out" 2>&1 \
    || { echo "5001 could not register, see $WORK/reg-5001.out" >&2; exit 1; }
  sipp 127.0.0.1:$SIP_PORT -sf "$ROOT/src/test/resources/sipp/uac.xml" -s 5002 -i 127.0.0.1 -p 25105 -key dn 5001 \
    -au "${user[5001]}" -ap "${pass[5001]}" -m "$1" -l "$1" -r 50 -cp 25107 -mp 45000 \
    -default_behaviors all,-abortunexp -nostdin -timeout 600s >"$WORK/uac.out" 2>&1 &
  pids+=($!)
  local _
  for _ in $(seq 1 60); do
    HELD=$(curl -s -m 2 -d '{"jsonrpc":"2.0","method":"dlg.stats_active","id":1}' "$RPC_URL" | jq -r '.result.ongoing // 0')
    (( HELD >= $1 )) && break
    sleep 0.5
  done
  echo "   Kamailio reports $HELD confirmed dialogs"
}

bench_service() { # [EXTRA SPRING ARGUMENTS...]: starts the service (BENCH_JAR, else target/'s) with a fresh admin key
  local jar=${BENCH_JAR:-}
  if [[ -n "$jar" ]]; then
    bench_service_jar "$jar" "$API_PORT" service "$@"
    return
  fi
  jar=$(ls "$ROOT"/target/signaling-api-*.jar 2>/dev/null | grep -v original | head -1 || true)
  [[ -n "$jar" ]] || (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
  jar=$(ls "$ROOT"/target/signaling-api-*.jar | grep -v original | head -1)
  bench_service_jar "$jar" "$API_PORT" service "$@"
}

bench_service_with_throttled_key() { # the service, plus a key limited to one request an hour in THROTTLED_KEY: after
  # its first request, every request of that key is the rejection path (429), the yardstick of read-throughput.sh
  local out hash
  out=$("$ROOT/scripts/new-api-key" throttled read)
  THROTTLED_KEY=$(sed -n 's/^API key.*: \(sk_[A-Za-z0-9_-]*\)$/\1/p' <<<"$out")
  hash=$(sed -n 's/^ *hash: \(sha256:[0-9a-f]*\)$/\1/p' <<<"$out")
  bench_service --signaling.security.api-keys[1].name=throttled --signaling.security.api-keys[1].hash="$hash" \
    --signaling.security.api-keys[1].scopes=read --signaling.security.api-keys[1].requests-per-hour=1
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
  # the service binds signaling.sip-auth.secret to ${SIP_AUTH_SECRET:} (application.yml); a build from before
  # POST /api/agent/sip-credentials ignores it
  # BENCH_JAVA and BENCH_JAVA_OPTS: another JVM or JVM options for the service (word-split on purpose)
  # shellcheck disable=SC2086
  SIP_AUTH_SECRET="$BENCH_SIP_SECRET" "${BENCH_JAVA:-java}" ${BENCH_JAVA_OPTS:-} -jar "$jar" \
    --spring.config.location=optional:classpath:/ \
    --server.port="$port" --server.ssl.key-store="file:$WORK/bench.p12" --server.ssl.key-store-password=bench-only \
    --spring.datasource.url="jdbc:h2:file:$WORK/db-$name" \
    --signaling.kamailio.rpc-url="$RPC_URL" --signaling.kamailio.sip-domain=127.0.0.1 \
    --signaling.kamailio.evapi-address="127.0.0.1:$EVAPI_PORT" \
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
