import {
  asyncScheduler,
  Observable,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  Subscriber,
  type Subscription,
  type Unsubscribable,
} from 'rxjs';
import { isNonRetriableError } from '../errors/non-retriable-error.js';
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
  const policy = retryPolicy('retryWithBackoff', config);
  return (source) =>
    new Observable<T>((subscriber) => subscribeWithRetry(source, subscriber, policy, config));
}

/** @internal A validated retry configuration, built once per operator. */
export interface RetryPolicy {
  readonly retries: number;
  readonly delaySeconds: number | readonly number[];
  readonly jitterFactor: number;
  readonly random: () => number;
  readonly scheduler: SchedulerLike;
}

/** @internal Subscribes one attempt for the loop (`toStates` passes its per-attempt timeout here). */
export type AttemptSubscribe = <T>(source: Observable<T>, attempt: Subscriber<T>) => Unsubscribable;

/** @internal The callbacks of one retrying subscription. */
export type RetryListener = Pick<RetryWithBackoffConfig, 'shouldRetry' | 'onRetryScheduled' | 'onRetry'>;

/** @internal Checks a retry configuration once, naming `owner` in errors. */
export function retryPolicy(
  owner: string,
  config: Omit<RetryWithBackoffConfig, keyof RetryListener>,
): RetryPolicy {
  const {
    retries,
    delaySeconds = 0,
    jitterFactor = 0,
    random = Math.random,
    scheduler = asyncScheduler,
  } = config;
  assertNonNegativeInteger(owner, 'retries', retries);
  assertDelays(owner, 'delaySeconds', delaySeconds);
  assertNonNegative(owner, 'jitterFactor', jitterFactor);
  return { retries, delaySeconds, jitterFactor, random, scheduler };
}

/**
 * @internal The retry loop of {@link retryWithBackoff}, subscribing `source` on behalf of
 * `destination`; returns the teardown. `toStates` calls it directly with itself as listener,
 * so a run pays for one loop object, not for an operator and its closures per subscription.
 */
export function subscribeWithRetry<T>(
  source: Observable<T>,
  destination: Subscriber<T>,
  policy: RetryPolicy,
  listener: RetryListener,
  subscribeAttempt: AttemptSubscribe | undefined = undefined,
): Unsubscribable {
  const loop = new RetryLoop(source, destination, policy, listener, subscribeAttempt);
  loop.start();
  return loop;
}

class RetryLoop<T> implements Unsubscribable {
  private attempt = 1;
  private inner: AttemptSubscriber<T> | undefined = undefined;
  private timer: Subscription | undefined = undefined;

  constructor(
    private readonly source: Observable<T>,
    readonly destination: Subscriber<T>,
    private readonly policy: RetryPolicy,
    private readonly listener: RetryListener,
    private readonly subscribeAttempt: AttemptSubscribe | undefined,
  ) {}

  start(): void {
    // Assign before subscribing: a source that errors synchronously retries inside
    // `subscribe`, and `inner` must end up as the newest attempt, not this finished one.
    const inner = (this.inner = new AttemptSubscriber(this));
    if (this.subscribeAttempt === undefined) this.source.subscribe(inner);
    else inner.add(this.subscribeAttempt(this.source, inner));
  }

  unsubscribe(): void {
    this.timer?.unsubscribe();
    this.inner?.unsubscribe();
  }

  fail(error: unknown): void {
    const { destination, listener } = this;
    // Downstream may unsubscribe while a synchronous source is still running; never rerun it then.
    if (destination.closed) return;
    if (this.attempt > this.policy.retries || isNonRetriableError(error)) return destination.error(error);
    const shouldRetry = listener.shouldRetry;
    if (shouldRetry === undefined) return this.retry(error);
    let verdict: unknown;
    try {
      verdict = shouldRetry(error, this.attempt);
    } catch {
      return destination.error(error);
    }
    if (!isThenable(verdict)) return verdict ? this.retry(error) : destination.error(error);
    verdict.then(
      (yes) => {
        if (destination.closed) return;
        if (yes) this.retry(error);
        else destination.error(error);
      },
      () => {
        if (!destination.closed) destination.error(error);
      },
    );
  }

  private retry(error: unknown): void {
    const { delaySeconds, jitterFactor, random, scheduler } = this.policy;
    const failed = this.attempt++;
    const delayMs = applyJitter(delayForRetry(delaySeconds, failed) * 1000, jitterFactor, random);
    if (delayMs > 0) {
      this.listener.onRetryScheduled?.({
        attempt: failed,
        error,
        delayMs,
        scheduledTime: scheduler.now() + delayMs,
      });
      this.timer = scheduler.schedule(() => {
        this.timer = undefined;
        this.listener.onRetry?.({ attempt: this.attempt, error });
        this.start();
      }, delayMs);
    } else {
      this.listener.onRetry?.({ attempt: this.attempt, error });
      this.start();
    }
  }
}

/** One attempt's subscriber: values and completion go downstream, errors to the loop. */
class AttemptSubscriber<T> extends Subscriber<T> {
  constructor(private readonly loop: RetryLoop<T>) {
    super();
  }

  protected override _next(value: T): void {
    this.loop.destination.next(value);
  }

  protected override _error(error: unknown): void {
    this.unsubscribe();
    this.loop.fail(error);
  }

  protected override _complete(): void {
    this.unsubscribe();
    this.loop.destination.complete();
  }
}
