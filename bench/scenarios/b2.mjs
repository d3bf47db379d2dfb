// B2: the concurrency-limit operator over a large synchronous input. 100,000 items through
// `concurrencyLimit(fn, 64)` from rxflow/operators, next to a hand-written 64-worker pool (the
// least any library can do), p-map, and RxJS mergeMap(fn, 64), whose buffer is drained with
// shift() (O(n²) over a large synchronous source).
// The checksum is the plain sum of the results: the operators merge in completion order, which
// nothing defines, so B2 is the one scenario whose results have no order to check.
import { addOne, unorderedSumOfSuccessors } from '../lib/workload.mjs';

const LIMIT = 64;

/** The input, built once per n outside the timed passes. */
let items = [];
const itemsOf = (n) => (items.length === n ? items : (items = Array.from({ length: n }, (_, i) => i)));

/** `limit` async workers pulling from one shared cursor: the least a limited fan-out can cost. */
async function rawPool(fn, input, limit) {
  let next = 0;
  let sum = 0;
  const worker = async () => {
    while (next < input.length) {
      const value = await fn(input[next++]); // not `sum += await …`: that reads sum before awaiting
      sum += value;
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return sum;
}

export default {
  id: 'B2',
  title: (n) => `concurrency-limit operator over ${n} items, limit ${LIMIT}`,
  n: { full: 100_000, quick: 10_000 },
  expected: unorderedSumOfSuccessors,
  variants: {
    rxflow: async () => {
      const { concurrencyLimit } = await import('rxflow/operators');
      const { from, lastValueFrom, reduce } = await import('rxjs');
      return (n) =>
        lastValueFrom(
          from(itemsOf(n)).pipe(
            concurrencyLimit(addOne, LIMIT),
            reduce((a, b) => a + b, 0),
          ),
        );
    },
    'raw-pool': async () => (n) => rawPool(addOne, itemsOf(n), LIMIT),
    // `await fn(x)` one after another, summed like the others (no order weights).
    raw: async () => async (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += await addOne(i);
      return sum;
    },
    'p-map': async () => {
      const { default: pMap } = await import('p-map');
      return async (n) => (await pMap(itemsOf(n), addOne, { concurrency: LIMIT })).reduce((a, b) => a + b, 0);
    },
    rxjs: async () => {
      const { from, lastValueFrom, mergeMap, reduce } = await import('rxjs');
      return (n) =>
        lastValueFrom(
          from(itemsOf(n)).pipe(
            mergeMap(addOne, LIMIT),
            reduce((a, b) => a + b, 0),
          ),
        );
    },
  },
  goals: [
    {
      text: 'rxflow concurrencyLimit ≤ 2× the raw 64-worker pool',
      value: (v) => v.rxflow.medianUs / v['raw-pool'].medianUs,
      unit: '×',
      max: 2,
    },
  ],
};
