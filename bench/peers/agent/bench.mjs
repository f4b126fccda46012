// Peer figures for bench/run-agent.sh, printed as CSV lines "name,ns_per_op,extra":
//   - openai (node) chat.completions.create against AGENTKIT_BENCH_BASE_URL (our C++ test server), keep-alive
//     (node's fetch keeps connections alive) and streamed; and over HTTPS against AGENTKIT_BENCH_TLS_URL
//     (pooled TLS connection; run with NODE_EXTRA_CA_CERTS naming the server's self-signed certificate);
//   - eventsource-parser over the same SSE body as bench/micro/model_sse.cpp, alone and with JSON.parse per
//     chunk (the equivalent of agentkit's SSE -> JSON -> delta path), fed in 16 KiB pieces.
import OpenAI from 'openai';
import { createParser } from 'eventsource-parser';

const base = process.env.AGENTKIT_BENCH_BASE_URL;
const now = () => process.hrtime.bigint();

function makeStream(chunks) {
  const head = '{"id":"chatcmpl-9x8y7z","object":"chat.completion.chunk","created":1732350000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0ba0d124f1","choices":[{"index":0,"delta":{"content":"';
  const words = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.'];
  let body = '';
  for (let i = 0; i < chunks; ++i) body += 'data: ' + head + words[i % 10] + '"},"logprobs":null,"finish_reason":null}]}' + '\n\n';
  body += 'data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":' + chunks + '}}\n\n';
  body += 'data: [DONE]\n\n';
  return body;
}

function timeIt(name, seconds, fn, extra = '') {
  for (let i = 0; i < 3; ++i) fn();  // warm-up
  let n = 0;
  const start = now();
  const limit = BigInt(Math.round(seconds * 1e9));
  while (now() - start < limit) { fn(); ++n; }
  const ns = Number(now() - start) / n;
  console.log(`${name},${ns.toFixed(1)},${extra}`);
  return ns;
}
async function timeAsync(name, seconds, fn) {
  for (let i = 0; i < 20; ++i) await fn();
  let n = 0;
  const start = now();
  const limit = BigInt(Math.round(seconds * 1e9));
  while (now() - start < limit) { await fn(); ++n; }
  console.log(`${name},${(Number(now() - start) / n).toFixed(1)},`);
}

const body = makeStream(4000);
const bytes = Buffer.byteLength(body);
const pieces = [];
for (let i = 0; i < body.length; i += 16384) pieces.push(body.slice(i, i + 16384));
const nsParse = timeIt('sse_parser_only', 2, () => {
  let events = 0;
  const p = createParser({ onEvent: () => { ++events; } });
  for (const s of pieces) p.feed(s);
});
console.log(`sse_parser_only_MBps,${(bytes / nsParse * 1e3).toFixed(1)},`);
const nsDecode = timeIt('sse_json_decode', 2, () => {
  let text = '';
  const p = createParser({ onEvent: (e) => {
    if (e.data === '[DONE]') return;
    const c = JSON.parse(e.data);
    if (c.choices.length && c.choices[0].delta.content) text += c.choices[0].delta.content;
  } });
  for (const s of pieces) p.feed(s);
});
console.log(`sse_json_decode_MBps,${(bytes / nsDecode * 1e3).toFixed(1)},`);

if (base) {
  const client = new OpenAI({ baseURL: base, apiKey: 'bench', maxRetries: 0 });
  const messages = [{ role: 'system', content: 'You are a benchmark.' },
                    { role: 'user', content: 'Say something short about keep-alive connections.' }];
  await timeAsync('chat_keep_alive', 3, () => client.chat.completions.create({ model: 'bench', messages }));
  await timeAsync('stream_keep_alive', 3, async () => {
    const s = await client.chat.completions.create({ model: 'bench', messages, stream: true });
    for await (const _ of s) { /* consume */ }
  });
}
const tlsBase = process.env.AGENTKIT_BENCH_TLS_URL;
if (tlsBase && process.env.NODE_EXTRA_CA_CERTS) {
  const client = new OpenAI({ baseURL: tlsBase, apiKey: 'bench', maxRetries: 0 });
  const messages = [{ role: 'system', content: 'You are a benchmark.' },
                    { role: 'user', content: 'Say something short about keep-alive connections.' }];
  await timeAsync('tls_chat_keep_alive', 3, () => client.chat.completions.create({ model: 'bench', messages }));
}
