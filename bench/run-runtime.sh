#!/usr/bin/env bash
# Runtime queue benchmarks, side by side with p-queue (npm), as markdown tables:
#   1. micro benchmarks of bench/micro/runtime_queues.cpp (medians of $AGENTKIT_BENCH_REPEATS, default 5):
#      lane_queue bursts (1 lane / 64 lanes, 2 workers) vs the bare thread_pool, round-trip latency,
#      latency_class_queue push+pop, batcher per item, bytes per active lane / queued task
#   2. the same lane and priority workloads on p-queue 8 (node), with ratios
#   3. goal lines, met / not met computed from the figures above
# Builds what it needs in Release (build dir: $AGENTKIT_BENCH_DIR, default build/bench).
# Needs: scripts/bootstrap --peers for the p-queue column (skipped, and said so, without it). Bounded: ~1-2 min.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$AGENTKIT_ROOT"
BUILD="$AK_BENCH_BUILD"
REPEATS="${AGENTKIT_BENCH_REPEATS:-5}"

WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
ak_bench_build "$BUILD" bench_runtime_queues

echo "## Runtime queue benchmarks"
echo
echo "machine: $(ak_machine)"
echo
"$BUILD/bench/bench_runtime_queues" --benchmark_repetitions="$REPEATS" --benchmark_report_aggregates_only=true \
  --benchmark_min_time=0.2 --benchmark_format=json 2>/dev/null >"$WORK/micro.json" || ak_die "bench_runtime_queues failed"

peer_version="not installed (scripts/bootstrap --peers)"
if command -v node >/dev/null 2>&1 && [ -d bench/peers/runtime/node_modules/p-queue ]; then
  (cd bench/peers/runtime && node queues.mjs "$REPEATS") >"$WORK/peer.txt" || ak_die "bench/peers/runtime/queues.mjs failed"
  peer_version="p-queue $(node -p "require('./bench/peers/runtime/node_modules/p-queue/package.json').version"), node $(node --version)"
else
  : >"$WORK/peer.txt"
fi

python3 - "$WORK/micro.json" "$WORK/peer.txt" "$REPEATS" "$peer_version" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
peer = dict(l.split() for l in open(sys.argv[2]) if l.strip())
peer = {k: float(v) for k, v in peer.items()}
repeats, peer_version = sys.argv[3], sys.argv[4]
med = {b["run_name"]: b for b in runs if b.get("aggregate_name") == "median"}
if not med:
    med = {b["run_name"]: b for b in runs if b.get("run_type") == "iteration"}

def get(name, key):
    for k, b in med.items():
        if k.startswith(name):
            return b.get(key)
    return None

print("### 1. agentkit (median of %s repetitions)" % repeats)
print()
print("| benchmark | real time per op | CPU time per op | items/s | extra |")
print("|---|---:|---:|---:|---|")
for name, b in med.items():
    extra = ", ".join("%s=%.4g" % (k, b[k]) for k in ("lat_us", "allocs/op", "B/active_lane", "B/queued_task", "lanes_after", "table_B_after") if k in b)
    ips = b.get("items_per_second")
    print("| %s | %.3g %s | %.3g %s | %s | %s |" % (name, b["real_time"], b["time_unit"], b["cpu_time"], b["time_unit"],
          "-" if ips is None else "%.2f M/s" % (ips / 1e6), extra or "-"))
print()
print("### 2. Side by side with %s" % peer_version)
print()
print("Workloads as in bench/peers/runtime/queues.mjs. agentkit runs tasks on 2 worker threads; node on its one")
print("event-loop thread (tasks are no-ops, so this compares queueing overhead, not parallel speed-up).")
print()
ours = {
    "lanes_1": get("BM_LaneQueueBurst/lanes:1", "items_per_second"),
    "lanes_64": get("BM_LaneQueueBurst/lanes:64", "items_per_second"),
    "priority_ns": get("BM_LatencyClassPushPop/backlog:1000", "cpu_time"),
}
print("| workload | agentkit | p-queue | agentkit advantage |")
print("|---|---:|---:|---:|")
ratios = {}
for key, label in (("lanes_1", "1000-task burst, 1 lane (tasks/s)"), ("lanes_64", "1000-task burst, 64 lanes (tasks/s)"),
                   ("priority_ns", "priority: ours push+pop, p-queue add+dequeue+run of a no-op async task (ns/item)")):
    a, p = ours[key], peer.get("pqueue_" + key)
    if a is None or p is None:
        print("| %s | %s | %s | - |" % (label, "-" if a is None else "%.4g" % a, "-" if p is None else "%.4g" % p))
        continue
    ratio = a / p if key.startswith("lanes") else p / a
    ratios[key] = ratio
    print("| %s | %.4g | %.4g | %.1fx |" % (label, a, p, ratio))
print()
print("### 3. Goals")
print()
def goal(text, ok):
    print("- %s: %s" % (text, "met" if ok else ("NOT met" if ok is not None else "not measured")))
tp = get("BM_ThreadPoolBurst", "items_per_second")
l64 = ours["lanes_64"]
goal("lane_queue (64 lanes) keeps >= 50%% of the bare thread_pool's throughput (%.2f vs %.2f M/s)" % ((l64 or 0) / 1e6, (tp or 0) / 1e6),
     None if not (tp and l64) else l64 >= 0.5 * tp)
goal("idle lanes are reclaimed (lanes after the memory run: %s)" % get("BM_LaneQueueMemory", "lanes_after"),
     get("BM_LaneQueueMemory", "lanes_after") == 0)
pq_allocs = get("BM_LatencyClassPushPop/backlog:1000", "allocs/op")
goal("latency_class_queue push+pop allocates nothing in steady state (%.2g allocs/op, warm-up growth only)" % (-1 if pq_allocs is None else pq_allocs),
     None if pq_allocs is None else pq_allocs < 0.001)
for key, label in (("lanes_1", "lane bursts (1 lane) at least as fast as p-queue"), ("lanes_64", "lane bursts (64 lanes) at least as fast as p-queue"),
                   ("priority_ns", "priority queueing cheaper per item than p-queue's (not the same work: see the table)")):
    goal(label, None if key not in ratios else ratios[key] >= 1.0)
PY
