// Node peer of bench/run-cache.sh: replays a u64 trace (little-endian 64-bit keys, from
// `agentkit cache-sim --write`) through the lru-cache package (exact LRU) with the same rule as agentkit's
// simulator: get per access, set on a miss. Keys are first mapped to dense integers (untimed) so the
// timed loop measures the cache, not BigInt hashing.
//   node lru_cache_sim.mjs TRACE.u64 CAP[,CAP...]
// Prints TSV: peer capacity requests hits hit_ratio ns_per_request
import { readFileSync } from 'node:fs';
import { LRUCache } from 'lru-cache';

const [trace, caps] = process.argv.slice(2);
if (!trace || !caps) {
  console.error('usage: node lru_cache_sim.mjs TRACE.u64 CAP[,CAP...]');
  process.exit(2);
}
const buf = readFileSync(trace);
if (buf.length % 8 !== 0) throw new Error(`${trace}: size is not a multiple of 8 (u64 trace expected)`);
const n = buf.length / 8;
const ids = new Uint32Array(n);
const dense = new Map();
for (let i = 0; i < n; i++) {
  const k = buf.readBigUInt64LE(i * 8);
  let id = dense.get(k);
  if (id === undefined) { id = dense.size; dense.set(k, id); }
  ids[i] = id;
}
for (const cap of caps.split(',').map(Number)) {
  const cache = new LRUCache({ max: cap });
  let hits = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const k = ids[i];
    if (cache.get(k) !== undefined) hits++;
    else cache.set(k, 0);
  }
  const t1 = process.hrtime.bigint();
  console.log(`lru-cache\t${cap}\t${n}\t${hits}\t${(100 * hits / n).toFixed(4)}\t${(Number(t1 - t0) / n).toFixed(1)}`);
}
