import { Observable, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { loopPolicy, ValuesLoop } from '../internal/attempt-loop.js';
import { assertKnownOptions, assertNonNegativeInteger, optionKeys } from '../internal/validate.js';

/** Told when a failed attempt will be retried after a delay. */
export interface RetryScheduledEvent {
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly error: unknown;
  /** The delay actually used, jitter applied, in milliseconds. */
  readonly delayMs: number;
  /** When the next attempt starts, by the scheduler's clock (ms since the epoch). */
  readonly scheduledTime: number;
}

/** Told when the next attempt starts. */
export interface RetryEvent {
  /** The attempt that is starting (2 for the first retry). */
  readonly attempt: number;
  /** The error of the previous attempt. */
  readonly error: unknown;
}

/** Options of {@link retryWithBackoff}. */
export interface RetryWithBackoffConfig {
  /** Extra attempts after the first failure. */
  retries: number;
  /**
   * Seconds before each retry: one number, a list where the last value repeats, or a function of
   * `retries` returning the list (`exponentialBackoff(1)`), called once, as tasks take
   * `retryDelaySeconds`. @default 0
   */
  delaySeconds?: number | readonly number[] | ((retries: number) => readonly number[]);
  /** Each delay is spread within `delay × (1 ± jitterFactor)`, clamped at 0. @default 0 */
  jitterFactor?: number;
  /** Random source for jitter. @default Math.random */
  random?: () => number;
  /** Clock for the delays. @default asyncScheduler */
  scheduler?: SchedulerLike;
  /**
   * Decides whether a failed attempt is retried; a falsy value (or a Promise of one) stops, as
   * does a throw. A `NonRetriableError` is never retried, whatever this says.
   */
  shouldRetry?: (error: unknown, attempt: number) => unknown;
  onRetryScheduled?: (event: RetryScheduledEvent) => void;
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Resubscribes to the source when it errors, up to `retries` times, waiting the configured delay
 * (with optional jitter) on the given scheduler. Delays of zero retry synchronously, in a loop:
 * any number of synchronous failures takes constant stack. The
 * source's final error passes through once retries are exhausted or the error is not retriable.
 * @example
 * ```ts
 * fromAbortable(() => fetchJson(url)).pipe(
 *   retryWithBackoff({ retries: 3, delaySeconds: exponentialBackoff(1), jitterFactor: 0.2 }),
 * );
 * ```
 */
export function retryWithBackoff<T>(config: RetryWithBackoffConfig): MonoTypeOperatorFunction<T> {
  assertKnownOptions('retryWithBackoff', config, RETRY_KEYS);
  // Checked first: the loop's own policy defaults a missing count to 0, this operator requires one.
  assertNonNegativeInteger('retryWithBackoff', 'retries', config.retries);
  const policy = loopPolicy('retryWithBackoff', config);
  return (source) =>
    new Observable<T>((subscriber) => {
      const loop = new ValuesLoop(source, policy, subscriber, config);
      loop.run();
      return () => loop.teardown();
    });
}

const RETRY_KEYS = optionKeys<RetryWithBackoffConfig>({
  retries: true,
  delaySeconds: true,
  jitterFactor: true,
  random: true,
  scheduler: true,
  shouldRetry: true,
  onRetryScheduled: true,
  onRetry: true,
});
