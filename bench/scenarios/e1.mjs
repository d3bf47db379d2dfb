// E1: a cached task hitting the in-memory cache: the cost of a cache hit (key, lookup, Cached).
import * as peers from '../lib/peers.mjs';
import { expectedChecksum, sequentialSum } from '../lib/workload.mjs';

/** 100 distinct small object inputs, called round-robin: after the first 100 calls, every call hits. */
const DISTINCT = 100;
const inputs = Array.from({ length: DISTINCT }, (_, id) => ({ id, name: `item-${id}`, tags: ['a', 'b'] }));

/** A variant that sums n sequential calls of `call(inputs[i mod 100])`. */
const roundRobin = (makeCall) => async () => {
  const call = await makeCall();
  return (n) => sequentialSum((i) => call(inputs[i % DISTINCT]), n);
};

export default {
  id: 'E1',
  title: 'cached task (INPUTS policy, small object input), in-memory cache hit',
  n: { full: 200_000, quick: 5_000 },
  // call(i) resolves to (i mod 100) + 1.
  expected: (n) => expectedChecksum(n, (i) => (i % DISTINCT) + 1),
  variants: {
    rxflow: async () => {
      const { task, INPUTS } = await import('rxflow');
      // The body counts its calls: every call that does not reach it is a cache hit. Each input
      // misses once per process (the first time it is seen) and hits from then on, so a pass must
      // reach the body exactly once per input not seen in an earlier pass: min(n, 100) times in the
      // warm-up, never after. A pass that computes instead of hitting the cache fails.
      let bodyCalls = 0;
      let seen = 0;
      const lookup = task({ name: 'lookup', cachePolicy: INPUTS }, async (item) => {
        bodyCalls++;
        return item.id + 1;
      });
      const loop = await roundRobin(() => lookup)();
      return async (n) => {
        bodyCalls = 0;
        const sum = await loop(n);
        const misses = Math.max(0, Math.min(n, DISTINCT) - seen);
        seen = Math.max(seen, Math.min(n, DISTINCT));
        if (bodyCalls !== misses) {
          throw new Error(
            `expected ${n - misses} cache hits of ${n} calls (${misses} misses), counted ${n - bodyCalls}`,
          );
        }
        return sum;
      };
    },
    raw: roundRobin(() => peers.raw(async (item) => item.id + 1)),
  },
  goals: [{ text: 'rxflow ≤ 5 µs per call', value: (v) => v.rxflow.medianUs, unit: 'µs', max: 5 }],
};
