import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';

/**
 * @internal The longest delay a platform timer takes: Node (and browsers) store it in a signed
 * 32-bit integer and turn anything longer into 1 ms (Node also prints a
 * `TimeoutOverflowWarning`), about 24.8 days.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * @internal Schedules `work` on `scheduler` `delayMs` from now; the returned Subscription
 * cancels it. Every delay the library waits goes through here. A delay a platform timer can
 * hold is one plain `scheduler.schedule` (the hot path: no extra object). A longer one sleeps
 * in chunks of at most {@link MAX_TIMER_DELAY_MS}, each re-armed on the same scheduler until
 * its clock reaches the due time, so virtual time moves through it exactly as through a short
 * one. `Infinity` is never due and arms nothing. A negative or NaN delay counts as 0.
 */
export function scheduleDelay(scheduler: SchedulerLike, work: () => void, delayMs: number): Subscription {
  if (delayMs <= MAX_TIMER_DELAY_MS) return scheduler.schedule(work, delayMs);
  return scheduleLong(scheduler, work, delayMs);
}

function scheduleLong(scheduler: SchedulerLike, work: () => void, delayMs: number): Subscription {
  if (!(delayMs > 0)) return scheduler.schedule(work, 0); // NaN
  if (delayMs === Infinity) return new Subscription();
  const due = scheduler.now() + delayMs;
  // One action, re-armed by its own work as RxJS's `interval` does: nothing allocated per chunk.
  return scheduler.schedule(function (this: SchedulerAction<undefined>) {
    const left = due - scheduler.now();
    if (left > 0) this.schedule(undefined, left > MAX_TIMER_DELAY_MS ? MAX_TIMER_DELAY_MS : left);
    else work();
  }, MAX_TIMER_DELAY_MS);
}
