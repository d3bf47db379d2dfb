import '../../lib/internal/context-node';
import '../../lib/testing/internal/context-binder-node';
import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import fc from 'fast-check';
import { delay, interval, of, take, timer, type Subscription } from 'rxjs';
import { currentFrame, runInFrame } from '../../lib/internal/context';
import { VirtualScheduler } from '../../lib/testing/virtual-scheduler';

describe('VirtualScheduler', () => {
  it('should end the async resource of every timer that ran, was cancelled or was cleared', async () => {
    const live = new Set<number>();
    const hook = createHook({
      init: (id, type) => void (type === 'rxflow.VirtualTimer' && live.add(id)),
      destroy: (id) => void live.delete(id),
    }).enable();
    // Destroy hooks run after the current macrotask.
    const settled = () => new Promise((resolve) => setImmediate(resolve));
    try {
      const scheduler = new VirtualScheduler();
      scheduler.schedule(() => undefined, 10); // runs
      scheduler.schedule(() => undefined, 20).unsubscribe(); // cancelled
      scheduler.schedule(() => undefined, 5_000); // dropped by clear()
      const periodic = scheduler.schedule(function (this: { schedule(s?: unknown, d?: number): unknown }) {
        this.schedule(undefined, 10); // rescheduled by its own work: keeps its context
      }, 10);
      await settled();
      expect(live.size).toBe(3);
      scheduler.advanceBy(30);
      await settled();
      expect(live.size).toBe(2); // the one that ran and was not rescheduled is spent
      periodic.unsubscribe();
      scheduler.clear();
      await settled();
      expect(live.size).toBe(0);
    } finally {
      hook.disable();
    }
  });

  it('should run actions by due time, then in the order they were scheduled', () => {
    const scheduler = new VirtualScheduler();
    const ran: Array<[string, number]> = [];
    const record = (label: string) => () => void ran.push([label, scheduler.now()]);
    scheduler.schedule(record('c'), 30);
    scheduler.schedule(record('a1'), 10);
    scheduler.schedule(record('b'), 20);
    scheduler.schedule(record('a2'), 10);
    scheduler.schedule(record('zero'));
    expect(scheduler.pendingCount).toBe(5);
    expect(scheduler.nextDue()).toBe(0);
    scheduler.advanceTo(100);
    expect(ran).toEqual([
      ['zero', 0],
      ['a1', 10],
      ['a2', 10],
      ['b', 20],
      ['c', 30],
    ]);
    expect(scheduler.now()).toBe(100);
    expect(scheduler.pendingCount).toBe(0);
    expect(scheduler.nextDue()).toBeUndefined();
  });

  it('should start at the given time and never move backwards', () => {
    const scheduler = new VirtualScheduler(1_000);
    const times: number[] = [];
    scheduler.schedule(() => void times.push(scheduler.now()), -50);
    scheduler.schedule(() => void times.push(scheduler.now()), Number.NaN);
    scheduler.advanceTo(500);
    expect(times).toEqual([]);
    expect(scheduler.now()).toBe(1_000);
    scheduler.advanceTo(1_000);
    expect(times).toEqual([1_000, 1_000]);
  });

  it('should never run an action with an infinite delay', () => {
    const scheduler = new VirtualScheduler();
    const work = jest.fn();
    scheduler.schedule(work, Infinity);
    expect(scheduler.pendingCount).toBe(0);
    scheduler.advanceTo(Number.MAX_SAFE_INTEGER);
    expect(work).not.toHaveBeenCalled();
  });

  it('should remove an action when its subscription is unsubscribed', () => {
    const scheduler = new VirtualScheduler();
    const work = jest.fn();
    const subscription = scheduler.schedule(work, 10);
    scheduler.schedule(() => undefined, 20);
    subscription.unsubscribe();
    expect(scheduler.pendingCount).toBe(1);
    expect(scheduler.nextDue()).toBe(20);
    scheduler.advanceTo(50);
    expect(work).not.toHaveBeenCalled();
  });

  it('should step one action at a time', () => {
    const scheduler = new VirtualScheduler();
    const ran: string[] = [];
    scheduler.schedule(() => void ran.push('a'), 10);
    scheduler.schedule(() => void ran.push('b'), 10);
    expect(scheduler.step()).toBe(true);
    expect(ran).toEqual(['a']);
    expect(scheduler.now()).toBe(10);
    expect(scheduler.step()).toBe(true);
    expect(scheduler.step()).toBe(false);
    expect(ran).toEqual(['a', 'b']);
  });

  it('should run everything due at the next time with runNext, including zero-delay follow-ups', () => {
    const scheduler = new VirtualScheduler();
    const ran: Array<[string, number]> = [];
    scheduler.schedule(() => {
      ran.push(['a', scheduler.now()]);
      scheduler.schedule(() => void ran.push(['a-follow-up', scheduler.now()]));
    }, 10);
    scheduler.schedule(() => void ran.push(['b', scheduler.now()]), 10);
    scheduler.schedule(() => void ran.push(['c', scheduler.now()]), 11);
    expect(scheduler.runNext()).toBe(true);
    expect(ran).toEqual([
      ['a', 10],
      ['b', 10],
      ['a-follow-up', 10],
    ]);
    expect(scheduler.runNext()).toBe(true);
    expect(scheduler.runNext()).toBe(false);
    expect(ran.at(-1)).toEqual(['c', 11]);
  });

  it('should let work reschedule itself, as rxjs interval does', () => {
    const scheduler = new VirtualScheduler();
    const seen: number[] = [];
    interval(1000, scheduler)
      .pipe(take(3))
      .subscribe(() => seen.push(scheduler.now()));
    scheduler.advanceTo(10_000);
    expect(seen).toEqual([1000, 2000, 3000]);
    expect(scheduler.pendingCount).toBe(0);
  });

  it('should drive rxjs timer and delay', () => {
    const scheduler = new VirtualScheduler();
    const seen: Array<[string, number]> = [];
    timer(250, scheduler).subscribe(() => seen.push(['timer', scheduler.now()]));
    of('x')
      .pipe(delay(100, scheduler))
      .subscribe((x) => seen.push([x, scheduler.now()]));
    scheduler.advanceBy(1000);
    expect(seen).toEqual([
      ['x', 100],
      ['timer', 250],
    ]);
  });

  it('should reschedule in place when action.schedule is called again from outside', () => {
    const scheduler = new VirtualScheduler();
    const times: number[] = [];
    const action = scheduler.schedule(() => void times.push(scheduler.now()), 10) as Subscription & {
      schedule(state?: unknown, delay?: number): Subscription;
    };
    action.schedule(undefined, 40);
    expect(scheduler.pendingCount).toBe(1);
    scheduler.advanceTo(100);
    expect(times).toEqual([40]);
  });

  it('should unsubscribe an action whose work throws and propagate the error', () => {
    const scheduler = new VirtualScheduler();
    const subscription = scheduler.schedule(() => {
      throw new Error('boom');
    }, 5);
    expect(() => scheduler.step()).toThrow('boom');
    expect(subscription.closed).toBe(true);
    expect(scheduler.pendingCount).toBe(0);
  });

  it('should drop everything on clear', () => {
    const scheduler = new VirtualScheduler();
    const work = jest.fn();
    scheduler.schedule(work, 1);
    scheduler.schedule(work, 2);
    scheduler.clear();
    expect(scheduler.pendingCount).toBe(0);
    scheduler.advanceTo(10);
    expect(work).not.toHaveBeenCalled();
  });

  it('should run each action in the async context that scheduled it', () => {
    const scheduler = new VirtualScheduler();
    const storage = new AsyncLocalStorage<string>();
    const frame = { ...currentFrame(), tags: ['in-frame'] };
    const seen: Array<[string | undefined, readonly string[]]> = [];
    const record = () => void seen.push([storage.getStore(), currentFrame().tags]);
    storage.run('request-1', () => runInFrame(frame, () => scheduler.schedule(record, 10)));
    scheduler.schedule(record, 20);
    scheduler.advanceTo(20);
    expect(seen).toEqual([
      ['request-1', ['in-frame']],
      [undefined, []],
    ]);
  });

  it('should validate its arguments', () => {
    expect(() => new VirtualScheduler(Number.NaN)).toThrow(
      'VirtualScheduler: expected start to be a finite number, got NaN',
    );
    expect(() => new VirtualScheduler().advanceTo(Number.NaN)).toThrow(
      'VirtualScheduler.advanceTo: expected time to be a number, got NaN',
    );
  });

  it('should run any mix of schedules and cancellations in (due, insertion) order', () => {
    type Op =
      { kind: 'add'; delay: number } | { kind: 'cancel'; index: number } | { kind: 'advance'; by: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), delay: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant('cancel' as const), index: fc.nat(40) }),
      fc.record({ kind: fc.constant('advance' as const), by: fc.integer({ min: 0, max: 30 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const scheduler = new VirtualScheduler();
        const model: Array<{ id: number; due: number; cancelled: boolean; ran: boolean }> = [];
        const subscriptions: Subscription[] = [];
        const ran: Array<{ id: number; at: number }> = [];
        const runModel = (until: number) => {
          const due = model
            .filter((a) => !a.cancelled && !a.ran && a.due <= until)
            .sort((a, b) => a.due - b.due || a.id - b.id);
          for (const a of due) a.ran = true;
          return due.map((a) => ({ id: a.id, at: a.due }));
        };
        const expected: Array<{ id: number; at: number }> = [];
        for (const o of ops) {
          if (o.kind === 'add') {
            const id = model.length;
            model.push({ id, due: scheduler.now() + o.delay, cancelled: false, ran: false });
            subscriptions.push(scheduler.schedule(() => void ran.push({ id, at: scheduler.now() }), o.delay));
          } else if (o.kind === 'cancel') {
            const target = model[o.index];
            if (target === undefined) continue;
            if (!target.ran) target.cancelled = true;
            subscriptions[o.index]!.unsubscribe();
          } else {
            const until = scheduler.now() + o.by;
            expected.push(...runModel(until));
            scheduler.advanceTo(until);
          }
          expect(scheduler.pendingCount).toBe(model.filter((a) => !a.cancelled && !a.ran).length);
        }
        expected.push(...runModel(Infinity));
        while (scheduler.step());
        expect(ran).toEqual(expected);
      }),
    );
  });
});
