#!/usr/bin/env bash
# Resilience benchmarks, side by side with cockatiel (npm), as markdown tables:
#   1. the AWS "Exponential Backoff and Jitter" model (calls and completion time per strategy)
#   2. micro benchmarks: retry decision, backoff, rate-limit checks, breaker recording (medians of 5)
#   3. the retry + breaker scenario, agentkit (sync and Asio) vs cockatiel, with ratios
# Builds what it needs in Release (build dir: $AGENTKIT_BENCH_BUILD_DIR, default build/bench).
# Needs: scripts/bootstrap --peers (node + bench/peers/resilience/node_modules). Bounded: ~3 min.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
cd "$AGENTKIT_ROOT"
BUILD="${AGENTKIT_BENCH_BUILD_DIR:-build/bench}"
REPEATS="${AGENTKIT_BENCH_REPEATS:-5}"

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DAGENTKIT_BUILD_BENCH=ON -DAGENTKIT_BUILD_TESTS=OFF \
    -DAGENTKIT_BUILD_EXAMPLES=OFF "-DCMAKE_CXX_FLAGS=-march=native" >/dev/null || ak_die "cmake configure of $BUILD failed"
fi
LOG="$(mktemp)"; trap 'rm -f "$LOG"' EXIT
cmake --build "$BUILD" -j2 --target bench_resilience >"$LOG" 2>&1 || { cat "$LOG" >&2; ak_die "building bench_resilience failed"; }
# The simulation programs are plain C++ (bench/sim): built through CMake when bench/sim is wired in,
# otherwise directly with the same flags.
SIM="$BUILD/bench/sim"
if cmake --build "$BUILD" -j2 --target sim_resilience_aws_sim sim_resilience_scenario >/dev/null 2>&1; then :; else
  mkdir -p "$SIM"
  for s in resilience_aws_sim resilience_scenario; do
    "${CXX:-g++}" -std=c++20 -O2 -march=native -DNDEBUG -Iinclude "bench/sim/$s.cpp" -o "$SIM/sim_$s" -lpthread \
      || ak_die "building bench/sim/$s.cpp failed"
  done
fi

echo "## Resilience benchmarks"
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "### 1. AWS backoff model"
echo
"$SIM/sim_resilience_aws_sim" 100 30
echo
echo "### 2. Micro benchmarks (median of $REPEATS repetitions, CPU time)"
echo
"$BUILD/bench/bench_resilience" --benchmark_repetitions="$REPEATS" --benchmark_report_aggregates_only=true \
  --benchmark_min_time=0.2 --benchmark_format=json 2>/dev/null | python3 -c '
import json, sys
runs = json.load(sys.stdin)["benchmarks"]
rows = [b for b in runs if b.get("aggregate_name") == "median"] or [b for b in runs if b.get("run_type") == "iteration"]
print("| benchmark | CPU time per op | ops/s | allocations per op |")
print("|---|---:|---:|---:|")
for b in rows:
    name = b["run_name"] + (" (" + b["label"] + ")" if b.get("label") else "")
    alloc = b.get("allocs/op")
    print("| %s | %.2f ns | %.1f M/s | %s |" % (name, b["cpu_time"], 1000.0 / b["cpu_time"], "-" if alloc is None else "%.0f" % alloc))
'
echo
echo "### 3. Retry + circuit breaker scenario vs cockatiel (median of $REPEATS runs, ns per execution)"
echo
ours="$("$SIM/sim_resilience_scenario" "$REPEATS")"
if command -v node >/dev/null 2>&1 && [ -d bench/peers/resilience/node_modules/cockatiel ]; then
  peer="$(cd bench/peers/resilience && node scenario.mjs "$REPEATS")"
  peer_version="$(node -p "require('./bench/peers/resilience/node_modules/cockatiel/package.json').version")"
else
  peer=""; peer_version="not installed (scripts/bootstrap --peers)"
fi
echo "cockatiel $peer_version, node $(node --version 2>/dev/null || echo none)"
echo
echo "| workload | agentkit sync | agentkit Asio | cockatiel | cockatiel / sync | cockatiel / Asio |"
echo "|---|---:|---:|---:|---:|---:|"
for w in success transient open; do
  s=$(echo "$ours" | awk -v k="sync_$w" '$1==k{print $2}')
  a=$(echo "$ours" | awk -v k="async_$w" '$1==k{print $2}')
  c=$(echo "$peer" | awk -v k="cockatiel_$w" '$1==k{print $2}')
  if [ -n "$c" ] && [ -n "$s" ]; then
    awk -v w="$w" -v s="$s" -v a="$a" -v c="$c" 'BEGIN{printf "| %s | %.0f ns | %.0f ns | %.0f ns | %.1fx | %.1fx |\n", w, s, a, c, c/s, c/a}'
  else
    echo "| $w | $s ns | $a ns | n/a | n/a | n/a |"
  fi
done
echo
echo "Memory: $(echo "$ours" | awk '$1 ~ /^size_/ {sub(/^size_/,"",$1); printf "%s%s %s B", sep, $1, $2; sep=", "}'); \
keyed limiter 16 B per key slot, breaker count window 1 B per call; \
peak RSS of the whole agentkit scenario run $(echo "$ours" | awk '$1=="peak_rss_kb"{print $2}') KiB."
