// Formats bench/run-chunking.sh's measurements as markdown: ours (Google Benchmark JSON, median of the
// repetitions) and the peers (throughput.mjs JSON lines), side by side with ratios.
//   node report.mjs OURS.json PEERS.jsonl
import fs from "node:fs";

const [oursPath, peersPath] = process.argv.slice(2);
const ours = JSON.parse(fs.readFileSync(oursPath, "utf8"));
const peers = fs.existsSync(peersPath)
  ? fs.readFileSync(peersPath, "utf8").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l))
  : [];

const medians = new Map();
for (const b of ours.benchmarks) {
  if (b.aggregate_name !== "median" && b.run_type === "aggregate") continue;
  const name = b.run_name ?? b.name;
  if (b.error_occurred) { medians.set(name, { error: b.error_message }); continue; }
  // bytes_per_second is per CPU second; wall = bytes / real_time.
  const unit = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1 }[b.time_unit ?? "ns"];
  const bytes = b.bytes_per_second * b.cpu_time * unit;
  medians.set(name, { cpu: b.bytes_per_second / 1e6, wall: bytes / (b.real_time * unit) / 1e6, chunks: b.chunks,
                      rss: b.peak_rss_mb, tok: b.boundary_bytes_per_input_byte, digest: b.digest });
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
console.log(`corpus: ${ours.context?.corpus ?? "bench-corpus.txt"}; machine: ${ours.context.num_cpus} CPUs @ ${ours.context.mhz_per_cpu} MHz, load ${(ours.context.load_avg ?? []).map((x) => x.toFixed(1)).join(" ")}`);
console.log("\n### agentkit (median of the repetitions)\n");
console.log("| benchmark | MB/s (CPU time) | MB/s (wall) | chunks | peak RSS MB (process, corpus incl.) |");
console.log("|---|---:|---:|---:|---:|");
for (const [name, m] of medians) {
  if (m.error) console.log(`| ${name} | skipped: ${m.error} | | | |`);
  else console.log(`| ${name} | ${fmt(m.cpu)} | ${fmt(m.wall)} | ${m.chunks ?? ""} | ${m.rss ? fmt(m.rss) : ""}${m.tok ? ` (token ends: ${m.tok.toFixed(2)} B per input byte)` : ""} |`);
}
console.log("\n### peers (median of the runs)\n");
console.log("| peer | variant | MB/s (CPU time) | MB/s (wall) | chunks | runs |");
console.log("|---|---|---:|---:|---:|---:|");
for (const p of peers) console.log(`| ${p.peer} | ${p.variant} | ${fmt(p.median_cpu_mb_s)} | ${fmt(p.median_mb_s)} | ${p.chunks} | ${p.seconds.length} |`);

const peer = (v) => peers.find((p) => p.variant.startsWith(v));

// Same output, not only the same speed: FNV-1a digests of every chunk's bytes on the whole corpus.
{
  const m = medians.get("BM_RecursiveChars"), p = peer("chars");
  if (m?.digest !== undefined && p?.digest !== undefined) {
    const same = m.digest === p.digest && m.chunks === p.chunks;
    console.log(`\nchunks identical to LangChain's on the whole corpus (chars 512/50, FNV-1a of all chunk bytes): ` +
                `${same ? "yes" : "NO"} (ours ${m.chunks} chunks, 0x${m.digest.toString(16)}; LangChain ${p.chunks} chunks, ` +
                `0x${p.digest.toString(16)}; node ${p.node})`);
  }
}
const row = (ourName, peerVariant, goal) => {
  const m = medians.get(ourName), p = peer(peerVariant);
  if (!m || m.error || !p) return console.log(`| ${ourName} vs ${peerVariant} | n/a | n/a | ${goal} | not measured |`);
  const r = m.cpu / p.median_cpu_mb_s, rw = m.wall / p.median_mb_s;
  console.log(`| ${ourName} vs LangChain ${peerVariant} | ${fmt(r)}× | ${fmt(rw)}× | ≥ ${goal}× | ${r >= goal ? "met" : "NOT met"} (CPU time) |`);
};
console.log("\n### ratios (same corpus, same run)\n");
console.log("| comparison | ratio (CPU time) | ratio (wall) | goal | status |");
console.log("|---|---:|---:|---:|---|");
row("BM_RecursiveChars", "chars", 100);
row("BM_RecursiveBpeEncodeOnce", "tokens", 20);
row("BM_RecursiveBpeCountPerPiece", "tokens", 20);
row("BM_RecursiveHeuristicTokens", "tokens", 20);
console.log("\nRatio = corpus bytes per CPU-second, ours ÷ LangChain's, both whole-text on the same file in this run. " +
            "Ours: median over the repetitions of Google Benchmark's CPU time (one thread). LangChain: median over its " +
            "runs (after a JIT warm-up) of process.cpuUsage() of the node process, which includes V8's garbage-collector " +
            "helper threads: the CPU the splitter really costs. The wall-clock ratio is shown too; on a loaded machine " +
            "it mostly measures the scheduler.");

const goal = (name, mbs) => {
  const m = medians.get(name);
  if (!m || m.error) return console.log(`| ${name} | n/a | ≥ ${mbs} MB/s | not measured |`);
  console.log(`| ${name} | ${fmt(m.cpu)} MB/s | ≥ ${mbs} MB/s | ${m.cpu >= mbs ? "met" : "NOT met"} |`);
};
console.log("\n### absolute goals (one core, CPU time)\n");
console.log("| benchmark | measured | goal | status |");
console.log("|---|---:|---:|---|");
goal("BM_RecursiveChars", 1000);
goal("BM_RecursiveHeuristicTokens", 300);
goal("BM_RecursiveBpeEncodeOnce", 40);
