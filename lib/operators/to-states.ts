import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { isTimeoutError } from '../errors/timeout-error.js';
import { FnSubscriber } from '../internal/fn-subscriber.js';
import { timestamp } from '../internal/timestamp.js';
import { assertDelays, assertNonNegative, assertNonNegativeInteger } from '../internal/validate.js';
import { createState } from '../state/create-state.js';
import type { State } from '../state/schema.js';
import { retryWithBackoff, type RetryWithBackoffConfig } from './retry-with-backoff.js';
import { timeoutWithAbort } from './timeout-with-abort.js';

/** Options of {@link toStates}. */
export interface ToStatesConfig {
  /** Clock for delays, timeouts and state timestamps. @default asyncScheduler */
  scheduler?: SchedulerLike;
  /** Seconds each attempt may take; `0` means no timeout. @default 0 */
  timeoutSeconds?: number;
  /** Extra attempts after the first failure. @default 0 */
  retries?: number;
  /** Seconds before each retry (number, or list whose last value repeats). @default 0 */
  retryDelaySeconds?: number | readonly number[];
  /** @default 0 */
  retryJitterFactor?: number;
  /** @default Math.random */
  random?: () => number;
  /** Called with each failed attempt's state; falsy (or a Promise of falsy) stops retrying. */
  shouldRetry?: (failed: State<never>, attempt: number) => unknown;
  /** Names the run in timeout messages. @default 'Run' */
  what?: string;
}

/**
 * Turns a cold source (one subscription = one attempt) into the stream of run states Prefect
 * defines: `Running`, then for each retried failure `AwaitingRetry` (only when the delay is
 * above 0, with `details.scheduledTime`) and `Retrying`, then one final `Completed` (carrying the
 * source's last value), `Failed` or `TimedOut`, then completion. It never errors: failures
 * are states. Built from {@link timeoutWithAbort} (per attempt) and {@link retryWithBackoff}.
 * @example
 * ```ts
 * fromAbortable(() => fetchJson(url))
 *   .pipe(toStates({ retries: 2, retryDelaySeconds: 1, timeoutSeconds: 10 }))
 *   .subscribe((s) => console.log(s.name));
 * ```
 */
export function toStates<T>(config: ToStatesConfig = {}): OperatorFunction<T, State<T>> {
  const { scheduler = asyncScheduler, timeoutSeconds = 0, retries = 0, what = 'Run' } = config;
  // Checked here, once: inside the Observable a bad option would surface as an error, and
  // toStates never errors; negative numbers would silently mean "none".
  assertNonNegativeInteger('toStates', 'retries', retries);
  assertNonNegative('toStates', 'timeoutSeconds', timeoutSeconds);
  assertDelays('toStates', 'retryDelaySeconds', config.retryDelaySeconds ?? 0);
  assertNonNegative('toStates', 'retryJitterFactor', config.retryJitterFactor ?? 0);
  return (source) =>
    new Observable<State<T>>((subscriber) => {
      const now = () => timestamp(scheduler);
      let hasValue = false;
      let last: T | undefined;
      const shouldRetry = config.shouldRetry;
      const retryConfig: RetryWithBackoffConfig = {
        retries,
        delaySeconds: config.retryDelaySeconds ?? 0,
        jitterFactor: config.retryJitterFactor ?? 0,
        random: config.random,
        scheduler,
        shouldRetry:
          shouldRetry && ((error, attempt) => shouldRetry(failedState(error, now(), what), attempt)),
        onRetryScheduled: ({ attempt, delayMs, error, scheduledTime }) =>
          subscriber.next(
            createState('SCHEDULED', 'AwaitingRetry', now(), {
              message: `Retry ${attempt}/${retries} will start ${delayMs / 1000}s from now, after: ${describeError(error)}`,
              details: { scheduledTime: new Date(scheduledTime) },
            }),
          ),
        onRetry: ({ attempt }) => {
          // `data` is the completing attempt's last value, never a failed attempt's.
          hasValue = false;
          last = undefined;
          subscriber.next(createState('RUNNING', 'Retrying', now(), { details: { runCount: attempt } }));
        },
      };
      let attempts = source;
      if (timeoutSeconds > 0)
        attempts = attempts.pipe(timeoutWithAbort({ seconds: timeoutSeconds, scheduler, what }));
      if (retries > 0) attempts = attempts.pipe(retryWithBackoff(retryConfig));

      subscriber.next(createState('RUNNING', 'Running', now()));
      return attempts.subscribe(
        new FnSubscriber<T>(
          (value) => {
            hasValue = true;
            last = value;
          },
          (error) => {
            subscriber.next(failedState(error, now(), what));
            subscriber.complete();
          },
          () => {
            subscriber.next(
              createState<T>('COMPLETED', 'Completed', now(), hasValue ? { data: last } : undefined),
            );
            subscriber.complete();
          },
        ),
      );
    });
}

/** @internal The final state for an error: `TimedOut` for a TimeoutError, else `Failed`. */
export function failedState(error: unknown, timestamp: Date, what: string): State<never> {
  if (isTimeoutError(error)) {
    return createState('FAILED', 'TimedOut', timestamp, {
      error,
      message: `${what} exceeded its timeout of ${error.timeoutSeconds}s`,
    });
  }
  return createState('FAILED', 'Failed', timestamp, { error, message: describeError(error) });
}

/** @internal A one-line description of any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'string') return error;
  try {
    return `Non-Error thrown: ${JSON.stringify(error) ?? String(error)}`;
  } catch {
    return `Non-Error thrown: ${String(error)}`;
  }
}
