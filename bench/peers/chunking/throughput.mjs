// Peer throughput on the same corpus as bench_chunk: @langchain/textsplitters RecursiveCharacterTextSplitter,
// whole text in one splitText call, character-sized (chunkSize 512, chunkOverlap 50) and token-sized (the
// same splitter with a js-tiktoken cl100k_base lengthFunction, LangChain's documented way to size by tokens).
//   node throughput.mjs CORPUS [--runs N] [--which chars|tokens|all]
// Prints one JSON object per measurement: peer, variant, bytes, chunks, seconds and cpu_seconds per run, and
// the medians as MB/s (wall and CPU time: on a shared machine CPU time is the fairer of the two; note that
// node's CPU time includes its garbage-collector threads).
import fs from "node:fs";
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import { getEncoding } from "js-tiktoken";

const args = process.argv.slice(2);
const corpusPath = args[0];
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const runs = Number(opt("--runs", "3"));
const which = opt("--which", "all");
const text = fs.readFileSync(corpusPath, "utf8");
const bytes = Buffer.byteLength(text, "utf8");
// FNV-1a (32 bits) over the chunks' UTF-8 bytes, each followed by a 0 byte: the same digest as bench_chunk's
// BM_RecursiveChars `digest` counter, so the report can show both made the very same chunks (not timed).
const digest = (chunks) => {
  let h = 2166136261;
  for (const c of chunks) {
    for (const b of Buffer.from(c, "utf8")) h = Math.imul(h ^ b, 16777619) >>> 0;
    h = Math.imul(h ^ 0, 16777619) >>> 0;
  }
  return h;
};
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function measure(variant, splitter) {
  const seconds = [], cpu_seconds = [];
  let chunks = 0, last = [];
  await splitter.splitText(text.slice(0, 200000));  // warm-up (JIT)
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const out = await splitter.splitText(text);
    const c1 = process.cpuUsage(c0);
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    cpu_seconds.push((c1.user + c1.system) / 1e6);
    chunks = out.length;
    last = out;
  }
  console.log(JSON.stringify({ peer: "@langchain/textsplitters RecursiveCharacterTextSplitter", variant, bytes, chunks,
                               digest: digest(last), node: process.version, seconds,
                               cpu_seconds, median_mb_s: bytes / median(seconds) / 1e6,
                               median_cpu_mb_s: bytes / median(cpu_seconds) / 1e6 }));
}

if (which === "chars" || which === "all")
  await measure("chars 512/50", new RecursiveCharacterTextSplitter({ chunkSize: 512, chunkOverlap: 50 }));
if (which === "tokens" || which === "all") {
  const enc = getEncoding("cl100k_base");
  await measure("tokens cl100k 512/50", new RecursiveCharacterTextSplitter({
    chunkSize: 512, chunkOverlap: 50, lengthFunction: (t) => enc.encode(t).length }));
}
