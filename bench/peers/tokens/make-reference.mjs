#!/usr/bin/env node
// Builds the deterministic mixed token corpus (~10 MB) and the reference token ids of @dqbd/tiktoken
// (tiktoken's Rust core compiled to WASM: the ground truth) for cl100k_base and o200k_base.
//   node bench/peers/tokens/make-reference.mjs OUT_DIR        (scripts/bootstrap --peers runs it)
// Writes to OUT_DIR:
//   corpus.bin            documents: u8 kind length, kind (ASCII), u32 byte length, UTF-8 bytes  (little endian)
//   corpus.txt            the documents concatenated (what the benchmarks read)
//   <enc>.ids             per document: u32 token count, then u32 ids (encode_ordinary)
//   random.bin / random.<enc>.ids   short random strings from a palette of pre-tokenizer edge cases,
//                         same layouts (the differential test)
// Sources: generated text (seeded PRNG) plus files that the bootstrap installs on every machine (license
// texts, C/C++ headers, CMake modules, the JS/JSON/Markdown of this directory's node packages).
import { readFileSync, writeFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { get_encoding } from '@dqbd/tiktoken';

const out = process.argv[2];
if (!out) { console.error('usage: make-reference.mjs OUT_DIR'); process.exit(2); }
const here = fileURLToPath(new URL('.', import.meta.url));
const TARGET = 10 * 1024 * 1024;

// --- seeded PRNG (mulberry32) -------------------------------------------------------------------------
let seed = 0x5eed1234;
const rnd = () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const ri = (n) => Math.floor(rnd() * n);
const pick = (a) => a[ri(a.length)];
const cp = (c) => String.fromCodePoint(c);
const range = (a, b) => cp(a + ri(b - a + 1));

// --- files present after bootstrap --------------------------------------------------------------------
function listFiles(dir, pred, limit, depth = 0) {
  const found = [];
  if (!existsSync(dir) || depth > 6) return found;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    let st; try { st = statSync(p); } catch { continue; }
    if (st.isDirectory()) found.push(...listFiles(p, pred, limit - found.length, depth + 1));
    else if (st.isFile() && pred(name) && st.size > 200 && st.size < 300000) found.push(p);
    if (found.length >= limit) break;
  }
  return found.slice(0, limit);
}
function fileDocs(kind, paths, budget) {
  const docs = [];
  let used = 0;
  for (const p of paths) {
    if (used >= budget) break;
    let text = readFileSync(p, 'utf8');
    if (text.length > 60000) text = text.slice(0, 60000);
    if (text.includes('\uFFFD')) continue;  // not valid UTF-8 on disk: invalid input is tested separately
    docs.push([kind, text]);
    used += Buffer.byteLength(text);
  }
  return docs;
}
const nm = join(here, 'node_modules');
const sources = [
  ['prose', listFiles('/usr/share/common-licenses', () => true, 40), 900_000],
  ['c', listFiles('/usr/include', (n) => n.endsWith('.h'), 400), 1_000_000],
  ['cpp', listFiles('/usr/include/c++', (n) => !n.includes('.') || n.endsWith('.h') || n.endsWith('.tcc'), 300), 900_000],
  ['cmake', listFiles('/usr/share', (n) => n.endsWith('.cmake'), 200), 500_000],
  ['js', listFiles(nm, (n) => n.endsWith('.js') && !n.endsWith('.min.js'), 300), 900_000],
  ['ts', listFiles(nm, (n) => n.endsWith('.d.ts'), 200), 400_000],
  ['json', listFiles(nm, (n) => n.endsWith('.json') && !n.includes('encoder') && !n.includes('ranks'), 200), 500_000],
  ['markdown', listFiles(nm, (n) => n.toLowerCase().endsWith('.md'), 100), 500_000],
  ['shell', listFiles('/usr/share/doc', (n) => n.endsWith('.sh'), 50).concat(listFiles('/etc', (n) => n.endsWith('.sh') || n.endsWith('rc'), 50)), 200_000],
  ['python', listFiles('/usr/lib/python3', (n) => n.endsWith('.py'), 200).concat(listFiles('/usr/lib/python3.11', (n) => n.endsWith('.py'), 200)), 600_000],
];

// --- generated text -----------------------------------------------------------------------------------
const words = ('the of and to in is it you that he was for on are with as his they be at one have this from or ' +
  'had by word but what some we can out other were all there when up use your how said an each she which do ' +
  'their time if will way about many then them write would like so these her long make thing see him two has ' +
  'look more day could go come did number sound no most people my over know water than call first who may down ' +
  'side been now find any new work part take get place made live where after back little only round man year ' +
  'came show every good me give our under name very through just form sentence great think say help low line').split(' ');
const contractions = ["don't", "can't", "it's", "I'm", "you're", "we've", "they'll", "he'd", "IT'S", "DON'T", "You'Re",
  "WE'VE", "THEY'LL", "she'S", "o'clock", "rock'n'roll", "'tis", "y'all", "ma'am", "X'LL", "naïve's", "Straße's", "it'ſ"];
function sentence() {
  let n = 4 + ri(14), s = [];
  for (let i = 0; i < n; ++i) s.push(rnd() < 0.08 ? pick(contractions) : pick(words));
  s[0] = s[0][0].toUpperCase() + s[0].slice(1);
  return s.join(' ') + pick(['.', '.', '.', '?', '!', ';', ':', '...', ' —', '."']);
}
const cjkCommon = () => range(0x4e00, 0x9fa5);
const hira = () => range(0x3041, 0x3096), kata = () => range(0x30a1, 0x30fa), hangul = () => range(0xac00, 0xd7a3);
const emojiBase = [0x1f600, 0x1f64f, 0x1f300, 0x1f5ff, 0x1f680, 0x1f6ff, 0x1f900, 0x1f9ff];
function emoji() {
  const r = ri(6);
  if (r === 0) return cp(0x1f44d) + cp(0x1f3fb + ri(5));                        // skin tone modifier
  if (r === 1) return cp(0x1f468) + '\u200d' + cp(0x1f469) + '\u200d' + cp(0x1f467) + '\u200d' + cp(0x1f466); // ZWJ family
  if (r === 2) return cp(0x1f3f3) + '\ufe0f\u200d' + cp(0x1f308);               // rainbow flag
  if (r === 3) return cp(0x1f1e6 + ri(26)) + cp(0x1f1e6 + ri(26));             // regional indicators
  if (r === 4) return cp(0x1f469) + cp(0x1f3fb + ri(5)) + '\u200d' + cp(0x1f4bb);
  const k = ri(emojiBase.length / 2) * 2;
  return range(emojiBase[k], emojiBase[k + 1]) + (rnd() < 0.3 ? '\ufe0f' : '');
}
const rareScripts = [[0x13a0, 0x13f4], [0x1680, 0x169a], [0x2d30, 0x2d67], [0x10d0, 0x10fa], [0x0531, 0x0556],
  [0x0561, 0x0586], [0x0905, 0x0939], [0x0627, 0x064a], [0x05d0, 0x05ea], [0x0e01, 0x0e2e], [0x1200, 0x1248],
  [0x0f40, 0x0f6c], [0x1780, 0x17b3], [0x0b85, 0x0bb9], [0x10400, 0x1044f], [0x16a0, 0x16ea], [0x0391, 0x03c9],
  [0x0410, 0x044f], [0x1e00, 0x1eff], [0x01c4, 0x01cc], [0x02b0, 0x02c1], [0xa4d0, 0xa4fd], [0x11000, 0x1104d]];
function rareWord() { const [a, b] = pick(rareScripts); let w = ''; for (let i = 1 + ri(8); i > 0; --i) w += range(a, b); return w; }
function combining() { let w = ''; for (let i = 1 + ri(7); i > 0; --i) { w += pick('aeiouyAEIOUnNcCsSzZ'); for (let k = ri(3); k > 0; --k) w += range(0x0300, 0x036f); } return w; }
const spaces = [' ', ' ', ' ', '  ', '   ', '\t', '\n', '\n\n', '\r\n', ' \n', '\n ', '\u00a0', '\u3000', '\u2028', '\u0085', '\u2009', '\u000b', '\u000c', '\ufeff', '\u200b'];
function anyScalar() {
  for (;;) {
    const r = rnd();
    const c = r < 0.5 ? ri(0x3000) : r < 0.8 ? ri(0x10000) : r < 0.95 ? 0x10000 + ri(0x20000) : ri(0x110000);
    if (c >= 0xd800 && c <= 0xdfff) continue;
    return cp(c);
  }
}
function genDoc(kind, bytes) {
  let s = '';
  while (Buffer.byteLength(s) < bytes) {
    switch (kind) {
      case 'gen-prose': s += sentence() + (rnd() < 0.15 ? '\n\n' : ' '); break;
      case 'gen-cjk': { const f = ri(3); for (let i = 5 + ri(30); i > 0; --i) s += f === 0 ? cjkCommon() : f === 1 ? (rnd() < 0.5 ? hira() : rnd() < 0.5 ? kata() : cjkCommon()) : hangul() + (rnd() < 0.25 ? ' ' : '');
        s += pick(['。', '、', '！', '？', '\n', '，', '. ']); break; }
      case 'gen-emoji': s += pick(words) + ' ' + emoji() + (rnd() < 0.3 ? emoji() : '') + pick([' ', '', '\n', '! ']); break;
      case 'gen-combining': s += combining() + pick([' ', ' ', '\n', ', ']); break;
      case 'gen-rare': s += rareWord() + pick([' ', ' ', '\n', '. ', ', ', '\u1680']); break;
      case 'gen-digits': s += pick(['', ' ', '$', '+', '-', '0x', '#']) + Array.from({ length: 1 + ri(rnd() < 0.1 ? 400 : 25) }, () => ri(10)).join('') + pick([' ', '.', ',', '\n', '', 'px ', '٣٤', '²', 'Ⅻ ']); break;
      case 'gen-whitespace': s += pick(words) + Array.from({ length: 1 + ri(12) }, () => pick(spaces)).join('') + pick(['', '.', '(', '1', 'x']); break;
      case 'gen-contractions': s += pick(contractions) + pick([' ', "'", "''", ' \'', "'s", '\n', "'S'T"]); break;
      case 'gen-random': s += anyScalar(); if (rnd() < 0.1) s += pick(spaces); break;
      case 'gen-json': s += JSON.stringify({ id: ri(1e6), name: sentence(), tags: [pick(words), pick(words)], score: rnd(), nested: { ok: rnd() < 0.5, emoji: emoji(), cjk: cjkCommon() + cjkCommon() } }, null, ri(2) ? 2 : 0) + ',\n'; break;
      case 'gen-markdown': s += pick(['# ', '## ', '- ', '* ', '1. ', '> ', '', '```js\n', '| a | b |\n|---|---|\n| ']) + sentence() + pick(['\n', '\n\n', '  \n', ' `code()` ', ' **bold** ', ' [link](https://example.com/a/b?c=d) ']); break;
    }
  }
  return s;
}
const generated = ['gen-prose', 'gen-cjk', 'gen-emoji', 'gen-combining', 'gen-rare', 'gen-digits', 'gen-whitespace',
  'gen-contractions', 'gen-random', 'gen-json', 'gen-markdown'];

const docs = [];
for (const [kind, paths, budget] of sources) docs.push(...fileDocs(kind, paths, budget));
let total = docs.reduce((a, [, t]) => a + Buffer.byteLength(t), 0);
for (let i = 0; total < TARGET; ++i) {
  const kind = generated[i % generated.length];
  const t = genDoc(kind, 1024 + ri(kind === 'gen-random' ? 8000 : 40000));
  docs.push([kind, t]);
  total += Buffer.byteLength(t);
}
// Shuffle deterministically so file kinds and generated kinds interleave.
for (let i = docs.length - 1; i > 0; --i) { const j = ri(i + 1); [docs[i], docs[j]] = [docs[j], docs[i]]; }

// --- random short strings over a palette of pre-tokenizer edge cases ---------------------------------
const palette = ['a', 'z', 'A', 'Z', 'é', 'É', 'ǅ', 'ʰ', '中', 'ا', 'ß', 'ſ', '\u0301', '\u0903', '\u20dd', '0', '9', '٣', '²', 'Ⅻ', '½',
  ' ', ' ', '  ', '\t', '\n', '\r', '\r\n', '\u00a0', '\u3000', '\u2028', '\u0085', '\u000b', '\u001c', '\ufeff', '\u200b',
  "'", "'", "'s", "'S", "'t", "'re", "'RE", "'ve", "'m", "'ll", "'LL", "'d", "'ſ", '.', ',', '!', '/', '//', '-', '_', '<', '>',
  '<|endoftext|>', '😀', '👍🏽', '\u200d', '\ufe0f', '🇩🇪', '€', '$', '#', '@', '`', '"', '(', ')', '{', '}'];
const randomStrings = [];
for (let i = 0; i < 20000; ++i) {
  let s = '';
  for (let k = 1 + ri(24); k > 0; --k) s += rnd() < 0.9 ? pick(palette) : anyScalar();
  randomStrings.push(['random', s]);
}

// --- write ----------------------------------------------------------------------------------------------
function packDocs(list) {
  const parts = [];
  for (const [kind, text] of list) {
    const k = Buffer.from(kind, 'ascii'), b = Buffer.from(text, 'utf8'), len = Buffer.alloc(4);
    len.writeUInt32LE(b.length, 0);
    parts.push(Buffer.from([k.length]), k, len, b);
  }
  return Buffer.concat(parts);
}
function packIds(enc, list) {
  const parts = [];
  for (const [, text] of list) {
    const ids = enc.encode_ordinary(text);
    const b = Buffer.alloc(4 + 4 * ids.length);
    b.writeUInt32LE(ids.length, 0);
    for (let i = 0; i < ids.length; ++i) b.writeUInt32LE(ids[i], 4 + 4 * i);
    parts.push(b);
  }
  return Buffer.concat(parts);
}
writeFileSync(join(out, 'corpus.bin'), packDocs(docs));
writeFileSync(join(out, 'corpus.txt'), Buffer.concat(docs.map(([, t]) => Buffer.from(t, 'utf8'))));
writeFileSync(join(out, 'random.bin'), packDocs(randomStrings));
for (const name of ['cl100k_base', 'o200k_base']) {
  const enc = get_encoding(name);
  writeFileSync(join(out, `${name}.ids`), packIds(enc, docs));
  writeFileSync(join(out, `random.${name}.ids`), packIds(enc, randomStrings));
  enc.free();
}
const kinds = {};
for (const [k, t] of docs) kinds[k] = (kinds[k] ?? 0) + Buffer.byteLength(t);
console.error(`corpus: ${docs.length} documents, ${(total / 1048576).toFixed(1)} MiB: ` +
  Object.entries(kinds).map(([k, b]) => `${k} ${(b / 1024).toFixed(0)}K`).join(', '));
