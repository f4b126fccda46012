// cockatiel's side of the retry + circuit-breaker scenario of bench/sim/resilience_scenario.cpp: the same
// policy (retry: 3 attempts, constant 0 ms backoff, every failure but a broken circuit retried; inside it a
// circuit breaker: count window of 100 calls, minimum 100, 50 %), the same three workloads, the same
// counts, the median of `repeats` runs. Prints "name ns_per_op" lines.
//   node scenario.mjs [repeats=5]
import {
  BrokenCircuitError, ConstantBackoff, CountBreaker, circuitBreaker, handleWhen, retry, wrap,
} from 'cockatiel';

const repeats = Math.max(1, Number(process.argv[2] ?? 5));
const handled = handleWhen((err) => !(err instanceof BrokenCircuitError));

function makePolicy(open) {
  const retryPolicy = retry(handled, { maxAttempts: 2, backoff: new ConstantBackoff(0) });  // 2 retries = 3 attempts
  const breakerPolicy = circuitBreaker(handled, {
    halfOpenAfter: 10_000,
    breaker: new CountBreaker({ threshold: 0.5, size: 100, minimumNumberOfCalls: 100 }),
  });
  if (open) breakerPolicy.isolate();  // held open, as transition_to_open()
  return wrap(retryPolicy, breakerPolicy);
}

let sink = 0;
async function run(workload, n) {
  const policy = makePolicy(workload === 'open');
  let c = 0;
  const op = async () => {
    const k = c++;
    if (workload === 'transient' && k % 5 === 0) throw new Error('unavailable');
    return k;
  };
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    try {
      sink += await policy.execute(op);
    } catch {
      sink -= 1;
    }
  }
  return Number(process.hrtime.bigint() - start) / n;
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
for (const [name, n] of [['success', 1_000_000], ['transient', 4_000], ['open', 100_000]]) {
  const times = [];
  for (let i = 0; i < repeats; i++) times.push(await run(name, n));
  console.log(`cockatiel_${name} ${median(times).toFixed(1)}`);
}
if (sink === 0.5) console.log('');  // keep the results alive
