# Shared helpers for scripts/*. Source it: . "$(dirname "$0")/lib.sh"
# shellcheck shell=bash
AGENTKIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export AGENTKIT_ROOT
: "${AGENTKIT_DATA_DIR:=$AGENTKIT_ROOT/data}"
export AGENTKIT_DATA_DIR
# Every script logs under this checkout's build directory, never a machine-wide path: two checkouts or two
# users never write the same log.
AGENTKIT_LOG_DIR="$AGENTKIT_ROOT/build/logs"
export AGENTKIT_LOG_DIR

ak_say() { printf 'agentkit: %s\n' "$*" >&2; }
ak_die() { printf 'agentkit: error: %s\n' "$*" >&2; exit 1; }

# ak_log_file NAME: prints the path of build/logs/NAME.log, creating build/logs (owned by the sudo caller,
# so that a later build without sudo can still write to build/).
ak_log_file() {
  if [ ! -d "$AGENTKIT_LOG_DIR" ]; then
    mkdir -p "$AGENTKIT_LOG_DIR" || return 1
    if [ -n "${SUDO_UID:-}" ] && [ "$(id -u)" -eq 0 ]; then
      chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$AGENTKIT_ROOT/build" "$AGENTKIT_LOG_DIR" 2>/dev/null || true
    fi
  fi
  printf '%s/%s.log\n' "$AGENTKIT_LOG_DIR" "$1"
}

# ak_rel PATH: PATH relative to the checkout when inside it (shorter messages).
ak_rel() { case "$1" in "$AGENTKIT_ROOT"/*) printf '%s\n' "${1#"$AGENTKIT_ROOT"/}" ;; *) printf '%s\n' "$1" ;; esac; }

# ak_excerpt LOG: what went wrong, from LOG: ninja's FAILED blocks (command and compiler output), else the tail.
ak_excerpt() {
  if grep -q '^FAILED: ' "$1"; then
    awk '/^FAILED: /{on = 1} /^\[[0-9]+\/[0-9]+\] /{on = 0} /^ninja: build stopped/{on = 0} on' "$1" | head -n 80
  else
    tail -n 30 "$1"
  fi
}

# ak_progress LABEL PASSTHROUGH: reads ninja or ctest output on stdin and shows progress on stderr.
# ninja's "[N/M] ..." lines and ctest's passed-test lines are progress: on a terminal one line redrawn in
# place, otherwise one "LABEL: N/M" line per tenth of the way (CI logs stay short). Other lines are shown
# when PASSTHROUGH is 1 (ctest: failures, skips, the summary) and dropped when 0 (ninja: the log has them).
ak_progress() {
  local tty=0 cols=80 unbuffered=()
  if [ -t 2 ]; then tty=1; cols="$(tput cols 2>/dev/null || echo 80)"; fi
  # mawk (Debian's awk) reads a pipe in blocks: without -W interactive the progress would lag the build.
  if awk -W version 2>&1 | grep -q mawk; then unbuffered=(-W interactive); fi
  awk "${unbuffered[@]}" -v label="$1" -v pass="$2" -v tty="$tty" -v cols="$cols" '
    function clear() { if (drawn) { printf "\r\033[K" > "/dev/stderr"; drawn = 0 } }
    function progress(n, m, line,   step) {
      if (m <= 0) return
      if (m != total) { total = m; last = 0 }
      if (tty) {
        if (length(line) > cols - 1) line = substr(line, 1, cols - 1)
        printf "\r\033[K%s", line > "/dev/stderr"; drawn = 1
      } else {
        step = int(10 * n / m)
        if (step > last || n == m) { printf "agentkit: %s: %d/%d\n", label, n, m > "/dev/stderr"; last = step }
      }
      fflush("/dev/stderr")
    }
    /^\[[0-9]+\/[0-9]+\] / {                                   # ninja: [finished/total] description
      split(substr($1, 2, length($1) - 2), f, "/"); progress(f[1] + 0, f[2] + 0, $0); next
    }
    /^ *[0-9]+\/[0-9]+ Test +#[0-9]+: .* Passed +[0-9.]+ sec$/ { # ctest: a passed test
      split($1, f, "/"); progress(f[1] + 0, f[2] + 0, $0); next
    }
    /^ *Start +[0-9]+: / { next }                              # ctest: a test started
    pass == 1 { clear(); print > "/dev/stderr"; fflush("/dev/stderr") }
    END { clear() }'
}

# ak_configure PRESET LOG: cmake --preset PRESET, output to LOG (truncated); dies with its tail and LOG.
# AGENTKIT_DEBUG_INFO (e.g. -g1) replaces the debug presets' -g: .ci/run builds with line tables only, the same
# code and warnings for a quarter less compile time.
ak_configure() {
  local extra=()
  [ -z "${AGENTKIT_DEBUG_INFO:-}" ] || extra=("-DCMAKE_CXX_FLAGS_DEBUG=$AGENTKIT_DEBUG_INFO")
  cmake --preset "$1" "${extra[@]}" >"$2" 2>&1 \
    || { tail -n 30 "$2" >&2; ak_die "configure ($1) failed; full log: $(ak_rel "$2")"; }
}

# ak_build PRESET LOG [cmake --build options...]: builds with ninja's [N/M] progress on stderr, output
# appended to LOG; on failure dies with the failing commands' output and LOG.
ak_build() {
  local - preset="$1" log="$2" start=$SECONDS
  set -o pipefail
  shift 2
  NINJA_STATUS='[%f/%t] ' cmake --build --preset "$preset" "$@" 2>&1 | tee -a "$log" | ak_progress "build $preset" 0 \
    || { ak_excerpt "$log" >&2; ak_die "build ($preset) failed; full log: $(ak_rel "$log")"; }
  ak_say "$preset: built in $((SECONDS - start)) s"
}

# ak_apt_install PKG...: installs the Debian packages that are not installed yet; silent when none is missing.
ak_apt_install() {
  local missing=() p log
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || ak_die "missing Debian packages: ${missing[*]} (run scripts/bootstrap as root, or: sudo apt-get install ${missing[*]})"
  log="$(ak_log_file bootstrap)"
  if [ -z "${AK_APT_UPDATED:-}" ]; then
    ak_say "apt-get update (log: $(ak_rel "$log"))"
    apt-get update -qq >>"$log" 2>&1 || { tail -n 20 "$log" >&2; ak_die "apt-get update failed; full log: $(ak_rel "$log")"; }
    AK_APT_UPDATED=1
    export AK_APT_UPDATED
  fi
  for p in "${missing[@]}"; do
    apt-cache show "$p" >/dev/null 2>&1 || ak_die "Debian package '$p' is not available from the configured apt sources"
  done
  ak_say "installing ${missing[*]} (log: $(ak_rel "$log"))"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1 \
    || { tail -n 20 "$log" >&2; ak_die "apt-get install ${missing[*]} failed; full log: $(ak_rel "$log")"; }
}

# ak_npm_install DIR: installs the node packages of DIR/package.json (exact versions), quiet when done.
ak_npm_install() {
  local dir="$1" log
  [ -f "$dir/package.json" ] || return 0
  if [ -d "$dir/node_modules" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package.json" ]; then return 0; fi
  log="$(ak_log_file bootstrap)"
  ak_say "npm install in $(ak_rel "$dir") (log: $(ak_rel "$log"))"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error >>"$log" 2>&1) \
    || { tail -n 20 "$log" >&2; ak_die "npm install in $(ak_rel "$dir") failed; full log: $(ak_rel "$log")"; }
}
