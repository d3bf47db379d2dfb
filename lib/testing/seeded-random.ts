/**
 * A reproducible random source: mulberry32, a small, fast 32-bit PRNG with good statistical
 * quality for tests (not for cryptography). The same integer seed always gives the same
 * sequence of numbers in [0, 1). `withVirtualTime(fn, { seed })` uses it as the engine's
 * random source, so jitter is the same run after run.
 * @example
 * ```ts
 * const random = seededRandom(42);
 * const a = [random(), random()];
 * const b = seededRandom(42);
 * // a[0] === b(), a[1] === b()
 * ```
 */
export function seededRandom(seed: number): () => number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new RangeError(`seededRandom: expected seed to be a safe integer, got ${String(seed)}`);
  }
  // Fold the high bits in, so seeds that differ only above 2^32 still give different streams.
  let state = (seed ^ Math.imul(Math.floor(seed / 0x100000000), 0x9e3779b1)) | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
}
