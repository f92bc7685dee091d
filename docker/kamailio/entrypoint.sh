#!/usr/bin/env bash
# Entrypoint of the Kamailio image: config/kamailio/kamailio.cfg with its -A defines taken from the environment,
# the same variables and defines as scripts/kamailio (scripts/check-deploy fails if the two drift apart).
#
#   entrypoint.sh [run]     Kamailio in the foreground (-DD), logging to stderr (docker logs)
#   entrypoint.sh check     kamailio -c: parse the config with these defines and load its modules, then exit
#                           (run and check refuse to start without SIP_AUTH_SECRET, and write the trusted peers)
#   entrypoint.sh health    exit 0 when JSON-RPC answers core.version (the image's HEALTHCHECK)
#   entrypoint.sh defines   print the -A arguments, one per line
#   entrypoint.sh CMD ...   run CMD instead (a shell, kamailio -v, ...)
#
# Environment (defaults in brackets):
#   KAMAILIO_LISTEN_IP [the container's first address]   the address SIP, WS, JSON-RPC and evapi listen on, and
#                        the one Kamailio puts in Record-Route: other containers and agents must reach it
#   KAMAILIO_SIP_PORT [5060] (udp+tcp)  KAMAILIO_WS_PORT [8080]  KAMAILIO_RPC_PORT [5071]  KAMAILIO_EVAPI_PORT [8448]
#   GENESYS_SERVER [127.0.0.1:5090]  host:port of the Genesys SIP Server probed with OPTIONS (dispatcher set 1)
#   KAMAILIO_DS_PING_INTERVAL [2]  KAMAILIO_FR_TIMER [5000]  KAMAILIO_SHM_MB [64]  KAMAILIO_PKG_MB [32]
#   SIP_AUTH_SECRET      (required, at least 32 characters: openssl rand -base64 48) the secret shared with
#                        signaling-api (signaling.sip-auth.secret) for agents' SIP credentials; Kamailio reads it from
#                        its environment, never from the command line
#   SIP_AUTH_SECRET_PREVIOUS  (optional, at least 32 characters) the secret before a rotation, still accepted beside
#                        SIP_AUTH_SECRET until the credentials issued with it have expired (docs/deployment.md)
#   KAMAILIO_TRUSTED_PEERS [none]  addresses or CIDR ranges (space separated) of the trusted peers: Asterisk, the
#                        Genesys SIP Servers, SBCs. Not challenged; their X-Call-Id, Call-Info and Alert-Info are
#                        believed. Written to $KAMAILIO_RUN_DIR/trusted-peers.list. The image trusts nobody by
#                        default: it cannot know which addresses are yours (docker/compose.yaml lists its Asterisk).
#   KAMAILIO_PIKE_DENSITY [64]  requests per source address per 2 s before pike blocks it (untrusted senders; agents
#                        behind one NAT address share it)
#   KAMAILIO_DEFINES     more defines, space separated, e.g. "LOG_LEVEL=3"
#   KAMAILIO_CFG [/etc/kamailio/signaling-api/kamailio.cfg]  KAMAILIO_RUN_DIR [/run/kamailio]
set -euo pipefail

CFG="${KAMAILIO_CFG:-/etc/kamailio/signaling-api/kamailio.cfg}"
RUN_DIR="${KAMAILIO_RUN_DIR:-/run/kamailio}"
DS_LIST="$RUN_DIR/dispatcher.list"
PEERS_LIST="$RUN_DIR/trusted-peers.list"

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
PKG_MB="${KAMAILIO_PKG_MB:-32}"
TRUSTED_PEERS="${KAMAILIO_TRUSTED_PEERS-}"
PIKE_DENSITY="${KAMAILIO_PIKE_DENSITY:-64}"
read -r -a EXTRA_DEFINES <<<"${KAMAILIO_DEFINES:-}"

die() { echo "kamailio entrypoint: $*" >&2; exit 1; }

# The values end up in the config as tokens or inside quotes: refuse anything but plain addresses and numbers.
[[ "$LISTEN_IP" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || die "KAMAILIO_LISTEN_IP must be an IPv4 address, got '$LISTEN_IP'"
for value in "$SIP_PORT" "$WS_PORT" "$RPC_PORT" "$EVAPI_PORT" "$PING_INTERVAL" "$FR_TIMER" "$SHM_MB" "$PKG_MB" \
    "$PIKE_DENSITY"; do
  [[ "$value" =~ ^[0-9]{1,6}$ ]] || die "ports, timers, memory sizes and the pike density must be numbers, got '$value'"
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
  -A "TRUSTED_PEERS_FILE=\"$PEERS_LIST\"" -A "PIKE_DENSITY=$PIKE_DENSITY"
)
# the previous secret of a rotation: only when there is one (the config would otherwise add an empty secret)
if [[ -n "${SIP_AUTH_SECRET_PREVIOUS:-}" ]]; then
  DEFINES+=(-A "WITH_SIP_AUTH_SECRET_PREVIOUS")
fi
for define in "${EXTRA_DEFINES[@]}"; do
  DEFINES+=(-A "$define")
done

write_dispatcher_list() {
  mkdir -p "$RUN_DIR"
  # set 1 = Genesys SIP Server; flags 0, priority 0; attrs: duid, desc (as scripts/kamailio writes it)
  printf '# written by the entrypoint; setid destination flags priority attrs\n1 sip:%s 0 0 duid=genesys1;desc=Genesys\n' \
    "$GENESYS" > "$DS_LIST"
}

# Same rules as scripts/kamailio's check_secret: without a secret anyone could compute agents' credentials.
check_secret() {
  [[ -n "${SIP_AUTH_SECRET:-}" ]] \
    || die "SIP_AUTH_SECRET is not set: the secret shared with signaling-api for agents' SIP credentials (openssl rand -base64 48)"
  (( ${#SIP_AUTH_SECRET} >= 32 )) || die "SIP_AUTH_SECRET must be at least 32 characters"
  if [[ -n "${SIP_AUTH_SECRET_PREVIOUS:-}" ]]; then
    (( ${#SIP_AUTH_SECRET_PREVIOUS} >= 32 )) || die "SIP_AUTH_SECRET_PREVIOUS must be at least 32 characters (or empty)"
  fi
}

# An IPv4 address (0-255, no leading zeros) or an IPv6 one, and a prefix length that fits it; /0 (everyone) refused.
# The same function is in scripts/kamailio.
valid_peer() {
  local address="$1" prefix="$2" octet='(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])'
  [[ "$prefix" =~ ^[1-9][0-9]{0,2}$ ]] || return 1
  if [[ "$address" =~ ^$octet(\.$octet){3}$ ]]; then
    (( prefix <= 32 ))
  elif [[ "$address" == *:* && "$address" =~ ^[0-9A-Fa-f:]{2,39}$ ]]; then
    (( prefix <= 128 ))
  else
    return 1
  fi
}

# One "1 ADDRESS PREFIX 0" line per trusted peer (kamailio.cfg's TRUSTED_PEERS_FILE, permissions module format:
# group 1, address, prefix length, port 0 = any); an empty list trusts nobody.
write_trusted_peers() {
  local peer address prefix peers
  read -r -a peers <<<"$TRUSTED_PEERS"
  mkdir -p "$RUN_DIR"
  printf '# written by the entrypoint from KAMAILIO_TRUSTED_PEERS; group address prefix port(0 = any)\n' > "$PEERS_LIST"
  for peer in "${peers[@]}"; do
    address="${peer%%/*}"
    if [[ "$peer" == */* ]]; then prefix="${peer#*/}"; elif [[ "$address" == *:* ]]; then prefix=128; else prefix=32; fi
    valid_peer "$address" "$prefix" \
      || die "KAMAILIO_TRUSTED_PEERS: '$peer' is not an IP address or CIDR range (prefix 1-32, IPv6 1-128)"
    printf '1 %s %s 0\n' "$address" "$prefix" >> "$PEERS_LIST"
  done
}

rpc_ok() {
  curl -sf -m 2 -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","method":"core.version","id":1}' \
    "http://$LISTEN_IP:$RPC_PORT/RPC" | grep -q '"result"'
}

case "${1:-run}" in
  run)
    [[ -r "$CFG" ]] || die "no config at $CFG"
    check_secret
    write_dispatcher_list
    write_trusted_peers
    echo "kamailio: SIP udp+tcp $LISTEN_IP:$SIP_PORT, WS $LISTEN_IP:$WS_PORT, JSON-RPC http://$LISTEN_IP:$RPC_PORT/RPC," \
         "evapi $LISTEN_IP:$EVAPI_PORT, Genesys $GENESYS, trusted peers: ${TRUSTED_PEERS:-none}" >&2
    # -DD: foreground main process (children are forked), so docker sees it and signals it; -E: log to stderr
    exec kamailio -f "$CFG" -DD -E -m "$SHM_MB" -M "$PKG_MB" -Y "$RUN_DIR" -P "$RUN_DIR/kamailio.pid" -w "$RUN_DIR" \
      "${DEFINES[@]}"
    ;;
  check)
    [[ -r "$CFG" ]] || die "no config at $CFG"
    check_secret
    write_dispatcher_list
    write_trusted_peers
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
