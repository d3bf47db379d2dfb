import { asyncScheduler, Observable, Subscriber, type SchedulerLike, type Subscription } from 'rxjs';
import { CancelledError } from '../errors/cancelled-error.js';
import { isNonRetriableError } from '../errors/non-retriable-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { delayForRetry } from '../policies/backoff.js';
import { applyJitter } from '../policies/jitter.js';
import { takeAbortReason, unsubscribeWithReason } from './abort-reason.js';
import { CancelToken, type AbortScope } from './cancel-token.js';
import { adopt } from './adopt.js';
import { isObservableValue } from './is-observable-value.js';
import { isThenable } from './is-thenable.js';
import { askRetry } from './retry-verdict.js';
import { scheduleDelay } from './schedule-delay.js';
import { timerQueueFor, type TimerEntry, type TimerQueue, type TimerTarget } from './timer-queue.js';
import { assertNonNegative, assertNonNegativeInteger, parseDelays } from './validate.js';

/** @internal A factory called once per attempt; it may return a value, a Promise or an Observable. */
export type AttemptFactory = (scope: AbortScope) => unknown;

/**
 * @internal What `fromAbortable` returns: an Observable that also exposes its factory, so a loop
 * given one calls the factory directly instead of subscribing (same outcome, fewer objects).
 */
export class AbortableObservable<T> extends Observable<T> {
  constructor(readonly factory: AttemptFactory) {
    super((subscriber) => {
      const loop = new ValuesLoop<T>(factory, NO_RETRIES, subscriber, NO_LISTENER);
      loop.run();
      return () => loop.teardown();
    });
  }
}

/** @internal A validated retry-and-timeout policy, built once per operator or definition. */
export interface LoopPolicy {
  readonly scheduler: SchedulerLike;
  readonly retries: number;
  readonly delaySeconds: number | readonly number[];
  readonly jitterFactor: number;
  readonly random: () => number;
  /** Seconds each attempt may take; 0 means no timeout. */
  readonly timeoutSeconds: number;
  /** The timer queue of `scheduler` when there is a timeout. */
  readonly queue: TimerQueue | undefined;
  /** Names what timed out in the TimeoutError message. */
  readonly what: string | undefined;
}

/** @internal The options of {@link loopPolicy}, as the operators take them. */
export interface LoopPolicyConfig {
  retries?: number;
  /** A function is called once with `retries` (`exponentialBackoff(1)`), as tasks do. */
  delaySeconds?: number | readonly number[] | ((retries: number) => readonly number[]);
  jitterFactor?: number;
  random?: () => number;
  scheduler?: SchedulerLike;
  timeoutSeconds?: number;
  what?: string;
}

/** @internal Checks a policy once, naming `owner` and the option in errors. */
export function loopPolicy(owner: string, config: LoopPolicyConfig, names = POLICY_NAMES): LoopPolicy {
  const {
    retries = 0,
    delaySeconds: delayOption = 0,
    jitterFactor = 0,
    random = Math.random,
    scheduler = asyncScheduler,
    timeoutSeconds = 0,
    what,
  } = config;
  assertNonNegativeInteger(owner, 'retries', retries);
  const delaySeconds = parseDelays(owner, names.delaySeconds, delayOption, retries);
  assertNonNegative(owner, names.jitterFactor, jitterFactor);
  assertNonNegative(owner, names.timeoutSeconds, timeoutSeconds);
  const queue = timeoutSeconds > 0 ? timerQueueFor(scheduler) : undefined;
  return { scheduler, retries, delaySeconds, jitterFactor, random, timeoutSeconds, queue, what };
}

/** The option names used in validation messages (toStates calls them retryDelaySeconds, …). */
const POLICY_NAMES = {
  delaySeconds: 'delaySeconds',
  jitterFactor: 'jitterFactor',
  timeoutSeconds: 'seconds',
};

const NO_RETRIES: LoopPolicy = loopPolicy('fromAbortable', {});

/**
 * @internal The one implementation of attempts: each attempt subscribes an Observable source or
 * calls a factory with an abort scope; a per-attempt timeout (on the shared timer queue) aborts
 * it with a `TimeoutError`; a failure is retried after the policy's delay unless retries are
 * exhausted, the error is a `NonRetriableError`, or `shouldRetry` says no. Subclasses say what
 * the outcome means: `retryWithBackoff`, `timeoutWithAbort` and `fromAbortable` pass values on
 * ({@link ValuesLoop}); `toStates` and the engine turn it into run states. One object per
 * subscription and no Subscriber per operator: this is a task run's hot path.
 */
export abstract class AttemptLoop<T> implements TimerTarget {
  /** The attempt running (or about to), 1-based. */
  protected attempt = 1;
  /** Set once the outcome is final or the loop was stopped: nothing more happens then. */
  stopped = false;
  /** Identifies the running attempt; outcomes of any other (abandoned) attempt are ignored. */
  private current = 0;
  private token: CancelToken | undefined = undefined;
  private inner: Subscription | undefined = undefined;
  private entry: TimerEntry | undefined = undefined;
  private retryTimer: Subscription | undefined = undefined;
  /** Inside {@link run}: an attempt is being started, and may settle before it returns. */
  private starting = false;
  /** A zero-delay retry was asked for while starting: {@link run}'s loop starts it. */
  private again = false;
  private readonly source: Observable<T> | AttemptFactory;

  constructor(
    source: Observable<T> | AttemptFactory,
    protected readonly policy: LoopPolicy,
    private readonly shouldRetry: ((error: unknown, attempt: number) => unknown) | undefined,
  ) {
    // The engine passes a function: no prototype walk for it on every run.
    this.source =
      typeof source !== 'function' && source instanceof AbortableObservable ? source.factory : source;
  }

  /** A value of the running attempt (a factory's result, or each value of a source). */
  protected abstract value(value: T): void;
  /** The running attempt completed: the final outcome. */
  protected abstract succeeded(): void;
  /** The last attempt failed (or the failure is not retried): the final outcome. */
  protected abstract failed(error: unknown): void;
  /** Attempt `attempt` failed with `error`; the next starts after `delayMs` (above 0). */
  protected abstract retryScheduled(attempt: number, error: unknown, delayMs: number, at: number): void;
  /** Attempt `attempt` (2 for the first retry) is about to start after `error`. */
  protected abstract retryStarting(attempt: number, error: unknown): void;
  /**
   * Whether downstream has gone. Checked before each attempt and each retry decision: a
   * downstream that unsubscribes while a synchronous source runs has not torn the loop down yet.
   */
  protected abstract gone(): boolean;

  /**
   * Starts the next attempt. A trampoline: an attempt that fails synchronously and is retried at
   * once asks for the next one from inside this call, which only sets `again`; the loop here
   * starts it once the failed attempt's frames have returned. Ten thousand synchronous retries
   * take one stack frame, not ten thousand (RxJS's `retry` recurses there).
   */
  run(): void {
    if (this.starting) {
      this.again = true;
      return;
    }
    this.starting = true;
    try {
      do {
        this.again = false;
        this.startAttempt();
      } while (this.again);
    } finally {
      this.starting = false;
    }
  }

  private startAttempt(): void {
    if (this.stopped || this.gone()) return;
    const id = ++this.current;
    const { policy, source } = this;
    if (policy.queue !== undefined) this.entry = policy.queue.add(policy.timeoutSeconds * 1000, this);
    if (typeof source !== 'function') return this.subscribeAttempt(source, id);
    const token = (this.token = new CancelToken());
    let out: unknown;
    try {
      out = source(token);
    } catch (error) {
      return this.attemptFailed(id, error);
    }
    // Promises first: they are what task bodies return, and isObservable reads properties a
    // Promise does not have.
    if (isThenable<T>(out)) {
      // adopt, not out.then: a thenable whose then throws fails the attempt as await would.
      adopt<T>(
        out,
        (value) => this.attemptResolved(id, value),
        (error: unknown) => this.attemptFailed(id, error),
      );
    } else if (isObservableValue<T>(out)) this.subscribeAttempt(out, id);
    else this.attemptResolved(id, out as T);
  }

  /**
   * Stops for good: a pending retry is dropped and the running attempt abandoned, its
   * subscription ended and its scope's signal aborted with `reason` (by default the abort reason
   * in flight, see abort-reason.ts, or "the subscriber unsubscribed").
   */
  stop(reason?: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.retryTimer?.unsubscribe();
    this.retryTimer = undefined;
    this.abandon(reason);
  }

  /** The teardown of an operator's subscription: stops unless the outcome was already final. */
  teardown(): void {
    if (!this.stopped) this.stop();
  }

  /** @internal The timeout of the running attempt. */
  onTimer(): void {
    this.entry = undefined;
    this.timeOut();
  }

  /**
   * Whether an attempt settling now, synchronously inside {@link run}, has overrun its timeout.
   * A body that blocks the thread past its deadline keeps the timer from firing; its outcome
   * is then a timeout, as in Prefect, where a timeout reaches a blocking call when it returns.
   * Only synchronous outcomes are checked: an asynchronous one is raced by the timer itself.
   */
  private overdue(): boolean {
    const entry = this.entry;
    return this.starting && entry !== undefined && this.policy.scheduler.now() >= entry.due;
  }

  private timeOut(): void {
    const error = new TimeoutError(this.policy.timeoutSeconds, this.policy.what);
    // The attempt's signal aborts (with the TimeoutError as reason) before anyone hears of it.
    this.abandon(error);
    this.fail(error);
  }

  /** @internal */
  attemptValue(id: number, value: T): void {
    if (id === this.current) this.value(value);
  }

  /** @internal */
  attemptCompleted(id: number): void {
    if (id !== this.current) return;
    if (this.overdue()) return this.timeOut();
    this.endAttempt();
    this.stopped = true;
    this.succeeded();
  }

  /** @internal */
  attemptFailed(id: number, error: unknown): void {
    if (id !== this.current) return;
    if (this.overdue()) return this.timeOut();
    this.endAttempt();
    this.fail(error);
  }

  private attemptResolved(id: number, value: T): void {
    if (id !== this.current) return;
    if (this.overdue()) return this.timeOut();
    this.endAttempt();
    this.stopped = true;
    this.value(value);
    this.succeeded();
  }

  private subscribeAttempt(source: Observable<T>, id: number): void {
    const subscriber = new AttemptSubscriber(this, id);
    // Assigned before subscribing: the attempt may be stopped or timed out while subscribe runs.
    this.inner = subscriber;
    source.subscribe(subscriber);
  }

  /** The attempt settled by itself: its timer is cancelled, its signal never aborts. */
  private endAttempt(): void {
    this.current++;
    this.token = undefined;
    this.inner = undefined;
    const entry = this.entry;
    if (entry !== undefined) {
      this.entry = undefined;
      this.policy.queue!.cancel(entry);
    }
  }

  private abandon(reason: unknown): void {
    this.current++;
    const entry = this.entry;
    if (entry !== undefined) {
      this.entry = undefined;
      this.policy.queue!.cancel(entry);
    }
    const inner = this.inner;
    this.inner = undefined;
    if (inner !== undefined) {
      // A source made by fromAbortable reads the reason in flight for its own signal.
      if (reason === undefined) inner.unsubscribe();
      else unsubscribeWithReason(reason, () => inner.unsubscribe());
    }
    const token = this.token;
    this.token = undefined;
    token?.abort(reason === undefined ? takeAbortReason(unsubscribed) : reason);
  }

  private fail(error: unknown): void {
    if (this.stopped || this.gone()) return;
    if (this.attempt > this.policy.retries || isNonRetriableError(error)) return this.giveUp(error);
    const ask = this.shouldRetry;
    if (ask === undefined) return this.retry(error);
    askRetry(ask, error, this.attempt, this.policy.what, (yes) => {
      if (this.stopped) return;
      if (yes) this.retry(error);
      else this.giveUp(error);
    });
  }

  private giveUp(error: unknown): void {
    this.stopped = true;
    this.failed(error);
  }

  private retry(error: unknown): void {
    const { delaySeconds, jitterFactor, random, scheduler } = this.policy;
    const failed = this.attempt++;
    // To the microsecond: seconds × 1000 leaves floating-point dust (2.01 s → 2009.9999999999998 ms),
    // which a Date timestamp would then truncate to 2009.
    const delayMs = applyJitter(toMs(delayForRetry(delaySeconds, failed)), jitterFactor, random);
    if (delayMs <= 0) {
      this.retryStarting(this.attempt, error);
      return this.run();
    }
    this.retryScheduled(failed, error, delayMs, scheduler.now() + delayMs);
    if (this.stopped) return;
    this.retryTimer = scheduleDelay(
      scheduler,
      () => {
        this.retryTimer = undefined;
        this.retryStarting(this.attempt, error);
        this.run();
      },
      delayMs,
    );
  }
}

/** One attempt's subscription to an Observable source: it reports to the loop, tagged with its id. */
class AttemptSubscriber<T> extends Subscriber<T> {
  constructor(
    private readonly loop: AttemptLoop<T>,
    private readonly id: number,
  ) {
    super();
  }

  protected override _next(value: T): void {
    this.loop.attemptValue(this.id, value);
  }

  protected override _error(error: unknown): void {
    this.unsubscribe();
    this.loop.attemptFailed(this.id, error);
  }

  protected override _complete(): void {
    this.unsubscribe();
    this.loop.attemptCompleted(this.id);
  }
}

/** @internal The listener of a {@link ValuesLoop}: retryWithBackoff's callbacks. */
export interface ValuesListener {
  shouldRetry?: (error: unknown, attempt: number) => unknown;
  onRetryScheduled?: (event: {
    attempt: number;
    error: unknown;
    delayMs: number;
    scheduledTime: number;
  }) => void;
  onRetry?: (event: { attempt: number; error: unknown }) => void;
}

const NO_LISTENER: ValuesListener = {};

/**
 * @internal The loop of the operators that pass values through: every value of an attempt goes
 * downstream as it comes, the last attempt's error (or completion) ends the stream.
 */
export class ValuesLoop<T> extends AttemptLoop<T> {
  constructor(
    source: Observable<T> | AttemptFactory,
    policy: LoopPolicy,
    private readonly destination: Subscriber<T>,
    private readonly listener: ValuesListener,
  ) {
    super(source, policy, listener.shouldRetry);
  }

  protected value(value: T): void {
    this.destination.next(value);
  }

  protected gone(): boolean {
    return this.destination.closed;
  }

  protected succeeded(): void {
    this.destination.complete();
  }

  protected failed(error: unknown): void {
    this.destination.error(error);
  }

  protected retryScheduled(attempt: number, error: unknown, delayMs: number, at: number): void {
    this.listener.onRetryScheduled?.({ attempt, error, delayMs, scheduledTime: at });
  }

  protected retryStarting(attempt: number, error: unknown): void {
    this.listener.onRetry?.({ attempt, error });
  }
}

/** @internal The abort reason when a subscriber leaves before the work finished. */
function unsubscribed(): CancelledError {
  return new CancelledError('Aborted: the subscriber unsubscribed before the work finished');
}

function toMs(seconds: number): number {
  return Math.round(seconds * 1_000_000) / 1000;
}
