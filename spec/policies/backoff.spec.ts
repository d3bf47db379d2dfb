import fc from 'fast-check';
import { delayForRetry, exponentialBackoff } from '../../lib/policies/backoff.js';

/** Every way to configure retry delays, for table-driven checks. */
const STRATEGIES: ReadonlyArray<[string, number | readonly number[]]> = [
  ['a number', 2],
  ['zero', 0],
  ['a list', [1, 5, 30]],
  ['a one-element list', [4]],
  ['an empty list', []],
  ['exponentialBackoff(10)(3)', exponentialBackoff(10)(3)],
  ['exponentialBackoff(0.5)(6)', exponentialBackoff(0.5)(6)],
];

describe('exponentialBackoff', () => {
  it('should refuse a negative or fractional retry count', () => {
    expect(() => exponentialBackoff(1)(-1)).toThrow(/expected retries to be a non-negative integer, got -1/);
    expect(() => exponentialBackoff(1)(2.5)).toThrow(/got 2.5/);
  });

  it('should double from the backoff factor, one delay per retry', () => {
    expect(exponentialBackoff(10)(3)).toEqual([10, 20, 40]);
    expect(exponentialBackoff(1)(5)).toEqual([1, 2, 4, 8, 16]);
    expect(exponentialBackoff(0.25)(2)).toEqual([0.25, 0.5]);
  });

  it('should give no delays for no retries and zeros for a zero factor', () => {
    expect(exponentialBackoff(10)(0)).toEqual([]);
    expect(exponentialBackoff(0)(3)).toEqual([0, 0, 0]);
  });

  it('should make a fresh array on each call', () => {
    const backoff = exponentialBackoff(1);
    const first = backoff(2);
    first[0] = 99;
    expect(backoff(2)).toEqual([1, 2]);
  });

  it('should satisfy delay(k + 1) = 2 × delay(k)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 20 }), (factor, retries) => {
        const delays = exponentialBackoff(factor)(retries);
        expect(delays).toHaveLength(retries);
        expect(delays[0]).toBe(factor);
        for (let k = 1; k < delays.length; k++) expect(delays[k]).toBe(2 * delays[k - 1]!);
      }),
    );
  });

  it('should reject a bad backoff factor with a RangeError naming it', () => {
    const attempt = (factor: unknown) => () => exponentialBackoff(factor as number);
    expect(attempt(-1)).toThrow(RangeError);
    expect(attempt(-1)).toThrowErrorMatchingInlineSnapshot(
      `"exponentialBackoff: expected backoffFactor to be a non-negative finite number, got -1"`,
    );
    expect(attempt(NaN)).toThrowErrorMatchingInlineSnapshot(
      `"exponentialBackoff: expected backoffFactor to be a non-negative finite number, got NaN"`,
    );
    expect(attempt(Infinity)).toThrowErrorMatchingInlineSnapshot(
      `"exponentialBackoff: expected backoffFactor to be a non-negative finite number, got Infinity"`,
    );
    expect(attempt('10')).toThrowErrorMatchingInlineSnapshot(
      `"exponentialBackoff: expected backoffFactor to be a non-negative finite number, got 10"`,
    );
  });
});

describe('delayForRetry', () => {
  it('should use one number for every retry', () => {
    expect([1, 2, 3, 100].map((k) => delayForRetry(7, k))).toEqual([7, 7, 7, 7]);
  });

  it('should take the k-th list element for retry k and repeat the last', () => {
    expect([1, 2, 3, 4, 5].map((k) => delayForRetry([1, 5, 30], k))).toEqual([1, 5, 30, 30, 30]);
  });

  it('should give no delay for an empty list', () => {
    expect([1, 2, 9].map((k) => delayForRetry([], k))).toEqual([0, 0, 0]);
  });

  it('should give the delays of exponentialBackoff in order, then repeat the last', () => {
    const delays = exponentialBackoff(0.1)(4);
    const times = [1, 2, 3, 4, 5, 6].map((k) => delayForRetry(delays, k) * 1000);
    expect(times).toEqual([100, 200, 400, 800, 800, 800]);
  });

  it('should match list[min(k - 1, length - 1)] for any list and retry', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 3600 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 50 }),
        (list, k) => {
          expect(delayForRetry(list, k)).toBe(list[Math.min(k - 1, list.length - 1)]);
        },
      ),
    );
  });

  it.each(STRATEGIES)('should give finite non-negative delays for %s', (_, config) => {
    for (let k = 1; k <= 20; k++) {
      const delay = delayForRetry(config, k);
      expect(Number.isFinite(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(0);
    }
  });

  it.each(STRATEGIES)('should never shrink from one retry to the next for %s', (_, config) => {
    // Holds for every built-in strategy (lists written by hand may shrink on purpose).
    for (let k = 1; k < 20; k++)
      expect(delayForRetry(config, k + 1)).toBeGreaterThanOrEqual(delayForRetry(config, k));
  });
});
