import fc from 'fast-check';
import type { SlotWaiter } from '../../lib/limits/limiter';
import { WaiterQueue } from '../../lib/limits/waiter-queue';

const waiter = (occupy = 1): SlotWaiter => ({ occupy, queueIndex: -1, grant() {}, fail() {} });

describe('WaiterQueue', () => {
  it('should serve waiters first in, first out, skipping those that left', () => {
    const queue = new WaiterQueue();
    const [a, b, c] = [waiter(), waiter(), waiter()];
    queue.push(a);
    queue.push(b);
    queue.push(c);
    expect(queue.delete(b)).toBe(true);
    expect(queue.delete(b)).toBe(false);
    expect(queue.size).toBe(2);
    expect(queue.shift()).toBe(a);
    expect(a.queueIndex).toBe(-1);
    expect(queue.peek()).toBe(c);
    expect(queue.shift()).toBe(c);
    expect(queue.peek()).toBeUndefined();
    expect(queue.size).toBe(0);
  });

  it('should take out the waiters a test accepts, in line order', () => {
    const queue = new WaiterQueue();
    const all = [waiter(1), waiter(5), waiter(2), waiter(7)];
    for (const w of all) queue.push(w);
    const removed: number[] = [];
    queue.deleteWhere(
      (w) => w.occupy > 3,
      (w) => removed.push(w.occupy),
    );
    expect(removed).toEqual([5, 7]);
    expect([queue.shift().occupy, queue.shift().occupy]).toEqual([1, 2]);
  });

  it('should keep every index right when it compacts a long-served line', () => {
    const queue = new WaiterQueue();
    const all = Array.from({ length: 3000 }, () => waiter());
    for (const w of all) queue.push(w);
    for (let i = 0; i < 2000; i++) queue.shift();
    queue.delete(all[2500]!);
    queue.tidy(); // 2,000 served of 3,000: the line is copied down
    expect(all[2001]!.queueIndex).toBe(1);
    expect(queue.delete(all[2999]!)).toBe(true);
    expect(queue.shift()).toBe(all[2000]);
    expect(queue.size).toBe(997);
  });

  it('should behave like an array model under any mix of pushes, leaves, shifts and tidies', () => {
    type Op = { kind: 'push' } | { kind: 'leave'; pick: number } | { kind: 'shift' } | { kind: 'tidy' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.constant({ kind: 'push' as const }),
      fc.nat().map((pick) => ({ kind: 'leave' as const, pick })),
      fc.constant({ kind: 'shift' as const }),
      fc.constant({ kind: 'tidy' as const }),
    );
    // What the queue answers at each step, next to what the model answers, compared once (an
    // `expect` per step made this test one of the slowest of the suite). Waiters by number.
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
        const queue = new WaiterQueue();
        const model: SlotWaiter[] = [];
        const ids = new Map<SlotWaiter | undefined, number>([[undefined, -1]]);
        const actual: unknown[] = [];
        const expected: unknown[] = [];
        for (const o of ops) {
          if (o.kind === 'push') {
            const w = waiter();
            ids.set(w, ids.size);
            queue.push(w);
            model.push(w);
          } else if (o.kind === 'leave' && model.length > 0) {
            const [w] = model.splice(o.pick % model.length, 1);
            actual.push(queue.delete(w!), w!.queueIndex);
            expected.push(true, -1);
          } else if (o.kind === 'shift' && model.length > 0) {
            actual.push(ids.get(queue.shift()));
            expected.push(ids.get(model.shift()));
          } else if (o.kind === 'tidy') {
            queue.tidy();
          }
          actual.push(queue.size, ids.get(queue.peek()));
          expected.push(model.length, ids.get(model[0]));
        }
        // Indices stay right across compaction: every queued waiter can still leave.
        for (const w of [...model].reverse()) actual.push(queue.delete(w));
        actual.push(queue.size);
        expected.push(...model.map(() => true), 0);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});
