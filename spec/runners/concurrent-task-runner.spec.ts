import fc from 'fast-check';
import {
  ConcurrentTaskRunner,
  flow,
  SequentialTaskRunner,
  task,
  type TaskRunner,
  type TaskRunnerJob,
} from '../../lib/index.node';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';

describe('ConcurrentTaskRunner', () => {
  it('should reject a bad maxConcurrency', () => {
    expect(() => new ConcurrentTaskRunner({ maxConcurrency: 0 })).toThrow(
      'ConcurrentTaskRunner: expected maxConcurrency to be a positive integer, got 0',
    );
    expect(() => new ConcurrentTaskRunner({ maxConcurrency: 1.5 })).toThrow('got 1.5');
  });

  it('should be rejected as a taskRunner option when not a runner', () => {
    expect(() => flow({ taskRunner: {} as TaskRunner }, () => 1)).toThrow(/taskRunner/);
  });

  it('should never run more than maxConcurrency at once, and every run ends (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.record({ ms: fc.integer({ min: 0, max: 50 }), fail: fc.boolean() }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 2 }),
        async (k, jobs, retries) => {
          let live = 0;
          let max = 0;
          const step = task(
            { name: 'step', retries, retryDelaySeconds: 0.01 },
            async (job: { ms: number; fail: boolean }, i: number) => {
              live++;
              max = Math.max(max, live);
              try {
                await sleep(job.ms);
                if (job.fail) throw new Error(`fail ${i}`);
                return i;
              } finally {
                live--;
              }
            },
          );
          const f = flow({ taskRunner: new ConcurrentTaskRunner({ maxConcurrency: k }) }, async () =>
            (
              await step
                .map(
                  jobs,
                  jobs.map((_, i) => i),
                )
                .wait()
            ).map((s) => s.name),
          );
          const names = await withVirtualTime(() => f());
          expect(max).toBeLessThanOrEqual(k);
          expect(live).toBe(0);
          expect(names).toEqual(jobs.map((j) => (j.fail ? 'Failed' : 'Completed')));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('should keep the results of map in input order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 50 }), async (delays) => {
        const echo = task({ name: 'echo' }, async (ms: number, i: number) => {
          await sleep(ms);
          return i;
        });
        const f = flow({ taskRunner: new ConcurrentTaskRunner({ maxConcurrency: 4 }) }, async () =>
          echo
            .map(
              delays,
              delays.map((_, i) => i),
            )
            .result(),
        );
        expect(await withVirtualTime(() => f())).toEqual(delays.map((_, i) => i));
      }),
      { numRuns: 50 },
    );
  });

  it('should hold a slot through retry waits', async () => {
    let attempts = 0;
    const starts: number[] = [];
    const flaky = task({ name: 'flaky', retries: 1, retryDelaySeconds: 10 }, (i: number) => {
      starts.push(i);
      if (i === 0 && attempts++ === 0) throw new Error('once');
      return i;
    });
    const f = flow({ taskRunner: new ConcurrentTaskRunner({ maxConcurrency: 1 }) }, async () =>
      flaky.map([0, 1]).result(),
    );
    expect(await withVirtualTime(() => f())).toEqual([0, 1]);
    expect(starts).toEqual([0, 0, 1]);
  });

  it('should complete 100,000 mapped runs with maxConcurrency 64', async () => {
    let live = 0;
    let max = 0;
    const step = task({ name: 'step' }, async (x: number) => {
      live++;
      max = Math.max(max, live);
      await Promise.resolve();
      live--;
      return x + 1;
    });
    const n = 100_000;
    const items = Array.from({ length: n }, (_, i) => i);
    const f = flow({ taskRunner: new ConcurrentTaskRunner({ maxConcurrency: 64 }) }, async () => {
      const results = await step.map(items).result();
      return results.reduce((a, b) => a + b, 0);
    });
    expect(await f()).toBe((n * (n + 1)) / 2);
    expect(max).toBeLessThanOrEqual(64);
    expect(max).toBeGreaterThan(1);
  }, 60_000);

  it('should accept a custom TaskRunner', async () => {
    const names: string[] = [];
    class Logging implements TaskRunner {
      readonly name = 'logging';
      submit(job: TaskRunnerJob): void {
        names.push(`start ${job.runName}`);
        job.start(() => names.push(`end ${job.runName}`));
      }
      duplicate(): TaskRunner {
        return new Logging();
      }
    }
    const one = task({ name: 'one', taskRunName: 'one-{x}' }, (x: number) => x);
    const f = flow({ taskRunner: new Logging() }, async () => one.map([1, 2]).result());
    expect(await f()).toEqual([1, 2]);
    expect(names).toEqual(['start one-1', 'end one-1', 'start one-2', 'end one-2']);
  });
});

describe('SequentialTaskRunner', () => {
  it('should run one at a time in submission order', async () => {
    const log: string[] = [];
    const step = task({ name: 'step' }, async (ms: number) => {
      log.push(`start ${ms}`);
      await sleep(ms);
      log.push(`end ${ms}`);
      return ms;
    });
    const f = flow({ taskRunner: new SequentialTaskRunner() }, async () => step.map([30, 10, 20]).result());
    expect(await withVirtualTime(() => f())).toEqual([30, 10, 20]);
    expect(log).toEqual(['start 30', 'end 30', 'start 10', 'end 10', 'start 20', 'end 20']);
  });
});
