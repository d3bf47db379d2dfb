import '../../lib/internal/context-node';
import fc from 'fast-check';
import { defer, finalize, from, lastValueFrom, map, timer, toArray } from 'rxjs';
import { isTimeoutError } from '../../lib/errors/timeout-error';
import { CancelToken } from '../../lib/internal/cancel-token';
import { currentFrame, runInFrame } from '../../lib/internal/context';
import { setErrorReporter } from '../../lib/internal/report';
import type { RunScope } from '../../lib/internal/run-scope';
import {
  concurrency,
  createConcurrencyLimit,
  deleteConcurrencyLimit,
  getConcurrencyLimit,
  isConcurrencyLimitError,
  rateLimit,
} from '../../lib/limits/index';
import { concurrencyLimit } from '../../lib/operators/concurrency-limit';
import { rateLimit as rateLimitOperator } from '../../lib/operators/rate-limit';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';

const now = () => currentFrame().clock.scheduler.now();
const NAMES = ['names-a', 'names-b', 'names-c'] as const;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** Runs `fn` as if inside a run whose signal is `token`'s. */
function inRun<T>(token: CancelToken, fn: () => T): T {
  return runInFrame({ ...currentFrame(), run: { token } as unknown as RunScope }, fn);
}

const idle = (name: string) => expect(getConcurrencyLimit(name)).toMatchObject({ active: 0, waiting: 0 });

afterEach(() => {
  for (const name of NAMES) deleteConcurrencyLimit(name);
});

describe('concurrency with a list of names', () => {
  it('should hold a slot of every limit while fn runs and release them all, also on failure', async () => {
    const [a, b] = NAMES;
    await withVirtualTime(async () => {
      createConcurrencyLimit(a, { limit: 1 });
      createConcurrencyLimit(b, { limit: 2 });
      const seen: number[] = [];
      const result = await concurrency([b, a], () => {
        seen.push(getConcurrencyLimit(a)!.active, getConcurrencyLimit(b)!.active);
        return 'done';
      });
      expect(result).toBe('done');
      expect(seen).toEqual([1, 1]);
      idle(a);
      idle(b);
      await expect(concurrency([a, b], () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
      idle(a);
      idle(b);
    });
  });

  it('should not deadlock two callers asking for the same limits in opposite orders', async () => {
    const [a, b] = NAMES;
    const order = await withVirtualTime(async () => {
      createConcurrencyLimit(a, { limit: 1 });
      createConcurrencyLimit(b, { limit: 1 });
      const order: string[] = [];
      const job = (id: string, names: string[]) =>
        concurrency(names, async () => {
          order.push(`${id}@${now()}`);
          await sleep(100);
        });
      await Promise.all([job('ab', [a, b]), job('ba', [b, a]), job('b', [b]), job('ab2', [a, b])]);
      return order;
    });
    // Each limit serves its own queue in order: 'b' queued for names-b before 'ba' reached it.
    expect(order).toEqual(['ab@0', 'b@100', 'ba@200', 'ab2@300']);
    idle(a);
    idle(b);
  });

  it('should give back the slots it holds when the wait times out or the run is cancelled', async () => {
    const [a, b] = NAMES;
    await withVirtualTime(async () => {
      createConcurrencyLimit(a, { limit: 1 });
      createConcurrencyLimit(b, { limit: 1 });
      const holder = concurrency(b, () => sleep(1000));
      // Takes a at once, then waits for b.
      const timedOut = rejection(concurrency([a, b], () => 'never', { timeoutSeconds: 0.5 }));
      await sleep(10);
      expect(getConcurrencyLimit(a)!.active).toBe(1);
      const error = await timedOut;
      expect(isTimeoutError(error)).toBe(true);
      expect(error.message).toMatchInlineSnapshot(
        `"Waiting for concurrency limits 'names-a', 'names-b' timed out after 0.5 seconds"`,
      );
      expect(now()).toBe(500);
      idle(a);

      const token = new CancelToken();
      const cancelled = rejection(inRun(token, () => concurrency([a, b], () => 'never')));
      await sleep(10);
      token.abort(new Error('stop'));
      expect((await cancelled).message).toBe('stop');
      idle(a);
      await holder;
      idle(b);
    });
  });

  it('should reject unknown names when strict, else warn once and hold the known ones', async () => {
    const [a] = NAMES;
    createConcurrencyLimit(a, { limit: 1 });
    const reported: string[] = [];
    const restore = setErrorReporter((message) => reported.push(message));
    try {
      expect(await concurrency(['nope-2', a, 'nope-1'], () => getConcurrencyLimit(a)!.active)).toBe(1);
    } finally {
      restore();
    }
    expect(reported).toMatchInlineSnapshot(`
[
  "concurrency: there is no concurrency limit named 'nope-1', 'nope-2' (create it with createConcurrencyLimit); running without them",
]
`);
    const error = await rejection(concurrency([a, 'nope'], () => 1, { strict: true }));
    expect(isConcurrencyLimitError(error)).toBe(true);
    idle(a);
  });

  it('should check occupy against every limit and validate the names', async () => {
    const [a, b] = NAMES;
    createConcurrencyLimit(a, { limit: 3 });
    createConcurrencyLimit(b, { limit: 2 });
    expect((await rejection(concurrency([a, b], () => 1, { occupy: 3 }))).message).toMatchInlineSnapshot(
      `"Concurrency limit 'names-b': cannot occupy 3 slots, the limit is 2"`,
    );
    expect((await rejection(concurrency([a, ''], () => 1))).message).toMatchInlineSnapshot(
      `"concurrency: expected every limit name to be a non-empty string, got "`,
    );
    expect((await rejection(concurrency([a], () => 1, { occupy: 0 }))).message).toMatchInlineSnapshot(
      `"concurrency(['names-a']): expected occupy to be a positive integer, got 0"`,
    );
    expect(await concurrency([], () => 'no limits')).toBe('no limits');
    idle(a);
    idle(b);
  });

  it('should space rateLimit calls over several rate limits by the slowest', async () => {
    const [a, b] = NAMES;
    const times = await withVirtualTime(async () => {
      createConcurrencyLimit(a, { limit: 1, slotDecayPerSecond: 10 });
      createConcurrencyLimit(b, { limit: 1, slotDecayPerSecond: 2 });
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        await rateLimit([a, b]);
        times.push(now());
      }
      return times;
    });
    expect(times).toEqual([0, 500, 1000]);
    // Created again outside: its virtual clock ended with the call above.
    createConcurrencyLimit(a, { limit: 1, slotDecayPerSecond: 10 });
    createConcurrencyLimit(NAMES[2], { limit: 1 });
    expect((await rejection(rateLimit([a, NAMES[2]]))).message).toMatch(/'names-c' has no slot decay/);
  });
});

describe('operators with a list of names', () => {
  it('should share every named limit between concurrencyLimit and concurrency()', async () => {
    const [a, b] = NAMES;
    const { maxA, maxB, values } = await withVirtualTime(async () => {
      createConcurrencyLimit(a, { limit: 2 });
      createConcurrencyLimit(b, { limit: 3 });
      let maxA = 0;
      let maxB = 0;
      const track = () => {
        maxA = Math.max(maxA, getConcurrencyLimit(a)!.active);
        maxB = Math.max(maxB, getConcurrencyLimit(b)!.active);
      };
      const scheduler = currentFrame().clock.scheduler;
      const side = Promise.all(
        [0, 1, 2].map(() => concurrency(b, () => (track(), sleep(30)))), // b only
      );
      const values = await lastValueFrom(
        from([1, 2, 3, 4, 5]).pipe(
          concurrencyLimit(() => defer(() => (track(), timer(20, scheduler))).pipe(finalize(track)), [b, a]),
          toArray(),
        ),
      );
      await side;
      return { maxA, maxB, values };
    });
    expect(values).toHaveLength(5);
    expect(maxA).toBeLessThanOrEqual(2);
    expect(maxB).toBeLessThanOrEqual(3);
    idle(a);
    idle(b);
  });

  it('should pace rateLimit over a list of names and reject an unknown one', async () => {
    const [a, b] = NAMES;
    const times = await withVirtualTime(async () => {
      createConcurrencyLimit(a, { limit: 1, slotDecayPerSecond: 4 });
      createConcurrencyLimit(b, { limit: 2, slotDecayPerSecond: 1 });
      return lastValueFrom(
        from([1, 2, 3]).pipe(
          rateLimitOperator<number>([b, a]),
          map(() => now()),
          toArray(),
        ),
      );
    });
    // a alone allows one every 250 ms; b (a burst of 2, then 1 per second) holds the third back.
    expect(times).toEqual([0, 250, 1000]);
    expect(() => concurrencyLimit((x: number) => [x], [])).toThrow('expected at least one limit name');
    await expect(lastValueFrom(from([1]).pipe(concurrencyLimit((x) => [x], [a, 'nope'])))).rejects.toThrow(
      "no concurrency limit named 'nope'",
    );
  });
});

describe('concurrency with a list of names (properties)', () => {
  it('should never exceed any limit, end every caller, and release every slot', async () => {
    const arbJob = fc.record({
      names: fc
        .subarray([...NAMES], { minLength: 1 })
        .chain((names) => fc.shuffledSubarray(names, { minLength: names.length })),
      startMs: fc.integer({ min: 0, max: 50 }),
      durationMs: fc.integer({ min: 0, max: 100 }),
      occupy: fc.integer({ min: 1, max: 2 }),
      fails: fc.boolean(),
      timeoutSeconds: fc.option(fc.integer({ min: 0, max: 100 }).map((ms) => ms / 1000)),
      cancelAtMs: fc.option(fc.integer({ min: 0, max: 150 })),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
        ),
        fc.array(arbJob, { maxLength: 12 }),
        async (limits, jobs) => {
          const { maxLive, outcomes } = await withVirtualTime(async () => {
            NAMES.forEach((name, i) => createConcurrencyLimit(name, { limit: limits[i]! }));
            const live = [0, 0, 0];
            const maxLive = [0, 0, 0];
            const outcomes = await Promise.allSettled(
              jobs.map(async (job) => {
                await sleep(job.startMs);
                const token = new CancelToken();
                if (job.cancelAtMs !== null)
                  void sleep(job.cancelAtMs).then(() => token.abort(new Error('cancelled')));
                const held = job.names.map((n) => NAMES.indexOf(n as (typeof NAMES)[number]));
                return inRun(token, () =>
                  concurrency(
                    job.names,
                    async () => {
                      for (const i of held) maxLive[i] = Math.max(maxLive[i]!, (live[i]! += job.occupy));
                      await sleep(job.durationMs);
                      for (const i of held) live[i]! -= job.occupy;
                      if (job.fails) throw new Error('failed');
                      return 'done';
                    },
                    { occupy: job.occupy, timeoutSeconds: job.timeoutSeconds ?? undefined },
                  ),
                );
              }),
            );
            return { maxLive, outcomes };
          });
          maxLive.forEach((most, i) => expect(most).toBeLessThanOrEqual(limits[i]!));
          expect(outcomes).toHaveLength(jobs.length);
          jobs.forEach((job, i) => {
            const tooBig = job.names.some(
              (n) => job.occupy > limits[NAMES.indexOf(n as (typeof NAMES)[number])]!,
            );
            if (tooBig) expect(outcomes[i]!.status).toBe('rejected');
            if (!job.fails && job.timeoutSeconds === null && job.cancelAtMs === null && !tooBig)
              expect(outcomes[i]!.status).toBe('fulfilled');
          });
          for (const name of NAMES) idle(name);
        },
      ),
      { numRuns: 150 },
    );
  });
});
