#!/usr/bin/env bash
# Installs what the Kamailio image needs: the Debian packages scripts/run installs for Kamailio (the config loads
# websocket from kamailio-websocket-modules, evapi from kamailio-extra-modules, auth_ephemeral (agents' SIP
# credentials) from kamailio-autheph-modules, tls (wss://, optional) from kamailio-tls-modules; auth, permissions,
# pike, htable and debugger are in kamailio itself; curl for the health check).
#
#   docker/kamailio/install.sh            install what is missing (idempotent; what scripts/check-deploy runs)
#   docker/kamailio/install.sh --image    the same, then drop apt's lists and prepare the image's directories
#                                         (what docker/kamailio/Dockerfile runs)
#   docker/kamailio/install.sh --list     print the package list
#
# One script for both, so the check exercises the image's real install step.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

PACKAGES=(kamailio kamailio-websocket-modules kamailio-extra-modules kamailio-autheph-modules kamailio-tls-modules curl
  ca-certificates)

case "${1:-}" in
  --list) printf '%s\n' "${PACKAGES[@]}"; exit 0 ;;
  ""|--image) ;;
  *) echo "usage: $0 [--image|--list]" >&2; exit 2 ;;
esac

# ensure_packages: the project's own installer (apt-get update once, --no-install-recommends, only what is missing)
# shellcheck source=../../scripts/lib/packages.sh
source "$HERE/../../scripts/lib/packages.sh"
ensure_packages "${PACKAGES[@]}"
command -v kamailio >/dev/null || { echo "install.sh: kamailio is not on PATH after the install" >&2; exit 1; }

if [[ "${1:-}" == "--image" ]]; then
  rm -rf /var/lib/apt/lists/*
  # The config and the runtime dir (pid file, dispatcher.list written by the entrypoint), owned by the
  # unprivileged user the Debian package creates; every port the config listens on is above 1024.
  install -d -o root -g root -m 0755 /etc/kamailio/signaling-api
  install -d -o kamailio -g kamailio -m 0750 /run/kamailio
fi
