import '../../lib/internal/context-node';
import { promises as fs } from 'node:fs';
import { asyncScheduler, interval } from 'rxjs';
import { getDefaultClock } from '../../lib/internal/clock';
import { currentFrame, runInFrame } from '../../lib/internal/context';
import {
  DeadlockError,
  isDeadlockError,
  isStepLimitError,
  seededRandom,
  sleep,
  StepLimitError,
  VirtualScheduler,
  withVirtualTime,
} from '../../lib/testing/index.node';

const now = () => currentFrame().clock.scheduler.now();
const draws = (n: number) => Array.from({ length: n }, () => currentFrame().clock.random());
const realElapsed = async (fn: () => Promise<unknown>) => {
  const started = performance.now();
  await fn();
  return performance.now() - started;
};
/** The error `promise` rejects with (fails the test if it resolves). */
async function rejection<E = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a rejection');
}
/** Real handles of the kinds a driver could leave behind. */
const timerHandles = () =>
  process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'Immediate').length;

describe('withVirtualTime', () => {
  it('should run an hour of sleeps in milliseconds of real time, at exact virtual times', async () => {
    let times: number[] = [];
    const elapsed = await realElapsed(async () => {
      times = await withVirtualTime(async () => {
        const seen: number[] = [];
        for (let minute = 0; minute < 60; minute++) {
          await sleep(60_000);
          seen.push(now());
        }
        return seen;
      });
    });
    expect(times).toEqual(Array.from({ length: 60 }, (_, k) => (k + 1) * 60_000));
    expect(elapsed).toBeLessThan(1000);
  });

  it('should start the clock at `start`', async () => {
    const start = new Date('2024-05-01T12:00:00Z');
    const seen = await withVirtualTime(
      async () => {
        const before = now();
        await sleep(1500);
        return [before, now()];
      },
      { start },
    );
    expect(seen).toEqual([start.getTime(), start.getTime() + 1500]);
  });

  it('should run concurrent sleeps in due order', async () => {
    const order = await withVirtualTime(async () => {
      const seen: Array<[string, number]> = [];
      const after = async (label: string, ms: number) => {
        await sleep(ms);
        seen.push([label, now()]);
      };
      await Promise.all([after('c', 300), after('a', 100), after('b', 200), after('a2', 100)]);
      return seen;
    });
    expect(order).toEqual([
      ['a', 100],
      ['a2', 100],
      ['b', 200],
      ['c', 300],
    ]);
  });

  it('should return what a sync function returns and reject with what it throws', async () => {
    await expect(withVirtualTime(() => 42)).resolves.toBe(42);
    const error = new Error('sync boom');
    await expect(
      withVirtualTime(() => {
        throw error;
      }),
    ).rejects.toBe(error);
  });

  it('should reject with the async error, after restoring the real clock', async () => {
    const error = new Error('async boom');
    await expect(
      withVirtualTime(async () => {
        expect(currentFrame().clock.scheduler).toBeInstanceOf(VirtualScheduler);
        await sleep(10);
        throw error;
      }),
    ).rejects.toBe(error);
    expect(currentFrame().clock.scheduler).toBe(asyncScheduler);
    expect(getDefaultClock().scheduler).toBe(asyncScheduler);
  });

  it('should keep the current run and tags of the enclosing frame', async () => {
    const outer = { ...currentFrame(), tags: ['outer-tag'] };
    const tags = await runInFrame(outer, () =>
      withVirtualTime(async () => (await sleep(1), currentFrame().tags)),
    );
    expect(tags).toEqual(['outer-tag']);
  });

  it('should leave no real timer behind', async () => {
    const before = timerHandles();
    await withVirtualTime(async () => {
      await sleep(1000);
      interval(10, currentFrame().clock.scheduler).subscribe(); // still pending when fn settles: dropped
    });
    await expect(withVirtualTime(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(timerHandles()).toBe(before);
  });

  it('should keep two concurrent calls apart: each sees its own time and random source', async () => {
    const run = (step: number, seed: number) =>
      withVirtualTime(
        async () => {
          const seen: number[] = [];
          for (let i = 0; i < 5; i++) {
            await sleep(step);
            seen.push(now());
          }
          return { seen, random: draws(3) };
        },
        { seed },
      );
    const [a, b] = await Promise.all([run(1000, 1), run(7, 2)]);
    expect(a.seen).toEqual([1000, 2000, 3000, 4000, 5000]);
    expect(b.seen).toEqual([7, 14, 21, 28, 35]);
    const one = seededRandom(1);
    const two = seededRandom(2);
    expect(a.random).toEqual([one(), one(), one()]);
    expect(b.random).toEqual([two(), two(), two()]);
  });

  it('should let an outer scope wait on a nested one without a deadlock', async () => {
    const result = await withVirtualTime(async () => {
      const inner = await withVirtualTime(async () => (await sleep(5000), now()));
      await sleep(10);
      return { inner, outer: now() };
    });
    expect(result).toEqual({ inner: 5000, outer: 10 });
  });

  it('should give the same random draws for the same seed', async () => {
    const a = await withVirtualTime(() => draws(10), { seed: 1234 });
    const b = await withVirtualTime(() => draws(10), { seed: 1234 });
    expect(a).toEqual(b);
    const c = await withVirtualTime(() => draws(10), { seed: 1235 });
    expect(c).not.toEqual(a);
  });

  it('should reject with a DeadlockError, quickly, when fn can never settle', async () => {
    let error: unknown;
    const elapsed = await realElapsed(() =>
      withVirtualTime(() => new Promise(() => {})).catch((e: unknown) => (error = e)),
    );
    expect(isDeadlockError(error)).toBe(true);
    expect(error).toBeInstanceOf(DeadlockError);
    expect((error as DeadlockError).message).toMatchInlineSnapshot(
      `"withVirtualTime: deadlock — nothing is running and no timer is due; still waiting: no rxflow run (the awaited promise never settles)"`,
    );
    expect(elapsed).toBeLessThan(500);
  });

  it('should name the runs still active in the deadlock error', async () => {
    const error = await rejection<DeadlockError>(
      withVirtualTime(async () => {
        const hooks = currentFrame().virtual!;
        hooks.runStarted('1', () => "task run 'extract-1a2b' (Running)");
        hooks.runStarted('2', () => "flow run 'etl-9z' (Running)");
        hooks.runStarted('3', () => "task run 'done-3c' (Completed)");
        hooks.runEnded('3');
        await sleep(60_000);
        await new Promise(() => {});
      }),
    );
    expect(error.code).toBe('DEADLOCK');
    expect(error.name).toBe('DeadlockError');
    expect(error.waitingOn).toEqual(["task run 'extract-1a2b' (Running)", "flow run 'etl-9z' (Running)"]);
    expect(error.virtualTime).toBe(60_000);
    expect(error.message).toMatchInlineSnapshot(
      `"withVirtualTime: deadlock — nothing is running and no timer is due; still waiting: task run 'extract-1a2b' (Running), flow run 'etl-9z' (Running)"`,
    );
  });

  it('should reject with a StepLimitError when timers never stop', async () => {
    const forever = () => new Promise(() => void interval(1000, currentFrame().clock.scheduler).subscribe());
    const error = await rejection<StepLimitError>(withVirtualTime(forever, { maxSteps: 100 }));
    expect(isStepLimitError(error)).toBe(true);
    expect(error.maxSteps).toBe(100);
    expect(error.virtualTime).toBe(100_000);
    expect(error.message).toMatchInlineSnapshot(
      `"withVirtualTime: gave up after running 100 timers (100000 virtual ms) without the function settling; a timer probably reschedules itself forever (an interval?). Raise maxSteps if this much work is expected"`,
    );
  });

  it('should reject with the error a virtual timer callback throws', async () => {
    const error = new Error('timer boom');
    const fn = () =>
      new Promise(() => {
        currentFrame().clock.scheduler.schedule(() => {
          throw error;
        }, 10);
      });
    await expect(withVirtualTime(fn)).rejects.toBe(error);
  });

  it('should let real I/O in flight finish before moving virtual time', async () => {
    const winner = await withVirtualTime(() =>
      Promise.race([fs.readFile(__filename).then(() => 'io'), sleep(1).then(() => 'virtual timer')]),
    );
    expect(winner).toBe('io');
  });

  it('should wait for a short real timer instead of declaring a deadlock', async () => {
    await expect(
      withVirtualTime(() => new Promise((resolve) => setTimeout(() => resolve('real'), 20))),
    ).resolves.toBe('real');
  });

  it('should give up on a real timer that outlives realWaitMs, and say so', async () => {
    let handle: ReturnType<typeof setTimeout> | undefined;
    try {
      const neverInTime = () => new Promise((resolve) => (handle = setTimeout(resolve, 60_000)));
      const error = await rejection<DeadlockError>(withVirtualTime(neverInTime, { realWaitMs: 30 }));
      expect(isDeadlockError(error)).toBe(true);
      expect(error.message).toContain('real handles still open: Timeout');
    } finally {
      clearTimeout(handle);
    }
  });

  it('should validate its options', async () => {
    await expect(withVirtualTime(() => 1, { maxSteps: -1 })).rejects.toThrow(
      'withVirtualTime: expected maxSteps to be a non-negative integer, got -1',
    );
    await expect(withVirtualTime(() => 1, { start: new Date(Number.NaN) })).rejects.toThrow(
      'withVirtualTime: expected start to be a valid Date or a finite number of ms, got Invalid Date',
    );
    await expect(withVirtualTime(() => 1, { seed: 0.5 })).rejects.toThrow(
      'seededRandom: expected seed to be a safe integer',
    );
    await expect(withVirtualTime(42 as never)).rejects.toThrow(
      'withVirtualTime: expected fn to be a function, got number',
    );
  });
});
