// A static import: the ESM build has no synchronous way to load fast-check on first use, so
// `rxflow/testing` as a whole needs it installed (docs/testing.md, "Install").
import * as fc from 'fast-check';
import { delayForRetry, exponentialBackoff } from '../policies/backoff.js';

/**
 * A `retryDelaySeconds` option: one delay, a list (the last value repeats), or a backoff function.
 * @example
 * ```ts
 * const delays: RetryDelaySeconds[] = [10, [1, 5, 30], exponentialBackoff(2)];
 * ```
 */
export type RetryDelaySeconds = number | number[] | ((retries: number) => number[]);

/**
 * The retry options of a task or flow, as {@link arbRetryPolicy} makes them.
 * @example
 * ```ts
 * const policy: RetryPolicy = { retries: 3, retryDelaySeconds: [1, 10], retryJitterFactor: 0.2 };
 * const load = task(policy, fetchRows);
 * ```
 */
export interface RetryPolicy {
  retries: number;
  retryDelaySeconds: RetryDelaySeconds;
  retryJitterFactor?: number;
}

/**
 * Options of {@link arbRetryPolicy}.
 * @example
 * ```ts
 * const quick = arbRetryPolicy({ maxRetries: 2, maxDelaySeconds: 60, jitter: 'never' });
 * ```
 */
export interface ArbRetryPolicyOptions {
  /** @default 6 */
  maxRetries?: number;
  /**
   * The largest delay any generated policy yields (a number, a list element, or a backoff's
   * delay before its last retry), in whole seconds. @default 3600
   */
  maxDelaySeconds?: number;
  /**
   * Whether policies carry a `retryJitterFactor` (in [0, 1], in steps of 0.01): half of them,
   * all, or none. @default 'sometimes'
   */
  jitter?: 'sometimes' | 'always' | 'never';
}

/**
 * A fast-check arbitrary of retry policies that spread objects straight into task options:
 * `retries` in 0..6; `retryDelaySeconds` a whole number of seconds, a list of them, or
 * `exponentialBackoff(factor)` (shown by that name in counterexamples); and, sometimes, a
 * `retryJitterFactor` in [0, 1], in steps of 0.01. Every delay the policy yields is at most
 * `maxDelaySeconds`: a backoff's factor is chosen so that its last delay fits (backoff is left
 * out where even a factor of 1 would not). Delays are whole seconds, so virtual timestamps are exact.
 * @example
 * ```ts
 * await fc.assert(fc.asyncProperty(arbRetryPolicy(), arbFailureScript(), async (policy, script) => {
 *   const body = flaky(script, () => 'ok');
 *   await withVirtualTime(() => task(policy, body)().catch(() => undefined));
 *   expect(body.calls).toBe(Math.min(script.length, policy.retries) + 1);
 *   if (policy.retryJitterFactor === undefined) {
 *     expect(body.gaps).toEqual(expectedDelays(policy, body.calls - 1));
 *   }
 * }));
 * ```
 */
export function arbRetryPolicy(options: ArbRetryPolicyOptions = {}): fc.Arbitrary<RetryPolicy> {
  const { maxRetries = 6, maxDelaySeconds = 3600, jitter = 'sometimes' } = options;
  assertCount('arbRetryPolicy', 'maxRetries', maxRetries);
  assertCount('arbRetryPolicy', 'maxDelaySeconds', maxDelaySeconds);
  const seconds = fc.integer({ min: 0, max: maxDelaySeconds });
  const fixed: fc.Arbitrary<RetryDelaySeconds>[] = [
    seconds,
    fc.array(seconds, { minLength: 1, maxLength: 4 }),
  ];
  const delayFor = (retries: number): fc.Arbitrary<RetryDelaySeconds> => {
    // exponentialBackoff(f) waits f × 2^(k-1) before retry k: the last wait must fit too.
    const maxFactor = Math.floor(maxDelaySeconds / 2 ** Math.max(0, retries - 1));
    if (maxFactor < 1) return fc.oneof(...fixed);
    return fc.oneof(...fixed, fc.integer({ min: 0, max: maxFactor }).map(namedBackoff));
  };
  const retriesAndDelay = fc
    .integer({ min: 0, max: maxRetries })
    .chain((retries) => delayFor(retries).map((retryDelaySeconds) => ({ retries, retryDelaySeconds })));
  if (jitter === 'never') return retriesAndDelay;
  // Whole percents: fc.double({ min: 0, max: 1 }) would give factors below 0.001 nine times out of ten.
  const factor = fc.integer({ min: 0, max: 100 }).map((percent) => percent / 100);
  const withJitter = (policy: RetryPolicy, retryJitterFactor: number): RetryPolicy => ({
    ...policy,
    retryJitterFactor,
  });
  if (jitter === 'always') {
    return fc
      .tuple(retriesAndDelay, factor)
      .map(([policy, retryJitterFactor]) => withJitter(policy, retryJitterFactor));
  }
  return fc
    .tuple(retriesAndDelay, fc.option(factor, { nil: undefined, freq: 2 }))
    .map(([policy, retryJitterFactor]) =>
      retryJitterFactor === undefined ? policy : withJitter(policy, retryJitterFactor),
    );
}

function namedBackoff(factor: number): (retries: number) => number[] {
  return Object.assign(exponentialBackoff(factor), {
    [fc.toStringMethod]: () => `exponentialBackoff(${factor})`,
  });
}

/**
 * What a thrown value in a failure script may be.
 * @example
 * ```ts
 * const onlyErrors = arbFailureScript({ kinds: ['error'] satisfies FailureKind[] });
 * ```
 */
export type FailureKind = 'error' | 'string' | 'undefined' | 'object';

/**
 * Options of {@link arbFailureScript}.
 * @example
 * ```ts
 * const alwaysFails = arbFailureScript({ minFailures: 1, maxFailures: 3 });
 * ```
 */
export interface ArbFailureScriptOptions {
  /** @default 0 */
  minFailures?: number;
  /** @default 8 */
  maxFailures?: number;
  /** What the failures throw. @default all four kinds */
  kinds?: readonly FailureKind[];
}

/**
 * A fast-check arbitrary of failure scripts for {@link flaky}: a list of 0..8 values thrown on
 * the leading attempts, each an `Error`, a string, `undefined` or a plain object
 * (`{ code, message }`), since user code throws all of these. `script.length` is the number of
 * leading failures.
 * @example
 * ```ts
 * fc.assert(fc.property(arbFailureScript({ maxFailures: 3 }), (script) => {
 *   const body = flaky(script, () => 'ok'); // fails script.length times, then returns 'ok'
 * }));
 * ```
 */
export function arbFailureScript(options: ArbFailureScriptOptions = {}): fc.Arbitrary<unknown[]> {
  const { minFailures = 0, maxFailures = 8, kinds = ['error', 'string', 'undefined', 'object'] } = options;
  assertCount('arbFailureScript', 'minFailures', minFailures);
  assertCount('arbFailureScript', 'maxFailures', maxFailures);
  if (minFailures > maxFailures) {
    throw new RangeError(
      `arbFailureScript: expected minFailures (${minFailures}) to be at most maxFailures (${maxFailures})`,
    );
  }
  if (kinds.length === 0) throw new RangeError('arbFailureScript: expected kinds to name at least one kind');
  const message = fc.string({ maxLength: 16 });
  const byKind: Record<FailureKind, fc.Arbitrary<unknown>> = {
    error: message.map((m) => new Error(m)),
    string: message,
    undefined: fc.constant(undefined),
    object: fc.record({ code: fc.integer({ min: 0, max: 999 }), message }, { noNullPrototype: true }),
  };
  const thrown = fc.oneof(
    ...kinds.map((kind) => {
      const arb = byKind[kind];
      if (arb === undefined) throw new RangeError(`arbFailureScript: unknown kind ${String(kind)}`);
      return arb;
    }),
  );
  return fc.array(thrown, { minLength: minFailures, maxLength: maxFailures });
}

/**
 * The delays, in milliseconds, that the engine waits before retries 1..`retries` under `policy`,
 * without jitter: `retryDelaySeconds` resolved as the engine does (a function is called once
 * with `policy.retries`; a list's last value repeats). Compare with `flaky(...).gaps`.
 * @param retries How many retries happened. @default policy.retries
 * @example
 * ```ts
 * expectedDelays({ retries: 3, retryDelaySeconds: exponentialBackoff(10) }); // [10_000, 20_000, 40_000]
 * expectedDelays({ retries: 4, retryDelaySeconds: [1, 5] }, 3);              // [1000, 5000, 5000]
 * ```
 */
export function expectedDelays(
  policy: Pick<RetryPolicy, 'retries' | 'retryDelaySeconds'>,
  retries = policy.retries,
): number[] {
  const delays =
    typeof policy.retryDelaySeconds === 'function'
      ? policy.retryDelaySeconds(policy.retries)
      : (policy.retryDelaySeconds ?? 0);
  return Array.from({ length: retries }, (_, k) => delayForRetry(delays, k + 1) * 1000);
}

/**
 * The range, in milliseconds, each retry delay may take under `policy` with its jitter:
 * `delay × (1 ± retryJitterFactor)`, clamped at 0. Without jitter, `min === max`. Each bound
 * is rounded outwards to a multiple of 1/1024 ms (whole-millisecond bounds stay as they are),
 * which absorbs the float rounding in the gaps measured on a virtual clock, `(t + delay) - t`:
 * at present-day timestamps, up to about 1e-4 ms either way.
 * @param retries How many retries happened. @default policy.retries
 * @example
 * ```ts
 * delayBounds({ retries: 1, retryDelaySeconds: 10, retryJitterFactor: 0.5 }); // [{ min: 5000, max: 15000 }]
 * ```
 */
export function delayBounds(policy: RetryPolicy, retries = policy.retries): { min: number; max: number }[] {
  const factor = policy.retryJitterFactor ?? 0;
  return expectedDelays(policy, retries).map((delay) => ({
    min: Math.floor(Math.max(0, delay * (1 - factor)) * GRID) / GRID,
    max: Math.ceil(delay * (1 + factor) * GRID) / GRID,
  }));
}

// Bounds are rounded outwards to this grid (scaling by a power of two is exact). A virtual
// time t between 2^40 and 2^43 ms (the years 2004 to 2248) is a multiple of 1/1024 ms, so
// t + bound is exact and rounding t + delay, which is monotonic, cannot carry the measured gap
// across the bound. Earlier times are finer-grained and round by less than 2^-13 ms: an
// off-grid bound moved outwards keeps a wider margin, and a whole-millisecond bound is only
// crossed by a jittered delay that lies within that of it (a random draw of exactly 0).
const GRID = 1024;

function assertCount(owner: string, option: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`${owner}: expected ${option} to be a non-negative integer, got ${String(value)}`);
  }
}
