import { identity, Observable, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { loopPolicy, ValuesLoop } from '../internal/attempt-loop.js';
import { assertKnownOptions, assertNonNegative, optionKeys } from '../internal/validate.js';

/** Options of {@link timeoutWithAbort}. */
export interface TimeoutWithAbortConfig {
  /** Seconds each subscription may run; `0` means no timeout. */
  seconds: number;
  /** Clock for the timer. @default asyncScheduler */
  scheduler?: SchedulerLike;
  /** Names what timed out in the error message. @default 'Run' */
  what?: string;
}

/**
 * Errors with a `TimeoutError` when the source has not completed `seconds` after subscription,
 * and first unsubscribes from the source with that error as the abort reason, so a source made
 * by `fromAbortable` sees its `signal` abort (`signal.reason` is the TimeoutError). A source
 * that completes or errors synchronously, inside `subscribe`, after its deadline (CPU-bound
 * work keeps the timer from firing) errors with the TimeoutError instead; values it emitted
 * have passed on. Timers of many subscriptions share one scheduler action; none is left armed
 * once the work is done.
 * @example
 * ```ts
 * fromAbortable(({ signal }) => fetch(url, { signal })).pipe(timeoutWithAbort({ seconds: 5 }));
 * ```
 */
export function timeoutWithAbort<T>(config: TimeoutWithAbortConfig): MonoTypeOperatorFunction<T> {
  assertKnownOptions('timeoutWithAbort', config, TIMEOUT_KEYS);
  const { seconds, scheduler, what } = config;
  assertNonNegative('timeoutWithAbort', 'seconds', seconds); // required here; the loop defaults it
  const policy = loopPolicy('timeoutWithAbort', { timeoutSeconds: seconds, scheduler, what });
  if (seconds === 0) return identity;
  return (source) =>
    new Observable<T>((subscriber) => {
      const loop = new ValuesLoop(source, policy, subscriber, {});
      loop.run();
      return () => loop.teardown();
    });
}

const TIMEOUT_KEYS = optionKeys<TimeoutWithAbortConfig>({ seconds: true, scheduler: true, what: true });
