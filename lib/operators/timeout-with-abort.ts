import {
  asyncScheduler,
  identity,
  Observable,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { TimeoutError } from '../errors/timeout-error.js';
import { unsubscribeWithReason } from '../internal/abort-reason.js';
import { FnSubscriber } from '../internal/fn-subscriber.js';
import { timerQueueFor } from '../internal/timer-queue.js';
import { assertNonNegative } from '../internal/validate.js';

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
 * by `fromAbortable` sees its `signal` abort (`signal.reason` is the TimeoutError). Timers of
 * many subscriptions share one scheduler action; none is left armed once the work is done.
 * @example
 * ```ts
 * fromAbortable(({ signal }) => fetch(url, { signal })).pipe(timeoutWithAbort({ seconds: 5 }));
 * ```
 */
export function timeoutWithAbort<T>(config: TimeoutWithAbortConfig): MonoTypeOperatorFunction<T> {
  const { seconds, scheduler = asyncScheduler, what } = config;
  assertNonNegative('timeoutWithAbort', 'seconds', seconds);
  if (seconds === 0) return identity;
  const ms = seconds * 1000;
  return (source) =>
    new Observable<T>((subscriber) => {
      const queue = timerQueueFor(scheduler);
      const inner = new FnSubscriber<T>(
        (value) => subscriber.next(value),
        (error) => subscriber.error(error),
        () => subscriber.complete(),
      );
      const entry = queue.add(ms, () => {
        const error = new TimeoutError(seconds, what);
        unsubscribeWithReason(error, () => inner.unsubscribe());
        subscriber.error(error);
      });
      source.subscribe(inner);
      return () => {
        queue.cancel(entry);
        inner.unsubscribe();
      };
    });
}
