import type { SchedulerLike } from 'rxjs';
import { shared } from './shared.js';

// Schedulers whose timers will never run again: the virtual clocks of withVirtualTime calls that
// have ended. A WeakSet: a retired clock is forgotten with the last thing that refers to it.
// Shared by every copy of rxflow in the process, like the limits that consult it.
const retired = shared('retiredSchedulers', () => new WeakSet<SchedulerLike>());

/** @internal Marks `scheduler` as dead: what it schedules from now on never runs. */
export function retireScheduler(scheduler: SchedulerLike): void {
  retired.add(scheduler);
}

/** @internal Whether `scheduler` is dead (see {@link retireScheduler}). */
export function isRetiredScheduler(scheduler: SchedulerLike): boolean {
  return retired.has(scheduler);
}
