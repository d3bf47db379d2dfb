// B1: fan-out. `task.map` over N items inside one flow run with ConcurrentTaskRunner({ maxConcurrency: 64 }),
// results collected with `.result()`. One rxflow row per N (100k and 200k), so the rows show both
// the per-item cost and how it scales (200k ≤ 2.2× the time of 100k). The per-item cost is stated
// twice: against A2's per-run cost (the goal as first set, though A2's runs have retries, a timeout,
// a hook and a subscriber, which these mapped runs have not), and like-for-like against
// `rxflow-direct`, the same task called directly, one call after another, in the same kind of flow.
import { addOne, checksumOf, finish, sumOfSuccessors, weigh } from '../lib/workload.mjs';

const LIMIT = 64;
const items = (n) => Array.from({ length: n }, (_, i) => i);

/** A flow run with the runner B1 measures, whose body gets the items and the task `step`. */
const inFlow = (body) => async () => {
  const { ConcurrentTaskRunner, flow, task } = await import('rxflow');
  const step = task({ name: 'step' }, addOne);
  const run = flow({ name: 'b1', taskRunner: new ConcurrentTaskRunner({ maxConcurrency: LIMIT }) }, (input) =>
    body(step, input),
  );
  return (n) => run(items(n));
};

/** `step.map(items).result()`: the results come back in the order of the items. */
const mapped = inFlow(async (step, input) => checksumOf(await step.map(input).result()));

/** The like-for-like baseline: `await step(item)` for each item in turn (no runner slot, no future). */
const direct = inFlow(async (step, input) => {
  let sum = 0;
  for (let i = 0; i < input.length; i++) sum = weigh(sum, i, await step(input[i]));
  return finish(sum);
});

/** The raw baseline: 64 workers pulling from a shared cursor, each awaiting addOne. */
const rawPool = async () => async (n) => {
  const results = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      results[i] = await addOne(i);
    }
  };
  await Promise.all(Array.from({ length: LIMIT }, worker));
  return checksumOf(results);
};

export default {
  id: 'B1',
  title: `task.map over N items in a flow, ConcurrentTaskRunner({ maxConcurrency: ${LIMIT} })`,
  n: { full: 100_000, quick: 5_000 },
  expected: sumOfSuccessors,
  variants: {
    rxflow: mapped,
    'rxflow-200k': { setup: mapped, n: { full: 200_000, quick: 10_000 } },
    'rxflow-direct': direct,
    raw: rawPool,
  },
  goals: [
    {
      // A2 of the same run when it ran, else of the results file (an earlier run here).
      text: "rxflow per item ≤ 1.5× A2's per-run cost (A2: retries, timeout, hook, subscriber)",
      value: (v, others) => v.rxflow.medianUs / others('A2').rxflow.medianUs,
      unit: '×',
      max: 1.5,
    },
    {
      text: 'like-for-like: rxflow per item ≤ 1.5× a direct call of the same task (rxflow-direct)',
      value: (v) => v.rxflow.medianUs / v['rxflow-direct'].medianUs,
      unit: '×',
      max: 1.5,
    },
    {
      text: '200k items take ≤ 2.2× the time of 100k',
      value: (v) => (v['rxflow-200k'].medianUs * v['rxflow-200k'].n) / (v.rxflow.medianUs * v.rxflow.n),
      unit: '×',
      max: 2.2,
    },
  ],
};
