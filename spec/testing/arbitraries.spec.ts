import fc from 'fast-check';
import { task } from '../../lib/index';
import { delayForRetry, exponentialBackoff } from '../../lib/policies/backoff';
import { applyJitter } from '../../lib/policies/jitter';
import {
  arbFailureScript,
  arbRetryPolicy,
  delayBounds,
  expectedDelays,
  type RetryPolicy,
} from '../../lib/testing/arbitraries';

describe('arbRetryPolicy', () => {
  it('should make valid policies: retries 0..6, whole-second delays, jitter in [0, 1]', () => {
    fc.assert(
      fc.property(arbRetryPolicy(), (policy) => {
        expect(Number.isInteger(policy.retries) && policy.retries >= 0 && policy.retries <= 6).toBe(true);
        const delays =
          typeof policy.retryDelaySeconds === 'function'
            ? policy.retryDelaySeconds(policy.retries)
            : ([] as number[]).concat(policy.retryDelaySeconds);
        for (const d of delays) expect(Number.isInteger(d) && d >= 0 && d <= 3600).toBe(true);
        if (Array.isArray(policy.retryDelaySeconds))
          expect(policy.retryDelaySeconds.length).toBeGreaterThan(0);
        if ('retryJitterFactor' in policy) {
          expect(policy.retryJitterFactor! >= 0 && policy.retryJitterFactor! <= 1).toBe(true);
        }
      }),
    );
  });

  it('should make objects a task accepts as options', () => {
    fc.assert(
      fc.property(arbRetryPolicy(), (policy) => {
        expect(() => task(policy, () => 1)).not.toThrow();
      }),
    );
  });

  it('should cover every delay shape and both jitter cases', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(arbRetryPolicy(), (policy) => {
        const d = policy.retryDelaySeconds;
        seen.add(typeof d === 'function' ? 'function' : Array.isArray(d) ? 'list' : 'number');
        seen.add(policy.retryJitterFactor === undefined ? 'no jitter' : 'jitter');
      }),
      { numRuns: 300 },
    );
    expect([...seen].sort()).toEqual(['function', 'jitter', 'list', 'no jitter', 'number']);
  });

  it('should honour its options', () => {
    fc.assert(
      fc.property(arbRetryPolicy({ maxRetries: 2, maxDelaySeconds: 5, jitter: 'always' }), (policy) => {
        expect(policy.retries).toBeLessThanOrEqual(2);
        expect(typeof policy.retryJitterFactor).toBe('number');
        for (const d of expectedDelays(policy)) expect(d).toBeLessThanOrEqual(5000);
      }),
    );
    fc.assert(
      fc.property(arbRetryPolicy({ jitter: 'never' }), (policy) =>
        expect('retryJitterFactor' in policy).toBe(false),
      ),
    );
    expect(() => arbRetryPolicy({ maxRetries: -1 })).toThrow(
      'arbRetryPolicy: expected maxRetries to be a non-negative integer, got -1',
    );
  });

  it('should make real jitter: at least 30 % of jittered policies have a factor of 0.1 or more', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const factors = fc
        .sample(arbRetryPolicy({ jitter: 'always' }), { numRuns: 500, seed })
        .map((policy) => policy.retryJitterFactor!);
      expect(factors.filter((f) => f >= 0.1).length / factors.length).toBeGreaterThanOrEqual(0.3);
      expect(new Set(factors).size).toBeGreaterThan(20);
    }
  });

  it('should keep every delay within maxDelaySeconds, exponential backoff included', () => {
    const options = fc.record({
      maxRetries: fc.integer({ min: 0, max: 12 }),
      maxDelaySeconds: fc.integer({ min: 0, max: 5000 }),
      jitter: fc.constantFrom('sometimes' as const, 'always' as const, 'never' as const),
    });
    fc.assert(
      fc.property(
        options.chain((opts) => fc.tuple(fc.constant(opts), arbRetryPolicy(opts))),
        // A predicate (fast-check reports a failing case's options and policy), not expects per delay.
        ([opts, policy]) =>
          policy.retries <= opts.maxRetries &&
          expectedDelays(policy).every((ms) => ms <= opts.maxDelaySeconds * 1000),
      ),
      { numRuns: 1000 },
    );
  });

  it('should still make backoff policies when only fewer retries leave room for them', () => {
    const factors = fc
      .sample(arbRetryPolicy({ maxRetries: 10, maxDelaySeconds: 60 }), { numRuns: 2000, seed: 3 })
      .filter((p) => typeof p.retryDelaySeconds === 'function')
      .map((p) => fc.stringify(p.retryDelaySeconds));
    expect(factors.some((name) => name !== 'exponentialBackoff(0)')).toBe(true);
  });

  it('should show backoff functions by name in counterexamples', () => {
    const [policy] = fc.sample(
      arbRetryPolicy().filter((p) => typeof p.retryDelaySeconds === 'function'),
      { numRuns: 1, seed: 1 },
    );
    expect(fc.stringify(policy!.retryDelaySeconds)).toMatch(/^exponentialBackoff\(\d+\)$/);
  });
});

describe('arbFailureScript', () => {
  it('should make 0..8 failures of the four kinds', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(arbFailureScript(), (script) => {
        expect(script.length).toBeLessThanOrEqual(8);
        for (const thrown of script) {
          const kind =
            thrown instanceof Error
              ? 'error'
              : thrown === undefined
                ? 'undefined'
                : typeof thrown === 'string'
                  ? 'string'
                  : 'object';
          if (kind === 'object') expect(Object.getPrototypeOf(thrown)).toBe(Object.prototype);
          kinds.add(kind);
        }
      }),
      { numRuns: 300 },
    );
    expect([...kinds].sort()).toEqual(['error', 'object', 'string', 'undefined']);
  });

  it('should honour its options', () => {
    fc.assert(
      fc.property(arbFailureScript({ minFailures: 2, maxFailures: 3, kinds: ['string'] }), (script) => {
        expect(script.length >= 2 && script.length <= 3).toBe(true);
        for (const thrown of script) expect(typeof thrown).toBe('string');
      }),
    );
    expect(() => arbFailureScript({ minFailures: 3, maxFailures: 2 })).toThrow(
      'arbFailureScript: expected minFailures (3) to be at most maxFailures (2)',
    );
    expect(() => arbFailureScript({ kinds: [] })).toThrow(
      'arbFailureScript: expected kinds to name at least one kind',
    );
    expect(() => arbFailureScript({ kinds: ['nope' as never] })).toThrow(
      'arbFailureScript: unknown kind nope',
    );
  });
});

describe('expectedDelays', () => {
  it('should resolve each delay shape as the engine does, in ms', () => {
    expect(expectedDelays({ retries: 3, retryDelaySeconds: 2 })).toEqual([2000, 2000, 2000]);
    expect(expectedDelays({ retries: 4, retryDelaySeconds: [1, 5] })).toEqual([1000, 5000, 5000, 5000]);
    expect(expectedDelays({ retries: 3, retryDelaySeconds: exponentialBackoff(10) })).toEqual([
      10_000, 20_000, 40_000,
    ]);
    expect(expectedDelays({ retries: 3, retryDelaySeconds: exponentialBackoff(10) }, 2)).toEqual([
      10_000, 20_000,
    ]);
    expect(expectedDelays({ retries: 0, retryDelaySeconds: 5 })).toEqual([]);
  });

  it('should agree with delayForRetry for every generated policy', () => {
    fc.assert(
      fc.property(arbRetryPolicy(), (policy: RetryPolicy) => {
        const d = policy.retryDelaySeconds;
        const list = typeof d === 'function' ? d(policy.retries) : d;
        expect(expectedDelays(policy)).toEqual(
          Array.from({ length: policy.retries }, (_, k) => delayForRetry(list, k + 1) * 1000),
        );
      }),
    );
  });
});

describe('delayBounds', () => {
  it('should spread each delay by the jitter factor, clamped at 0', () => {
    expect(delayBounds({ retries: 2, retryDelaySeconds: [10, 20], retryJitterFactor: 0.5 })).toEqual([
      { min: 5000, max: 15_000 },
      { min: 10_000, max: 30_000 },
    ]);
    expect(delayBounds({ retries: 1, retryDelaySeconds: 10 })).toEqual([{ min: 10_000, max: 10_000 }]);
    expect(delayBounds({ retries: 1, retryDelaySeconds: 10, retryJitterFactor: 1 })).toEqual([
      { min: 0, max: 20_000 },
    ]);
  });
});

describe('delayBounds and float rounding', () => {
  // The virtual clock measures a wait as (t + delay) - t in floats: at present-day epoch times
  // (around 2^40 ms) that difference is off by up to about 1e-4 ms.
  const presentDay = fc.double({ min: 2 ** 40, max: 2 ** 41 - 2 ** 34, noNaN: true });
  const extremeDraw = fc.oneof(
    fc.constant(0),
    fc.constant(1 - 2 ** -53),
    fc.integer({ min: 1, max: 2 ** 20 }).map((k) => k / 2 ** 32),
    fc.integer({ min: 1, max: 2 ** 20 }).map((k) => 1 - k / 2 ** 32),
  );

  it('should contain every gap the virtual clock measures, even at extreme jitter draws', () => {
    fc.assert(
      fc.property(
        presentDay,
        fc.oneof(fc.integer({ min: 0, max: 3600 }), fc.double({ min: 0, max: 3600, noNaN: true })),
        fc.oneof(
          fc.integer({ min: 0, max: 100 }).map((n) => n / 100),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
        extremeDraw,
        (t, seconds, factor, r) => {
          const policy = { retries: 1, retryDelaySeconds: seconds, retryJitterFactor: factor };
          const gap = t + applyJitter(seconds * 1000, factor, () => r) - t;
          const [{ min, max }] = delayBounds(policy) as [{ min: number; max: number }];
          // A predicate rather than an expect per case (5,000 of them): fast-check reports the
          // inputs of a failing case, from which the gap and its bounds follow.
          return min <= gap && gap <= max;
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('should move each bound outwards by less than 1/1024 ms, and leave exact whole-ms bounds as they are', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3600 }), fc.integer({ min: 0, max: 100 }), (seconds, percent) => {
        const factor = percent / 100;
        const policy = { retries: 1, retryDelaySeconds: seconds, retryJitterFactor: factor };
        const [{ min, max }] = delayBounds(policy) as [{ min: number; max: number }];
        const rawMin = Math.max(0, seconds * 1000 * (1 - factor));
        const rawMax = seconds * 1000 * (1 + factor);
        expect(rawMin - min >= 0 && rawMin - min < 1 / 1024).toBe(true);
        expect(max - rawMax >= 0 && max - rawMax < 1 / 1024).toBe(true);
        if (Number.isInteger(rawMin)) expect(min).toBe(rawMin);
        if (Number.isInteger(rawMax)) expect(max).toBe(rawMax);
      }),
    );
    expect(delayBounds({ retries: 2, retryDelaySeconds: [7, 0.5], retryJitterFactor: 0 })).toEqual([
      { min: 7000, max: 7000 },
      { min: 500, max: 500 },
    ]);
  });
});
