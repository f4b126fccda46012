#!/usr/bin/env node
// Fits the per-encoding coefficients of agentkit::text::calibrated_estimator against exact token counts
// of the token corpus ($AGENTKIT_DATA_DIR/tokens, from bench/peers/tokens/make-reference.mjs): least
// squares on the relative error per document, on the even-numbered documents; the odd ones are held out
// and reported. Node's standard library only.
//   node scripts/tokens/fit-estimator.mjs [--write]     (--write updates calibrated_estimator.hpp)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
const data = process.env.AGENTKIT_DATA_DIR ?? join(root, 'data');
const header = join(root, 'include/agentkit/text/calibrated_estimator.hpp');
const F = 17;  // estimator_feature::count

// Mirrors detail::classify_scalar exactly.
function features(b) {
  const c = new Float64Array(F);
  let prev = 0;
  for (let i = 0; i < b.length; ++i) {
    const x = b[i];
    const lower = x >= 97 && x <= 122 ? 1 : 0, upper = x >= 65 && x <= 90 ? 1 : 0, letter = lower | upper;
    const digit = x >= 48 && x <= 57 ? 1 : 0, space = x === 32 ? 1 : 0;
    const punct = x > 0x20 && x < 0x7f && !letter && !digit ? 1 : 0;
    c[0] += letter; c[1] += letter & ~prev & 1; c[2] += digit; c[3] += digit & ~(prev >> 1) & 1;
    c[4] += punct; c[5] += punct & ~(prev >> 2) & 1; c[6] += space; c[7] += space & (prev >> 3) & 1;
    c[8] += x === 10 ? 1 : 0; c[9] += x === 9 || x === 13 ? 1 : 0;
    c[10] += x >= 0xc0 && x < 0xe0 ? 1 : 0; c[11] += x >= 0xe0 && x < 0xf0 ? 1 : 0; c[12] += x >= 0xf0 ? 1 : 0;
    c[13] += upper & (prev >> 4) & 1;
    c[14] += x >= 0xe3 && x < 0xea ? 1 : 0; c[15] += x >= 0xf1 ? 1 : 0; c[16] += space & (prev >> 5) & 1;
    const newline = x === 10 ? 1 : 0;
    prev = letter | (digit << 1) | (punct << 2) | (space << 3) | (lower << 4) | (newline << 5);
  }
  return c;
}

function readDocs(enc) {
  const corpus = readFileSync(join(data, 'tokens/corpus.bin')), ids = readFileSync(join(data, `tokens/${enc}.ids`));
  const docs = [];
  for (let p = 0, q = 0; p < corpus.length;) {
    const k = corpus[p++]; const kind = corpus.subarray(p, p + k).toString('latin1'); p += k;
    const len = corpus.readUInt32LE(p); p += 4;
    const bytes = corpus.subarray(p, p + len); p += len;
    const n = ids.readUInt32LE(q); q += 4 + 4 * n;
    let cps = 0; for (const x of bytes) cps += (x & 0xc0) !== 0x80 ? 1 : 0;
    docs.push({ kind, bytes: len, cps, exact: n, f: features(bytes) });
  }
  return docs;
}

// Weighted least squares with non-negative coefficients (projected: drop negatives and refit).
function fit(docs) {
  let active = Array.from({ length: F }, (_, i) => i);
  for (;;) {
    const m = active.length, A = Array.from({ length: m }, () => new Float64Array(m)), y = new Float64Array(m);
    for (const d of docs) {
      const w = 1 / (d.exact * d.exact);
      for (let i = 0; i < m; ++i) {
        const fi = d.f[active[i]];
        y[i] += w * fi * d.exact;
        for (let j = 0; j < m; ++j) A[i][j] += w * fi * d.f[active[j]];
      }
    }
    for (let i = 0; i < m; ++i) A[i][i] += 1e-9 + A[i][i] * 1e-9;  // ridge: features absent from the corpus
    // Gaussian elimination with partial pivoting
    for (let c = 0; c < m; ++c) {
      let piv = c; for (let r = c + 1; r < m; ++r) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
      [A[c], A[piv]] = [A[piv], A[c]]; [y[c], y[piv]] = [y[piv], y[c]];
      for (let r = 0; r < m; ++r) {
        if (r === c || A[c][c] === 0) continue;
        const k = A[r][c] / A[c][c];
        for (let j = c; j < m; ++j) A[r][j] -= k * A[c][j];
        y[r] -= k * y[c];
      }
    }
    const x = new Float64Array(F);
    active.forEach((f, i) => { x[f] = A[i][i] ? y[i] / A[i][i] : 0; });
    const neg = active.filter((f) => x[f] < 0);
    if (neg.length === 0) return x;
    active = active.filter((f) => x[f] >= 0);
  }
}

function evaluate(docs, estimate) {
  let sumEst = 0, sumExact = 0, sumAbs = 0, n = 0, worst = 0;
  const byKind = {};
  for (const d of docs) {
    if (d.bytes < 1024) continue;
    const e = estimate(d), rel = Math.abs(e - d.exact) / d.exact;
    sumEst += e; sumExact += d.exact; sumAbs += rel; ++n; worst = Math.max(worst, rel);
    (byKind[d.kind] ??= []).push(rel);
  }
  const kinds = Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, v.reduce((a, b) => a + b, 0) / v.length]));
  return { aggregate: (sumEst - sumExact) / sumExact, mae: sumAbs / n, worst, docs: n, kinds };
}

const pct = (x) => (100 * x).toFixed(2) + '%';
const results = {};
for (const enc of ['cl100k_base', 'o200k_base']) {
  const docs = readDocs(enc);
  const train = docs.filter((_, i) => i % 2 === 0), test = docs.filter((_, i) => i % 2 === 1);
  const w = fit(train);
  const est = (d) => Math.max(0, Math.round(d.f.reduce((a, f, i) => a + f * w[i], 0)));
  const r = evaluate(test, est), all = evaluate(docs, est);
  const c4 = evaluate(docs, (d) => Math.ceil(d.cps / 4));
  results[enc] = w;
  console.log(`${enc}: held-out ${r.docs} docs: aggregate error ${pct(r.aggregate)}, mean abs error ${pct(r.mae)}, worst ${pct(r.worst)}`);
  console.log(`${enc}: all ${all.docs} docs: aggregate ${pct(all.aggregate)}, MAE ${pct(all.mae)}; chars/4: aggregate ${pct(c4.aggregate)}, MAE ${pct(c4.mae)}`);
  console.log('  per kind (held-out MAE | chars/4 MAE): ' + Object.keys(r.kinds).sort().map((k) => `${k} ${pct(r.kinds[k])}|${pct(c4.kinds[k] ?? 0)}`).join(', '));
  console.log('  coefficients: ' + Array.from(w, (x) => x.toFixed(6)).join(', '));
}

if (process.argv.includes('--write')) {
  let h = readFileSync(header, 'utf8');
  for (const [enc, tag] of [['cl100k_base', 'cl100k'], ['o200k_base', 'o200k']]) {
    const re = new RegExp(`(struct estimator_coefficients<${tag}> \\{\\n\\s+static constexpr std::array<double, estimator_features> value = \\{)[^}]*(\\};)`);
    if (!re.test(h)) throw new Error(`cannot find estimator_coefficients<${tag}> in ${header}`);
    h = h.replace(re, `$1\n        ${Array.from(results[enc], (x) => x.toPrecision(9)).join(', ')}$2`);
  }
  writeFileSync(header, h);
  console.log(`updated ${header}`);
}
