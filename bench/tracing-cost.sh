#!/usr/bin/env bash
# What tracing costs on a DN lookup, as req/s of GET /api/dn/{dn} measured in one run against three instances of
# the same build on one Kamailio:
#   off      management.tracing.export.enabled=false (no tracer, no traceparent)
#   default  tracing on as shipped: trace ids, traceparent, 10% sampled, no exporter
#   export   every request sampled and exported over OTLP/HTTP to a sink on loopback (the worst case)
# Each is measured three times, the order turning every round (off default export, default export off, export off
# default), so that the drift of a shared machine falls on each alike; the table shows every run.
#
#   bench/tracing-cost.sh [REGISTERED_DNS] [SECONDS]      defaults: 100 10
#
# Only 127.0.0.1 is ever a target.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DNS="${1:-100}"
DURATION="${2:-10}"
(( DNS >= 2 && DNS <= 20000 )) || { echo "REGISTERED_DNS must be 2..20000" >&2; exit 2; }
(( DURATION >= 1 && DURATION <= 120 )) || { echo "SECONDS must be 1..120" >&2; exit 2; }
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
bench_require
command -v python3 >/dev/null || { echo "missing python3 (the OTLP sink)" >&2; exit 1; }
bench_kamailio
bench_register "$DNS"

# The OTLP sink: answers 200 to every POST and counts what it received (requests, bytes).
SINK_PORT=24318
python3 - "$SINK_PORT" "$WORK/otlp-sink.count" <<'PY' &
import http.server, sys
port, count_file = int(sys.argv[1]), sys.argv[2]
received = [0, 0]
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        size = int(self.headers.get("Content-Length", 0))
        self.rfile.read(size)
        received[0] += 1
        received[1] += size
        with open(count_file, "w") as f:
            f.write(f"{received[0]} {received[1]}\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Sink).serve_forever()
PY
pids+=($!)

jar=$(ls "$ROOT"/target/signaling-api-*.jar 2>/dev/null | grep -v original | head -1 || true)
[[ -n "$jar" ]] || (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
jar=$(ls "$ROOT"/target/signaling-api-*.jar | grep -v original | head -1)
bench_service_jar "$jar" 18443 off \
  --spring.autoconfigure.exclude=org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration
bench_service_jar "$jar" 18444 default
bench_service_jar "$jar" 18445 export --management.tracing.sampling.probability=1.0 \
  --management.opentelemetry.tracing.export.otlp.endpoint="http://127.0.0.1:$SINK_PORT/v1/traces"
declare -A URL=([off]=https://127.0.0.1:18443 [default]=https://127.0.0.1:18444 [export]=https://127.0.0.1:18445)
for name in off default export; do API=${URL[$name]} bench_await_dns "$DNS"; done

dn=$(curl -ks -H "X-API-Key: $BENCH_KEY" "${URL[off]}/api/dn/list" | jq -r '.dns[0].dn')
echo "== traceparent answered: off=[$(curl -ks -D - -o /dev/null -H "X-API-Key: $BENCH_KEY" "${URL[off]}/api/dn/$dn" \
  | tr -d '\r' | sed -n 's/^traceparent: //p')] default=[$(curl -ks -D - -o /dev/null -H "X-API-Key: $BENCH_KEY" \
  "${URL[default]}/api/dn/$dn" | tr -d '\r' | sed -n 's/^traceparent: //p')]"

echo "== Warming every instance up before measuring any (3 rounds: three JVMs share the cores)"
for _ in 1 2 3; do
  for name in off default export; do bench_warm "${URL[$name]}/api/dn/$dn" -H "X-API-Key: $BENCH_KEY"; done
done

echo
echo "GET /api/dn/$dn ($DNS registered DNs), wrk -t2 -c16 -d${DURATION}s after ${WARMUP}s warm-up, $(nproc) cores shared, HTTPS"
bench_header
declare -A SUM=([off]=0 [default]=0 [export]=0)
orders=("off default export" "default export off" "export off default")
for round in 1 2 3; do
  for name in ${orders[$((round - 1))]}; do
    bench_wrk "tracing $name (round $round)" "${URL[$name]}/api/dn/$dn" -H "X-API-Key: $BENCH_KEY"
    SUM[$name]=$(awk -v a="${SUM[$name]}" -v b="$WRK_RPS" 'BEGIN { print a + b }')
  done
done
awk -v off="${SUM[off]}" -v def="${SUM[default]}" -v all="${SUM[export]}" 'BEGIN {
  printf "Mean of the three rounds: off %.0f req/s, default %.0f req/s (%.1f%% of off), export %.0f req/s (%.1f%% of off)\n",
    off / 3, def / 3, 100 * def / off, all / 3, 100 * all / off }'
read -r requests bytes < "$WORK/otlp-sink.count" || true
echo "OTLP sink received ${requests:-0} export requests, ${bytes:-0} bytes of spans"
