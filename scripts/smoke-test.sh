#!/usr/bin/env bash
# The seed's curl test of every endpoint, made strict: exits non-zero on an unexpected status or a missing field.
#
#   scripts/smoke-test.sh [BASE_URL] [DN]      BASE_URL defaults to https://localhost:8443/api, DN to 5001
#
# Needs curl and jq. -k accepts the self-signed lab certificate, as the seed's examples do.
set -uo pipefail
BASE_URL="${1:-https://localhost:8443/api}"
DN="${2:-5001}"
BASE_URL="${BASE_URL%/}"
failures=0
body=$(mktemp)
trap 'rm -f "$body"' EXIT

# check NAME METHOD PATH ALLOWED_STATUSES JQ_FILTER
# JQ_FILTER must evaluate to true on the body (jq -e).
check() {
  local name=$1 path=$2 allowed=$3 filter=$4
  local status
  status=$(curl -ks -o "$body" -w '%{http_code}' --max-time 10 "$BASE_URL$path")
  if [[ " $allowed " != *" $status "* ]]; then
    echo "FAIL $name: GET $path -> HTTP $status (expected one of: $allowed)"; cat "$body"; echo
    failures=$((failures + 1)); return
  fi
  if ! jq -e "$filter" "$body" >/dev/null 2>&1; then
    echo "FAIL $name: GET $path -> HTTP $status, body lacks: $filter"; cat "$body"; echo
    failures=$((failures + 1)); return
  fi
  echo "ok   $name: GET $path -> HTTP $status"
}

echo "Testing REST API at $BASE_URL ..."
check health /health "200" \
  '(.status|type=="string") and .service and (.version|type=="string") and (.timestamp|type=="string") and (.uptime|type=="number") and .components'
check "dn info" "/dn/$DN" "200 404" \
  'if .error then (.error|startswith("DN not found")) else (.dn and (.status|IN("available","busy","offline")) and (.sip_uri|startswith("sip:"))) end'
check "dn list" /dn/list "200" \
  '(.dns|type=="array") and all(.dns[]; .dn and .sip_uri and (.status|IN("registered","offline")))'
check "genesys status" /genesys/status "200 503" \
  '(.connected|type=="boolean") and (.server|type=="string") and .service and .status and (if .connected then true else (.error|type=="string") end)'
check "active calls" /calls/active "200" \
  '(.active_calls|type=="number") and (.timestamp|type=="string")'
check "calls by dn" "/calls/dn/$DN" "200 404" \
  'if .error then (.error|startswith("DN not found")) else (.dn and (.active_calls|type=="array") and (.count|type=="number") and all(.active_calls[]; .call_id and .from and .to and .state and (.duration|type=="number"))) end'
check "bad dn" "/dn/bad%0Adn" "400" '.error|startswith("Invalid DN")'

if [[ $failures -gt 0 ]]; then
  echo "Tests failed: $failures"
  exit 1
fi
echo "Tests complete!"
