// B1: fan-out. `task.map` over N items inside one flow run with ConcurrentTaskRunner({ maxConcurrency: 64 }),
// results collected with `.result()`. One rxflow row per N (100k and 200k), so the rows show both
// the per-item cost (goal: ≤ 1.5× A2's per-run cost) and how it scales (200k ≤ 2.2× the time of 100k).
import { addOne, sumOfSuccessors } from '../lib/workload.mjs';

const mapped = async () => {
  const { ConcurrentTaskRunner, flow, task } = await import('rxflow');
  const step = task({ name: 'step' }, addOne);
  const fanOut = flow(
    { name: 'b1', taskRunner: new ConcurrentTaskRunner({ maxConcurrency: 64 }) },
    async (items) => {
      const results = await step.map(items).result();
      let sum = 0;
      for (const r of results) sum += r;
      return sum;
    },
  );
  return (n) => fanOut(Array.from({ length: n }, (_, i) => i));
};

/** The baseline: 64 workers pulling from a shared cursor, each awaiting addOne. */
const rawPool = async () => async (n) => {
  const results = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      results[i] = await addOne(i);
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  let sum = 0;
  for (const r of results) sum += r;
  return sum;
};

export default {
  id: 'B1',
  title: 'task.map over N items in a flow, ConcurrentTaskRunner({ maxConcurrency: 64 })',
  n: { full: 100_000, quick: 5_000 },
  expected: sumOfSuccessors,
  variants: {
    rxflow: mapped,
    'rxflow-200k': { setup: mapped, n: { full: 200_000, quick: 10_000 } },
    raw: rawPool,
  },
  goals: [
    {
      // A2 of the same run when it ran, else of the results file (an earlier run here).
      text: "rxflow ≤ 1.5× A2's per-run cost per item",
      check: (v, others) => v.rxflow.medianUs <= 1.5 * others('A2').rxflow.medianUs,
    },
    {
      text: '200k items take ≤ 2.2× the time of 100k',
      check: (v) => v['rxflow-200k'].medianUs * v['rxflow-200k'].n <= 2.2 * v.rxflow.medianUs * v.rxflow.n,
    },
  ],
};
