import fc from 'fast-check';
import {
  DEFAULT,
  FLOW_PARAMETERS,
  flow,
  INPUTS,
  isResultReference,
  MemoryStorage,
  NO_CACHE,
  RUN_ID,
  TASK_SOURCE,
  task,
  taskInputHash,
  type ResultStorage,
  type State,
} from '../../lib/index.node';
import { locksFor } from '../../lib/cache/key-lock';
import {
  captureReports,
  collect,
  deferred,
  expectValidSequence,
  names,
  outcome,
  recordRunStates,
} from '../engine/support';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';

/** A storage whose reads and writes take `ms` of the current clock (virtual in withVirtualTime). */
class SlowStorage implements ResultStorage {
  readonly inner = new MemoryStorage();
  reads = 0;
  constructor(private readonly ms: number) {}
  async read(key: string) {
    this.reads++;
    await sleep(this.ms);
    return this.inner.read(key);
  }
  async write(key: string, data: Uint8Array) {
    await sleep(this.ms);
    return this.inner.write(key, data);
  }
  exists(key: string) {
    return this.inner.exists(key);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
}

describe('task caching', () => {
  it('should end a hit Pending → Cached without calling the function or onRunning, with onCompletion', async () => {
    const storage = new MemoryStorage();
    let calls = 0;
    const hooks: string[] = [];
    const square = task(
      {
        name: 'square',
        cachePolicy: INPUTS,
        resultStorage: storage,
        onRunning: [(_t, _r, s) => void hooks.push(`running ${s.name}`)],
        onCompletion: [(_t, _r, s) => void hooks.push(`completion ${s.name} ${String(s.data)}`)],
      },
      (n: number) => {
        calls++;
        return n * n;
      },
    );
    const first = await collect(square.run$(4));
    const second = await collect(square.run$(4));
    expect(names(first)).toEqual(['Pending', 'Running', 'Completed']);
    expect(names(second)).toEqual(['Pending', 'Cached']);
    expectValidSequence(second);
    const cached = second[1]!;
    expect(cached.type).toBe('COMPLETED');
    expect(cached.data).toBe(16);
    expect(cached.details?.cacheKey).toMatch(/^[0-9a-f]{64}$/);
    expect(cached.details?.cacheKey).toBe(first[2]!.details?.cacheKey);
    expect(cached.details?.cacheExpiration).toBeUndefined();
    expect(calls).toBe(1);
    expect(hooks).toEqual(['running Running', 'completion Completed 16', 'completion Cached 16']);
    expect(await square(4)).toBe(16);
    expect(await square(5)).toBe(25);
    expect(calls).toBe(2);
  });

  it('should expire entries on the engine clock, and recompute and overwrite with refreshCache', async () => {
    await withVirtualTime(async () => {
      const storage = new MemoryStorage();
      let calls = 0;
      const body = (city: string) => `${city}: ${++calls}`;
      const weather = task(
        { name: 'weather', cachePolicy: INPUTS, cacheExpiration: 60, resultStorage: storage },
        body,
      );
      const first = await collect(weather.run$('Oslo'));
      expect(first.at(-1)?.details?.cacheExpiration?.getTime()).toBe(60_000);
      await sleep(59_999);
      const hit = await collect(weather.run$('Oslo'));
      expect(names(hit)).toEqual(['Pending', 'Cached']);
      expect(hit[1]!.data).toBe('Oslo: 1');
      expect(hit[1]!.details?.cacheExpiration?.getTime()).toBe(60_000);
      await sleep(1);
      expect(names(await collect(weather.run$('Oslo')))).toEqual(['Pending', 'Running', 'Completed']);
      expect(await weather('Oslo')).toBe('Oslo: 2');

      const refreshed = weather.withOptions({ refreshCache: true });
      expect(await refreshed('Oslo')).toBe('Oslo: 3');
      expect(await weather('Oslo')).toBe('Oslo: 3');

      const hourly = weather.withOptions({ cacheExpiration: { hours: 1 } });
      const written = await collect(hourly.run$('Rome'));
      expect(written.at(-1)?.details?.cacheExpiration?.getTime()).toBe(60_000 + 3_600_000);
    });
  });

  it('should run the function once for concurrent runs with one key: the others wait, then are Cached', async () => {
    const storage = new MemoryStorage();
    const gate = deferred<number>();
    let calls = 0;
    const fetchUser = task(
      { name: 'fetch-user', cachePolicy: INPUTS, resultStorage: storage },
      async (id: number) => {
        calls++;
        return (await gate.promise) + id;
      },
    );
    const recorder = recordRunStates();
    try {
      const runs = [1, 2, 3, 4].map(() => fetchUser(7));
      const other = fetchUser(8);
      await Promise.resolve();
      expect(calls).toBe(2);
      gate.resolve(100);
      expect(await Promise.all(runs)).toEqual([107, 107, 107, 107]);
      expect(await other).toBe(108);
      const finals = recorder.runs().map((r) =>
        recorder
          .ofRun(r.id)
          .map((e) => e.state.name)
          .join(' → '),
      );
      expect(finals.sort()).toEqual([
        'Pending → Cached',
        'Pending → Cached',
        'Pending → Cached',
        'Pending → Running → Completed',
        'Pending → Running → Completed',
      ]);
      expect(locksFor(storage).size).toBe(0);
    } finally {
      recorder.stop();
    }
  });

  it('should let the next waiter compute when the first run fails', async () => {
    const storage = new MemoryStorage();
    let calls = 0;
    const flakyFetch = task(
      { name: 'flaky-fetch', cachePolicy: INPUTS, resultStorage: storage },
      async (id: number) => {
        await Promise.resolve();
        if (++calls === 1) throw new Error('first attempt fails');
        return id * 10;
      },
    );
    const results = await Promise.all([1, 2, 3].map(() => outcome(flakyFetch(5))));
    expect(results.map((r) => (r.ok ? r.value : (r.error as Error).message))).toEqual([
      'first attempt fails',
      50,
      50,
    ]);
    expect(calls).toBe(2);
  });

  it('should compute each key once, whatever the interleaving (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            key: fc.integer({ min: 0, max: 3 }),
            delay: fc.integer({ min: 0, max: 50 }),
            start: fc.integer({ min: 0, max: 50 }),
          }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        async (plan) => {
          const calls = new Map<number, number>();
          const storage = new MemoryStorage();
          const work = task(
            { name: 'work', cachePolicy: INPUTS, resultStorage: storage },
            async (key: number, delay: number) => {
              calls.set(key, (calls.get(key) ?? 0) + 1);
              await sleep(delay);
              return key;
            },
          );
          const keyed = work.withOptions({ cachePolicy: INPUTS.exclude('delay') });
          const values = await withVirtualTime(() =>
            Promise.all(
              plan.map(async ({ key, delay, start }) => {
                await sleep(start);
                return keyed(key, delay);
              }),
            ),
          );
          expect(values).toEqual(plan.map((p) => p.key));
          for (const count of calls.values()) expect(count).toBe(1);
          expect(locksFor(storage).size).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('should keep a run Pending during an asynchronous lookup, and cancel it there releasing the lock', async () => {
    await withVirtualTime(async () => {
      const storage = new SlowStorage(1_000);
      let calls = 0;
      const slow = task({ name: 'slow', cachePolicy: INPUTS, resultStorage: storage }, (n: number) => {
        calls++;
        return n + 1;
      });
      const first = await collect(slow.run$(1));
      expect(names(first)).toEqual(['Pending', 'Running', 'Completed']);
      expect(first.at(-1)!.timestamp.getTime()).toBe(2_000); // a read, then a write, of 1 s each
      const hit = await collect(slow.run$(1));
      expect(names(hit)).toEqual(['Pending', 'Cached']);
      expect(hit[1]!.timestamp.getTime() - hit[0]!.timestamp.getTime()).toBe(1_000);

      const seen: State[] = [];
      const subscription = slow.run$(2).subscribe((s) => seen.push(s));
      await sleep(500);
      subscription.unsubscribe();
      expect(names(seen)).toEqual(['Pending']);
      expect(locksFor(storage).size).toBe(0);
      await sleep(1_000);
      expect(await slow(2)).toBe(3);
      expect(calls).toBe(2);
    });
  });

  it('should let a cancelled waiter go, and the next waiter compute when the holder is cancelled', async () => {
    const storage = new MemoryStorage();
    const release = deferred();
    let calls = 0;
    const job = task({ name: 'job', cachePolicy: INPUTS, resultStorage: storage }, async (n: number) => {
      calls++;
      await release.promise;
      return n;
    });
    const recorder = recordRunStates();
    try {
      const holding = job.run$(1).subscribe();
      const waiting = job.run$(1).subscribe();
      const next = collect(job.run$(1));
      const [holder, waiter] = recorder.runs();
      waiting.unsubscribe();
      expect(recorder.ofRun(waiter!.id).map((e) => e.state.name)).toEqual(['Pending', 'Cancelled']);
      holding.unsubscribe();
      expect(recorder.ofRun(holder!.id).map((e) => e.state.name)).toEqual([
        'Pending',
        'Running',
        'Cancelled',
      ]);
      release.resolve();
      expect(names(await next)).toEqual(['Pending', 'Running', 'Completed']);
    } finally {
      recorder.stop();
    }
    expect(calls).toBe(2);
    expect(locksFor(storage).size).toBe(0);
  });

  it('should key RUN_ID by flow run, FLOW_PARAMETERS by the flow parameters, TASK_SOURCE by the code', async () => {
    const storage = new MemoryStorage();
    const calls: string[] = [];
    const perRun = task({ name: 'per-run', cachePolicy: RUN_ID, resultStorage: storage }, (x: number) => {
      calls.push(`run ${x}`);
      return x;
    });
    const perParams = task(
      { name: 'per-params', cachePolicy: FLOW_PARAMETERS, resultStorage: storage },
      () => {
        calls.push('params');
        return 1;
      },
    );
    const perSource = task(
      { name: 'per-source', cachePolicy: TASK_SOURCE, resultStorage: storage },
      (x: number) => {
        calls.push(`source ${x}`);
        return x;
      },
    );
    const etl = flow({ name: 'etl' }, async (day: string) => {
      const values = [
        await perRun(1),
        await perRun(2),
        await perParams(),
        await perParams(),
        await perSource(1),
        await perSource(2),
      ];
      return `${day}: ${values.join(',')}`;
    });
    expect(await etl('mon')).toBe('mon: 1,1,1,1,1,1');
    expect(await etl('mon')).toBe('mon: 1,1,1,1,1,1');
    expect(await etl('tue')).toBe('tue: 1,1,1,1,1,1');
    expect(calls).toEqual(['run 1', 'params', 'source 1', 'run 1', 'run 1', 'params']);
  });

  it('should cache per task: two tasks with equal inputs never share an entry', async () => {
    const storage = new MemoryStorage();
    const a = task({ name: 'a', cachePolicy: INPUTS, resultStorage: storage }, (x: number) => `a${x}`);
    const b = task({ name: 'b', cachePolicy: INPUTS, resultStorage: storage }, (x: number) => `a${x}`);
    const c = task({ name: 'a', cachePolicy: INPUTS, resultStorage: storage }, (x: number) => `c${x}`);
    expect([await a(1), await b(1), await c(1), await a(1)]).toEqual(['a1', 'a1', 'c1', 'a1']);
    expect(storage.size).toBe(3);
  });

  it('should not cache by INPUTS a task without parameters (as in Prefect), but with DEFAULT inside a flow run', async () => {
    const storage = new MemoryStorage();
    let calls = 0;
    const tick = task({ name: 'tick', cachePolicy: INPUTS, resultStorage: storage }, () => ++calls);
    expect([await tick(), await tick()]).toEqual([1, 2]);
    const once = tick.withOptions({ cachePolicy: DEFAULT });
    const twice = flow({ name: 'twice' }, async () => [await once(), await once()]);
    expect(await twice()).toEqual([3, 3]);
  });

  it('should leave excluded inputs out of the key', async () => {
    const storage = new MemoryStorage();
    let calls = 0;
    const load = task(
      { name: 'load', cachePolicy: INPUTS.exclude('verbose'), resultStorage: storage },
      (table: string, verbose: boolean) => `${table} ${++calls} ${verbose}`,
    );
    expect(await load('users', false)).toBe('users 1 false');
    expect(await load('users', true)).toBe('users 1 false');
    expect(await load('orders', true)).toBe('orders 2 true');
  });

  it('should use cacheKeyFn (null: no caching), taskInputHash, and report a key that cannot be computed', async () => {
    const storage = new MemoryStorage();
    const reports = captureReports();
    try {
      let calls = 0;
      const byDay = task(
        {
          name: 'by-day',
          resultStorage: storage,
          cacheKeyFn: (context, { day }) => (day === 'skip' ? null : `${context.task.name}:${String(day)}`),
        },
        (day: string) => `${day} ${++calls}`,
      );
      const states = await collect(byDay.run$('mon'));
      expect(states.at(-1)?.details?.cacheKey).toBe('by-day:mon');
      expect(await byDay('mon')).toBe('mon 1');
      expect([await byDay('skip'), await byDay('skip')]).toEqual(['skip 2', 'skip 3']);
      // Runs without a key are not stored (nothing could find them) unless persistResult says so.
      expect(storage.size).toBe(1);
      await byDay.withOptions({ persistResult: true })('skip');
      expect(storage.size).toBe(2);

      const hashed = task(
        { name: 'hashed', cacheKeyFn: taskInputHash, resultStorage: storage },
        (_o: object) => ++calls,
      );
      expect(await hashed({ a: 1, b: 2 })).toBe(await hashed({ b: 2, a: 1 }));

      const broken = task(
        { name: 'broken', cachePolicy: INPUTS, resultStorage: storage },
        (_cb: () => void) => ++calls,
      );
      const ran = await collect(broken.run$(() => undefined));
      expect(names(ran)).toEqual(['Pending', 'Running', 'Completed']);
      const throwing = task(
        {
          name: 'throwing',
          resultStorage: storage,
          cacheKeyFn: () => {
            throw new Error('no key today');
          },
        },
        () => 'ran',
      );
      expect(await throwing()).toBe('ran');
      expect(reports.reports.map((r) => r.message.replace(/run '[\w-]+'/, "run '…'"))).toMatchInlineSnapshot(`
       [
         "task 'broken' (run '…'): Cannot compute the cache key of task 'broken': parameter '_cb' holds a function (functions cannot be hashed). Exclude it with INPUTS.exclude('_cb'), give the task a cacheKeyFn, or use cachePolicy NO_CACHE. The run goes on without the cache.",
         "task 'throwing' (run '…'): Cannot compute the cache key of task 'throwing': its cacheKeyFn threw: no key today. The run goes on without the cache.",
       ]
      `);
    } finally {
      reports.restore();
    }
  });

  it('should store under a resultStorageKey, which is also the cache key', async () => {
    const storage = new MemoryStorage();
    let calls = 0;
    const sum = task(
      { name: 'sum', resultStorageKey: 'sum-{a}-{b}.json', resultStorage: storage },
      (a: number, b: number) => {
        calls++;
        return a + b;
      },
    );
    const states = await collect(sum.run$(1, 2));
    expect(states.at(-1)?.details?.cacheKey).toBe('sum-1-2.json');
    expect(await storage.exists('sum-1-2.json')).toBe(true);
    expect(names(await collect(sum.run$(1, 2)))).toEqual(['Pending', 'Cached']);
    expect(calls).toBe(1);
  });

  it('should turn caching off with persistResult: false, and store without caching with NO_CACHE + a storage key', async () => {
    const storage = new MemoryStorage();
    let calls = 0;
    const off = task(
      { name: 'off', cachePolicy: INPUTS, persistResult: false, resultStorage: storage },
      () => ++calls,
    );
    await off();
    await off();
    expect(calls).toBe(2);
    expect(storage.size).toBe(0);
    const stored = task(
      { name: 'stored', cachePolicy: NO_CACHE, resultStorageKey: 'out-{n}', resultStorage: storage },
      (n: number) => ++calls * n,
    );
    const states = await collect(stored.run$(2));
    expect(names(states)).toEqual(['Pending', 'Running', 'Completed']);
    expect(states.at(-1)?.details).toBeUndefined();
    expect(await stored(2)).toBe(8);
    expect(await storage.exists('out-2')).toBe(true);
    expect(storage.size).toBe(1);
  });

  it('should hand out a reference with cacheResultInMemory: false, loaded by calls, futures and downstream tasks', async () => {
    const storage = new MemoryStorage();
    let calls = 0;
    const big = task(
      { name: 'big', cachePolicy: INPUTS, cacheResultInMemory: false, resultStorage: storage },
      (n: number) => {
        calls++;
        return { rows: Array.from({ length: n }, (_, i) => i) };
      },
    );
    const count = task({ name: 'count' }, (data: { rows: number[] }) => data.rows.length);
    const states = await collect(big.run$(3));
    const completed = states.at(-1)!;
    expect(isResultReference(completed.data)).toBe(true);
    if (!isResultReference(completed.data)) throw new Error('expected a reference');
    expect(completed.data.storageKey).toBe(completed.details?.cacheKey);
    expect(await completed.data.load()).toEqual({ rows: [0, 1, 2] });
    expect(await big(3)).toEqual({ rows: [0, 1, 2] });
    const pipeline = flow({ name: 'pipeline' }, async () => {
      const future = big.submit(4);
      const counted = count.submit(future);
      const list = big.map([3, 4]);
      return [await future.result(), await counted.result(), await list.result()];
    });
    expect(await pipeline()).toEqual([
      { rows: [0, 1, 2, 3] },
      4,
      [{ rows: [0, 1, 2] }, { rows: [0, 1, 2, 3] }],
    ]);
    expect(calls).toBe(2);
  });

  it("should give the tasks in a flow the flow's resultStorage, through subflows, and persist the flow's result", async () => {
    const shared = new MemoryStorage();
    const own = new MemoryStorage();
    const inner = task({ name: 'inner', cachePolicy: INPUTS }, (x: number) => x * 2);
    const pinned = task({ name: 'pinned', cachePolicy: INPUTS, resultStorage: own }, (x: number) => x * 3);
    const child = flow({ name: 'child' }, async (x: number) => inner(x + 1));
    const parent = flow({ name: 'parent', resultStorage: shared }, async (x: number) => [
      await inner(x),
      await pinned(x),
      await child(x),
    ]);
    const states = await collect(parent.run$(1));
    expect(states.at(-1)?.data).toEqual([2, 3, 4]);
    // inner(1), inner(2) via the subflow, and the parent's own result under its run id.
    expect(shared.size).toBe(3);
    expect(own.size).toBe(1);
    expect(states.at(-1)?.details).toBeUndefined();
  });

  it("should store a flow's result under its run id, as a reference with cacheResultInMemory: false", async () => {
    const storage = new MemoryStorage();
    const summary = flow(
      { name: 'summary', persistResult: true, cacheResultInMemory: false, resultStorage: storage },
      async (n: number) => ({ total: n * 2 }),
    );
    const states = await collect(summary.run$(4));
    const data = states.at(-1)!.data;
    expect(isResultReference(data)).toBe(true);
    const runId = (data as unknown as { storageKey: string }).storageKey;
    expect(await storage.exists(runId)).toBe(true);
    expect(await summary(5)).toEqual({ total: 10 });
    expect(storage.size).toBe(2);
  });

  it('should let the first of several submitted runs compute and the others hit, after their upstreams', async () => {
    const storage = new MemoryStorage();
    let calls = 0;
    const base = task({ name: 'base' }, async (x: number) => x);
    const heavy = task({ name: 'heavy', cachePolicy: INPUTS, resultStorage: storage }, async (x: number) => {
      calls++;
      await Promise.resolve();
      return x * 100;
    });
    const fan = flow({ name: 'fan' }, async () => {
      const up = base.submit(2);
      const futures = [1, 2, 3].map(() => heavy.submit(up));
      return Promise.all(futures.map((f) => f.wait()));
    });
    const finals = await fan();
    expect(finals.map((s) => `${s.name} ${String(s.data)}`)).toEqual([
      'Completed 200',
      'Cached 200',
      'Cached 200',
    ]);
    expect(calls).toBe(1);
  });
});
