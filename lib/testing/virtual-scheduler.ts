import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { captureContext, type ContextRunner } from './internal/context-binder.js';
import { ActionQueue, type QueuedAction, type QueueEntry } from './internal/action-queue.js';

/**
 * An RxJS scheduler whose clock only moves when told to: `now()` is virtual milliseconds, and
 * scheduled work runs when {@link VirtualScheduler.step}, {@link VirtualScheduler.runNext} or
 * {@link VirtualScheduler.advanceTo} reaches its due time. Actions due at the same time run in
 * the order they were scheduled, as platform timers do. Work may reschedule itself with
 * `this.schedule(state, delay)`, as RxJS actions do (that is how `interval` works). Each action
 * runs in the async context (on Node, every `AsyncLocalStorage`) that scheduled it, as a real
 * timer callback would. `withVirtualTime` drives one for you; use it directly to step time by hand.
 * @example
 * ```ts
 * const scheduler = new VirtualScheduler();
 * const seen: number[] = [];
 * interval(1000, scheduler).pipe(take(3)).subscribe(() => seen.push(scheduler.now()));
 * scheduler.advanceTo(5000);
 * // seen: [1000, 2000, 3000]
 * ```
 */
export class VirtualScheduler implements SchedulerLike {
  private time: number;
  private readonly queue = new ActionQueue();

  /** @param start The initial virtual time in ms (since the epoch). @default 0 */
  constructor(start = 0) {
    if (typeof start !== 'number' || !Number.isFinite(start)) {
      throw new RangeError(`VirtualScheduler: expected start to be a finite number, got ${String(start)}`);
    }
    this.time = start;
  }

  /** The virtual time in ms. Bound, so `const { now } = scheduler` works. */
  readonly now = (): number => this.time;

  /**
   * Queues `work` to run `delay` virtual ms from now; the returned Subscription removes it. A
   * negative or NaN delay counts as 0; an infinite delay is never due.
   */
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
    return new VirtualAction<T>(this.queue, this.now, work).schedule(state, delay);
  }

  /** How many actions are waiting. */
  get pendingCount(): number {
    return this.queue.size;
  }

  /** The due time of the earliest waiting action, if any. */
  nextDue(): number | undefined {
    return this.queue.peek()?.due;
  }

  /**
   * Runs the single earliest action, first moving the clock to its due time (never backwards).
   * Returns false when nothing is waiting. If the work throws, the action is unsubscribed and
   * the error propagates.
   */
  step(): boolean {
    const entry = this.queue.pop();
    if (entry === undefined) return false;
    if (entry.due > this.time) this.time = entry.due;
    entry.action.execute(entry);
    return true;
  }

  /**
   * Moves the clock to the next due time and runs every action due then, including actions
   * scheduled meanwhile with no delay. Returns false when nothing is waiting.
   */
  runNext(): boolean {
    const due = this.nextDue();
    if (due === undefined) return false;
    this.advanceTo(due);
    return true;
  }

  /** Runs, in order, every action due at or before `time`, then sets the clock to `time` (if later). */
  advanceTo(time: number): void {
    if (typeof time !== 'number' || Number.isNaN(time)) {
      throw new RangeError(`VirtualScheduler.advanceTo: expected time to be a number, got ${String(time)}`);
    }
    for (let next = this.nextDue(); next !== undefined && next <= time; next = this.nextDue()) this.step();
    if (time > this.time && Number.isFinite(time)) this.time = time;
  }

  /** `advanceTo(now() + ms)`. */
  advanceBy(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  /** Drops every waiting action without running it. */
  clear(): void {
    this.queue.clear();
  }
}

/** One scheduled piece of work; like RxJS's `AsyncAction`, rescheduling reuses the action. */
class VirtualAction<T> extends Subscription implements SchedulerAction<T>, QueuedAction {
  private state: T | undefined = undefined;
  private entry: QueueEntry | undefined = undefined;
  /** The async context of the latest `schedule`, as a real timer captures it; released once spent. */
  private runInContext: ContextRunner | undefined = undefined;

  constructor(
    private readonly queue: ActionQueue,
    private readonly now: () => number,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super();
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.state = state;
    if (this.entry !== undefined) this.queue.remove(this.entry);
    this.entry = undefined;
    if (delay === Infinity) return this;
    this.runInContext ??= captureContext();
    const wait = delay > 0 ? delay : 0;
    this.entry = this.queue.add(this, this.now() + wait);
    return this;
  }

  execute(entry: QueueEntry): void {
    if (entry !== this.entry || this.closed) return;
    this.entry = undefined;
    const runInContext = this.runInContext!;
    try {
      runInContext(() => this.work.call(this, this.state));
    } catch (error) {
      this.unsubscribe();
      throw error;
    }
    // Not rescheduled by its work: the captured context is spent (a later schedule captures anew).
    if (this.entry === undefined && this.runInContext === runInContext) this.releaseContext();
  }

  dropped(): void {
    this.entry = undefined;
    this.releaseContext();
  }

  private releaseContext(): void {
    const runInContext = this.runInContext;
    this.runInContext = undefined;
    runInContext?.dispose?.();
  }

  override unsubscribe(): void {
    if (this.closed) return;
    if (this.entry !== undefined) this.queue.remove(this.entry);
    this.entry = undefined;
    this.releaseContext();
    super.unsubscribe();
  }
}
