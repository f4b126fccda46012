// The peer of bench/sim/agent_streams.cpp for bench/run-agent-streams.sh: N concurrent streamed chat
// completions through the official openai client (chat.completions.create({stream: true}), each stream
// iterated to its end, content deltas counted), against the same simulated upstream (bench/sim/mock_upstream).
//
//   node streams.mjs --base-url http://127.0.0.1:<port>/v1 [--n 1000] [--chunks 20]
//
// Prints one line in agent_streams' format:
//   RESULT client=openai-node streams= completed= failed= deltas= expected_deltas= wall_s= cpu_s= peak_rss_mb=
//          baseline_rss_mb= bytes_per_turn= threads_before= threads_during= turn_p50_ms= turn_p99_ms=
// wall_s and cpu_s (process.cpuUsage, user + system) cover the N concurrent streams only; baseline_rss_mb is
// the RSS after one warm-up stream; bytes_per_turn = (maxRSS - baseline) / N. Exits 1 when a stream failed
// or a delta is missing. turn_p50/p99_ms: the streams' durations from the common start.
import OpenAI from 'openai';
import { readdirSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = { baseUrl: '', n: 1000, chunks: 20 };
for (let i = 0; i < args.length; ++i) {
  const v = args[i + 1];
  if (args[i] === '--base-url' && v) { opt.baseUrl = v; ++i; }
  else if (args[i] === '--n' && v) { opt.n = Number(v); ++i; }
  else if (args[i] === '--chunks' && v) { opt.chunks = Number(v); ++i; }
  else { console.error('usage: node streams.mjs --base-url URL [--n 1000] [--chunks 20]'); process.exit(2); }
}
if (!opt.baseUrl || !(opt.n > 0) || !(opt.chunks > 0)) {
  console.error('streams.mjs: --base-url is required (start sim_mock_upstream; it prints it)');
  process.exit(2);
}

const threadCount = () => readdirSync('/proc/self/task').length;
const cpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const messages = [{ role: 'user', content: 'What is a ReAct agent?' }];
const client = new OpenAI({ baseURL: opt.baseUrl, apiKey: 'sk-mock', maxRetries: 0, timeout: 60000 });

let deltas = 0;
async function turn() {
  const stream = await client.chat.completions.create({ model: 'mock-upstream', messages, stream: true });
  for await (const chunk of stream) {
    if (chunk.choices.length && chunk.choices[0].delta && chunk.choices[0].delta.content) ++deltas;
  }
}

// Warm-up: one stream (the first connection, the client's lazy parts, the JIT), then the baseline.
await turn();
deltas = 0;
const threadsBefore = threadCount();
const baselineKb = process.memoryUsage().rss / 1024;

let threadsDuring = threadsBefore;
const sampler = setInterval(() => { threadsDuring = Math.max(threadsDuring, threadCount()); }, 20);

let completed = 0, failed = 0, firstError = '';
const cpuStart = cpuSeconds();
const wallStart = process.hrtime.bigint();
const turnMs = [];
const since = () => Number(process.hrtime.bigint() - wallStart) / 1e6;
await Promise.all(Array.from({ length: opt.n }, () => turn().then(
  () => { ++completed; turnMs.push(since()); },
  (e) => { ++failed; turnMs.push(since()); if (!firstError) firstError = String(e && e.message || e); })));
const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
const cpu = cpuSeconds() - cpuStart;
clearInterval(sampler);
threadsDuring = Math.max(threadsDuring, threadCount());

const peakKb = process.resourceUsage().maxRSS;  // KiB
turnMs.sort((a, b) => a - b);
const percentile = (p) => turnMs[Math.min(turnMs.length - 1, Math.floor(p * turnMs.length))];
const expected = opt.n * opt.chunks;
const perTurn = peakKb > baselineKb ? (peakKb - baselineKb) * 1024 / opt.n : 0;
const version = JSON.parse(readFileSync(new URL('./node_modules/openai/package.json', import.meta.url))).version;
console.log(`openai-node ${version}: ` +
            `${opt.n} concurrent streams: ${completed} completed, ${failed} failed, ${deltas}/${expected} deltas`);
console.log(`  wall ${wall.toFixed(3)} s, CPU ${cpu.toFixed(3)} s, peak RSS ${(peakKb / 1024).toFixed(1)} MB ` +
            `(baseline ${(baselineKb / 1024).toFixed(1)} MB) -> ${perTurn.toFixed(0)} bytes per in-flight stream`);
console.log(`  stream duration: p50 ${percentile(0.5).toFixed(0)} ms, p99 ${percentile(0.99).toFixed(0)} ms, ` +
            `max ${turnMs[turnMs.length - 1].toFixed(0)} ms`);
console.log(`  threads: ${threadsBefore} before, ${threadsDuring} during`);
if (firstError) console.log(`  first error: ${firstError}`);
console.log(`RESULT client=openai-node streams=${opt.n} completed=${completed} failed=${failed} deltas=${deltas} ` +
            `expected_deltas=${expected} wall_s=${wall.toFixed(3)} cpu_s=${cpu.toFixed(3)} peak_rss_mb=${(peakKb / 1024).toFixed(1)} ` +
            `baseline_rss_mb=${(baselineKb / 1024).toFixed(1)} bytes_per_turn=${perTurn.toFixed(0)} ` +
            `threads_before=${threadsBefore} threads_during=${threadsDuring} ` +
            `turn_p50_ms=${percentile(0.5).toFixed(0)} turn_p99_ms=${percentile(0.99).toFixed(0)}`);
process.exit(failed === 0 && completed === opt.n && deltas === expected ? 0 : 1);
