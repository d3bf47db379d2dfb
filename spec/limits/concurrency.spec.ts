import '../../lib/internal/context-node';
import { isCancelledError } from '../../lib/errors/cancelled-error';
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
import { task } from '../../lib/task/task';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';

const now = () => currentFrame().clock.scheduler.now();

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

let name = 0;
const fresh = () => `limit-${++name}`;

afterEach(() => {
  for (let i = 1; i <= name; i++) deleteConcurrencyLimit(`limit-${i}`);
  deleteConcurrencyLimit('pool');
});

describe('concurrency', () => {
  it('should hold slots while fn runs, serve waiters in order, and return results', async () => {
    const db = fresh();
    const { starts, results } = await withVirtualTime(async () => {
      createConcurrencyLimit(db, { limit: 2 });
      const starts: string[] = [];
      const job = (id: string, ms: number) =>
        concurrency(db, async () => {
          starts.push(`${id}@${now()}`);
          await sleep(ms);
          return id;
        });
      const results = await Promise.all([job('a', 100), job('b', 300), job('c', 100), job('d', 100)]);
      return { starts, results };
    });
    expect(starts).toEqual(['a@0', 'b@0', 'c@100', 'd@200']);
    expect(results).toEqual(['a', 'b', 'c', 'd']);
    expect(getConcurrencyLimit(db)).toMatchObject({ active: 0, waiting: 0 });
  });

  it('should run a synchronous fn and release its slots when it throws', async () => {
    const db = fresh();
    createConcurrencyLimit(db, { limit: 1 });
    expect(await concurrency(db, () => 42)).toBe(42);
    const error = await rejection(
      concurrency(db, () => {
        throw new Error('boom');
      }),
    );
    expect(error.message).toBe('boom');
    expect(await concurrency(db, async () => 'again')).toBe('again');
    expect(getConcurrencyLimit(db)).toMatchObject({ active: 0, waiting: 0 });
  });

  it('should occupy several slots', async () => {
    const db = fresh();
    const starts = await withVirtualTime(async () => {
      createConcurrencyLimit(db, { limit: 3 });
      const starts: number[] = [];
      const job = (occupy: number) =>
        concurrency(
          db,
          async () => {
            starts.push(now());
            await sleep(10);
          },
          { occupy },
        );
      await Promise.all([job(2), job(2), job(1)]);
      return starts;
    });
    // FIFO: the 1-slot job waits behind the second 2-slot job.
    expect(starts).toEqual([0, 10, 10]);
  });

  it('should bound only the wait with timeoutSeconds, then reject with a TimeoutError', async () => {
    const db = 'pool';
    const error = await withVirtualTime(async () => {
      createConcurrencyLimit(db, { limit: 1 });
      const holder = concurrency(db, () => sleep(5000));
      const error = await rejection(concurrency(db, () => 'never', { timeoutSeconds: 1 }));
      expect(now()).toBe(1000);
      expect(getConcurrencyLimit(db)).toMatchObject({ active: 1, waiting: 0 });
      await holder;
      // A wait that gets its slot in time is not bounded afterwards.
      expect(await concurrency(db, () => sleep(3000).then(() => 'slow'), { timeoutSeconds: 1 })).toBe('slow');
      return error;
    });
    expect(isTimeoutError(error)).toBe(true);
    expect(error.message).toMatchInlineSnapshot(
      `"Waiting for concurrency limit 'pool' timed out after 1 second"`,
    );
    expect(getConcurrencyLimit(db)).toMatchObject({ active: 0, waiting: 0 });
  });

  it('should not wait with timeoutSeconds 0', async () => {
    const db = fresh();
    createConcurrencyLimit(db, { limit: 1 });
    let release!: () => void;
    const holder = concurrency(db, () => new Promise<void>((r) => (release = r)));
    expect(isTimeoutError(await rejection(concurrency(db, () => 1, { timeoutSeconds: 0 })))).toBe(true);
    release();
    await holder;
  });

  it("should stop waiting when the run's signal aborts", async () => {
    const db = fresh();
    createConcurrencyLimit(db, { limit: 1 });
    let release!: () => void;
    const holder = concurrency(db, () => new Promise<void>((r) => (release = r)));
    const token = new CancelToken();
    const waiting = inRun(token, () => concurrency(db, () => 'never'));
    expect(getConcurrencyLimit(db)?.waiting).toBe(1);
    const reason = new Error('cancelled');
    token.abort(reason);
    expect(await rejection(waiting)).toBe(reason);
    expect(getConcurrencyLimit(db)).toMatchObject({ active: 1, waiting: 0 });
    // Already aborted: rejects without queueing.
    expect(await rejection(inRun(token, () => concurrency(db, () => 'never')))).toBe(reason);
    release();
    await holder;
    expect(getConcurrencyLimit(db)).toMatchObject({ active: 0, waiting: 0 });
  });

  it('should stop waiting when the task run waiting for slots times out', async () => {
    const db = fresh();
    const error = await withVirtualTime(async () => {
      createConcurrencyLimit(db, { limit: 1 });
      const holder = concurrency(db, () => sleep(10_000));
      const query = task({ name: 'query', timeoutSeconds: 2 }, () => concurrency(db, () => 'rows'));
      const error = await rejection(query());
      expect(getConcurrencyLimit(db)).toMatchObject({ active: 1, waiting: 0 });
      await holder;
      return error;
    });
    expect(isTimeoutError(error) || isCancelledError(error)).toBe(true);
  });

  it('should reject occupy above the limit', async () => {
    const db = 'pool';
    createConcurrencyLimit(db, { limit: 2 });
    const error = await rejection(concurrency(db, () => 1, { occupy: 3 }));
    expect(isConcurrencyLimitError(error)).toBe(true);
    expect(error.message).toMatchInlineSnapshot(
      `"Concurrency limit 'pool': cannot occupy 3 slots, the limit is 2"`,
    );
  });

  it('should run fn unlimited with a reported warning for an unknown name, or reject when strict', async () => {
    const reported: string[] = [];
    const restore = setErrorReporter((message) => reported.push(message));
    try {
      expect(await concurrency('no-such-limit', () => 7)).toBe(7);
    } finally {
      restore();
    }
    expect(reported).toMatchInlineSnapshot(`
[
  "concurrency: there is no concurrency limit named 'no-such-limit' (create it with createConcurrencyLimit); running without a limit",
]
`);
    const error = await rejection(concurrency('no-such-limit', () => 7, { strict: true }));
    expect(isConcurrencyLimitError(error)).toBe(true);
  });

  it('should reject bad options with messages naming them', async () => {
    expect((await rejection(concurrency('x', () => 1, { occupy: 0 }))).message).toMatchInlineSnapshot(
      `"concurrency('x'): expected occupy to be a positive integer, got 0"`,
    );
    expect(
      (await rejection(concurrency('x', () => 1, { timeoutSeconds: -1 }))).message,
    ).toMatchInlineSnapshot(
      `"concurrency('x'): expected timeoutSeconds to be a non-negative finite number, got -1"`,
    );
    expect(() => createConcurrencyLimit('x', { limit: 1.5 })).toThrowErrorMatchingInlineSnapshot(
      `"createConcurrencyLimit('x'): expected limit to be a non-negative integer, got 1.5"`,
    );
    expect(() => createConcurrencyLimit('', { limit: 1 })).toThrow(/non-empty string/);
  });
});

describe('createConcurrencyLimit', () => {
  it('should update an existing limit: raising it lets waiters in, shrinking it rejects those that cannot fit', async () => {
    const db = fresh();
    createConcurrencyLimit(db, { limit: 0 }); // paused
    const started: number[] = [];
    const one = concurrency(db, () => started.push(1));
    const three = concurrency(db, () => started.push(3), { occupy: 3 });
    await Promise.resolve();
    expect(started).toEqual([]);
    expect(getConcurrencyLimit(db)).toMatchObject({ limit: 0, waiting: 2 });
    createConcurrencyLimit(db, { limit: 2 });
    await one;
    expect(isConcurrencyLimitError(await rejection(three))).toBe(true);
    expect(started).toEqual([1]);
    expect(getConcurrencyLimit(db)).toMatchObject({ limit: 2, active: 0, waiting: 0 });
  });
});

describe('deleteConcurrencyLimit', () => {
  it('should let callers waiting for the limit go on at once, without it', async () => {
    const db = fresh();
    createConcurrencyLimit(db, { limit: 0 }); // paused
    const started: number[] = [];
    const waiting = [1, 2, 3].map((n) => concurrency(db, () => started.push(n)));
    await Promise.resolve();
    expect(getConcurrencyLimit(db)).toMatchObject({ waiting: 3 });
    expect(deleteConcurrencyLimit(db)).toBe(true);
    await Promise.all(waiting);
    expect(started).toEqual([1, 2, 3]);
    expect(getConcurrencyLimit(db)).toBeUndefined();
    expect(deleteConcurrencyLimit(db)).toBe(false);
  });
});

describe('concurrency on a decaying limit', () => {
  it('should give back on release only what has not decayed yet', async () => {
    const api = fresh();
    const times = await withVirtualTime(async () => {
      createConcurrencyLimit(api, { limit: 2, slotDecayPerSecond: 1 });
      const times: number[] = [];
      // Holds 1 slot for 2 s: by then it has fully decayed, so its release gives nothing back.
      const holder = concurrency(api, () => sleep(2000));
      await sleep(1900);
      await rateLimit(api); // the holder's slot has drained: 1 of 2 taken now
      times.push(now());
      await holder; // t = 2000, 0.9 of the rate call's slot is left
      for (let i = 0; i < 2; i++) {
        await rateLimit(api);
        times.push(now());
      }
      return times;
    });
    // Three calls within 0.1 s would exceed limit + rate × window = 2.1.
    expect(times).toEqual([1900, 2000, 2900]);
  });

  it('should give back the part not yet drained of a short hold', async () => {
    const api = fresh();
    const active = await withVirtualTime(async () => {
      createConcurrencyLimit(api, { limit: 4, slotDecayPerSecond: 1 });
      await concurrency(api, () => sleep(500), { occupy: 2 });
      return getConcurrencyLimit(api)!.active;
    });
    expect(active).toBeCloseTo(0, 9);
  });
});

describe('a limit created under withVirtualTime', () => {
  it('should refuse to wait on it after the virtual clock has ended, naming the limit', async () => {
    const api = fresh();
    await withVirtualTime(async () => {
      createConcurrencyLimit(api, { limit: 1, slotDecayPerSecond: 1 });
      await rateLimit(api);
    });
    // (Without the check this would wait forever; the real-clock timeout keeps the spec short.)
    const error = await rejection(rateLimit(api, { timeoutSeconds: 0.1 }));
    expect(isConcurrencyLimitError(error)).toBe(true);
    expect(error.message).toContain(`'${api}'`);
    expect(error.message).toMatch(/withVirtualTime/);
    expect(isConcurrencyLimitError(await rejection(concurrency(api, () => 1)))).toBe(true);
    // Created again (or updated) outside, it works on the real clock.
    createConcurrencyLimit(api, { limit: 1, slotDecayPerSecond: 1000 });
    await rateLimit(api);
    await rateLimit(api);
  });

  it('should keep working after it when it has no decay (no timer runs on its clock)', async () => {
    const db = fresh();
    await withVirtualTime(async () => {
      createConcurrencyLimit(db, { limit: 1 });
      await concurrency(db, () => sleep(10));
    });
    expect(await concurrency(db, () => 'ok')).toBe('ok');
  });
});

describe('rateLimit', () => {
  it('should space calls by slot decay, after a burst of up to the limit', async () => {
    const api = fresh();
    const times = await withVirtualTime(async () => {
      createConcurrencyLimit(api, { limit: 2, slotDecayPerSecond: 1 });
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        await rateLimit(api);
        times.push(now());
      }
      return times;
    });
    expect(times).toEqual([0, 0, 1000, 2000, 3000]);
  });

  it('should take occupy slots per call and time out while waiting', async () => {
    const api = fresh();
    const outcome = await withVirtualTime(async () => {
      createConcurrencyLimit(api, { limit: 4, slotDecayPerSecond: 2 });
      await rateLimit(api, { occupy: 4 });
      const error = await rejection(rateLimit(api, { occupy: 2, timeoutSeconds: 0.5 }));
      const at = now();
      await rateLimit(api, { occupy: 2 });
      return { error, at, then: now() };
    });
    expect(isTimeoutError(outcome.error)).toBe(true);
    expect(outcome.at).toBe(500);
    expect(outcome.then).toBe(1000);
  });

  it('should refuse a limit without decay, and follow strict for unknown names', async () => {
    const db = fresh();
    createConcurrencyLimit(db, { limit: 1 });
    const error = await rejection(rateLimit(db));
    expect(isConcurrencyLimitError(error)).toBe(true);
    expect(error.message).toMatch(/has no slot decay/);
    expect(isConcurrencyLimitError(await rejection(rateLimit('no-such-limit', { strict: true })))).toBe(true);
  });
});
