# Sourced by scripts/run and scripts/new-agent-token: the lab's secrets, each made once in its own file under run/.
# Usage: lab_secret FILE   prints the secret in FILE, creating FILE first (mode 600) if it is missing or empty.
lab_secret() {
  local file="$1"
  if [[ ! -s "$file" ]]; then
    mkdir -p "$(dirname "$file")"
    # 36 random bytes as base64url: 48 characters (288 bits), no padding, nothing a shell or URL would mangle
    (umask 077; head -c 36 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$file")
  fi
  chmod 600 "$file"
  cat "$file"
}
