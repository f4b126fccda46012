#!/usr/bin/env bash
# Memory, compaction and storage benchmarks, printed as markdown tables next to the seeds' figures.
#   bench/run-memory.sh            build (Release, -march=native) into ${AGENTKIT_BENCH_DIR:-build/bench} and run
# Env: AGENTKIT_BENCH_DIR (build dir), AGENTKIT_BENCH_TMP (where SQLite files go, default /tmp),
#      REPS (repetitions, default 3; medians are reported). Bounded: about 2-3 minutes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${AGENTKIT_BENCH_DIR:-$root/build/bench}"
reps="${REPS:-3}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DAGENTKIT_BUILD_BENCH=ON -DAGENTKIT_BUILD_TESTS=OFF \
      -DAGENTKIT_BUILD_EXAMPLES=OFF "-DCMAKE_CXX_FLAGS=-march=native" > "$out/cmake.log" || { cat "$out/cmake.log"; exit 1; }
cmake --build "$build" -j2 --target bench_storage_backends bench_memory_compaction > "$out/build.log" || { tail -50 "$out/build.log"; exit 1; }

common=(--benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true --benchmark_min_time=0.3 --benchmark_format=json)
"$build/bench/bench_storage_backends" "${common[@]}" > "$out/storage.json" 2> "$out/storage.err"
"$build/bench/bench_memory_compaction" "${common[@]}" > "$out/memory.json" 2> "$out/memory.err"

python3 - "$reps" "$out/storage.json" "$out/memory.json" <<'PY'
import json, sys
rows = {}
ctx = None
reps = sys.argv[1]
for path in sys.argv[2:]:
    doc = json.load(open(path))
    ctx = doc["context"]
    for b in doc["benchmarks"]:
        if b.get("aggregate_name") not in (None, "median"):
            continue
        name = b["run_name"] if "run_name" in b else b["name"]
        rows[name] = b

def get(prefix):
    for k, v in rows.items():
        if k.startswith(prefix):
            return v
    raise SystemExit("missing benchmark " + prefix)

def t_us(b):  # time per iteration in microseconds
    unit = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[b["time_unit"]]
    return b["real_time"] * unit

def fmt_us(us):
    return f"{us/1000:.2f} ms" if us >= 1000 else f"{us:.1f} µs" if us >= 1 else f"{us*1000:.0f} ns"

print(f"Machine: {ctx.get('host_name','?')}, {ctx['num_cpus']} CPUs @ {ctx['mhz_per_cpu']} MHz, load average "
      f"{', '.join(f'{x:.2f}' for x in ctx.get('load_avg', []))}. Medians of {reps} repetitions, wall-clock time.\n")

print("### Storage: agentkit vs the seed's figures (Assistant Worker memory operations, Caxton SQLite SLA)\n")
print("| operation | seed figure | agentkit sqlite (WAL+NORMAL) | ratio | agentkit memory |")
print("|---|---|---|---|---|")
add_sql = t_us(get("BM_AppendSingle/1/")); add_mem = t_us(get("BM_AppendSingle/0/"))
l20 = get("BM_Last20/1/"); l20m = get("BM_Last20/0/")
clr = t_us(get("BM_SeedClear100/1/")); clrm = t_us(get("BM_SeedClear100/0/"))
summ = t_us(get("BM_ExtractiveSummary1000"))
print(f"| add message | 5 ms | {fmt_us(add_sql)} | {5000/add_sql:.0f}x faster | {fmt_us(add_mem)} |")
print(f"| get messages (last 20) | 8 ms | {fmt_us(l20['p50_us'])} p50 | {8000/l20['p50_us']:.0f}x faster | {fmt_us(l20m['p50_us'])} p50 |")
print(f"| clear memory (100-message session) | 12 ms | {fmt_us(clr)} | {12000/clr:.0f}x faster | {fmt_us(clrm)} |")
print(f"| generate summary (1000 messages) | 2.5 s (LLM) | {fmt_us(summ)} (extractive, offline) | not like for like | |")
print(f"| SQLite query p50 / p99 (Caxton SLA) | 1 ms / 10 ms | {fmt_us(l20['p50_us'])} / {fmt_us(l20['p99_us'])} (last 20) | {1000/l20['p50_us']:.0f}x / {10000/l20['p99_us']:.0f}x | |")

print("\n### Storage throughput and latency\n")
print("| benchmark | memory | sqlite WAL+NORMAL | sqlite WAL+FULL |")
print("|---|---|---|---|")
def rate(b, n=1):
    return n * 1e6 / t_us(b)
print(f"| append, one message per transaction (msg/s) | {rate(get('BM_AppendSingle/0/')):,.0f} | {rate(get('BM_AppendSingle/1/')):,.0f} | {rate(get('BM_AppendSingle/2/')):,.0f} |")
print(f"| append_batch of 100 (msg/s) | {rate(get('BM_AppendBatch/0/100/'),100):,.0f} | {rate(get('BM_AppendBatch/1/100/'),100):,.0f} | |")
print(f"| append_batch of 1000 (msg/s) | | {rate(get('BM_AppendBatch/1/1000/'),1000):,.0f} | {rate(get('BM_AppendBatch/2/1000/'),1000):,.0f} |")
print(f"| append_batch of 1000, high_throughput profile (msg/s) | | {rate(get('BM_AppendBatch/3/1000/'),1000):,.0f} | |")
def cpu_rate(b, n):
    unit = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[b["time_unit"]]
    return n * 1e6 / (b["cpu_time"] * unit)
print(f"| append_batch of 1000, rate by CPU time (msg/s) | | {cpu_rate(get('BM_AppendBatch/1/1000/'),1000):,.0f} | {cpu_rate(get('BM_AppendBatch/2/1000/'),1000):,.0f} |")
print(f"| last 20 p50 / p99 | {fmt_us(l20m['p50_us'])} / {fmt_us(l20m['p99_us'])} | {fmt_us(l20['p50_us'])} / {fmt_us(l20['p99_us'])} | |")
pm = t_us(get("BM_Prune100k/0/")); ps = t_us(get("BM_Prune100k/1/"))
print(f"| prune 100k expired sessions | {fmt_us(pm)} | {fmt_us(ps)} | |")
bm = get("BM_BytesPerMessage/0/"); bs = get("BM_BytesPerMessage/1/")
print(f"| bytes per stored message (~100 B content) | {bm['bytes_per_message']:.0f} (heap) | {bs['bytes_per_message']:.0f} (file) | |")
print(f"| peak RSS of the storage bench process | {max(bm['peak_rss_mb'], bs['peak_rss_mb']):.0f} MB | | |")

print("\n### Compaction\n")
print("| benchmark | time |")
print("|---|---|")
for name, label in [("BM_Decision_SummaryBuffer", "decision per turn, summary_buffer, 1000-message history (append + maybe_compact)"),
                    ("BM_Decision_Trim", "decision per turn, trim, 1000-message history"),
                    ("BM_Decision_RecountEveryTurn", "naive decision: recount 1000 messages each turn"),
                    ("BM_Compact1000", "one summary_buffer compaction of 1000 messages"),
                    ("BM_ExtractiveSummary1000", "extractive summary of 1000 messages")]:
    print(f"| {label} | {fmt_us(t_us(get(name)))} |")
print("\n| memory type: save 200 messages + load | time |")
print("|---|---|")
for n in ["Buffer", "Window", "Summary", "SummaryBuffer"]:
    print(f"| {n} | {fmt_us(t_us(get('BM_MemoryType_' + n)))} |")

print("\n### Compaction quality (synthetic 300-turn conversation, seed 42, 8192-token window)\n")
print("| policy | compactions | pinned messages kept verbatim | latest value of each fact kept | final tokens |")
print("|---|---|---|---|---|")
for name, label in [("BM_Quality_SummaryBuffer/", "summary_buffer (Flynn defaults)"), ("BM_Quality_SummaryBufferFast/", "summary_buffer (fast interactions)"),
                    ("BM_Quality_Trim/", "trim (last, 75 %)"), ("BM_Quality_ClearToolResults/", "clear_tool_results (trigger 75 %)")]:
    b = get(name)
    print(f"| {label} | {b['compactions']:.0f} | {b['pinned_kept_pct']:.1f} % | {b['latest_facts_kept_pct']:.1f} % | {b['final_tokens']:.0f} |")

print("\n### Goals\n")
g = []
b1000 = rate(get('BM_AppendBatch/1/1000/'), 1000)
g.append(("batched append on WAL + NORMAL >= 200k msg/s (wall clock)", f"{b1000:,.0f} msg/s (by CPU time: {cpu_rate(get('BM_AppendBatch/1/1000/'),1000):,.0f})", b1000 >= 200000))
g.append(("last-20 read p99 <= 100 µs", fmt_us(l20['p99_us']), l20['p99_us'] <= 100))
d = t_us(get("BM_Decision_SummaryBuffer"))
g.append(("compaction decision per turn <= 50 µs (1000 messages)", fmt_us(d), d <= 50))
g.append(("prune of 100k sessions measured", fmt_us(ps) + " (sqlite)", True))
print("| goal | measured | met |")
print("|---|---|---|")
for goal, val, ok in g:
    print(f"| {goal} | {val} | {'yes' if ok else 'NO'} |")
PY
