import { ConcurrencyLimitError } from './concurrency-limit-error.js';
import { acquireSlots } from './acquire.js';
import { lookupLimiter } from './registry.js';

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
 * Runs `fn` (sync or async) holding `occupy` slots of the limit `name`, and resolves with its
 * result; the slots are released when `fn` settles, whether it returned or threw. Waiters are
 * served first come, first served. Inside a task or flow run, waiting ends (rejecting with the
 * run's abort reason) when the run is cancelled or times out. An unknown name runs `fn`
 * without a limit and reports a warning through `setErrorReporter` (`console.error` by
 * default), or rejects with `strict: true`.
 * @example
 * ```ts
 * createConcurrencyLimit('database', { limit: 10 });
 * const rows = await concurrency('database', () => db.query(sql), { timeoutSeconds: 30 });
 * ```
 */
export async function concurrency<T>(
  name: string,
  fn: () => T | PromiseLike<T>,
  options: ConcurrencyOptions = {},
): Promise<Awaited<T>> {
  const { occupy, timeoutSeconds, strict } = checkOptions('concurrency', name, options);
  if (typeof fn !== 'function') throw new TypeError(`concurrency('${name}'): expected fn to be a function`);
  const limiter = lookupLimiter('concurrency', name, strict);
  if (limiter === undefined) return await fn();
  const wait = acquireSlots(limiter, occupy, timeoutSeconds);
  if (wait !== undefined) await wait;
  try {
    return await fn();
  } finally {
    limiter.release(occupy);
  }
}

/**
 * Waits until `occupy` slots of the rate limit `name` are free and takes them; they come back
 * by decay (`slotDecayPerSecond`), never by the caller, so calls are spaced to the limit's
 * rate, with bursts of up to `limit`. Cancellation, `timeoutSeconds` and unknown names behave
 * as in {@link concurrency}. A limit without decay is an error: its slots would never return.
 * @example
 * ```ts
 * createConcurrencyLimit('github-api', { limit: 5, slotDecayPerSecond: 1 });
 * await rateLimit('github-api');
 * const repo = await fetch('https://api.github.com/repos/ReactiveX/rxjs');
 * ```
 */
export async function rateLimit(name: string, options: RateLimitOptions = {}): Promise<void> {
  const { occupy, timeoutSeconds, strict } = checkOptions('rateLimit', name, options);
  const limiter = lookupLimiter('rateLimit', name, strict);
  if (limiter === undefined) return;
  if (!(limiter.decayPerSecond > 0)) {
    throw new ConcurrencyLimitError(
      name,
      `rateLimit: concurrency limit '${name}' has no slot decay, so its slots would never come back; ` +
        `create it with createConcurrencyLimit('${name}', { limit, slotDecayPerSecond })`,
    );
  }
  const wait = acquireSlots(limiter, occupy, timeoutSeconds);
  if (wait !== undefined) await wait;
}

function checkOptions(caller: string, name: string, options: ConcurrencyOptions) {
  const { occupy = 1, timeoutSeconds, strict = false } = options;
  if (typeof occupy !== 'number' || !Number.isInteger(occupy) || occupy < 1) {
    throw new RangeError(
      `${caller}('${name}'): expected occupy to be a positive integer, got ${String(occupy)}`,
    );
  }
  if (
    timeoutSeconds !== undefined &&
    (typeof timeoutSeconds !== 'number' || !(timeoutSeconds >= 0) || timeoutSeconds === Infinity)
  ) {
    throw new RangeError(
      `${caller}('${name}'): expected timeoutSeconds to be a non-negative finite number, got ${String(timeoutSeconds)}`,
    );
  }
  return { occupy, timeoutSeconds, strict };
}
