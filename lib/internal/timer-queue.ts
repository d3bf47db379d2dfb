import type { SchedulerLike, Subscription } from 'rxjs';
import { report } from './report.js';
import { scheduleDelay } from './schedule-delay.js';
import { clockNow } from './timestamp.js';

/** @internal An object told when its timer is due (one object per timer instead of a closure). */
export interface TimerTarget {
  onTimer(): void;
}

/** @internal A pending callback in a {@link TimerQueue}. */
export interface TimerEntry {
  readonly due: number;
  /** Replaced by a no-op when cancelled, so a spent slot holds nothing of the work it timed. */
  callback: (() => void) | TimerTarget;
  readonly bucket: Bucket;
  cancelled: boolean;
  /** Taken out of its bucket to be called; cancelling it now only stops the call. */
  fired: boolean;
}

/** @internal */
export interface Bucket {
  /** Slots `head` to `size` are queued; those past `size` are spent and get overwritten. */
  entries: TimerEntry[];
  head: number;
  size: number;
  cancelled: number;
}

const CLEARED: TimerTarget = { onTimer() {} };

/**
 * @internal Many timeouts on one scheduler action. Arming an RxJS action costs about 1.8 µs
 * (Action + Subscription + a platform timer); a task run that finishes in microseconds should
 * not pay that for a timeout that almost never fires. Entries with the same delay are due in
 * insertion order, so each delay gets a FIFO bucket and the queue arms one action for the
 * earliest head. Cancelling marks an entry; cancelled heads are dropped at once, so a stream
 * of short runs keeps the queue near empty. When the queue empties, a zero-delay check disarms
 * the action, so no platform timer outlives the work that needed it.
 */
export class TimerQueue {
  private readonly buckets = new Map<number, Bucket>();
  private size = 0;
  private armed: Subscription | undefined = undefined;
  private armedAt = Infinity;
  private disarmCheck: Subscription | undefined = undefined;

  constructor(private readonly scheduler: SchedulerLike) {}

  /** Calls `callback` after `delayMs` (by the scheduler) unless the returned entry is cancelled. */
  add(delayMs: number, callback: (() => void) | TimerTarget): TimerEntry {
    const due = clockNow(this.scheduler) + delayMs;
    let bucket = this.buckets.get(delayMs);
    if (bucket === undefined) {
      bucket = { entries: [], head: 0, size: 0, cancelled: 0 };
      this.buckets.set(delayMs, bucket);
    }
    const entry: TimerEntry = { due, callback, bucket, cancelled: false, fired: false };
    // Reuse a spent slot: emptying the array and pushing again would free and re-allocate its
    // backing store on every run (one timeout at a time, the usual case).
    const entries = bucket.entries;
    if (bucket.size === entries.length) entries.push(entry);
    else entries[bucket.size] = entry;
    bucket.size++;
    this.size++;
    if (due < this.armedAt) this.arm(due);
    return entry;
  }

  cancel(entry: TimerEntry): void {
    if (entry.cancelled) return;
    entry.cancelled = true;
    entry.callback = CLEARED;
    if (entry.fired) return;
    this.size--;
    entry.bucket.cancelled++;
    this.trim(entry.bucket);
    if (this.size === 0) this.scheduleDisarm();
  }

  private trim(bucket: Bucket): void {
    const { entries } = bucket;
    while (bucket.head < bucket.size && entries[bucket.head]!.cancelled) {
      bucket.head++;
      bucket.cancelled--;
    }
    const live = bucket.size - bucket.head;
    if (live === 0) {
      bucket.head = 0;
      bucket.size = 0;
      if (entries.length > 1024) bucket.entries = []; // after a burst, give the big array back
    } else if (bucket.head > 1024 && bucket.head > live) {
      bucket.entries = entries.slice(bucket.head, bucket.size);
      bucket.size = live;
      bucket.head = 0;
    } else if (bucket.cancelled > 64 && bucket.cancelled * 2 > live) {
      bucket.entries = entries.slice(bucket.head, bucket.size).filter((e) => !e.cancelled);
      bucket.size = bucket.entries.length;
      bucket.head = 0;
      bucket.cancelled = 0;
    }
  }

  private arm(due: number): void {
    this.armed?.unsubscribe();
    this.armedAt = due;
    // In chunks past 2^31-1 ms (schedule-delay.ts): a platform timer would fire such a due at once.
    this.armed = scheduleDelay(this.scheduler, () => this.fire(), due - this.scheduler.now());
  }

  private scheduleDisarm(): void {
    if (this.disarmCheck !== undefined || this.armed === undefined) return;
    this.disarmCheck = this.scheduler.schedule(() => {
      this.disarmCheck = undefined;
      if (this.size === 0) this.disarm();
    });
  }

  private disarm(): void {
    this.armed?.unsubscribe();
    this.armed = undefined;
    this.armedAt = Infinity;
    this.buckets.clear();
  }

  private fire(): void {
    this.armed = undefined;
    this.armedAt = Infinity;
    const now = this.scheduler.now();
    const due: TimerEntry[] = [];
    let next = Infinity;
    for (const [delay, bucket] of this.buckets) {
      const { entries } = bucket;
      while (bucket.head < bucket.size) {
        const entry = entries[bucket.head]!;
        if (entry.cancelled) {
          bucket.cancelled--;
        } else if (entry.due <= now) {
          due.push(entry);
          entry.fired = true;
          this.size--;
        } else {
          if (entry.due < next) next = entry.due;
          break;
        }
        bucket.head++;
      }
      if (bucket.head >= bucket.size) this.buckets.delete(delay);
    }
    if (next !== Infinity) this.arm(next);
    // An earlier callback may cancel a later one that is due at the same time (a flow's
    // timeout cancelling its task's): that one must not run.
    for (const entry of due) {
      if (entry.cancelled) continue;
      const callback = entry.callback;
      // One failing callback must not stop the others due at the same time.
      try {
        if (typeof callback === 'function') callback();
        else callback.onTimer();
      } catch (error) {
        report('a timer callback threw', error);
      }
    }
  }
}

const queues = new WeakMap<SchedulerLike, TimerQueue>();

/** @internal The shared timer queue of a scheduler. */
export function timerQueueFor(scheduler: SchedulerLike): TimerQueue {
  let queue = queues.get(scheduler);
  if (queue === undefined) {
    queue = new TimerQueue(scheduler);
    queues.set(scheduler, queue);
  }
  return queue;
}
