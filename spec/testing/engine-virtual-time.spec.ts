import '../../lib/internal/context-node';
import fc from 'fast-check';
import { lastValueFrom, toArray } from 'rxjs';
import { flow, getRunContext, isTimeoutError, task, type State } from '../../lib/index.node';
import { currentFrame, runInFrame } from '../../lib/internal/context';
import {
  arbFailureScript,
  arbRetryPolicy,
  attemptTimes,
  collectTimeline,
  delayBounds,
  expectedDelays,
  flaky,
  isDeadlockError,
  sleep,
  withVirtualTime,
} from '../../lib/testing/index.node';

const HOUR = 3_600_000;
const statesOf = <R>(run$: import('rxjs').Observable<State<R>>) => lastValueFrom(run$.pipe(toArray()));

describe('withVirtualTime with tasks and flows', () => {
  it('should finish 5 retries an hour apart in milliseconds, with exact timestamps', async () => {
    const body = flaky(5, () => 'ok');
    const extract = task({ name: 'extract', retries: 5, retryDelaySeconds: 3600 }, body);
    const started = performance.now();
    const states = await withVirtualTime(() => statesOf(extract.run$()));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(states.map((s) => s.name)).toEqual([
      'Pending',
      'Running',
      ...Array.from({ length: 5 }, () => ['AwaitingRetry', 'Retrying']).flat(),
      'Completed',
    ]);
    const retrying = states.filter((s) => s.name === 'Retrying').map((s) => s.timestamp.getTime());
    expect(retrying).toEqual([1, 2, 3, 4, 5].map((k) => k * HOUR));
    for (const awaiting of states.filter((s) => s.name === 'AwaitingRetry')) {
      expect(awaiting.details?.scheduledTime?.getTime()).toBe(awaiting.timestamp.getTime() + HOUR);
    }
    expect(states.at(-1)?.timestamp.getTime()).toBe(5 * HOUR);
    expect(body.gaps).toEqual([HOUR, HOUR, HOUR, HOUR, HOUR]);
  });

  it('should call the function min(f, r) + 1 times, end Completed iff f <= r, and wait exactly the configured delays', async () => {
    await fc.assert(
      fc.asyncProperty(arbRetryPolicy({ jitter: 'never' }), arbFailureScript(), async (policy, script) => {
        const body = flaky(script, () => 'ok');
        const timeline = await withVirtualTime(() => collectTimeline(task(policy, body).run$()));
        const f = script.length;
        const r = policy.retries;
        expect(body.calls).toBe(Math.min(f, r) + 1);
        expect(timeline.at(-1)?.name).toBe(f <= r ? 'Completed' : 'Failed');
        const delays = expectedDelays(policy, body.calls - 1);
        expect(body.gaps).toEqual(delays);
        const starts = attemptTimes(timeline);
        expect(starts.slice(1).map((t, k) => t - starts[k]!)).toEqual(delays);
      }),
    );
  });

  it('should keep each jittered delay within delay × (1 ± factor)', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbRetryPolicy({ jitter: 'always' }),
        arbFailureScript({ minFailures: 1 }),
        fc.nat(),
        async (policy, script, seed) => {
          const body = flaky(script, () => 'ok');
          await withVirtualTime(() => task(policy, body)().catch(() => undefined), { seed });
          const bounds = delayBounds(policy, body.calls - 1);
          body.gaps.forEach((gap, k) => {
            expect(gap).toBeGreaterThanOrEqual(bounds[k]!.min);
            expect(gap).toBeLessThanOrEqual(bounds[k]!.max);
          });
        },
      ),
    );
  });

  it('should keep gaps within delayBounds at present-day times, even for extreme jitter draws', async () => {
    // Without `seed`, jitter draws from the enclosing clock's random source: pin it to an extreme.
    const drawing = (r: number) => {
      const frame = currentFrame();
      return { ...frame, clock: { ...frame.clock, random: () => r } };
    };
    const start = new Date('2025-06-01T00:00:00Z');
    for (const r of [0, 2 ** -32, 1 - 2 ** -32]) {
      for (const retryJitterFactor of [0.123456, 0.37, 0.999]) {
        const policy = { retries: 3, retryDelaySeconds: [7, 13, 1.5], retryJitterFactor };
        const body = flaky(3, () => 'ok');
        await runInFrame(drawing(r), () => withVirtualTime(() => task(policy, body)(), { start }));
        const bounds = delayBounds(policy);
        expect(body.gaps).toHaveLength(3);
        body.gaps.forEach((gap, k) => {
          expect({
            r,
            retryJitterFactor,
            k,
            gap,
            min: gap >= bounds[k]!.min,
            max: gap <= bounds[k]!.max,
          }).toEqual({ r, retryJitterFactor, k, gap, min: true, max: true });
        });
      }
    }
  });

  it('should stop at attempt k when retryConditionFn returns false there', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbRetryPolicy({ jitter: 'never' }),
        arbFailureScript(),
        fc.integer({ min: 1, max: 7 }),
        async (policy, script, k) => {
          const body = flaky(script, () => 'ok');
          const guarded = task({ ...policy, retryConditionFn: (_task, run) => run.runCount < k }, body);
          const timeline = await withVirtualTime(() => collectTimeline(guarded.run$()));
          const f = script.length;
          const attempts = Math.min(f + 1, policy.retries + 1, k);
          expect(body.calls).toBe(attempts);
          expect(timeline.at(-1)?.name).toBe(f < attempts ? 'Completed' : 'Failed');
        },
      ),
    );
  });

  it('should time out at exactly timeoutSeconds, aborting the function signal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3600 }),
        fc.integer({ min: 1, max: HOUR }),
        async (seconds, extraMs) => {
          let signal: AbortSignal | undefined;
          let sleepError: unknown;
          const slow = task({ name: 'slow', timeoutSeconds: seconds }, async () => {
            signal = getRunContext().signal;
            await sleep(seconds * 1000 + extraMs, signal).catch((error: unknown) => {
              sleepError = error;
              throw error;
            });
            return 'too late';
          });
          const states = await withVirtualTime(() => statesOf(slow.run$()));
          expect(states.map((s) => s.name)).toEqual(['Pending', 'Running', 'TimedOut']);
          expect(states[2]!.timestamp.getTime()).toBe(seconds * 1000);
          expect(signal?.aborted).toBe(true);
          expect(isTimeoutError(signal?.reason)).toBe(true);
          expect(sleepError).toBe(signal?.reason);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('should retry a timed-out attempt like any other failure', async () => {
    let attempt = 0;
    const sometimesSlow = task(
      { name: 'sometimes-slow', timeoutSeconds: 10, retries: 1, retryDelaySeconds: 5 },
      async () => {
        if (++attempt === 1) await sleep(60_000, getRunContext().signal);
        return attempt;
      },
    );
    const states = await withVirtualTime(() => statesOf(sometimesSlow.run$()));
    expect(states.map((s) => `${s.name}@${s.timestamp.getTime()}`)).toEqual([
      'Pending@0',
      'Running@0',
      'AwaitingRetry@10000',
      'Retrying@15000',
      'Completed@15000',
    ]);
    expect(states.at(-1)?.data).toBe(2);
  });

  it('should give the identical timeline twice for the same seed', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbRetryPolicy({ jitter: 'always' }),
        arbFailureScript(),
        fc.nat(),
        async (policy, script, seed) => {
          const once = () => {
            const body = flaky(script, () => 'ok');
            return withVirtualTime(
              () => collectTimeline(task(policy, body).run$()).then((t) => [t, body.callTimes]),
              { seed },
            );
          };
          expect(await once()).toEqual(await once());
        },
      ),
      { numRuns: 50 },
    );
  });

  it('should keep concurrent scopes apart: each gets the timeline it gets alone', async () => {
    const make = (delay: number) =>
      task(
        { taskRunName: `every-${delay}`, retries: 3, retryDelaySeconds: delay },
        flaky(3, () => 1),
      );
    const alone = [
      await withVirtualTime(() => collectTimeline(make(7).run$())),
      await withVirtualTime(() => collectTimeline(make(60).run$())),
    ];
    const together = await Promise.all([
      withVirtualTime(() => collectTimeline(make(7).run$())),
      withVirtualTime(() => collectTimeline(make(60).run$())),
    ]);
    expect(together).toEqual(alone);
  });

  it('should name the run a deadlocked function is waiting on', async () => {
    const stuck = task({ name: 'stuck', taskRunName: 'stuck-run' }, () => new Promise(() => {}));
    const error = await withVirtualTime(() => stuck()).catch((e: unknown) => e);
    expect(isDeadlockError(error)).toBe(true);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"withVirtualTime: deadlock — nothing is running and no timer is due; still waiting: task run 'stuck-run' (Running)"`,
    );
  });

  it('should run flow retries and subflows on virtual time', async () => {
    const step = task({ taskRunName: 'step' }, async () => sleep(30_000));
    const inner = flow({ name: 'inner', flowRunName: 'inner' }, async () => {
      await step();
      return 'inner done';
    });
    const outerBody = flaky(1, async () => inner());
    const outer = flow(
      { name: 'outer', flowRunName: 'outer', retries: 1, retryDelaySeconds: 600 },
      outerBody,
    );
    const timeline = await withVirtualTime(() => collectTimeline(outer.run$(), { children: true }));
    expect(timeline.map((e) => `${e.run}:${e.name}@${e.at}`)).toEqual([
      'outer:Pending@0',
      'outer:Running@0',
      'outer:AwaitingRetry@0',
      'outer:Retrying@600000',
      'inner:Pending@600000',
      'inner:Running@600000',
      'step:Pending@600000',
      'step:Running@600000',
      'step:Completed@630000',
      'inner:Completed@630000',
      'outer:Completed@630000',
    ]);
  });

  it('should time a flow out on virtual time', async () => {
    const slowStep = task({ taskRunName: 'slow-step' }, async () => sleep(HOUR, getRunContext().signal));
    const bounded = flow({ name: 'bounded', flowRunName: 'bounded', timeoutSeconds: 10 }, async () =>
      slowStep(),
    );
    const states = await withVirtualTime(() => statesOf(bounded.run$()));
    expect(states.map((s) => `${s.name}@${s.timestamp.getTime()}`)).toEqual([
      'Pending@0',
      'Running@0',
      'TimedOut@10000',
    ]);
  });
});
