import {
  asyncScheduler,
  Observable,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { isNonRetriableError } from '../errors/non-retriable-error.js';
import { FnSubscriber } from '../internal/fn-subscriber.js';
import { isThenable } from '../internal/is-thenable.js';
import { assertDelays, assertNonNegative, assertNonNegativeInteger } from '../internal/validate.js';
import { delayForRetry } from '../policies/backoff.js';
import { applyJitter } from '../policies/jitter.js';

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
  /** Seconds before each retry: one number, or a list where the last value repeats. @default 0 */
  delaySeconds?: number | readonly number[];
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
 * (with optional jitter) on the given scheduler. Delays of zero retry synchronously. The
 * source's final error passes through once retries are exhausted or the error is not retriable.
 * @example
 * ```ts
 * fromAbortable(() => fetchJson(url)).pipe(
 *   retryWithBackoff({ retries: 3, delaySeconds: exponentialBackoff(1)(3), jitterFactor: 0.2 }),
 * );
 * ```
 */
export function retryWithBackoff<T>(config: RetryWithBackoffConfig): MonoTypeOperatorFunction<T> {
  const {
    retries,
    delaySeconds = 0,
    jitterFactor = 0,
    random = Math.random,
    scheduler = asyncScheduler,
    shouldRetry,
    onRetryScheduled,
    onRetry,
  } = config;
  assertNonNegativeInteger('retryWithBackoff', 'retries', retries);
  assertDelays('retryWithBackoff', 'delaySeconds', delaySeconds);
  assertNonNegative('retryWithBackoff', 'jitterFactor', jitterFactor);

  return (source) =>
    new Observable<T>((subscriber) => {
      let attempt = 1;
      let inner: FnSubscriber<T> | undefined;
      let timer: Subscription | undefined;

      const start = (): void => {
        // Assign before subscribing: a source that errors synchronously retries inside
        // `subscribe`, and `inner` must end up as the newest attempt, not this finished one.
        inner = new FnSubscriber<T>(
          (value) => subscriber.next(value),
          fail,
          () => subscriber.complete(),
        );
        source.subscribe(inner);
      };

      const retry = (error: unknown): void => {
        const failed = attempt++;
        const delayMs = applyJitter(delayForRetry(delaySeconds, failed) * 1000, jitterFactor, random);
        if (delayMs > 0) {
          onRetryScheduled?.({ attempt: failed, error, delayMs, scheduledTime: scheduler.now() + delayMs });
          timer = scheduler.schedule(() => {
            timer = undefined;
            onRetry?.({ attempt, error });
            start();
          }, delayMs);
        } else {
          onRetry?.({ attempt, error });
          start();
        }
      };

      const fail = (error: unknown): void => {
        // Downstream may unsubscribe while a synchronous source is still running; never rerun it then.
        if (subscriber.closed) return;
        if (attempt > retries || isNonRetriableError(error)) return subscriber.error(error);
        if (shouldRetry === undefined) return retry(error);
        let verdict: unknown;
        try {
          verdict = shouldRetry(error, attempt);
        } catch {
          return subscriber.error(error);
        }
        if (!isThenable(verdict)) return verdict ? retry(error) : subscriber.error(error);
        verdict.then(
          (yes) => {
            if (!subscriber.closed) (yes ? retry : subscriber.error.bind(subscriber))(error);
          },
          () => {
            if (!subscriber.closed) subscriber.error(error);
          },
        );
      };

      start();
      return () => {
        timer?.unsubscribe();
        inner?.unsubscribe();
      };
    });
}
