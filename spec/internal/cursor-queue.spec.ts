import fc from 'fast-check';
import { CursorQueue } from '../../lib/internal/cursor-queue';

// Each test records what the queue answers (every take, isEmpty and size) next to what an array
// used as a FIFO answers, and compares the two records once: the same checks as an `expect` per
// step, without millions of `expect` calls. The model reads its array through a cursor (`shift()`
// on a long array is quadratic).

/** The first step where two records differ (with its neighbours), or undefined when they agree. */
function firstDifference(actual: readonly unknown[], expected: readonly unknown[]) {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (i >= actual.length || i >= expected.length || !Object.is(actual[i], expected[i])) {
      return { step: i, actual: actual.slice(i, i + 5), expected: expected.slice(i, i + 5) };
    }
  }
  return undefined;
}

describe('CursorQueue', () => {
  it('should behave as an array used as a FIFO under any pushes, takes and clears', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer(), fc.constant('take' as const), fc.constant('clear' as const)), {
          maxLength: 3000, // several chunks of 512
        }),
        (ops) => {
          const queue = new CursorQueue<number>();
          const model: number[] = [];
          const actual: unknown[] = [];
          const expected: unknown[] = [];
          for (const op of ops) {
            if (op === 'clear') {
              queue.clear();
              model.length = 0;
            } else if (op === 'take') {
              if (model.length === 0) continue;
              actual.push(queue.take());
              expected.push(model.shift());
            } else {
              queue.push(op);
              model.push(op);
            }
            actual.push(queue.isEmpty, queue.size);
            expected.push(model.length === 0, model.length);
          }
          while (!queue.isEmpty) actual.push(queue.take());
          expected.push(...model);
          expect(firstDifference(actual, expected)).toBeUndefined();
        },
      ),
    );
  });

  it('should behave as an array used as a FIFO under bursts of pushes and takes across chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 1500 }), fc.nat({ max: 1500 })), { maxLength: 12 }),
        (bursts) => {
          const queue = new CursorQueue<number>();
          const model: number[] = [];
          let first = 0;
          const actual: number[] = [];
          const expected: number[] = [];
          let next = 0;
          for (const [pushes, takes] of bursts) {
            for (let i = 0; i < pushes; i++) {
              queue.push(next);
              model.push(next++);
            }
            for (let i = 0; i < takes && first < model.length; i++) {
              actual.push(queue.take());
              expected.push(model[first++]!);
            }
            actual.push(queue.size);
            expected.push(model.length - first);
          }
          while (!queue.isEmpty) actual.push(queue.take());
          for (let i = first; i < model.length; i++) expected.push(model[i]!);
          expect(firstDifference(actual, expected)).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('should keep order across chunks of a long queue, also when it drains and refills', () => {
    const queue = new CursorQueue<number>();
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
    const take = (n: number) => Array.from({ length: n }, () => queue.take());
    for (let i = 0; i < 10_000; i++) queue.push(i);
    expect(firstDifference(take(5_000), range(0, 5_000))).toBeUndefined();
    for (let i = 10_000; i < 20_000; i++) queue.push(i);
    expect(firstDifference(take(15_000), range(5_000, 20_000))).toBeUndefined();
    expect(queue.isEmpty).toBe(true);
    for (let i = 0; i < 1_500; i++) queue.push(i);
    expect(firstDifference(take(1_500), range(0, 1_500))).toBeUndefined();
    expect(queue.size).toBe(0);
  });
});
