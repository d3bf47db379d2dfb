// D1: memory over a long flow. A million sequential task runs in one flow run, with the run store
// at its default retention: the live heap after a GC must not grow with the number of runs.
import { addOne, finish, sumOfSuccessors, weigh } from '../lib/workload.mjs';

const QUARTERS = 4;

/** The ordered checksum of `call(i)` for i < n, in four chunks, calling `probe(done)` before, between and after them. */
async function sumInQuarters(call, n, probe) {
  let sum = 0;
  let i = 0;
  for (let q = 1; q <= QUARTERS; q++) {
    probe(i);
    for (const end = (n * q) / QUARTERS; i < end; i++) sum = weigh(sum, i, await call(i));
  }
  probe(i);
  return finish(sum);
}

export default {
  id: 'D1',
  title: (n) => `${n} sequential task runs (retries 3, timeout 5 s) in one flow run`,
  n: { full: 1_000_000, quick: 20_000 },
  reps: { full: 5 },
  expected: sumOfSuccessors,
  variants: {
    rxflow: async () => {
      const { flow, task } = await import('rxflow');
      const step = task({ retries: 3, timeoutSeconds: 5 }, addOne);
      let probe;
      // The probe is handed over outside the flow's parameters, which the run records.
      const loop = flow({ name: 'd1' }, (n) => sumInQuarters(step, n, probe));
      return (n, sample) => {
        probe = sample;
        return loop(n);
      };
    },
    raw: async () => (n, sample) => sumInQuarters(addOne, n, sample),
  },
  goals: [
    {
      text: 'rxflow heap after GC grows ≤ 10 MB',
      value: (v) => v.rxflow.heapGrowthMB,
      unit: 'MB',
      max: 10,
    },
    {
      text: 'rxflow RSS flat after the first quarter (@end − @¼ ≤ 10 MB)',
      value: (v) => {
        const s = v.rxflow.samples;
        if (s.length <= 2) throw new Error('no checkpoint samples');
        return s[s.length - 1].rssMB - s[1].rssMB;
      },
      unit: 'MB',
      max: 10,
    },
  ],
};
