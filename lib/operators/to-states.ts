import { asyncScheduler, Observable, Subscriber, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { isTimeoutError } from '../errors/timeout-error.js';
import { timestamp } from '../internal/timestamp.js';
import { assertDelays, assertNonNegative, assertNonNegativeInteger } from '../internal/validate.js';
import { makeState } from '../state/create-state.js';
import type { State, StateDetails } from '../state/schema.js';
import {
  retryPolicy,
  subscribeWithRetry,
  type AttemptSubscribe,
  type RetryPolicy,
  type RetryEvent,
  type RetryListener,
  type RetryScheduledEvent,
} from './retry-with-backoff.js';
import { subscribeWithTimeout } from './timeout-with-abort.js';
import { timerQueueFor } from '../internal/timer-queue.js';

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
  const settings = prepareStates(config);
  return (source) => new Observable<State<T>>((subscriber) => subscribeStates(source, subscriber, settings));
}

/** @internal A validated {@link toStates} configuration, prepared once. */
export interface StatesSettings {
  readonly scheduler: SchedulerLike;
  readonly retries: number;
  readonly what: string;
  readonly shouldRetry: ToStatesConfig['shouldRetry'];
  readonly policy: RetryPolicy;
  /** Subscribes one attempt through the timeout of `timeoutWithAbort`, when there is one. */
  readonly attempt: AttemptSubscribe | undefined;
}

/** @internal Validates a {@link toStates} configuration once; `toStates` and the engine share it. */
export function prepareStates(config: ToStatesConfig): StatesSettings {
  const { scheduler = asyncScheduler, timeoutSeconds = 0, retries = 0, what = 'Run', shouldRetry } = config;
  // Checked here, once: inside the Observable a bad option would surface as an error, and
  // toStates never errors; negative numbers would silently mean "none".
  assertNonNegative('toStates', 'timeoutSeconds', timeoutSeconds);
  assertNonNegativeInteger('toStates', 'retries', retries);
  assertDelays('toStates', 'retryDelaySeconds', config.retryDelaySeconds ?? 0);
  assertNonNegative('toStates', 'retryJitterFactor', config.retryJitterFactor ?? 0);
  const policy = retryPolicy('toStates', {
    retries,
    delaySeconds: config.retryDelaySeconds ?? 0,
    jitterFactor: config.retryJitterFactor ?? 0,
    random: config.random,
    scheduler,
  });
  let attempt: AttemptSubscribe | undefined;
  if (timeoutSeconds > 0) {
    const ms = timeoutSeconds * 1000;
    const queue = timerQueueFor(scheduler);
    attempt = (source, subscriber) =>
      subscribeWithTimeout(source, subscriber, queue, ms, timeoutSeconds, what);
  }
  return { scheduler, retries, what, shouldRetry, policy, attempt };
}

/**
 * @internal The body of {@link toStates}: subscribes `source` for `out` one attempt at a time,
 * each through the timeout of {@link timeoutWithAbort} and the loop of {@link retryWithBackoff},
 * and returns the subscription. The engine calls it directly, so a run builds no Observable per
 * operator.
 */
export function subscribeStates<T>(
  source: Observable<T>,
  out: Subscriber<State<T>>,
  settings: StatesSettings,
): Subscriber<T> {
  const sink = new StatesSubscriber<T>(out, settings);
  out.next(makeState('RUNNING', 'Running', timestamp(settings.scheduler)));
  const attempt = settings.attempt;
  if (settings.retries > 0) sink.add(subscribeWithRetry(source, sink, settings.policy, sink, attempt));
  else if (attempt !== undefined) sink.add(attempt(source, sink));
  else source.subscribe(sink);
  return sink;
}

/**
 * Receives the attempts' values and outcome and tells `out` the states; also the retry loop's
 * listener. One object per run instead of a closure per callback: this is the hot path.
 */
class StatesSubscriber<T> extends Subscriber<T> implements RetryListener {
  private hasValue = false;
  private last: T | undefined = undefined;
  readonly shouldRetry: RetryListener['shouldRetry'];

  constructor(
    private readonly out: Subscriber<State<T>>,
    private readonly settings: StatesSettings,
  ) {
    super();
    const ask = settings.shouldRetry;
    this.shouldRetry =
      ask &&
      ((error, attempt) => ask(failedState(error, timestamp(settings.scheduler), settings.what), attempt));
  }

  onRetryScheduled({ attempt, delayMs, error, scheduledTime }: RetryScheduledEvent): void {
    const { retries, scheduler } = this.settings;
    this.out.next(
      makeState('SCHEDULED', 'AwaitingRetry', timestamp(scheduler), {
        message: `Retry ${attempt}/${retries} will start ${delayMs / 1000}s from now, after: ${describeError(error)}`,
        details: { scheduledTime: new Date(scheduledTime) },
      }),
    );
  }

  onRetry({ attempt }: RetryEvent): void {
    // `data` is the completing attempt's last value, never a failed attempt's.
    this.hasValue = false;
    this.last = undefined;
    this.out.next(
      makeState('RUNNING', 'Retrying', timestamp(this.settings.scheduler), {
        details: runCountDetails(attempt),
      }),
    );
  }

  protected override _next(value: T): void {
    this.hasValue = true;
    this.last = value;
  }

  protected override _error(error: unknown): void {
    const { out, settings } = this;
    out.next(failedState(error, timestamp(settings.scheduler), settings.what));
    out.complete();
    this.unsubscribe();
  }

  protected override _complete(): void {
    const { out } = this;
    const when = timestamp(this.settings.scheduler);
    out.next(makeState<T>('COMPLETED', 'Completed', when, this.hasValue ? { data: this.last } : undefined));
    out.complete();
    this.unsubscribe();
  }
}

// Frozen and equal for equal counts, so retries share them instead of allocating and freezing one each.
const RUN_COUNT_DETAILS = Array.from({ length: 64 }, (_, k) => Object.freeze({ runCount: k }));

function runCountDetails(runCount: number): StateDetails {
  return RUN_COUNT_DETAILS[runCount] ?? { runCount };
}

/** @internal The final state for an error: `TimedOut` for a TimeoutError, else `Failed`. */
export function failedState(error: unknown, timestamp: Date, what: string): State<never> {
  if (isTimeoutError(error)) {
    return makeState('FAILED', 'TimedOut', timestamp, {
      error,
      message: `${what} exceeded its timeout of ${error.timeoutSeconds}s`,
    });
  }
  return makeState('FAILED', 'Failed', timestamp, { error, message: describeError(error) });
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
