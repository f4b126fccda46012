// The node peers of bench/run-observe.sh, on the workload of bench/micro/observe.cpp: lognormal latencies
// around 50 ms (sigma 1.2), a counter increment, a histogram observe, p50/p95/p99, and a scrape of a
// registry with 100 series. Prints one JSON object per line: {"name", "ns_per_op" (median of REPS runs), ...}.
//   node observe.mjs [--quick]
//   node observe.mjs --hdr-quantiles-only   only the hdr-histogram-js percentile timing: its speed is bimodal
//                                           between processes (about 11 µs or 175 µs for three percentiles, JIT
//                                           dependent), so bench/run-observe.sh takes the fastest of 3 processes.
import client from 'prom-client';
import * as hdr from 'hdr-histogram-js';
import { rng } from '../chunking/corpus.mjs';

const quick = process.argv.includes('--quick');
const REPS = quick ? 3 : 5;
const scale = quick ? 0.25 : 1;

// Seeded PRNG (the chunking peer's mulberry32) + Box-Muller: reproducible lognormal draws.
const rand = rng(42);
const N_VALUES = 1 << 16;
const latNs = new Array(N_VALUES);
for (let i = 0; i < N_VALUES; i++) {
  const u1 = 1 - rand(), u2 = rand();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  latNs[i] = Math.floor(Math.exp(Math.log(50e6) + 1.2 * z));
}
const latSec = latNs.map((x) => x / 1e9);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function timeSync(ops, fn) {
  fn(ops);  // warm-up: one full untimed run, so the JIT has settled before timing
  const runs = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = process.hrtime.bigint();
    fn(ops);
    runs.push(Number(process.hrtime.bigint() - t0) / ops);
  }
  return median(runs);
}
async function timeAsync(ops, fn) {
  await fn();
  const runs = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) await fn();
    runs.push(Number(process.hrtime.bigint() - t0) / ops);
  }
  return median(runs);
}
const emit = (o) => console.log(JSON.stringify(o));
const exactQuantile = (sorted, q) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];

const hdrOptions = { bitBucketSize: 64, lowestDiscernibleValue: 1, highestTrackableValue: 2 ** 42, numberOfSignificantValueDigits: 2, useWebAssembly: false };
function hdrQuantiles() {
  const acc = hdr.build(hdrOptions);
  for (const v of latNs) acc.recordValue(v);
  emit({ name: 'quantiles_p50_p95_p99', peer: 'hdr-histogram-js getValueAtPercentile x3', ns_per_op: timeSync(2000 * scale, (n) => { let s = 0; for (let i = 0; i < n; i++) s += acc.getValueAtPercentile(50) + acc.getValueAtPercentile(95) + acc.getValueAtPercentile(99); return s; }) });
  return acc;
}
if (process.argv.includes('--hdr-quantiles-only')) {
  hdrQuantiles();
  process.exit(0);
}

// --- prom-client ------------------------------------------------------------------------------------
{
  const reg = new client.Registry();
  const c = new client.Counter({ name: 'requests_total', help: 'x', registers: [reg] });
  emit({ name: 'counter_increment', peer: 'prom-client', ns_per_op: timeSync(5e6 * scale, (n) => { for (let i = 0; i < n; i++) c.inc(); }) });
}
{
  const reg = new client.Registry();
  const h = new client.Histogram({ name: 'lat_seconds', help: 'x', registers: [reg] });  // default buckets
  emit({ name: 'histogram_record', peer: 'prom-client Histogram (11 buckets)', ns_per_op: timeSync(2e6 * scale, (n) => { for (let i = 0; i < n; i++) h.observe(latSec[i & (N_VALUES - 1)]); }) });
}
{
  const reg = new client.Registry();
  const s = new client.Summary({ name: 'lat_summary_seconds', help: 'x', percentiles: [0.5, 0.95, 0.99], registers: [reg] });
  emit({ name: 'histogram_record', peer: 'prom-client Summary (t-digest)', ns_per_op: timeSync(5e5 * scale, (n) => { for (let i = 0; i < n; i++) s.observe(latSec[i & (N_VALUES - 1)]); }) });
  // Quantile accuracy on the same 64k values, against the exact nearest-rank quantiles.
  const fresh = new client.Summary({ name: 'acc_seconds', help: 'x', percentiles: [0.5, 0.95, 0.99], registers: [] });
  for (const v of latSec) fresh.observe(v);
  const got = (await fresh.get()).values.filter((v) => v.labels.quantile !== undefined);
  const sorted = [...latSec].sort((a, b) => a - b);
  let worst = 0;
  for (const v of got) worst = Math.max(worst, Math.abs(v.value - exactQuantile(sorted, v.labels.quantile)) / exactQuantile(sorted, v.labels.quantile));
  emit({ name: 'quantile_max_rel_error', peer: 'prom-client Summary (t-digest)', value: worst });
  emit({ name: 'quantiles_p50_p95_p99', peer: 'prom-client Summary get()', ns_per_op: await timeAsync(200 * scale, () => fresh.get()) });
}
for (const kind of ['histogram', 'counter']) {
  const reg = new client.Registry();
  if (kind === 'histogram') {
    const h = new client.Histogram({ name: 'http_request_duration_seconds', help: 'HTTP request latency', labelNames: ['route'], registers: [reg] });
    for (let r = 0; r < 100; r++) { const child = h.labels(`/route/${r}`); for (let i = 0; i < 1000; i++) child.observe(latSec[(r * 1000 + i) & (N_VALUES - 1)]); }
  } else {
    const c = new client.Counter({ name: 'http_requests_total', help: 'HTTP requests', labelNames: ['route'], registers: [reg] });
    for (let r = 0; r < 100; r++) c.labels(`/route/${r}`).inc(r * 1000);
  }
  const text = await reg.metrics();
  emit({ name: `exposition_100_series/${kind}`, peer: 'prom-client registry.metrics()', ns_per_op: await timeAsync(kind === 'histogram' ? 200 * scale : 2000 * scale, () => reg.metrics()), bytes: Buffer.byteLength(text) });
}

// --- hdr-histogram-js -------------------------------------------------------------------------------
{
  // 2 significant digits: 128 sub-buckets per octave, like our m = 7 (0.39%); JS (not WebAssembly), 64-bit counts.
  const h = hdr.build(hdrOptions);
  emit({ name: 'histogram_record', peer: 'hdr-histogram-js (2 digits)', ns_per_op: timeSync(2e6 * scale, (n) => { for (let i = 0; i < n; i++) h.recordValue(latNs[i & (N_VALUES - 1)]); }) });
  const acc = hdrQuantiles();
  const sorted = [...latNs].sort((a, b) => a - b);
  let worst = 0;
  for (const q of [0.5, 0.95, 0.99]) { const e = exactQuantile(sorted, q); worst = Math.max(worst, Math.abs(acc.getValueAtPercentile(q * 100) - e) / e); }
  emit({ name: 'quantile_max_rel_error', peer: 'hdr-histogram-js (2 digits)', value: worst });
  emit({ name: 'histogram_bytes', peer: 'hdr-histogram-js (2 digits)', value: acc.estimatedFootprintInBytes });
}
