# Shared helpers for scripts/*. Source it: . "$(dirname "$0")/lib.sh"
AGENTKIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export AGENTKIT_ROOT
: "${AGENTKIT_DATA_DIR:=$AGENTKIT_ROOT/data}"
export AGENTKIT_DATA_DIR

ak_say() { printf 'agentkit: %s\n' "$*" >&2; }
ak_die() { printf 'agentkit: error: %s\n' "$*" >&2; exit 1; }

# ak_apt_install PKG...: installs the Debian packages that are not installed yet; silent when none is missing.
ak_apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || ak_die "missing Debian packages: ${missing[*]} (run scripts/bootstrap as root, or: sudo apt-get install ${missing[*]})"
  if [ -z "${AK_APT_UPDATED:-}" ]; then
    ak_say "apt-get update"
    apt-get update -qq >/tmp/agentkit-apt.log 2>&1 || { cat /tmp/agentkit-apt.log >&2; ak_die "apt-get update failed"; }
    AK_APT_UPDATED=1
  fi
  for p in "${missing[@]}"; do
    apt-cache show "$p" >/dev/null 2>&1 || ak_die "Debian package '$p' is not available from the configured apt sources"
  done
  ak_say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/agentkit-apt.log 2>&1 \
    || { tail -20 /tmp/agentkit-apt.log >&2; ak_die "apt-get install ${missing[*]} failed"; }
}

# ak_npm_install DIR: installs the node packages of DIR/package.json (exact versions), quiet when done.
ak_npm_install() {
  local dir="$1"
  [ -f "$dir/package.json" ] || return 0
  if [ -d "$dir/node_modules" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package.json" ]; then return 0; fi
  ak_say "npm install in ${dir#$AGENTKIT_ROOT/}"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error >/tmp/agentkit-npm.log 2>&1) \
    || { tail -20 /tmp/agentkit-npm.log >&2; ak_die "npm install in $dir failed"; }
}
