import fc from 'fast-check';
import { VirtualAction, VirtualTimeScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { TimerQueue, timerQueueFor, type TimerEntry } from '../../lib/internal/timer-queue.js';
import { setErrorReporter } from '../../lib/internal/report.js';

/** A virtual scheduler that counts the actions it armed and the ones still armed. */
class CountingScheduler extends VirtualTimeScheduler {
  readonly armed: Subscription[] = [];

  constructor(maxFrames = Infinity) {
    super(VirtualAction, maxFrames);
  }

  override schedule<T>(work: (this: never, state?: T) => void, delay = 0, state?: T): Subscription {
    const subscription = super.schedule(work as never, delay, state);
    this.armed.push(subscription);
    return subscription;
  }

  /** Actions neither run nor cancelled. */
  get pending(): number {
    return this.actions.length;
  }
}

/** Runs `fn` at virtual time `at` (absolute, as the scheduler starts at 0). */
function at(scheduler: SchedulerLike, time: number, fn: () => void): void {
  scheduler.schedule(fn, time - scheduler.now());
}

describe('TimerQueue', () => {
  it('should run every due callback even when one throws, and report the throw', () => {
    const reported: unknown[] = [];
    const restore = setErrorReporter((_message, error) => reported.push(error));
    try {
      const scheduler = new VirtualTimeScheduler();
      const queue = new TimerQueue(scheduler);
      const calls: string[] = [];
      const boom = new Error('boom');
      queue.add(10, () => {
        calls.push('a');
        throw boom;
      });
      queue.add(10, () => calls.push('b'));
      scheduler.flush();
      expect(calls).toEqual(['a', 'b']);
      expect(reported).toEqual([boom]);
    } finally {
      restore();
    }
  });

  it('should call each entry at its due time, in due order', () => {
    const scheduler = new VirtualTimeScheduler();
    const queue = new TimerQueue(scheduler);
    const fired: Array<[string, number]> = [];
    const record = (label: string) => () => fired.push([label, scheduler.now()]);
    queue.add(30, record('c'));
    queue.add(10, record('a'));
    queue.add(20, record('b'));
    at(scheduler, 5, () => queue.add(10, record('d')));
    scheduler.flush();
    expect(fired).toEqual([
      ['a', 10],
      ['d', 15],
      ['b', 20],
      ['c', 30],
    ]);
  });

  it('should call entries with the same delay first in, first out', () => {
    const scheduler = new VirtualTimeScheduler();
    const queue = new TimerQueue(scheduler);
    const fired: number[] = [];
    for (let i = 0; i < 50; i++) queue.add(100, () => fired.push(i));
    scheduler.flush();
    expect(fired).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(scheduler.now()).toBe(100);
  });

  it('should arm one scheduler action for many timeouts', () => {
    const scheduler = new CountingScheduler();
    const queue = new TimerQueue(scheduler);
    for (let i = 0; i < 1000; i++) queue.add(1000 + (i % 7), () => {});
    expect(scheduler.armed).toHaveLength(1);
    expect(scheduler.pending).toBe(1);
  });

  it('should re-arm for an entry due earlier than the armed one, dropping the old action', () => {
    const scheduler = new CountingScheduler();
    const queue = new TimerQueue(scheduler);
    queue.add(100, () => {});
    queue.add(10, () => {});
    expect(scheduler.armed).toHaveLength(2);
    expect(scheduler.armed[0]!.closed).toBe(true);
    expect(scheduler.pending).toBe(1);
  });

  it('should never call a cancelled entry', () => {
    const scheduler = new VirtualTimeScheduler();
    const queue = new TimerQueue(scheduler);
    const fired: string[] = [];
    const a = queue.add(10, () => fired.push('a'));
    queue.add(10, () => fired.push('b'));
    const c = queue.add(20, () => fired.push('c'));
    queue.cancel(a);
    at(scheduler, 15, () => queue.cancel(c));
    scheduler.flush();
    expect(fired).toEqual(['b']);
  });

  it('should not call an entry that an earlier callback cancelled at the same instant', () => {
    const scheduler = new VirtualTimeScheduler();
    const queue = new TimerQueue(scheduler);
    const fired: string[] = [];
    queue.add(10, () => {
      fired.push('first');
      queue.cancel(second);
    });
    const second: TimerEntry = queue.add(10, () => fired.push('second'));
    queue.add(10, () => fired.push('third'));
    scheduler.flush();
    expect(fired).toEqual(['first', 'third']);
  });

  it('should ignore cancelling twice, and cancelling an entry that already fired', () => {
    const scheduler = new VirtualTimeScheduler();
    const queue = new TimerQueue(scheduler);
    const fired: string[] = [];
    const a = queue.add(10, () => fired.push('a'));
    const b = queue.add(20, () => fired.push('b'));
    const c = queue.add(30, () => fired.push('c'));
    queue.add(100, () => fired.push('d'));
    queue.cancel(b);
    queue.cancel(b);
    at(scheduler, 15, () => {
      queue.cancel(a);
      queue.cancel(a);
    });
    at(scheduler, 25, () => queue.cancel(c));
    scheduler.flush();
    // Had a repeated cancel been counted, the queue would have thought itself empty and disarmed.
    expect(fired).toEqual(['a', 'd']);
    expect(scheduler.now()).toBe(100);
  });

  it('should unsubscribe the armed action once every entry is cancelled', () => {
    const scheduler = new CountingScheduler(50);
    const queue = new TimerQueue(scheduler);
    const entries = [queue.add(100, () => {}), queue.add(200, () => {}), queue.add(300, () => {})];
    at(scheduler, 10, () => entries.forEach((entry) => queue.cancel(entry)));
    scheduler.flush();
    expect(scheduler.pending).toBe(0);
    // The first action armed was the queue's own timer (for 100); it was cancelled, not run.
    expect(scheduler.armed[0]!.closed).toBe(true);
    expect(scheduler.now()).toBe(10);
  });

  it('should keep the armed action when an entry is added before the disarm check runs', () => {
    const scheduler = new VirtualTimeScheduler();
    const queue = new TimerQueue(scheduler);
    const fired: number[] = [];
    at(scheduler, 10, () => {
      queue.cancel(queue.add(100, () => fired.push(-1)));
      queue.add(100, () => fired.push(scheduler.now()));
    });
    scheduler.flush();
    expect(fired).toEqual([110]);
  });

  it('should call entries added by a callback at their own due time', () => {
    const scheduler = new VirtualTimeScheduler();
    const queue = new TimerQueue(scheduler);
    const fired: number[] = [];
    const tick = () => {
      fired.push(scheduler.now());
      if (fired.length < 4) queue.add(25, tick);
    };
    queue.add(25, tick);
    scheduler.flush();
    expect(fired).toEqual([25, 50, 75, 100]);
  });

  it('should stay correct when cancelled entries are compacted away at the head', () => {
    const scheduler = new VirtualTimeScheduler();
    const queue = new TimerQueue(scheduler);
    const fired: number[] = [];
    const entries = Array.from({ length: 3000 }, (_, i) => queue.add(50, () => fired.push(i)));
    // The 1501st cancel leaves more than 1024 cancelled heads, outnumbering the live rest: the
    // bucket is sliced there, and entry 1501, now its head, must survive that.
    for (let i = 0; i <= 1500; i++) queue.cancel(entries[i]!);
    queue.cancel(entries[2500]!);
    scheduler.flush();
    expect(fired).toEqual(Array.from({ length: 1499 }, (_, k) => 1501 + k).filter((i) => i !== 2500));
    expect(scheduler.now()).toBe(50);
  });

  it('should stay correct when scattered cancelled entries are filtered away', () => {
    const scheduler = new VirtualTimeScheduler();
    const queue = new TimerQueue(scheduler);
    const fired: number[] = [];
    const entries = Array.from({ length: 600 }, (_, i) => queue.add(60, () => fired.push(i)));
    // Keep every third entry (the head among them): past 64 cancels outnumbering half the
    // live entries, the bucket is filtered; then cancel a few more after the filter.
    entries.forEach((entry, i) => i % 3 !== 0 && queue.cancel(entry));
    queue.cancel(entries[3]!);
    queue.cancel(entries[597]!);
    scheduler.flush();
    expect(fired).toEqual(Array.from({ length: 200 }, (_, k) => 3 * k).filter((i) => i !== 3 && i !== 597));
  });

  it('should reuse the slots of an emptied bucket, and release what cancelled entries held', () => {
    const scheduler = new VirtualTimeScheduler();
    const queue = new TimerQueue(scheduler);
    const fired: number[] = [];
    // One timeout at a time, as sequential task runs arm them: add, then cancel, many times.
    for (let i = 0; i < 100; i++) {
      const target = { onTimer: () => fired.push(i) };
      const entry = queue.add(70, target);
      queue.cancel(entry);
      expect(entry.callback).not.toBe(target); // a spent slot keeps nothing of its run
    }
    const kept = queue.add(70, () => fired.push(-1));
    scheduler.flush();
    expect(fired).toEqual([-1]);
    expect(kept.fired).toBe(true);
  });

  it('should call exactly the live entries, each at its due time, and leave nothing armed', () => {
    interface Op {
      readonly addAt: number;
      readonly delay: number;
      readonly cancelAt: number | undefined;
    }
    const op = fc.record({
      addAt: fc.integer({ min: 0, max: 100 }),
      delay: fc.constantFrom(1, 5, 10, 30, 100),
      cancelAt: fc.option(fc.integer({ min: 0, max: 250 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops: Op[]) => {
        // A cancel in the same frame as the fire would race; keep the model unambiguous.
        const plan = ops.map((o) => ({
          ...o,
          cancelAt:
            o.cancelAt === undefined
              ? undefined
              : Math.max(o.cancelAt, o.addAt) === o.addAt + o.delay
                ? undefined
                : Math.max(o.cancelAt, o.addAt),
        }));
        const scheduler = new CountingScheduler();
        const queue = new TimerQueue(scheduler);
        const fired: Array<{ id: number; time: number }> = [];
        // Schedule adds before cancels so an add and cancel in one frame run in that order.
        plan.forEach((o, id) =>
          at(scheduler, o.addAt, () => {
            const entry = queue.add(o.delay, () => fired.push({ id, time: scheduler.now() }));
            if (o.cancelAt !== undefined) at(scheduler, o.cancelAt, () => queue.cancel(entry));
          }),
        );
        scheduler.flush();

        const live = plan
          .map((o, id) => ({ ...o, id, due: o.addAt + o.delay }))
          .filter((o) => o.cancelAt === undefined || o.cancelAt > o.due);
        expect(fired.map((f) => f.id).sort((a, b) => a - b)).toEqual(live.map((o) => o.id));
        for (const f of fired) expect(f.time).toBe(plan[f.id]!.addAt + plan[f.id]!.delay);
        for (let i = 1; i < fired.length; i++)
          expect(fired[i]!.time).toBeGreaterThanOrEqual(fired[i - 1]!.time);
        // Within one delay, entries fire in the order they were added.
        for (const delay of new Set(plan.map((o) => o.delay))) {
          const ids = fired.filter((f) => plan[f.id]!.delay === delay).map((f) => f.id);
          const addOrder = [...ids].sort((a, b) => plan[a]!.addAt - plan[b]!.addAt || a - b);
          expect(ids).toEqual(addOrder);
        }
        // No action outlives the work: the clock stops at the last add, cancel or fire.
        const lastEvent = Math.max(
          0,
          ...plan.map((o) => o.addAt),
          ...plan.map((o) => o.cancelAt ?? 0),
          ...fired.map((f) => f.time),
        );
        expect(scheduler.now()).toBe(lastEvent);
        expect(scheduler.pending).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('timerQueueFor', () => {
  it('should share one queue per scheduler', () => {
    const a = new VirtualTimeScheduler();
    const b = new VirtualTimeScheduler();
    expect(timerQueueFor(a)).toBe(timerQueueFor(a));
    expect(timerQueueFor(a)).not.toBe(timerQueueFor(b));
  });
});
