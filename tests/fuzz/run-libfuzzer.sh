#!/usr/bin/env bash
# Runs the real libFuzzer binaries (clang++, ASan + UBSan) for a while each and prints one line per target:
# executions, executions per second, peak RSS, corpus growth. The tree's corpus is only read: new inputs go to
# a scratch copy under the build directory.
#   tests/fuzz/run-libfuzzer.sh                      every target, 600 s each, one at a time
#   tests/fuzz/run-libfuzzer.sh -t 60 -j 2 json_openai sse_parser
# Options: -t SECONDS per target (600), -j N targets at once (1), -b BUILD_DIR (build/fuzz).
# Each target's own budgets (input length, nesting depth, bounded expansion) live in its source; here
# libFuzzer adds -max_len 65536 (bytes per input), -timeout 10 (seconds per input) and -rss_limit_mb 2048.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds=600 jobs=1 build="$root/build/fuzz"
while getopts "t:j:b:h" opt; do
  case "$opt" in
    t) seconds="$OPTARG" ;;
    j) jobs="$OPTARG" ;;
    b) build="$OPTARG" ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$root"/tests/fuzz/*.cpp; do
    n=$(basename "$f" .cpp)
    [ "$n" = replay_main ] || targets+=("$n")
  done
fi

mkdir -p "$build/logs"
echo "fuzz: configuring $build (clang++, -DAGENTKIT_FUZZ=ON); log: $build/logs/build.log" >&2
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DAGENTKIT_BUILD_TESTS=ON -DAGENTKIT_FUZZ=ON -DAGENTKIT_WERROR=ON >"$build/logs/build.log" 2>&1
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}" >>"$build/logs/build.log" 2>&1 \
  || { tail -40 "$build/logs/build.log" >&2; echo "fuzz: build failed; log: $build/logs/build.log" >&2; exit 1; }

run_one() {
  local name="$1" work="$build/corpus/$1" log="$build/logs/$1.log"
  rm -rf "$work" && mkdir -p "$work"
  local seeds
  seeds=$(find "$root/tests/fuzz/corpus/$name" -type f 2>/dev/null | wc -l)
  local status=ok
  "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/logs/$name-" "$work" "$root/tests/fuzz/corpus/$name" \
    >"$log" 2>&1 || status="FAILED (see $log)"
  local runs rss
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  printf '%-24s %6s s %12s runs %9s/s %6s MB peak RSS %5s seeds -> %5s corpus  %s\n' "$name" "$seconds" \
    "${runs:-?}" "$(( ${runs:-0} / seconds ))" "${rss:-?}" "$seeds" "$(find "$work" -type f | wc -l)" "$status"
  [ "$status" = ok ]
}

echo "fuzz: ${#targets[@]} targets, $seconds s each, $jobs at a time ($(date -u +%FT%TZ))" >&2
failed=0
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || failed=1; running=$((running - 1)); fi
done
while [ "$running" -gt 0 ]; do wait -n || failed=1; running=$((running - 1)); done
exit "$failed"
