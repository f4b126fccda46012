#!/usr/bin/env bash
# Many concurrent streaming agent turns on 2 threads, side by side with the official openai node client, as
# markdown tables (docs/benchmarks.md (agent section)):
#   1. N (default 1000) agents, each co_await a.async_run(...) with an on_delta, on one io_context run by 2
#      threads and one shared transport::http client (bench/sim/agent_streams.cpp), against a simulated
#      OpenAI-compatible upstream (bench/sim/mock_upstream.cpp: first chunk after 50 ms, then 20 chunks 10 ms
#      apart, usage, [DONE]); then the same N streams through `openai` (node, bench/peers/agent/streams.mjs)
#      against a fresh upstream of the same kind. Wall time, CPU, peak RSS, bytes per in-flight turn, threads;
#      the upstream's own CPU shows it is not the bottleneck;
#   2. the turn's own cost, run() vs co_await async_run() (bench/micro/agent_loop.cpp, BM_Turn/*).
# Builds what it needs in Release (build dir $AGENTKIT_BENCH_DIR, default build/bench; $AGENTKIT_BENCH_JOBS
# parallel jobs, default 2). Knobs: AGENTKIT_STREAMS_N (1000), AGENTKIT_STREAMS_THREADS (2). Bounded: about a
# minute once built.
# The peer needs `scripts/bootstrap --peers` (bench/peers/agent/node_modules); without it only our figures print.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
cd "$AGENTKIT_ROOT"
dir="${AGENTKIT_BENCH_DIR:-build/bench}"
jobs="${AGENTKIT_BENCH_JOBS:-2}"
n="${AGENTKIT_STREAMS_N:-1000}"
threads="${AGENTKIT_STREAMS_THREADS:-2}"
targets="sim_mock_upstream sim_agent_streams bench_agent_loop"
log="$(ak_log_file bench-agent-streams)"

cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DAGENTKIT_BUILD_BENCH=ON -DAGENTKIT_BUILD_TESTS=OFF \
  -DAGENTKIT_BUILD_EXAMPLES=OFF "-DCMAKE_CXX_FLAGS=-march=native" >"$log" 2>&1 \
  || { tail -40 "$log" >&2; ak_die "configure failed; full log: $(ak_rel "$log")"; }
# shellcheck disable=SC2086
cmake --build "$dir" -j"$jobs" --target $targets >>"$log" 2>&1 \
  || { ak_excerpt "$log" >&2; ak_die "build failed; full log: $(ak_rel "$log")"; }
sim="$dir/bench/sim"

# Thousands of sockets per process: the soft descriptor limit up to the hard one for every program started here.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

tmp="$(mktemp -d)"
mock_pid=""
cleanup() { [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# against NAME COMMAND...: runs COMMAND --base-url URL against a fresh simulated upstream; the client's RESULT
# line goes to $tmp/NAME.result, its output to $tmp/NAME.out, its exit status to $tmp/NAME.rc, the upstream's
# summary to $tmp/NAME.mock.
against() {
  local name="$1"; shift
  "$sim/sim_mock_upstream" --threads 1 --ttft-ms 50 --chunks 20 --gap-ms 10 >"$tmp/$name.mock" 2>&1 &
  mock_pid=$!
  for _ in $(seq 100); do [ -s "$tmp/$name.mock" ] && break; sleep 0.05; done
  local url; url="$(head -n 1 "$tmp/$name.mock")"
  [ -n "$url" ] || ak_die "the simulated upstream did not start"
  local rc=0
  timeout 60 "$@" --base-url "$url" --n "$n" >"$tmp/$name.out" 2>&1 || rc=$?
  kill -TERM "$mock_pid" 2>/dev/null || true
  wait "$mock_pid" 2>/dev/null || true
  mock_pid=""
  grep '^RESULT ' "$tmp/$name.out" >"$tmp/$name.result" || true
  echo "$rc" >"$tmp/$name.rc"
  if [ "$rc" -ne 0 ]; then ak_say "$name exited with $rc: $(grep -v '^RESULT ' "$tmp/$name.out" | tail -5)"; fi
  return 0
}

against agentkit "$sim/sim_agent_streams" --threads "$threads"
peers=missing
if [ -d bench/peers/agent/node_modules/openai ] && command -v node >/dev/null; then
  peers=failed
  against node node bench/peers/agent/streams.mjs && [ -s "$tmp/node.result" ] && peers=1
fi

# Medians of 5 short runs: the tool turn wakes the tool executor's worker thread, which a busy machine delays.
"$dir/bench/bench_agent_loop" --benchmark_filter='^BM_Turn/' --benchmark_min_time=0.2 --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true --benchmark_format=csv 2>>"$log" | grep -v '^[A-Za-z ]*:' >"$tmp/micro.csv" || true

field() {  # field FILE KEY: KEY's value on FILE's RESULT line
  if [ -s "$1" ]; then tr ' ' '\n' <"$1" | awk -F= -v k="$2" '$1==k { print $2; exit }'; fi
}
mock_field() {  # mock_field FILE KEY: KEY's value on the upstream's summary line
  if [ -s "$1" ]; then grep '^mock_upstream ' "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1==k { print $2; exit }' || true; fi
}
row() {  # row NAME LABEL
  local r="$tmp/$1.result" m="$tmp/$1.mock"
  [ -s "$r" ] || { echo "| $2 | $n | failed (see above) | - | - | - | - | - | - | - | - |"; return; }
  printf '| %s | %s | %s | %s/%s | %s | %s / %s | %s | %s (%s) | %s | %s -> %s | %s |\n' "$2" "$(field "$r" streams)" \
    "$(field "$r" completed)" "$(field "$r" deltas)" "$(field "$r" expected_deltas)" "$(field "$r" wall_s)" \
    "$(field "$r" turn_p50_ms)" "$(field "$r" turn_p99_ms)" "$(field "$r" cpu_s)" "$(field "$r" peak_rss_mb)" \
    "$(field "$r" baseline_rss_mb)" "$(field "$r" bytes_per_turn)" "$(field "$r" threads_before)" "$(field "$r" threads_during)" \
    "$(mock_field "$m" cpu_s)"
}
ratio() {  # ratio KEY: node / agentkit
  local a b; a="$(field "$tmp/agentkit.result" "$1")"; b="$(field "$tmp/node.result" "$1")"
  [ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0) printf "%.1fx", b/a; else printf "-" }' || printf -- "-"
}
openai_version="$(node -e 'console.log(require("./bench/peers/agent/node_modules/openai/package.json").version)' 2>/dev/null || true)"

echo "## Concurrent streaming agent turns ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m))"
echo
echo "$n streamed turns at once against a simulated OpenAI-compatible upstream on 127.0.0.1 (one thread; first"
echo "chunk after 50 ms, then 20 chunks 10 ms apart, usage, [DONE]: 240 ms per stream if nothing queues)."
echo "agentkit: $n agents (agent<with_model<openai_provider<transport::http>>>), co_await a.async_run(...) on one"
echo "io_context run by $threads threads, one shared http client. openai-node: client.chat.completions.create({stream: true})"
echo "iterated to the end. Wall and CPU cover the $n streams only; bytes per in-flight turn = (peak RSS - RSS after"
echo "one warm-up turn, shown in brackets) / $n; turn ms = each turn's duration from the common start (p50 / p99);"
echo "threads = before -> during the run (/proc/self/task); upstream CPU = the simulated upstream's own CPU time."
echo
echo "| client | streams | completed | deltas | wall s | turn ms p50 / p99 | CPU s | peak RSS MB (before) | bytes per in-flight turn | threads | upstream CPU s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
row agentkit "agentkit (C++20 coroutines, $threads threads)"
if [ "$peers" = 1 ]; then
  row node "openai ${openai_version} (node $(node --version))"
  echo
  echo "node / agentkit: wall $(ratio wall_s), CPU $(ratio cpu_s), peak RSS $(ratio peak_rss_mb), bytes per in-flight turn $(ratio bytes_per_turn), threads during $(ratio threads_during)."
elif [ "$peers" = failed ]; then
  echo
  echo "(the openai node peer failed; its output is above)"
else
  echo
  ak_say "the openai node peer is not installed; install it with: scripts/bootstrap --peers"
  echo "(openai node peer not installed: \`scripts/bootstrap --peers\`)"
fi

# ns per op of benchmark $1 (real_time converted from its unit)
ns() { awk -F, -v n="$1" '{ name=$1; gsub(/"/,"",name) } name==n { m=1; if($5 ~ /us/) m=1e3; if($5 ~ /ms/) m=1e6; printf "%.0f", $3*m; exit }' "$tmp/micro.csv"; }
us() { [ -n "$1" ] && awk -v x="$1" 'BEGIN { printf "%.2f", x/1e3 }' || printf -- "-"; }
echo
echo "### One turn's own cost: run() vs co_await async_run() (no offload, model answering at once; median of 5)"
echo
echo "| turn | model | run() us | co_await async_run() us | async / sync |"
echo "|---|---|---:|---:|---:|"
for turn in answer tool; do
  for model in scripted in_process; do
    s="$(ns "BM_Turn/$turn/$model/run/real_time_median")"; a="$(ns "BM_Turn/$turn/$model/async_run/real_time_median")"
    label="user -> answer (1 model call)"; [ "$turn" = tool ] && label="user -> tool call -> tool -> answer (2 model calls)"
    mlabel="scripted_provider (synchronous, called inline)"
    [ "$model" = in_process ] && mlabel="openai_provider over transport::in_process (awaited by async_run)"
    r="-"; [ -n "$s" ] && [ -n "$a" ] && r="$(awk -v s="$s" -v a="$a" 'BEGIN { printf "%.2fx", a/s }')"
    echo "| $label | $mlabel | $(us "$s") | $(us "$a") | $r |"
  done
done
echo
echo "Goal line: async / sync <= 2x per turn."
# A failed turn of ours fails the script (after the tables, so what was measured is still shown).
[ "$(cat "$tmp/agentkit.rc")" = 0 ] || ak_die "sim_agent_streams failed (exit $(cat "$tmp/agentkit.rc"))"
