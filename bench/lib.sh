# Shared helpers for bench/run-*.sh, on top of scripts/lib.sh. Source it: . "$(dirname "$0")/lib.sh"
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

# The benchmarks' Release build directory: $AGENTKIT_BENCH_DIR (also read under its older names
# AGENTKIT_BENCH_BUILD and AGENTKIT_BENCH_BUILD_DIR), default build/bench; a relative path is taken from the
# checkout.
AK_BENCH_BUILD="${AGENTKIT_BENCH_DIR:-${AGENTKIT_BENCH_BUILD:-${AGENTKIT_BENCH_BUILD_DIR:-build/bench}}}"
case "$AK_BENCH_BUILD" in /*) ;; *) AK_BENCH_BUILD="$AGENTKIT_ROOT/$AK_BENCH_BUILD" ;; esac

# ak_bench_options SCRIPT ARGS...: the options of a script with a quick mode. --quick sets QUICK=1,
# -h/--help prints the script's leading comment (up to `set -euo`); anything else is an error.
# shellcheck disable=SC2034  # QUICK is read by the script that sourced this file
ak_bench_options() {
  local script="$1" arg; shift
  QUICK=0
  for arg in "$@"; do
    case "$arg" in
      --quick) QUICK=1 ;;
      -h|--help) sed -n '2,/^set -euo/p' "$script" | grep '^#'; exit 0 ;;
      *) ak_die "unknown option '$arg' (see $(ak_rel "$script") --help)" ;;
    esac
  done
}

# ak_bench_build BUILD TARGET...: builds TARGETs in BUILD, a Release build ($CXX or g++, -march=native,
# benchmarks and examples on, tests off) configured here when it is not yet; $AGENTKIT_JOBS parallel jobs (default 2).
# The log is build/logs/bench-build.log; on failure its excerpt is shown and the script ends.
ak_bench_build() {
  local build="$1" log; shift
  log="$(ak_log_file bench-build)"
  : >"$log"
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$AGENTKIT_ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_COMPILER=${CXX:-g++}" \
      -DAGENTKIT_BUILD_TESTS=OFF "-DCMAKE_CXX_FLAGS=-march=native" -DAGENTKIT_BUILD_BENCH=ON -DAGENTKIT_BUILD_EXAMPLES=ON >>"$log" 2>&1 \
      || { tail -40 "$log" >&2; ak_die "configure of $(ak_rel "$build") failed; full log: $(ak_rel "$log")"; }
  elif ! grep -q '^AGENTKIT_BUILD_BENCH:BOOL=ON' "$build/CMakeCache.txt" \
       || ! grep -q '^AGENTKIT_BUILD_EXAMPLES:BOOL=ON' "$build/CMakeCache.txt"; then
    # A directory configured otherwise: switch benchmarks and examples on, keep its other settings.
    cmake -S "$AGENTKIT_ROOT" -B "$build" -DAGENTKIT_BUILD_BENCH=ON -DAGENTKIT_BUILD_EXAMPLES=ON >>"$log" 2>&1 \
      || { tail -40 "$log" >&2; ak_die "configure of $(ak_rel "$build") failed; full log: $(ak_rel "$log")"; }
  fi
  cmake --build "$build" -j "${AGENTKIT_JOBS:-2}" --target "$@" >>"$log" 2>&1 \
    || { ak_excerpt "$log" >&2; ak_die "build of $* failed; full log: $(ak_rel "$log")"; }
}

# ak_chunking_corpus: the path of the ~10 MB chunking corpus, generated (node) when missing.
ak_chunking_corpus() {
  local corpus="$AGENTKIT_DATA_DIR/chunking/bench-corpus.txt"
  if [ ! -f "$corpus" ]; then
    ak_say "generating the corpus in $AGENTKIT_DATA_DIR/chunking"
    node "$AGENTKIT_ROOT/bench/peers/chunking/corpus.mjs" "$AGENTKIT_DATA_DIR/chunking" >&2 || ak_die "generating the corpus failed"
  fi
  printf '%s\n' "$corpus"
}

# ak_machine: "N cores, CPU model, load average a b c" for a report's heading.
ak_machine() {
  printf '%s cores, %s, load average %s\n' "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
}
