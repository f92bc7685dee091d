#!/usr/bin/env bash
# Entrypoint of the Kamailio image: config/kamailio/kamailio.cfg with its -A defines taken from the environment,
# the same variables and defines as scripts/kamailio (scripts/check-deploy fails if the two drift apart).
#
#   entrypoint.sh [run]     Kamailio in the foreground (-DD), logging to stderr (docker logs)
#   entrypoint.sh check     kamailio -c: parse the config with these defines and load its modules, then exit
#   entrypoint.sh health    exit 0 when JSON-RPC answers core.version (the image's HEALTHCHECK)
#   entrypoint.sh defines   print the -A arguments, one per line
#   entrypoint.sh CMD ...   run CMD instead (a shell, kamailio -v, ...)
#
# Environment (defaults in brackets):
#   KAMAILIO_LISTEN_IP [the container's first address]   the address SIP, WS, JSON-RPC and evapi listen on, and
#                        the one Kamailio puts in Record-Route: other containers and agents must reach it
#   KAMAILIO_SIP_PORT [5060] (udp+tcp)  KAMAILIO_WS_PORT [8080]  KAMAILIO_RPC_PORT [5071]  KAMAILIO_EVAPI_PORT [8448]
#   GENESYS_SERVER [127.0.0.1:5090]  host:port of the Genesys SIP Server probed with OPTIONS (dispatcher set 1)
#   KAMAILIO_DS_PING_INTERVAL [2]  KAMAILIO_FR_TIMER [5000]  KAMAILIO_SHM_MB [64]  KAMAILIO_PKG_MB [8]
#   KAMAILIO_DEFINES     more defines, space separated, e.g. "LOG_LEVEL=3"
#   KAMAILIO_CFG [/etc/kamailio/signaling-api/kamailio.cfg]  KAMAILIO_RUN_DIR [/run/kamailio]
set -euo pipefail

CFG="${KAMAILIO_CFG:-/etc/kamailio/signaling-api/kamailio.cfg}"
RUN_DIR="${KAMAILIO_RUN_DIR:-/run/kamailio}"
DS_LIST="$RUN_DIR/dispatcher.list"

container_ip() {
  local ips
  ips="$(hostname -i 2>/dev/null || true)"
  echo "${ips%% *}"
}

LISTEN_IP="${KAMAILIO_LISTEN_IP:-$(container_ip)}"
SIP_PORT="${KAMAILIO_SIP_PORT:-5060}"
WS_PORT="${KAMAILIO_WS_PORT:-8080}"
RPC_PORT="${KAMAILIO_RPC_PORT:-5071}"
EVAPI_PORT="${KAMAILIO_EVAPI_PORT:-8448}"
GENESYS="${GENESYS_SERVER:-127.0.0.1:5090}"
PING_INTERVAL="${KAMAILIO_DS_PING_INTERVAL:-2}"
FR_TIMER="${KAMAILIO_FR_TIMER:-5000}"
SHM_MB="${KAMAILIO_SHM_MB:-64}"
PKG_MB="${KAMAILIO_PKG_MB:-8}"
read -r -a EXTRA_DEFINES <<<"${KAMAILIO_DEFINES:-}"

die() { echo "kamailio entrypoint: $*" >&2; exit 1; }

# The values end up in the config as tokens or inside quotes: refuse anything but plain addresses and numbers.
[[ "$LISTEN_IP" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || die "KAMAILIO_LISTEN_IP must be an IPv4 address, got '$LISTEN_IP'"
for value in "$SIP_PORT" "$WS_PORT" "$RPC_PORT" "$EVAPI_PORT" "$PING_INTERVAL" "$FR_TIMER" "$SHM_MB" "$PKG_MB"; do
  [[ "$value" =~ ^[0-9]{1,6}$ ]] || die "ports, timers and memory sizes must be numbers, got '$value'"
done
[[ "$GENESYS" =~ ^[A-Za-z0-9._-]+:[0-9]+$ ]] || die "GENESYS_SERVER must be host:port, got '$GENESYS'"

# The same defines as scripts/kamailio start; string defines keep their quotes (see the top of kamailio.cfg).
DEFINES=(
  -A "LISTEN_IP=$LISTEN_IP" -A "SIP_PORT=$SIP_PORT" -A "WS_PORT=$WS_PORT" -A "RPC_PORT=$RPC_PORT"
  -A "EVAPI_PORT=$EVAPI_PORT"
  -A "DISPATCHER_LIST=\"$DS_LIST\""
  -A "DS_PING_INTERVAL=$PING_INTERVAL" -A "FR_TIMER=$FR_TIMER"
  -A "DS_PING_FROM=\"sip:kamailio@$LISTEN_IP\""
  -A "BRIDGE_CONTROLLER=\"sip:controller@$LISTEN_IP\""
  -A "BRIDGE_CONTACT=\"sip:controller@$LISTEN_IP:$SIP_PORT\""
)
for define in "${EXTRA_DEFINES[@]}"; do
  DEFINES+=(-A "$define")
done

write_dispatcher_list() {
  mkdir -p "$RUN_DIR"
  # set 1 = Genesys SIP Server; flags 0, priority 0; attrs: duid, desc (as scripts/kamailio writes it)
  printf '# written by the entrypoint; setid destination flags priority attrs\n1 sip:%s 0 0 duid=genesys1;desc=Genesys\n' \
    "$GENESYS" > "$DS_LIST"
}

rpc_ok() {
  curl -sf -m 2 -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","method":"core.version","id":1}' \
    "http://$LISTEN_IP:$RPC_PORT/RPC" | grep -q '"result"'
}

case "${1:-run}" in
  run)
    [[ -r "$CFG" ]] || die "no config at $CFG"
    write_dispatcher_list
    echo "kamailio: SIP udp+tcp $LISTEN_IP:$SIP_PORT, WS $LISTEN_IP:$WS_PORT, JSON-RPC http://$LISTEN_IP:$RPC_PORT/RPC," \
         "evapi $LISTEN_IP:$EVAPI_PORT, Genesys $GENESYS" >&2
    # -DD: foreground main process (children are forked), so docker sees it and signals it; -E: log to stderr
    exec kamailio -f "$CFG" -DD -E -m "$SHM_MB" -M "$PKG_MB" -Y "$RUN_DIR" -P "$RUN_DIR/kamailio.pid" -w "$RUN_DIR" \
      "${DEFINES[@]}"
    ;;
  check)
    [[ -r "$CFG" ]] || die "no config at $CFG"
    write_dispatcher_list
    exec kamailio -c -f "$CFG" -Y "$RUN_DIR" "${DEFINES[@]}"
    ;;
  health)
    rpc_ok
    ;;
  defines)
    printf '%s\n' "${DEFINES[@]}"
    ;;
  *)
    exec "$@"
    ;;
esac
