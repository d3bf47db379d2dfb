import {
  asyncScheduler,
  identity,
  Observable,
  Subscriber,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { TimeoutError } from '../errors/timeout-error.js';
import { unsubscribeWithReason } from '../internal/abort-reason.js';
import {
  timerQueueFor,
  type TimerEntry,
  type TimerQueue,
  type TimerTarget,
} from '../internal/timer-queue.js';
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
    new Observable<T>((subscriber) =>
      subscribeWithTimeout(source, subscriber, timerQueueFor(scheduler), ms, seconds, what),
    );
}

/**
 * @internal The body of {@link timeoutWithAbort}: subscribes `source` for `destination` with a
 * timer of `ms` on `queue`, and returns that subscription. `toStates` calls it for each attempt
 * directly, without an Observable per attempt.
 */
export function subscribeWithTimeout<T>(
  source: Observable<T>,
  destination: Subscriber<T>,
  queue: TimerQueue,
  ms: number,
  seconds: number,
  what: string | undefined,
): Subscriber<T> {
  const inner = new TimeoutSubscriber<T>(destination, queue, seconds, what);
  inner.entry = queue.add(ms, inner);
  source.subscribe(inner);
  return inner;
}

/** Forwards the source to `outer` until the timer fires; one object per subscription, no closures. */
class TimeoutSubscriber<T> extends Subscriber<T> implements TimerTarget {
  entry: TimerEntry | undefined = undefined;

  constructor(
    private readonly outer: Subscriber<T>,
    readonly queue: TimerQueue,
    private readonly seconds: number,
    private readonly what: string | undefined,
  ) {
    super();
  }

  onTimer(): void {
    const error = new TimeoutError(this.seconds, this.what);
    // Unsubscribe the source first, with the error as the abort reason, then tell downstream.
    unsubscribeWithReason(error, () => this.unsubscribe());
    this.outer.error(error);
  }

  protected override _next(value: T): void {
    this.outer.next(value);
  }

  protected override _error(error: unknown): void {
    this.unsubscribe();
    this.outer.error(error);
  }

  protected override _complete(): void {
    this.unsubscribe();
    this.outer.complete();
  }

  override unsubscribe(): void {
    if (this.closed) return;
    if (this.entry !== undefined) this.queue.cancel(this.entry);
    super.unsubscribe();
  }
}
