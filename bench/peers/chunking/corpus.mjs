// Deterministic test and benchmark corpus for agentkit's chunkers (no dependencies: plain node).
// Every document comes from a seeded PRNG, so the same files come out on every machine.
//   node corpus.mjs OUT_DIR        writes OUT_DIR/corpus/*.txt and OUT_DIR/bench-corpus.txt (~10 MB)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export function rng(seed) {  // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (r, xs) => xs[Math.floor(r() * xs.length)];
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));

const WORDS = ("the of and to in is that for it as was with be by on not he this are or his from at which but have an " +
  "they you were her she there one all we their can has been if more when will would who so no agent cache token " +
  "model memory budget window context retry backoff policy chunk overlap vector index search latency throughput " +
  "request response stream server client session history summary compaction storage database query result error " +
  "timeout deadline circuit breaker limiter queue thread worker pool batch embedding document paragraph sentence " +
  "character separator boundary performance benchmark measure median percentile allocation buffer view range " +
  "template policy concept header library compiler runtime execution tool registry executor provider router tier " +
  "fallback gateway endpoint configuration deployment profile knowledge graph hybrid keyword semantic relevance").split(" ");

function sentence(r, extra = () => null) {
  const n = int(r, 4, 26);
  const ws = [];
  for (let i = 0; i < n; i++) {
    const e = extra();
    ws.push(e ?? pick(r, WORDS));
  }
  ws[0] = ws[0][0].toUpperCase() + ws[0].slice(1);
  if (n > 8 && r() < 0.3) ws[int(r, 2, n - 3)] += ",";
  return ws.join(" ") + pick(r, [".", ".", ".", "?", "!", ":"]);
}

function url(r) {
  const len = int(r, 20, 240);
  let s = "https://example.org/";
  while (s.length < len) s += pick(r, ["a", "b", "c", "d", "e", "/", "-", "_", "0", "1", "x", "y", "z", "?", "=", "&"]);
  return s;
}

export function prose(r, bytes, extra) {
  const paras = [];
  let size = 0;
  while (size < bytes) {
    const sents = [];
    const n = int(r, 1, r() < 0.1 ? 40 : 12);
    for (let i = 0; i < n; i++) {
      let s = sentence(r, extra);
      if (r() < 0.03) s += " " + url(r);
      sents.push(s);
      if (r() < 0.05) sents.push("\n");
    }
    const p = sents.join(" ").replace(/ \n /g, "\n");
    paras.push(p);
    size += p.length;
  }
  let out = "";
  for (const p of paras) out += (out ? pick(r, ["\n\n", "\n\n", "\n\n", "\n\n\n", "\n \n", "\n"]) : "") + p;
  return out;
}

export function code(r, bytes) {
  const out = [];
  let size = 0;
  const ids = ["value", "count", "buffer", "index", "result", "node", "cache", "token", "chunk", "offset", "size"];
  while (size < bytes) {
    const name = pick(r, ids) + "_" + int(r, 0, 999);
    const lines = [`static std::size_t ${name}(const std::vector<int>& ${pick(r, ids)}) {`];
    const n = int(r, 2, 30);
    let depth = 1;
    for (let i = 0; i < n; i++) {
      const ind = "    ".repeat(depth);
      const k = r();
      if (k < 0.2 && depth < 5) { lines.push(`${ind}for (std::size_t i = 0; i < ${pick(r, ids)}.size(); ++i) {`); depth++; }
      else if (k < 0.35 && depth > 1) { depth--; lines.push("    ".repeat(depth) + "}"); }
      else if (k < 0.45) lines.push(`${ind}// ${sentence(r)}`);
      else if (k < 0.5) lines.push("");
      else lines.push(`${ind}${pick(r, ids)} += ${pick(r, ids)}[${int(r, 0, 64)}] * ${int(r, 1, 9999)};`);
    }
    while (depth > 0) { depth--; lines.push("    ".repeat(depth) + "}"); }
    const block = lines.join(r() < 0.1 ? "\r\n" : "\n");
    out.push(block);
    size += block.length;
  }
  return out.join("\n\n");
}

export function markdown(r, bytes) {
  const out = [];
  let size = 0;
  while (size < bytes) {
    const k = r();
    let b;
    if (k < 0.15) b = "#".repeat(int(r, 1, 4)) + " " + sentence(r).slice(0, -1);
    else if (k < 0.3) {
      const items = [];
      for (let i = int(r, 2, 8); i > 0; i--) items.push(pick(r, ["- ", "* ", "1. "]) + sentence(r));
      b = items.join("\n");
    } else if (k < 0.42) b = "```" + pick(r, ["cpp", "python", "", "json"]) + "\n" + code(r, int(r, 40, 900)) + "\n```";
    else if (k < 0.47) {
      const rows = ["| knob | default | meaning |", "|---|---|---|"];
      for (let i = int(r, 1, 6); i > 0; i--) rows.push(`| ${pick(r, WORDS)} | ${int(r, 0, 4096)} | ${sentence(r)} |`);
      b = rows.join("\n");
    } else if (k < 0.5) b = pick(r, ["---", "***", "___"]);
    else b = prose(r, int(r, 50, 1500));
    out.push(b);
    size += b.length;
  }
  return out.join("\n\n");
}

const CJK_PUNCT = ["。", "、", "，", "！", "？", "\u3000", "\n"];
export function cjk(r, chars) {
  let s = "";
  while (s.length < chars) {
    const k = r();
    if (k < 0.6) s += String.fromCodePoint(int(r, 0x4e00, 0x9fff));
    else if (k < 0.85) s += String.fromCodePoint(int(r, 0x3041, 0x3093));
    else if (k < 0.95) s += pick(r, CJK_PUNCT);
    else if (k < 0.98) s += " " + pick(r, WORDS) + " ";
    else s += "\n\n";
  }
  return s;
}

const EMOJI = ["😀", "🚀", "👍🏽", "👨‍👩‍👧", "🇵🇹", "🎉", "🧠", "❤️", "✅", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"];
export function emoji(r, bytes) {
  return prose(r, bytes, () => (r() < 0.08 ? pick(r, EMOJI) + (r() < 0.5 ? pick(r, WORDS) : "") : null));
}

const SPACES = ["\u00a0", "\t", "\r\n", "\u2003", "\u3000", "  ", "\u202f", "\u2028"];
export function whitespace(r, bytes) {
  return "\ufeff" + prose(r, bytes, () => (r() < 0.1 ? pick(r, WORDS) + pick(r, SPACES) + pick(r, WORDS) : null)) + "\n\n  \t\n";
}

// The test corpus: name -> text. Small, medium and large documents of each kind.
export function testCorpus() {
  const docs = {};
  const kinds = { prose, code, markdown, cjk, emoji, whitespace };
  let seed = 1;
  for (const [kind, f] of Object.entries(kinds)) {
    for (const size of [90, 3000, 40000]) {
      const r = rng(seed++);
      docs[`${kind}-${size}`] = f(r, size);
    }
  }
  docs["edge-empty-lines"] = "\n\n\n\n";
  docs["edge-one-word"] = "supercalifragilisticexpialidocious".repeat(20);
  docs["edge-separators-only"] = " \n \n\n  \n\n\n   x \n\n\n\n y";
  return docs;
}

// The benchmark corpus: ~10 MB of mixed prose (60%), markdown (25%) and code (15%), as UTF-8.
export function benchCorpus(bytes = 10 * 1024 * 1024) {
  const r = rng(0xa9e7);
  const parts = [];
  let size = 0;
  while (size < bytes) {
    const k = r();
    const t = k < 0.6 ? prose(r, 20000) : k < 0.85 ? markdown(r, 20000) : code(r, 20000);
    parts.push(t);
    size += Buffer.byteLength(t);
  }
  return parts.join("\n\n");
}

export function writeCorpus(outDir) {
  const dir = path.join(outDir, "corpus");
  fs.mkdirSync(dir, { recursive: true });
  const docs = testCorpus();
  for (const [name, text] of Object.entries(docs)) fs.writeFileSync(path.join(dir, `${name}.txt`), text);
  fs.writeFileSync(path.join(outDir, "bench-corpus.txt"), benchCorpus());
  return docs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? path.join(process.env.AGENTKIT_DATA_DIR ?? "data", "chunking");
  writeCorpus(out);
  console.error(`corpus written to ${out}`);
}
