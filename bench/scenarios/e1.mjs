// E1: a cached task hitting the in-memory cache: the cost of a cache hit (key, lookup, Cached).
import * as peers from '../lib/peers.mjs';
import { sequentialSum } from '../lib/workload.mjs';

/** 100 distinct small object inputs, called round-robin: after the first 100 calls, every call hits. */
const DISTINCT = 100;
const inputs = Array.from({ length: DISTINCT }, (_, id) => ({ id, name: `item-${id}`, tags: ['a', 'b'] }));
const lookup = async (item) => item.id + 1;

/** The checksum when call(i) resolves to (i mod 100) + 1. */
const expected = (n) => {
  const full = Math.floor(n / DISTINCT);
  const rest = n % DISTINCT;
  return (full * DISTINCT * (DISTINCT + 1)) / 2 + (rest * (rest + 1)) / 2;
};

/** A variant that sums n sequential calls of `call(inputs[i mod 100])`. */
const roundRobin = (makeCall) => async () => {
  const call = await makeCall();
  return (n) => sequentialSum((i) => call(inputs[i % DISTINCT]), n);
};

export default {
  id: 'E1',
  title: 'cached task (INPUTS policy, small object input), in-memory cache hit',
  n: { full: 200_000, quick: 5_000 },
  expected,
  variants: {
    rxflow: roundRobin(async () => {
      const { task, INPUTS } = await import('rxflow');
      return task({ name: 'lookup', cachePolicy: INPUTS }, lookup);
    }),
    raw: roundRobin(() => peers.raw(lookup)),
  },
  goals: [{ text: 'rxflow ≤ 5 µs per call', check: (v) => v.rxflow.medianUs <= 5 }],
};
