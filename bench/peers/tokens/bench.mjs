#!/usr/bin/env node
// Token-counting peers on the same corpus as bench_tokens, one thread: @dqbd/tiktoken (tiktoken's Rust
// core as WASM), js-tiktoken (pure JS) and gpt-tokenizer (pure JS, with countTokens). Each measurement is
// the median of REPS runs over the whole corpus; special-token text is encoded as plain text everywhere.
//   node bench/peers/tokens/bench.mjs CORPUS_FILE [REPS]   -> JSON lines {tool, encoding, op, mb_per_s, tokens}
import { readFileSync } from 'node:fs';
import { get_encoding } from '@dqbd/tiktoken';
import { getEncoding } from 'js-tiktoken';
import * as gptCl from 'gpt-tokenizer/encoding/cl100k_base';
import * as gptO2 from 'gpt-tokenizer/encoding/o200k_base';

const [file, repsArg] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
const bytes = Buffer.byteLength(text);
const reps = Number(repsArg ?? 3);
const none = new Set();

function measure(tool, encoding, op, fn, warm, runs = reps) {
  warm();  // load ranks, compile WASM / JIT on a slice first
  const times = [];
  let tokens = 0;
  for (let i = 0; i < runs; ++i) {
    const t0 = process.hrtime.bigint();
    tokens = fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(JSON.stringify({ tool, encoding, op, mb_per_s: bytes / 1e6 / median, tokens, runs }));
}

for (const name of ['cl100k_base', 'o200k_base']) {
  const dq = get_encoding(name);
  const slice = text.slice(0, 200000);
  measure('@dqbd/tiktoken', name, 'encode', () => dq.encode_ordinary(text).length, () => dq.encode_ordinary(slice));
  dq.free();
  const js = getEncoding(name);
  // js-tiktoken is the slowest by far (~1 MB/s): one timed run keeps the script bounded.
  measure('js-tiktoken', name, 'encode', () => js.encode(text, [], []).length, () => js.encode(slice, [], []), 1);
  const gpt = name === 'cl100k_base' ? gptCl : gptO2;
  measure('gpt-tokenizer', name, 'encode', () => gpt.encode(text, { disallowedSpecial: none }).length,
    () => gpt.encode(slice, { disallowedSpecial: none }));
  measure('gpt-tokenizer', name, 'count', () => gpt.countTokens(text, { disallowedSpecial: none }),
    () => gpt.countTokens(slice, { disallowedSpecial: none }));
}
