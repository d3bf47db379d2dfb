import { ConcurrencyLimitError } from './concurrency-limit-error.js';
import { acquireSlots } from './acquire.js';
import type { Limiter } from './limiter.js';
import { LimiterSet } from './limiter-set.js';
import { checkNames, namesLabel, occupyProblem, resolveLimits } from './resolve-limits.js';

/** Options of {@link concurrency}. */
export interface ConcurrencyOptions {
  /** Slots held while `fn` runs. @default 1 */
  occupy?: number;
  /**
   * Seconds to wait for the slots before rejecting with a `TimeoutError`; `0` means do not
   * wait. It bounds only the wait, never `fn`. @default undefined (wait as long as it takes)
   */
  timeoutSeconds?: number;
  /** Reject with a `ConcurrencyLimitError` when no limit has this name, instead of running unlimited with a warning. @default false */
  strict?: boolean;
}

/** Options of {@link rateLimit}. */
export type RateLimitOptions = ConcurrencyOptions;

/**
 * Runs `fn` (sync or async) holding `occupy` slots of the limit `name`, or of every limit in a
 * list of names, and resolves with its result; the slots are released when `fn` settles,
 * whether it returned or threw. Waiters are served first come, first served. Several limits
 * are taken one at a time in name order (so callers naming the same limits in any order
 * cannot deadlock), each waited for in its own queue; a timeout or abort meanwhile gives back
 * those already held. Inside a task or flow run, waiting ends (rejecting with the run's abort
 * reason) when the run is cancelled or times out. An unknown name runs `fn` without that
 * limit and reports a warning through `setErrorReporter` (`console.error` by default), or
 * rejects with `strict: true`; an empty list holds nothing.
 * @example
 * ```ts
 * createConcurrencyLimit('database', { limit: 10 });
 * const rows = await concurrency('database', () => db.query(sql), { timeoutSeconds: 30 });
 * // one slot of each, taken together
 * await concurrency(['database', 'warehouse'], () => copyTable(name));
 * ```
 */
export async function concurrency<T>(
  names: string | readonly string[],
  fn: () => T | PromiseLike<T>,
  options: ConcurrencyOptions = {},
): Promise<Awaited<T>> {
  if (typeof names !== 'string') checkNames('concurrency', names);
  const { occupy, timeoutSeconds, strict } = checkOptions('concurrency', names, options);
  if (typeof fn !== 'function') {
    throw new TypeError(`concurrency(${namesLabel(names)}): expected fn to be a function`);
  }
  const pool = resolveLimits('concurrency', names, strict);
  if (pool === undefined) return await fn();
  if (typeof names !== 'string') {
    const problem = occupyProblem(pool, occupy);
    if (problem !== undefined) throw problem;
  }
  // When the slots were taken, on each member's clock, for what decay drains while they are held.
  // A set takes its members one at a time while it waits: the times before waiting are never
  // later than any member's take, so no more is given back than is left.
  const members = pool instanceof LimiterSet ? pool.members : undefined;
  const before = members?.map((m) => m.scheduler.now());
  const wait = acquireSlots(pool, occupy, timeoutSeconds);
  if (wait !== undefined) await wait;
  // A single limit: the time of the grant (exact in virtual time, where timers wait for promise
  // continuations; in real time at most a few ms late).
  const since = before ?? (pool as Limiter).scheduler.now();
  try {
    return await fn();
  } finally {
    if (members === undefined) (pool as Limiter).releaseHeld(occupy, since as number);
    else members.forEach((m, i) => m.releaseHeld(occupy, (since as number[])[i]!));
  }
}

/**
 * Waits until `occupy` slots of the rate limit `name` (or of every limit in a list) are free
 * and takes them; they come back by decay (`slotDecayPerSecond`), never by the caller, so
 * calls are spaced to the limit's rate, with bursts of up to `limit`. Cancellation,
 * `timeoutSeconds`, lists and unknown names behave as in {@link concurrency}. A limit without
 * decay is an error: its slots would never return.
 * @example
 * ```ts
 * createConcurrencyLimit('github-api', { limit: 5, slotDecayPerSecond: 1 });
 * await rateLimit('github-api');
 * const repo = await fetch('https://api.github.com/repos/ReactiveX/rxjs');
 * ```
 */
export async function rateLimit(
  names: string | readonly string[],
  options: RateLimitOptions = {},
): Promise<void> {
  if (typeof names !== 'string') checkNames('rateLimit', names);
  const { occupy, timeoutSeconds, strict } = checkOptions('rateLimit', names, options);
  const pool = resolveLimits('rateLimit', names, strict);
  if (pool === undefined) return;
  for (const limiter of pool instanceof LimiterSet ? pool.members : [pool as Limiter]) {
    if (!(limiter.decayPerSecond > 0)) {
      const name = limiter.name;
      throw new ConcurrencyLimitError(
        name,
        `rateLimit: concurrency limit '${name}' has no slot decay, so its slots would never come back; ` +
          `create it with createConcurrencyLimit('${name}', { limit, slotDecayPerSecond })`,
      );
    }
  }
  if (typeof names !== 'string') {
    const problem = occupyProblem(pool, occupy);
    if (problem !== undefined) throw problem;
  }
  const wait = acquireSlots(pool, occupy, timeoutSeconds);
  if (wait !== undefined) await wait;
}

function checkOptions(caller: string, names: string | readonly string[], options: ConcurrencyOptions) {
  const { occupy = 1, timeoutSeconds, strict = false } = options;
  if (typeof occupy !== 'number' || !Number.isInteger(occupy) || occupy < 1) {
    throw new RangeError(
      `${caller}(${namesLabel(names)}): expected occupy to be a positive integer, got ${String(occupy)}`,
    );
  }
  if (
    timeoutSeconds !== undefined &&
    (typeof timeoutSeconds !== 'number' || !(timeoutSeconds >= 0) || timeoutSeconds === Infinity)
  ) {
    throw new RangeError(
      `${caller}(${namesLabel(names)}): expected timeoutSeconds to be a non-negative finite number, got ${String(timeoutSeconds)}`,
    );
  }
  return { occupy, timeoutSeconds, strict };
}
