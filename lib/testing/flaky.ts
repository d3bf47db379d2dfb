import { currentFrame } from '../internal/context.js';

/**
 * How a {@link flaky} function fails before it succeeds (generate them with `arbFailureScript`):
 * - a number `n`: attempts 1..n throw `Error('flaky: planned failure k of n')`;
 * - a list: attempt k throws element k-1, whatever it is (an Error, a string, `undefined`, ...);
 * - `{ failures: n, error: (attempt) => value }`: attempts 1..n throw `error(k)`.
 * @example
 * ```ts
 * const scripts: FailureScript[] = [2, [new Error('a'), 'b'], { failures: 3, error: (k) => new Error(`try ${k}`) }];
 * ```
 */
export type FailureScript =
  number | readonly unknown[] | { readonly failures: number; readonly error?: (attempt: number) => unknown };

/**
 * A scripted flaky function, as made by {@link flaky}: call it like the function it wraps.
 * @example
 * ```ts
 * const body: Flaky<[number], number> = flaky(1, (x: number) => x * 2);
 * await body(2).catch(() => undefined); // planned failure
 * await body(2);                         // 4; body.calls === 2
 * ```
 */
export interface Flaky<A extends unknown[], R> {
  (...args: A): Promise<R>;
  /** How many times it has been called. */
  readonly calls: number;
  /** When each call happened, by the current run's clock (virtual ms under `withVirtualTime`). */
  readonly callTimes: readonly number[];
  /** The time between consecutive calls: `callTimes[k] - callTimes[k - 1]`. */
  readonly gaps: readonly number[];
  /** How many leading calls fail. */
  readonly failures: number;
  /** Forgets the calls, so the script starts over. */
  reset(): void;
}

/**
 * Wraps `fn` so that its first calls fail as `script` says, and later calls run `fn`. Made for
 * testing retries: the wrapper counts its calls and records when they happened on the run's
 * clock, so under {@link withVirtualTime} `gaps` are the exact retry delays. The wrapper is
 * async: a planned failure is a rejected promise. It keeps `fn`'s name, arity and source, so a
 * task made from it is named after `fn` and reads its parameter names. Calls are counted across
 * runs; `reset()` starts over.
 * @example
 * ```ts
 * const load = flaky(2, (id: number) => ({ id }));            // fails twice, then works
 * const parse = flaky([new Error('a'), 'b'], (s: string) => s); // throws Error('a'), then 'b'
 * const fetchPage = task({ retries: 3, retryDelaySeconds: 10 }, load);
 * await withVirtualTime(() => fetchPage(7));
 * // load.calls === 3, load.gaps → [10_000, 10_000]
 * ```
 */
export function flaky<A extends unknown[], R>(
  script: FailureScript,
  fn: (...args: A) => R,
): Flaky<A, Awaited<R>> {
  if (typeof fn !== 'function') throw new TypeError(`flaky: expected fn to be a function, got ${typeof fn}`);
  const { failures, errorFor } = toPlan(script);
  let callTimes: number[] = [];
  const wrapper = async function (this: unknown, ...args: A): Promise<Awaited<R>> {
    callTimes.push(currentFrame().clock.scheduler.now());
    const attempt = callTimes.length;
    if (attempt <= failures) throw errorFor(attempt);
    return await fn.apply(this, args);
  };
  return Object.defineProperties(wrapper, {
    // The engine reads a body's name, arity and source (parameter names, TASK_SOURCE cache keys).
    name: { value: fn.name, configurable: true },
    length: { value: fn.length, configurable: true },
    toString: { value: () => Function.prototype.toString.call(fn), configurable: true },
    calls: { get: () => callTimes.length, enumerable: true },
    callTimes: { get: () => Object.freeze([...callTimes]), enumerable: true },
    gaps: { get: () => Object.freeze(callTimes.slice(1).map((t, k) => t - callTimes[k]!)), enumerable: true },
    failures: { value: failures, enumerable: true },
    reset: { value: () => void (callTimes = []) },
  }) as unknown as Flaky<A, Awaited<R>>;
}

function toPlan(script: FailureScript): { failures: number; errorFor: (attempt: number) => unknown } {
  if (typeof script === 'number') {
    assertFailures(script, 'script');
    return { failures: script, errorFor: (k) => new Error(`flaky: planned failure ${k} of ${script}`) };
  }
  if (Array.isArray(script)) {
    const errors: readonly unknown[] = [...(script as readonly unknown[])];
    return { failures: errors.length, errorFor: (k) => errors[k - 1] };
  }
  if (typeof script === 'object' && script !== null && 'failures' in script) {
    const { failures, error } = script as { failures: number; error?: (attempt: number) => unknown };
    assertFailures(failures, 'script.failures');
    if (error !== undefined && typeof error !== 'function') {
      throw new TypeError(`flaky: expected script.error to be a function, got ${typeof error}`);
    }
    return { failures, errorFor: error ?? ((k) => new Error(`flaky: planned failure ${k} of ${failures}`)) };
  }
  throw new TypeError(
    `flaky: expected script to be a number, a list of errors or { failures }, got ${String(script)}`,
  );
}

function assertFailures(value: unknown, option: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`flaky: expected ${option} to be a non-negative integer, got ${String(value)}`);
  }
}
