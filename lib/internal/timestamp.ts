import type { SchedulerLike } from 'rxjs';

let lastScheduler: SchedulerLike | undefined;
let lastMs = NaN;
let lastDate: Date | undefined;

/**
 * @internal The scheduler's current time as a Date. States created within the same millisecond
 * on the same clock share one Date object: a task run's Pending, Running and Completed states
 * usually fall in one millisecond, and creating a Date costs more than the rest of a state.
 * Treat state timestamps as read-only.
 */
export function timestamp(scheduler: SchedulerLike): Date {
  const ms = scheduler.now();
  if (ms === lastMs && scheduler === lastScheduler) return lastDate!;
  lastScheduler = scheduler;
  lastMs = ms;
  return (lastDate = new Date(ms));
}
