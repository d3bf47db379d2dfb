// A1: the cost of one task run on the success path, next to the same policy by hand and by each peer.
import * as peers from '../lib/peers.mjs';
import { addOne, sequential, sumOfSuccessors } from '../lib/workload.mjs';

const policy = { retries: 3, timeoutMs: 5000 };

export default {
  id: 'A1',
  title: 'standalone task, retries 3 + timeout 5 s, success path, no subscribers',
  n: { full: 200_000, quick: 5_000 },
  expected: sumOfSuccessors,
  variants: {
    rxflow: sequential(async () => {
      const { task } = await import('rxflow');
      return task({ retries: 3, timeoutSeconds: 5 }, addOne);
    }),
    raw: sequential(() => peers.raw(addOne)),
    'raw-lean': sequential(() => peers.rawLean(addOne, policy)),
    'p-retry': sequential(() => peers.pRetry(addOne, policy)),
    cockatiel: sequential(() => peers.cockatiel(addOne, policy)),
    effect: sequential(() => peers.effect(addOne, policy)),
    rxjs: sequential(() => peers.rxjs(addOne, policy)),
  },
  goals: [
    { text: 'rxflow ≤ 3 µs per run', value: (v) => v.rxflow.medianUs, unit: 'µs', max: 3 },
    {
      text: 'rxflow ≥ 3× faster than p-retry',
      value: (v) => v['p-retry'].medianUs / v.rxflow.medianUs,
      unit: '×',
      min: 3,
    },
    {
      text: 'rxflow ≥ 3× faster than effect',
      value: (v) => v.effect.medianUs / v.rxflow.medianUs,
      unit: '×',
      min: 3,
    },
    {
      text: 'rxflow ≥ 5× faster than cockatiel',
      value: (v) => v.cockatiel.medianUs / v.rxflow.medianUs,
      unit: '×',
      min: 5,
    },
  ],
};
