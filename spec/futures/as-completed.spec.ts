import fc from 'fast-check';
import { lastValueFrom, toArray } from 'rxjs';
import { asCompleted, task } from '../../lib/index.node';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';

describe('asCompleted', () => {
  it('should yield futures in completion order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        async (delays, failSome) => {
          const pause = task({ name: 'pause' }, async (ms: number) => {
            await sleep(ms);
            if (failSome && ms % 3 === 0) throw new Error(`fail ${ms}`);
            return ms;
          });
          const order = await withVirtualTime(async () => {
            const futures = pause.map(delays);
            const seen = await lastValueFrom(asCompleted(futures).pipe(toArray()));
            return seen.map((f) => delays[futures.indexOf(f)]);
          });
          expect(order).toEqual([...delays].sort((a, b) => a - b));
        },
      ),
      { numRuns: 50 },
    );
  });
});
