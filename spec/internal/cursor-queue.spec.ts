import fc from 'fast-check';
import { CursorQueue } from '../../lib/internal/cursor-queue';

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
          for (const op of ops) {
            if (op === 'clear') {
              queue.clear();
              model.length = 0;
            } else if (op === 'take') {
              if (model.length === 0) continue;
              expect(queue.take()).toBe(model.shift());
            } else {
              queue.push(op);
              model.push(op);
            }
            expect(queue.isEmpty).toBe(model.length === 0);
            expect(queue.size).toBe(model.length);
          }
          const rest: number[] = [];
          while (!queue.isEmpty) rest.push(queue.take());
          expect(rest).toEqual(model);
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
          let next = 0;
          for (const [pushes, takes] of bursts) {
            for (let i = 0; i < pushes; i++) {
              queue.push(next);
              model.push(next++);
            }
            for (let i = 0; i < takes && model.length > 0; i++) expect(queue.take()).toBe(model.shift());
            expect(queue.size).toBe(model.length);
          }
          const rest: number[] = [];
          while (!queue.isEmpty) rest.push(queue.take());
          expect(rest).toEqual(model);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('should keep order across chunks of a long queue, also when it drains and refills', () => {
    const queue = new CursorQueue<number>();
    for (let i = 0; i < 10_000; i++) queue.push(i);
    for (let i = 0; i < 5_000; i++) expect(queue.take()).toBe(i);
    for (let i = 10_000; i < 20_000; i++) queue.push(i);
    for (let i = 5_000; i < 20_000; i++) expect(queue.take()).toBe(i);
    expect(queue.isEmpty).toBe(true);
    for (let i = 0; i < 1_500; i++) queue.push(i);
    for (let i = 0; i < 1_500; i++) expect(queue.take()).toBe(i);
    expect(queue.size).toBe(0);
  });
});
