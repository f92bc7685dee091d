# Sourced by scripts/run and scripts/test: installs Debian packages that are missing, once.
# Usage: ensure_packages kamailio sip-tester ...
ensure_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "need root (or sudo) to install: ${missing[*]}" >&2; return 1; }
    sudo="sudo"
  fi
  echo "Installing Debian packages: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# A JDK 17 for Maven: the machine's default java if it is 17 or newer, else Debian's.
ensure_jdk() {
  if command -v javac >/dev/null 2>&1; then
    local major
    major=$(javac -version 2>&1 | sed -E 's/^javac ([0-9]+).*/\1/')
    [[ "$major" =~ ^[0-9]+$ && "$major" -ge 17 ]] && return 0
  fi
  ensure_packages openjdk-17-jdk-headless
}

# Node.js and npm for the browser pages' build (src/main/web): the machine's own if it has npm, else Debian's.
ensure_node() {
  command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 && return 0
  ensure_packages nodejs npm
}
