import fc from 'fast-check';
import { seededRandom } from '../../lib/testing/seeded-random';

/** The reference mulberry32, as published by its author. */
function mulberry32(a: number): () => number {
  return function () {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const take = (random: () => number, n: number) => Array.from({ length: n }, () => random());

describe('seededRandom', () => {
  it('should be mulberry32 for 32-bit seeds', () => {
    for (const seed of [0, 1, 42, 0xdeadbeef, 2 ** 32 - 1]) {
      expect(take(seededRandom(seed), 20)).toEqual(take(mulberry32(seed), 20));
    }
  });

  it('should give the same sequence for the same seed, in [0, 1)', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (seed) => {
        const a = take(seededRandom(seed), 50);
        expect(take(seededRandom(seed), 50)).toEqual(a);
        for (const x of a) expect(x >= 0 && x < 1).toBe(true);
      }),
    );
  });

  it('should give different sequences for seeds that differ only above 2^32', () => {
    expect(take(seededRandom(1), 5)).not.toEqual(take(seededRandom(1 + 2 ** 32), 5));
  });

  it('should reject seeds that are not safe integers', () => {
    expect(() => seededRandom(1.5)).toThrow('seededRandom: expected seed to be a safe integer, got 1.5');
    expect(() => seededRandom(Number.NaN)).toThrow('got NaN');
  });
});
