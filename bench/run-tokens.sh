#!/usr/bin/env bash
# Token-counting benchmarks, side by side with the peers in one run, printed as markdown
# (docs/benchmarks.md (tokens section)): MB/s of every estimator and of exact count / encode for cl100k_base and
# o200k_base on the ~10 MB mixed corpus, one thread, next to @dqbd/tiktoken (tiktoken's Rust core as
# WASM), js-tiktoken and gpt-tokenizer; parallel count; a 1 MiB piece; vocabulary load time and bytes.
# Every figure is the median of REPS runs, from wall-clock time (the peers are timed the same way).
#   bench/run-tokens.sh          (about 3-4 minutes on 2 quiet cores; js-tiktoken alone takes ~1 minute)
#   bench/run-tokens.sh --quick  the first 2 MB of the corpus for every tool, one repetition (loaded machines)
# Needs: scripts/bootstrap --peers (rank files, corpus, node packages of bench/peers/tokens).
# Env: AGENTKIT_BENCH_DIR (build dir, default build/bench; AGENTKIT_BENCH_BUILD also read), TOKENS_BENCH_REPS (default 3).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ak_bench_options "$0" "$@"

ROOT="$AGENTKIT_ROOT"
BUILD="$AK_BENCH_BUILD"
REPS="${TOKENS_BENCH_REPS:-3}"
PEERS="$ROOT/bench/peers/tokens"
CORPUS="$AGENTKIT_DATA_DIR/tokens/corpus.txt"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

[ -f "$CORPUS" ] || ak_die "no $CORPUS: run scripts/bootstrap --peers"
[ -f "$AGENTKIT_DATA_DIR/tiktoken/cl100k_base.tiktoken" ] || ak_die "no tiktoken rank files: run scripts/bootstrap"
[ -d "$PEERS/node_modules/@dqbd/tiktoken" ] || ak_die "no bench/peers/tokens/node_modules: run scripts/bootstrap --peers"

if [ "$QUICK" = 1 ]; then
  REPS=1
  node -e 'const fs=require("fs");const t=fs.readFileSync(process.argv[1],"utf8");let s=t.slice(0,2e6);if(/[\ud800-\udbff]$/.test(s))s=s.slice(0,-1);fs.writeFileSync(process.argv[2],s)' "$CORPUS" "$TMP/corpus.txt"
  CORPUS="$TMP/corpus.txt"
fi

ak_bench_build "$BUILD" bench_tokens bench_tokens_estimator

ak_say "agentkit (bench_tokens, $REPS repetitions)"
AGENTKIT_DATA_DIR="$AGENTKIT_DATA_DIR" AGENTKIT_TOKENS_CORPUS="$CORPUS" "$BUILD/bench/bench_tokens" --benchmark_repetitions="$REPS" \
  --benchmark_report_aggregates_only=true --benchmark_format=json --benchmark_min_time=0.5 >"$TMP/ours.json" 2>"$TMP/ours.err" \
  || { cat "$TMP/ours.err" >&2; ak_die "bench_tokens failed"; }
ak_say "agentkit (bench_tokens_estimator: each estimator kernel forced, $REPS repetitions)"
AGENTKIT_DATA_DIR="$AGENTKIT_DATA_DIR" AGENTKIT_TOKENS_CORPUS="$CORPUS" "$BUILD/bench/bench_tokens_estimator" --benchmark_repetitions="$REPS" \
  --benchmark_report_aggregates_only=true --benchmark_format=json --benchmark_min_time=0.2 >"$TMP/estimator.json" 2>"$TMP/estimator.err" \
  || { cat "$TMP/estimator.err" >&2; ak_die "bench_tokens_estimator failed"; }
ak_say "peers (node $(node --version))"
(cd "$PEERS" && node bench.mjs "$CORPUS" "$REPS") >"$TMP/peers.jsonl" || ak_die "bench/peers/tokens/bench.mjs failed"

LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
CPU="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
node - "$TMP/ours.json" "$TMP/peers.jsonl" "$CORPUS" "$PEERS" "$CPU" "$LOAD" "$REPS" "$TMP/estimator.json" <<'JS'
const fs = require('fs');
const [ours, peers, corpus, peersDir, cpu, load, reps, estimatorJson] = process.argv.slice(2);
const bytes = fs.statSync(corpus).size;
const all = JSON.parse(fs.readFileSync(ours, 'utf8')).benchmarks;
// Medians when repeated; the single run otherwise (Google Benchmark has no aggregates for one repetition).
const medians = all.filter((b) => b.aggregate_name === 'median');
const runs = medians.length ? medians : all.filter((b) => b.run_type === 'iteration');
const med = (name) => runs.find((b) => b.run_name === name || b.name === name);
const toMs = (b) => b.real_time * ({ ns: 1e-6, us: 1e-3, ms: 1, s: 1e3 }[b.time_unit]);
const mbps = (name, size = bytes) => { const b = med(name); return b ? size / 1e6 / (toMs(b) / 1e3) : NaN; };
// The same from the thread's CPU time (shows what a loaded machine takes away from wall-clock figures).
const cpuMbps = (name, size = bytes) => { const b = med(name); return b ? size / 1e6 / (toMs({ ...b, real_time: b.cpu_time }) / 1e3) : NaN; };
const goals = [];
const peer = fs.readFileSync(peers, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const version = (p) => JSON.parse(fs.readFileSync(`${peersDir}/node_modules/${p}/package.json`, 'utf8')).version;
const f = (x, d = 1) => Number.isFinite(x) ? x.toFixed(d) : 'n/a';
console.log('# Token counting benchmarks\n');
console.log(`Machine: ${cpu}, ${require('os').cpus().length} cores, load average ${load} at the end of the run (a shared machine shows it here);`);
console.log(`${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Corpus: ${(bytes / 1e6).toFixed(2)} MB (bench/peers/tokens/make-reference.mjs).`);
console.log(`Medians of ${reps} runs, wall-clock, one thread. Peers: @dqbd/tiktoken ${version('@dqbd/tiktoken')}, js-tiktoken ${version('js-tiktoken')} (1 run), gpt-tokenizer ${version('gpt-tokenizer')}, node ${process.version}.\n`);
for (const enc of ['cl100k_base', 'o200k_base']) {
  const ref = peer.find((p) => p.tool === '@dqbd/tiktoken' && p.encoding === enc);
  const tokens = med(`exact/count/${enc}`)?.tokens;
  console.log(`## Exact ${enc}\n`);
  console.log('| tool | operation | MB/s | × @dqbd/tiktoken | tokens | same count as tiktoken |');
  console.log('|---|---|---:|---:|---:|---|');
  const rows = [['agentkit', `count (no token vector; CPU time: ${f(cpuMbps(`exact/count/${enc}`))} MB/s)`, mbps(`exact/count/${enc}`), tokens],
                ['agentkit', `encode (CPU time: ${f(cpuMbps(`exact/encode/${enc}`))} MB/s)`, mbps(`exact/encode/${enc}`), tokens]];
  const cnt = mbps(`exact/count/${enc}`), encd = mbps(`exact/encode/${enc}`);
  goals.push([`exact count ${enc} >= 60 MB/s, one thread`, `${f(cnt)} MB/s`, cnt >= 60]);
  goals.push([`exact count ${enc} >= 15x @dqbd/tiktoken (same run)`, `${f(cnt / ref.mb_per_s)}x`, cnt / ref.mb_per_s >= 15]);
  goals.push([`encode ${enc} >= 40 MB/s, one thread`, `${f(encd)} MB/s`, encd >= 40]);
  goals.push([`same count as @dqbd/tiktoken (${enc})`, `${tokens} vs ${ref.tokens}`, tokens === ref.tokens]);
  for (const p of peer.filter((p) => p.encoding === enc)) rows.push([p.tool, p.op, p.mb_per_s, p.tokens]);
  for (const [tool, op, v, t] of rows)
    console.log(`| ${tool} | ${op} | ${f(v)} | ${f(v / ref.mb_per_s)} | ${t ?? 'n/a'} | ${t === ref.tokens ? 'yes' : 'no'} |`);
  console.log();
}
console.log('## Estimators (no vocabulary)\n');
console.log('| estimator | GB/s | tokens on the corpus | vs exact cl100k_base | vs exact o200k_base |');
console.log('|---|---:|---:|---:|---:|');
const exactCl = med('exact/count/cl100k_base')?.tokens, exactO2 = med('exact/count/o200k_base')?.tokens;
for (const name of ['estimate/chars_per_token<4>', 'estimate/calibrated<cl100k>', 'estimate/calibrated<o200k>', 'estimate/byte_scan(newlines)']) {
  const b = med(name), t = b?.tokens;
  const rel = (e) => t && e ? `${f(100 * (t - e) / e, 2)}%` : '';
  console.log(`| ${name.replace('estimate/', '')} | ${f(mbps(name) / 1000, 2)} (CPU time: ${f(cpuMbps(name) / 1000, 2)}) | ${t ? Math.round(t) : ''} | ${rel(exactCl)} | ${rel(exactO2)} |`);
  if (name.startsWith('estimate/calibrated')) goals.push([`${name.replace('estimate/', '')} >= 5 GB/s, one core`, `${f(mbps(name) / 1000, 2)} GB/s`, mbps(name) >= 5000]);
}
// Each kernel of the estimator forced (the dispatcher picks the widest the CPU runs), CPU time.
// (Google Benchmark writes NaN, which is not JSON, for the spread of a counter whose mean is 0.)
const est = JSON.parse(fs.readFileSync(estimatorJson, 'utf8').replace(/\bNaN\b/g, 'null')).benchmarks;
const estRuns = est.filter((b) => b.aggregate_name === 'median').length ? est.filter((b) => b.aggregate_name === 'median') : est;
console.log('\n| calibrated estimator kernel (forced; count() dispatches to the widest) | GB/s (CPU time) | heap allocations per call |');
console.log('|---|---:|---:|');
for (const b of estRuns.filter((b) => /^estimator\/features\/kernel\//.test(b.run_name || b.name)))
  console.log(`| ${b.label || b.name} | ${f(b['GB/s'], 2)} | ${f(b['allocs/call'], 0)} |`);
if (!estRuns.length) console.log('| (bench_tokens_estimator gave no rows) | | |');
console.log('\n## Scaling, long pieces, vocabulary\n');
console.log('| measurement | value |');
console.log('|---|---:|');
for (const t of [1, 2]) console.log(`| count_parallel cl100k_base, ${t} thread(s) | ${f(mbps(`exact/count_parallel/cl100k_base/${t}/real_time`))} MB/s |`);
const scale = mbps('exact/count_parallel/cl100k_base/2/real_time') / mbps('exact/count_parallel/cl100k_base/1/real_time');
goals.push(['count_parallel scales: 2 threads vs 1 (wall clock; needs 2 idle cores)', `${f(scale, 2)}x`, scale >= 1.5]);
console.log(`| token_ends cl100k_base (boundaries for the chunker) | ${f(mbps('exact/token_ends/cl100k_base'))} MB/s |`);
console.log(`| decode cl100k_base | ${f(mbps('exact/decode/cl100k_base'))} MB/s |`);
const lp = med('exact/count/cl100k_base/1MiB_letters_one_piece');
console.log(`| count of one 1 MiB piece (random letters, no spaces) | ${lp ? f(toMs(lp), 0) + ' ms' : 'n/a'} |`);
for (const enc of ['cl100k_base', 'o200k_base']) {
  const b = med(`vocab/load/${enc}/iterations:5`);
  console.log(`| load ${enc} (parse + build tables) | ${b ? f(toMs(b), 1) + ' ms' : 'n/a'} |`);
  console.log(`| resident bytes ${enc} | ${b ? (b.resident_bytes / 1048576).toFixed(2) + ' MiB' : 'n/a'} |`);
}
const memo = (name) => { const b = med(name); return b && b.memo_bytes ? (b.memo_bytes / 1048576).toFixed(2) + ' MiB' : 'n/a'; };
console.log(`| per-thread memo of recent pieces, grown by counting the corpus (tags only) | ${memo('exact/count/o200k_base')} |`);
console.log(`| the same after encoding (tags + token ids) | ${memo('exact/encode/o200k_base')} |`);
goals.push(['one 1 MiB piece without spaces does not take seconds', lp ? `${f(toMs(lp), 0)} ms` : 'n/a', !!lp && toMs(lp) < 1000]);
console.log('\n## Goals (issue 5)\n');
console.log('| goal | this run | met |');
console.log('|---|---:|---|');
for (const [g, v, ok] of goals) console.log(`| ${g} | ${v} | ${ok ? 'yes' : '**no**'} |`);
JS
