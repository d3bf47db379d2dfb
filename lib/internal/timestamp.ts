import type { SchedulerLike } from 'rxjs';

let lastScheduler: SchedulerLike | undefined;
let lastMs = NaN;
let lastDate: Date | undefined;

let pinnedScheduler: SchedulerLike | undefined;
let pinnedMs = 0;

/**
 * @internal The scheduler's time in ms. Between `pinNow` and `unpinNow` (the engine's
 * synchronous run set-up, before user code runs) it is read once: Pending, Running and the
 * timeout's due time of one run share that reading instead of each calling `Date.now()`.
 */
export function clockNow(scheduler: SchedulerLike): number {
  return scheduler === pinnedScheduler ? pinnedMs : scheduler.now();
}

/** @internal Reads the clock once and answers {@link clockNow} with it until {@link unpinNow}. */
export function pinNow(scheduler: SchedulerLike): number {
  pinnedMs = scheduler.now();
  pinnedScheduler = scheduler;
  return pinnedMs;
}

/** @internal Ends {@link pinNow}: called before any user code runs. */
export function unpinNow(): void {
  pinnedScheduler = undefined;
}

/**
 * @internal The scheduler's current time as a Date. States created within the same millisecond
 * on the same clock share one Date object: a task run's Pending, Running and Completed states
 * usually fall in one millisecond, and creating a Date costs more than the rest of a state.
 * Treat state timestamps as read-only.
 */
export function timestamp(scheduler: SchedulerLike): Date {
  return dateAt(scheduler, clockNow(scheduler));
}

/** @internal The Date for `ms`, shared with the last call on the same scheduler. */
export function dateAt(scheduler: SchedulerLike, ms: number): Date {
  if (ms === lastMs && scheduler === lastScheduler) return lastDate!;
  lastScheduler = scheduler;
  lastMs = ms;
  return (lastDate = new Date(ms));
}
