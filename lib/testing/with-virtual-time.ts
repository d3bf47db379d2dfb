import { retireScheduler } from '../internal/retired-schedulers.js';
import { configureClock, type Clock } from '../internal/clock.js';
import { contextPropagatesAcrossAwait, currentFrame, runInFrame, type Frame } from '../internal/context.js';
import { DeadlockError } from './deadlock-error.js';
import { macrotaskTurn, RealWork, realTurnScheduler } from './internal/real-work.js';
import { RunRegistry } from './internal/run-registry.js';
import { seededRandom } from './seeded-random.js';
import { StepLimitError } from './step-limit-error.js';
import { VirtualScheduler } from './virtual-scheduler.js';
import { shared } from '../internal/shared.js';

/**
 * Options of {@link withVirtualTime}.
 * @example
 * ```ts
 * await withVirtualTime(() => etl(), { start: new Date('2025-01-01'), seed: 42, maxSteps: 10_000 });
 * ```
 */
export interface WithVirtualTimeOptions {
  /** The virtual time at the start: state timestamps count from here. @default new Date(0) */
  start?: Date | number;
  /**
   * Seeds the engine's random source (jitter and every other random choice), so the same
   * inputs give the same timeline. @default the enclosing clock's source (`Math.random`)
   */
  seed?: number;
  /** How many virtual timers may run before giving up with a {@link StepLimitError}. @default 1_000_000 */
  maxSteps?: number;
  /**
   * Real milliseconds to let real work in flight (file or network I/O, real timers; seen on
   * Node only) finish before virtual time moves on without it, or a deadlock is declared.
   * @default 1000
   */
  realWaitMs?: number;
}

const DEFAULT_MAX_STEPS = 1_000_000;
const DEFAULT_REAL_WAIT_MS = 1000;
// Turns with no timer due and no real work in flight before declaring a deadlock. One turn
// drains every promise chain; the rest covers callbacks that hop through a few macrotasks.
const IDLE_TURNS = 16;

// Bumped by every driver's step: a scope waiting on work that a nested or concurrent scope is
// driving is not deadlocked.
// Shared by every copy of rxflow in the process (see shared.ts), like the slot below.
const driven = shared('virtualTimeSteps', () => ({ progress: 0 }));

const OVERLAP_MESSAGE =
  'withVirtualTime: concurrent calls need AsyncLocalStorage (Node); in this build run them one at a time ' +
  '(another call is still in progress: await it before starting the next, and do not nest calls)';

// Where frames do not follow `await` (the browser build), the call whose clock is installed
// process-wide, if any. One slot, not a stack: a second call while it is taken (concurrent, or
// nested, which cannot be told apart there) would run part of each call's code on the other's
// clock, and restoring out of order would leave a dead virtual clock installed for good.
const slot = shared('virtualTimeSlot', (): { processWide: object | undefined } => ({
  processWide: undefined,
}));

/**
 * Installs `clock` as the default clock for the duration of a call and returns its release,
 * which restores the previous default clock once, however often it is called. Throws, having
 * installed nothing, while another call holds the slot.
 */
function installProcessWide(clock: Clock): () => void {
  if (slot.processWide !== undefined) throw new Error(OVERLAP_MESSAGE);
  const owner = {};
  slot.processWide = owner;
  let restore: (() => void) | undefined = configureClock(clock);
  return () => {
    if (slot.processWide === owner) slot.processWide = undefined;
    restore?.();
    restore = undefined;
  };
}

type Outcome<T> =
  { readonly settled: false } | { readonly settled: true; readonly ok: boolean; readonly value: T | unknown };

/**
 * Runs `fn` (any code that calls tasks and flows, with real Promises and `await`s inside) on a
 * virtual clock: whenever no real work is pending, the clock jumps to the next due timer and
 * runs it. A task with `retries: 5, retryDelaySeconds: 3600` finishes in milliseconds of real
 * time, its state timestamps spaced exactly 3600 s apart. Every delay, timeout, cache expiry and
 * timestamp of the engine follows the virtual clock, as does user code that waits with
 * {@link sleep}; with `seed`, so does every random choice (jitter, run ids and names).
 *
 * Timers run one per macrotask turn, and every promise continuation queued meanwhile runs
 * before the next, as with real timers. On Node, virtual time also stands still while real
 * work that `fn` started is in flight (a file read, a local HTTP call, a real `setTimeout`),
 * for up to `realWaitMs`; real timers are not virtualised, so prefer the run's clock.
 *
 * Leaving it, normally or by a throw, restores the real clock and leaves no timer behind:
 * virtual timers still waiting are dropped (runs still going then never finish). When `fn`
 * can never settle it rejects with a {@link DeadlockError} naming the runs still waiting;
 * after `maxSteps` timers, with a {@link StepLimitError}.
 *
 * On Node (the `rxflow/testing` node entry), the virtual clock belongs to `fn`'s async context
 * only, so concurrent calls do not see each other's time. Where async context does not follow
 * `await` (the browser build), the clock is installed process-wide for the duration instead:
 * there, run one `withVirtualTime` at a time; a call made while another is in progress
 * (concurrent or nested) rejects at once, without calling its `fn`.
 *
 * It drives the clock with the platform's real `setImmediate` (else `MessageChannel`, else
 * `setTimeout`), taken when `rxflow/testing` loads, so fake timers installed later
 * (`jest.useFakeTimers()`) do not stall it.
 * @example
 * ```ts
 * const fetchPage = task({ retries: 5, retryDelaySeconds: 3600 }, flaky(5, () => 'ok'));
 * const timeline = await withVirtualTime(() => collectTimeline(fetchPage.run$()));
 * // finishes at once; the Retrying states are 3_600_000 virtual ms apart
 * ```
 */
export async function withVirtualTime<T>(
  fn: () => T | PromiseLike<T>,
  options: WithVirtualTimeOptions = {},
): Promise<T> {
  if (typeof fn !== 'function') {
    throw new TypeError(`withVirtualTime: expected fn to be a function, got ${typeof fn}`);
  }
  const { maxSteps = DEFAULT_MAX_STEPS, realWaitMs = DEFAULT_REAL_WAIT_MS } = options;
  if (!Number.isInteger(maxSteps) || maxSteps < 0) {
    throw new RangeError(
      `withVirtualTime: expected maxSteps to be a non-negative integer, got ${String(maxSteps)}`,
    );
  }
  if (typeof realWaitMs !== 'number' || !(realWaitMs >= 0)) {
    throw new RangeError(
      `withVirtualTime: expected realWaitMs to be a non-negative number, got ${String(realWaitMs)}`,
    );
  }
  const startMs = startTime(options.start);
  const turn = realTurnScheduler();
  const outer = currentFrame();
  const scheduler = new VirtualScheduler(startMs);
  const clock: Clock = {
    scheduler,
    random: options.seed === undefined ? outer.clock.random : seededRandom(options.seed),
  };
  const registry = new RunRegistry(outer.virtual);
  const frame: Frame = { ...outer, clock, virtual: registry };
  const restoreClock = contextPropagatesAcrossAwait() ? undefined : installProcessWide(clock);
  try {
    // The baseline of real handles is taken before fn starts any.
    const real = new RealWork(realWaitMs);
    let outcome: Outcome<T> = { settled: false };
    settle(() => runInFrame(frame, fn)).then((result) => (outcome = result));
    let steps = 0;
    let idle = 0;
    let seen = driven.progress;
    for (;;) {
      await macrotaskTurn(turn);
      if (outcome.settled) break;
      if (real.inFlight()) continue;
      if (scheduler.pendingCount > 0) {
        if (steps >= maxSteps) {
          throw new StepLimitError(maxSteps, scheduler.now(), startMs, registry.describe());
        }
        steps++;
        driven.progress++;
        seen = driven.progress;
        idle = 0;
        scheduler.step();
      } else if (seen !== driven.progress) {
        seen = driven.progress;
        idle = 0;
      } else if (++idle > IDLE_TURNS) {
        throw new DeadlockError(registry.describe(), scheduler.now(), real.describeOpen());
      }
    }
    const result = outcome as Outcome<T> & { settled: true };
    if (!result.ok) throw result.value;
    return result.value as T;
  } finally {
    scheduler.clear();
    retireScheduler(scheduler); // what still refers to this clock can fail clearly (limits)
    restoreClock?.();
  }
}

function startTime(start: Date | number | undefined): number {
  if (start === undefined) return 0;
  const ms = start instanceof Date ? start.getTime() : start;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new RangeError(
      `withVirtualTime: expected start to be a valid Date or a finite number of ms, got ${String(start)}`,
    );
  }
  return ms;
}

/** Calls `fn` now; the outcome, sync or async, as a promise that never rejects. */
function settle<T>(fn: () => T | PromiseLike<T>): Promise<Outcome<T>> {
  let promise: Promise<T>;
  try {
    promise = Promise.resolve(fn());
  } catch (error) {
    promise = Promise.reject(error);
  }
  return promise.then(
    (value) => ({ settled: true, ok: true, value }),
    (error: unknown) => ({ settled: true, ok: false, value: error }),
  );
}
