#!/usr/bin/env bash
# Chunking benchmarks side by side with @langchain/textsplitters, on the same ~10 MB corpus, in one run.
# Builds bench_chunk (Release, -march=native, build/bench), makes the corpus if missing (node), runs ours with
# repetitions and the peer, and prints markdown tables with ratios, plus whether our chunks equal LangChain's
# on the whole corpus (FNV-1a digests of all chunk bytes). Bounded: about 1-3 minutes on a 2-core machine
# (the LangChain token-sized run alone takes ~15 s of CPU).
#   bench/run-chunking.sh              everything
#   AGENTKIT_BENCH_REPS=3 bench/run-chunking.sh
# Needs: cmake, ninja, g++ (scripts/bootstrap); node + `scripts/bootstrap --peers` for the peer columns;
# $AGENTKIT_DATA_DIR/tiktoken for the exact-BPE rows (scripts/bootstrap).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$AGENTKIT_ROOT"
build="$AK_BENCH_BUILD"
reps="${AGENTKIT_BENCH_REPS:-5}"
peers_dir="bench/peers/chunking"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

command -v node >/dev/null 2>&1 || ak_die "node is needed for the corpus (scripts/bootstrap installs it)"
corpus="$(ak_chunking_corpus)"

ak_bench_build "$build" bench_chunk

ak_say "agentkit: bench_chunk x$reps"
"$build/bench/bench_chunk" --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_min_time=0.2 --benchmark_format=json --benchmark_context=corpus="$corpus" >"$out/ours.json"

if [ -d "$peers_dir/node_modules/@langchain/textsplitters" ]; then
  ak_say "peer: @langchain/textsplitters (chars x3, tokens x1)"
  (cd "$peers_dir" && node throughput.mjs "$corpus" --runs 3 --which chars && node throughput.mjs "$corpus" --runs 1 --which tokens) >"$out/peers.jsonl"
else
  ak_say "peer columns skipped: run scripts/bootstrap --peers (npm install in $peers_dir)"
fi

node "$peers_dir/report.mjs" "$out/ours.json" "$out/peers.jsonl"
