import { Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { isTimeoutError } from '../errors/timeout-error.js';
import { AttemptLoop, loopPolicy, type AttemptFactory, type LoopPolicy } from '../internal/attempt-loop.js';
import { describeError } from '../internal/describe-kind.js';
import { timestamp } from '../internal/timestamp.js';
import { makeState, RUNNING_STATE, SharedState } from '../state/create-state.js';
import type { State } from '../state/schema.js';
import { keepShape } from '../internal/keep-shape.js';
import { assertKnownOptions, optionKeys } from '../internal/validate.js';

/** Options of {@link toStates}. */
export interface ToStatesConfig {
  /** Clock for delays, timeouts and state timestamps. @default asyncScheduler */
  scheduler?: SchedulerLike;
  /** Seconds each attempt may take; `0` means no timeout. @default 0 */
  timeoutSeconds?: number;
  /** Extra attempts after the first failure. @default 0 */
  retries?: number;
  /**
   * Seconds before each retry: a number, a list whose last value repeats, or a function of
   * `retries` returning the list (`exponentialBackoff(1)`), called once, as tasks take it.
   * @default 0
   */
  retryDelaySeconds?: number | readonly number[] | ((retries: number) => readonly number[]);
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
 * are states. It runs on the same attempt loop as {@link timeoutWithAbort} (per attempt) and
 * {@link retryWithBackoff}, with the same timeout and retry rules: an attempt that settles
 * synchronously past its deadline ends `TimedOut`, and zero-delay retries of synchronous
 * failures loop without growing the stack.
 * @example
 * ```ts
 * fromAbortable(() => fetchJson(url))
 *   .pipe(toStates({ retries: 2, retryDelaySeconds: 1, timeoutSeconds: 10 }))
 *   .subscribe((s) => console.log(s.name));
 * ```
 */
export function toStates<T>(config: ToStatesConfig = {}): OperatorFunction<T, State<T>> {
  assertKnownOptions('toStates', config, STATES_KEYS);
  const settings = prepareStates(config);
  return (source) =>
    new Observable<State<T>>((subscriber) => {
      const loop = new StatesLoop<T>(source, settings, subscriber);
      loop.start();
      return () => loop.teardown();
    });
}

/** @internal A validated {@link toStates} configuration, prepared once. */
export interface StatesSettings {
  readonly what: string;
  readonly shouldRetry: ToStatesConfig['shouldRetry'];
  readonly policy: LoopPolicy;
}

/** @internal Validates a {@link toStates} configuration once; `toStates` and the engine share it. */
export function prepareStates(config: ToStatesConfig): StatesSettings {
  const what = config.what ?? 'Run';
  // Checked here, once: inside the Observable a bad option would surface as an error, and
  // toStates never errors; negative numbers would silently mean "none".
  const policy = loopPolicy(
    'toStates',
    {
      retries: config.retries,
      delaySeconds: config.retryDelaySeconds,
      jitterFactor: config.retryJitterFactor,
      random: config.random,
      scheduler: config.scheduler,
      timeoutSeconds: config.timeoutSeconds,
      what,
    },
    STATES_NAMES,
  );
  return { what, shouldRetry: config.shouldRetry, policy };
}

const STATES_KEYS = optionKeys<ToStatesConfig>({
  scheduler: true,
  timeoutSeconds: true,
  retries: true,
  retryDelaySeconds: true,
  retryJitterFactor: true,
  random: true,
  shouldRetry: true,
  what: true,
});

const STATES_NAMES = {
  delaySeconds: 'retryDelaySeconds',
  jitterFactor: 'retryJitterFactor',
  timeoutSeconds: 'timeoutSeconds',
};

/** @internal Where a {@link StatesLoop} sends states: a Subscriber, or the engine's run driver. */
export interface StatesSink<T> {
  next(state: State<T>): void;
  complete(): void;
  /** True once downstream has unsubscribed (a Subscriber's `closed`). */
  readonly closed?: boolean;
}

/**
 * @internal The body of {@link toStates}: runs the attempts of `source` (an Observable, or the
 * factory the engine calls for each attempt of a run) and tells `out` the run states. One object
 * per run, and it is its own retry listener: this is the hot path.
 */
export class StatesLoop<T> extends AttemptLoop<T> {
  private hasValue = false;
  private last: T | undefined = undefined;

  constructor(
    source: Observable<T> | AttemptFactory,
    private readonly settings: StatesSettings,
    private readonly out: StatesSink<T>,
  ) {
    const ask = settings.shouldRetry;
    super(
      source,
      settings.policy,
      ask &&
        ((error, attempt) =>
          ask(failedState(error, timestamp(settings.policy.scheduler), settings.what), attempt)),
    );
  }

  /** Tells `Running`, then starts the first attempt. */
  start(): void {
    this.out.next(RUNNING_STATE.at(timestamp(this.policy.scheduler)));
    this.run();
  }

  protected gone(): boolean {
    return this.out.closed === true;
  }

  protected value(value: T): void {
    this.hasValue = true;
    this.last = value;
  }

  protected succeeded(): void {
    const { out } = this;
    const when = timestamp(this.policy.scheduler);
    out.next(makeState<T>('COMPLETED', 'Completed', when, this.hasValue ? { data: this.last } : undefined));
    out.complete();
  }

  protected failed(error: unknown): void {
    const { out } = this;
    out.next(failedState(error, timestamp(this.policy.scheduler), this.settings.what));
    out.complete();
  }

  protected retryScheduled(attempt: number, error: unknown, delayMs: number, at: number): void {
    this.out.next(
      makeState('SCHEDULED', 'AwaitingRetry', timestamp(this.policy.scheduler), {
        message: `Retry ${attempt}/${this.policy.retries} will start ${delayMs / 1000}s from now, after: ${describeError(error)}`,
        details: { scheduledTime: new Date(at) },
      }),
    );
  }

  protected retryStarting(attempt: number): void {
    // `data` is the completing attempt's last value, never a failed attempt's.
    this.hasValue = false;
    this.last = undefined;
    this.out.next(retryingState(attempt, timestamp(this.policy.scheduler)));
  }
}

// One shared `Retrying` per attempt number (with its frozen details), made on first use: runs
// retrying in the same millisecond share the state object, as they share Pending and Running.
const RETRYING: SharedState<'RUNNING'>[] = [];

function retryingState(runCount: number, timestamp: Date): State<never> {
  if (runCount >= 64) return makeState('RUNNING', 'Retrying', timestamp, { details: { runCount } });
  const shared = (RETRYING[runCount] ??= new SharedState('RUNNING', 'Retrying', {
    details: { runCount },
  }));
  return shared.at(timestamp);
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

/** @internal A one-line description of any thrown value (never throws; see describe-kind.ts). */
export { describeError };

// See keep-shape.ts: an idle loop that never starts.
keepShape(new StatesLoop<unknown>(() => undefined, prepareStates({}), { next() {}, complete() {} }));
