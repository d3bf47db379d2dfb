import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { shared } from './shared.js';
import { timestamp } from './timestamp.js';

/**
 * The engine's single source of time and randomness. Every delay, timeout, expiry and timestamp
 * goes through `scheduler`; every random choice (jitter, run names) through `random`.
 */
export interface Clock {
  /** Schedules every delay and timeout, and `now()` stamps every state. */
  readonly scheduler: SchedulerLike;
  /** A uniform random number in [0, 1). */
  readonly random: () => number;
}

/** @internal The platform random source, the default; the one place lib/ refers to it. */
export const DEFAULT_RANDOM: () => number = Math.random;

const defaultClock = shared('defaultClock', (): { current: Clock } => ({
  current: { scheduler: asyncScheduler, random: DEFAULT_RANDOM },
}));

/** @internal The clock used where no `withVirtualTime` (or other) scope is active. */
export function getDefaultClock(): Clock {
  return defaultClock.current;
}

/**
 * Replaces the process-wide default clock. Returns a function that restores the previous one.
 * Prefer `withVirtualTime` from `rxflow/testing` in tests: it scopes the clock to one call.
 * @example
 * ```ts
 * const restore = configureClock({ scheduler: myScheduler, random: seededRandom(42) });
 * ```
 */
export function configureClock(clock: Partial<Clock>): () => void {
  const previous = defaultClock.current;
  defaultClock.current = {
    scheduler: clock.scheduler ?? previous.scheduler,
    random: clock.random ?? previous.random,
  };
  return () => {
    defaultClock.current = previous;
  };
}

/** @internal The clock's current time as a Date (shared within a millisecond; see timestamp.ts). */
export function nowDate(clock: Clock): Date {
  return timestamp(clock.scheduler);
}
