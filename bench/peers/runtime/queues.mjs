// p-queue on the workloads of bench/micro/runtime_queues.cpp, for bench/run-runtime.sh.
//   lanes: a burst of 1000 no-op tasks spread round-robin over L keys, each key a PQueue({concurrency: 1})
//          (the usual node way to serialize per session), created on first use and deleted when idle;
//          time until every task ran. Printed as tasks per second.
//   priority: 1000 tasks added with priorities 0..3 to one paused PQueue, then started and drained;
//          printed as ns per task (add + dequeue + run).
// Usage: node queues.mjs REPEATS   -> lines "key value" (median over REPEATS rounds of 200 bursts).
import PQueue from 'p-queue';

const repeats = Number(process.argv[2] || 5);
const burst = 1000;
const rounds = 200;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function laneBurst(lanes) {
  const keys = Array.from({ length: lanes }, (_, i) => `session-${i}`);
  const queues = new Map();
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; ++r) {
    const done = [];
    for (let i = 0; i < burst; ++i) {
      const key = keys[i % lanes];
      let q = queues.get(key);
      if (!q) {
        q = new PQueue({ concurrency: 1 });
        q.on('idle', () => queues.delete(key));
        queues.set(key, q);
      }
      done.push(q.add(async () => {}));
    }
    await Promise.all(done);
  }
  const ns = Number(process.hrtime.bigint() - t0);
  return (rounds * burst) / (ns / 1e9);
}

async function priorityBurst() {
  const q = new PQueue({ concurrency: 1, autoStart: false });
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; ++r) {
    for (let i = 0; i < burst; ++i) q.add(async () => {}, { priority: i & 3 });
    q.start();
    await q.onIdle();
    q.pause();
  }
  const ns = Number(process.hrtime.bigint() - t0);
  return ns / (rounds * burst);
}

const results = { lanes_1: [], lanes_64: [], priority_ns: [] };
await laneBurst(1); // warm-up
await priorityBurst();
for (let i = 0; i < repeats; ++i) {
  results.lanes_1.push(await laneBurst(1));
  results.lanes_64.push(await laneBurst(64));
  results.priority_ns.push(await priorityBurst());
}
for (const [k, v] of Object.entries(results)) console.log(`pqueue_${k} ${median(v).toFixed(1)}`);
