import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ConcurrentTaskRunner, flow, task, type TaskRunFutureList } from '../../lib/index.node';

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
});
