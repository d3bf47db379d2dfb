import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ConcurrentTaskRunner, flow, task, type TaskRunFutureList } from '../../lib/index.node';
import { deferred } from '../engine/support';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after a full collection. */
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('task.map memory', () => {
  it('should hold only a small, constant record per finished run (100,000 runs, maxConcurrency 64)', async () => {
    const n = 100_000;
    const items = Array.from({ length: n }, (_, i) => i);
    const step = task({ name: 'step' }, async (x: number) => x + 1);
    let queuedBytes = 0;
    let finishedBytes = 0;
    let driversLeft = -1;
    const fanOut = flow({ taskRunner: new ConcurrentTaskRunner({ maxConcurrency: 64 }) }, async () => {
      const before = heapAfterGc();
      const list: TaskRunFutureList<number> = step.map(items);
      // 64 runs are going; the other 99,936 are Pending, queued in the runner.
      queuedBytes = (heapAfterGc() - before) / n;
      const results = await list.result();
      finishedBytes = (heapAfterGc() - before) / n;
      driversLeft = list.filter((future) => future.run.driver !== undefined).length;
      return results.length;
    });
    expect(await fanOut()).toBe(n);
    // A finished future keeps its run's info and last state, not its driver, frame or subscription.
    expect(driversLeft).toBe(0);
    // Measured ≈ 183 bytes per queued run (a submitted run and its future, see design.md,
    // "A queued run is two small objects") and ≈ 232 per finished one. A queued run that held
    // its own copy of what its map call shares, or a driver, would take 400 bytes or more; a
    // finished run that kept its driver, frame and subscription would hold ≈ 1 KB more.
    expect(queuedBytes).toBeLessThan(300);
    expect(finishedBytes).toBeLessThan(400);
  }, 60_000);

  it('should let an ended run’s result go while later runs of its map still wait (list dropped)', async () => {
    const results: WeakRef<object>[] = [];
    const blocker = deferred();
    const rest = deferred();
    const secondStarted = deferred();
    const step = task({ name: 'step' }, async (x: number) => {
      if (x === 0) {
        await blocker.promise;
        return null;
      }
      if (x === 1) {
        const result = { payload: new Array<number>(1_000).fill(x) };
        results.push(new WeakRef(result));
        return result;
      }
      if (x === 2) secondStarted.resolve(); // run 1 has ended: it gave the only slot on
      await rest.promise;
      return null;
    });
    let collected: boolean | undefined;
    const f = flow({ taskRunner: new ConcurrentTaskRunner({ maxConcurrency: 1 }) }, async () => {
      step.submit(0);
      // Dropped at once: only the engine (the site of this call, the runner's queue) holds its runs.
      step.map([1, 2, 3]);
      blocker.resolve();
      await secondStarted.promise; // run 1 ended, run 2 is running, run 3 is queued
      heapAfterGc();
      await new Promise((resolve) => setImmediate(resolve));
      heapAfterGc();
      collected = results[0]!.deref() === undefined;
      rest.resolve();
    });
    await f();
    expect(results).toHaveLength(1);
    expect(collected).toBe(true);
  });
});
