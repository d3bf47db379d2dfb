import fc from 'fast-check';
import { CursorQueue } from '../../lib/internal/cursor-queue';

describe('CursorQueue', () => {
  it('should behave as an array used as a FIFO under any pushes, takes and clears', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer(), fc.constant('take' as const), fc.constant('clear' as const)), {
          maxLength: 3000, // past the compaction threshold (a cursor beyond 1,024)
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
          }
          const rest: number[] = [];
          while (!queue.isEmpty) rest.push(queue.take());
          expect(rest).toEqual(model);
        },
      ),
    );
  });

  it('should keep order through compactions of a long queue', () => {
    const queue = new CursorQueue<number>();
    for (let i = 0; i < 10_000; i++) queue.push(i);
    for (let i = 0; i < 5_000; i++) expect(queue.take()).toBe(i);
    for (let i = 10_000; i < 20_000; i++) queue.push(i);
    for (let i = 5_000; i < 20_000; i++) expect(queue.take()).toBe(i);
    expect(queue.isEmpty).toBe(true);
  });
});
