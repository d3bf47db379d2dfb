import { of } from 'rxjs';
import {
  CancelledError,
  flow,
  getClient,
  getConcurrencyLimit,
  getRunContext,
  INPUTS,
  MemoryStorage,
  runStates$,
  setTagConcurrencyLimit,
  task,
  type State,
} from '../../lib/index.node';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';

describe('setTagConcurrencyLimit', () => {
  afterEach(() => setTagConcurrencyLimit('db', null));

  it('should run at most n task runs carrying the tag at once; the others wait AwaitingConcurrencySlot', async () => {
    setTagConcurrencyLimit('db', 2);
    let live = 0;
    let most = 0;
    const query = task({ name: 'query', tags: ['db'] }, async (n: number) => {
      live++;
      most = Math.max(most, live);
      await sleep(10_000, getRunContext().signal);
      live--;
      return n;
    });
    const names = new Map<string, string[]>();
    const sub = runStates$.subscribe(({ run, state }) =>
      names.set(run.id, [...(names.get(run.id) ?? []), state.name]),
    );
    try {
      const results = await withVirtualTime(() => Promise.all([1, 2, 3, 4, 5].map((n) => query(n))));
      expect(results).toEqual([1, 2, 3, 4, 5]);
      expect(most).toBe(2);
      const sequences = [...names.values()];
      expect(sequences.filter((s) => s.includes('AwaitingConcurrencySlot'))).toHaveLength(3);
      for (const s of sequences.filter((s) => s.includes('AwaitingConcurrencySlot'))) {
        expect(s).toEqual(['Pending', 'AwaitingConcurrencySlot', 'Running', 'Completed']);
      }
    } finally {
      sub.unsubscribe();
    }
  });

  it('should take 3 rounds of 10 virtual seconds for 5 runs under a limit of 2', async () => {
    setTagConcurrencyLimit('db', 2);
    const query = task({ tags: ['db'] }, async () => sleep(10_000));
    const timestamps: number[] = [];
    const sub = runStates$.subscribe(({ state }) => {
      if (state.name === 'Completed') timestamps.push(state.timestamp.getTime());
    });
    try {
      await withVirtualTime(() => Promise.all([1, 2, 3, 4, 5].map(() => query())), { start: new Date(0) });
      expect(timestamps).toEqual([10_000, 10_000, 20_000, 20_000, 30_000]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('should give the slot back when a run fails or is cancelled while waiting', async () => {
    setTagConcurrencyLimit('db', 1);
    const failing = task({ tags: ['db'] }, async () => {
      await sleep(1000);
      throw new Error('boom');
    });
    const ok = task({ tags: ['db'] }, async () => 'ok');
    await withVirtualTime(async () => {
      const first = failing().catch((e: Error) => e.message);
      // Waits behind `failing`; cancelled while waiting: it must leave the line.
      const waiting: State[] = [];
      const sub = ok.run$().subscribe((s) => waiting.push(s));
      await sleep(10);
      expect(waiting.map((s) => s.name)).toEqual(['Pending', 'AwaitingConcurrencySlot']);
      sub.unsubscribe();
      expect(waiting.map((s) => s.name)).toEqual(['Pending', 'AwaitingConcurrencySlot']);
      expect(await first).toBe('boom');
      // The failed run released its slot and the cancelled one left the line: this runs at once.
      expect(await ok()).toBe('ok');
    });
  });

  it('should not limit runs without the tag, and cost nothing when no tag limit exists', async () => {
    const free = task({ tags: ['other'] }, async (x: number) => x + 1);
    const states: string[] = [];
    await new Promise<void>((resolve) =>
      free.run$(1).subscribe({ next: (s) => states.push(s.name), complete: resolve }),
    );
    expect(states).toEqual(['Pending', 'Running', 'Completed']);
  });

  it('should reject a bad tag or limit at once', () => {
    expect(() => setTagConcurrencyLimit('', 1)).toThrow(/non-empty string/);
    expect(() => setTagConcurrencyLimit('db', -1)).toThrow(/non-negative integer/);
  });
});

describe('tag slots, however the run ends', () => {
  afterEach(() => setTagConcurrencyLimit('db', null));

  /** Runs `make()`'s task twice under a tag limit of 1: the second run must get the slot. */
  async function expectSlotFreedAfter(make: () => () => Promise<unknown>): Promise<void> {
    setTagConcurrencyLimit('db', 1);
    const run = make();
    await withVirtualTime(async () => {
      await run().catch(() => undefined);
      expect(getConcurrencyLimit('tag:db')).toMatchObject({ active: 0, waiting: 0 });
      const next = task({ name: 'next', tags: ['db'] }, async () => 'next');
      expect(await next()).toBe('next');
    });
    expect(getConcurrencyLimit('tag:db')).toMatchObject({ active: 0, waiting: 0 });
  }

  it('should give the slot back after a synchronous body', async () => {
    await expectSlotFreedAfter(() => task({ tags: ['db'] }, () => 'ok'));
  });

  it('should give the slot back after a synchronous throw', async () => {
    await expectSlotFreedAfter(() =>
      task({ tags: ['db'] }, (): string => {
        throw new Error('boom');
      }),
    );
  });

  it('should give the slot back after a thenable that settles synchronously', async () => {
    const thenable = { then: (resolve: (v: number) => void) => resolve(1) };
    await expectSlotFreedAfter(() => task({ tags: ['db'] }, () => thenable as unknown as Promise<number>));
  });

  it('should give the slot back after a body returning of(1)', async () => {
    await expectSlotFreedAfter(() => task({ tags: ['db'] }, () => of(1)));
  });

  it('should give the slot back after a synchronous body on a cache miss', async () => {
    const storage = new MemoryStorage();
    let calls = 0;
    await expectSlotFreedAfter(() => {
      const cached = task(
        { tags: ['db'], cachePolicy: INPUTS, resultStorage: storage },
        (n: number) => ++calls + n,
      );
      return () => cached(1);
    });
    expect(calls).toBe(1);
  });

  it('should publish a run’s final state before the next run waiting on its slot starts', async () => {
    setTagConcurrencyLimit('db', 1);
    const quick = task({ name: 'quick', tags: ['db'] }, (n: number) => n);
    const seen: string[] = [];
    const sub = runStates$.subscribe(({ run, state }) => {
      if (run.definitionName === 'quick') seen.push(`${String(run.parameters.n)} ${state.name}`);
    });
    try {
      const pipeline = flow({ name: 'in-order' }, async () => quick.map([1, 2]).result());
      expect(await withVirtualTime(() => pipeline())).toEqual([1, 2]);
    } finally {
      sub.unsubscribe();
    }
    const running = (n: number) => seen.indexOf(`${n} Running`);
    expect(seen.indexOf('1 Completed')).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf('1 Completed')).toBeLessThan(running(2));
  });

  it('should give the slot back after a synchronous body run through submit', async () => {
    setTagConcurrencyLimit('db', 1);
    const quick = task({ name: 'quick', tags: ['db'] }, (n: number) => n * 2);
    const pipeline = flow({ name: 'quick-flow' }, async () => quick.map([1, 2, 3]).result());
    expect(await withVirtualTime(() => pipeline())).toEqual([2, 4, 6]);
    expect(getConcurrencyLimit('tag:db')).toMatchObject({ active: 0, waiting: 0 });
  });

  it('should leave no waiter behind when a listener cancels the run at AwaitingConcurrencySlot', async () => {
    setTagConcurrencyLimit('db', 1);
    const slow = task({ name: 'slow', tags: ['db'] }, async () => sleep(1000));
    const waiting = task({ name: 'waiting', tags: ['db'] }, async () => 'ran');
    const cancelled: Promise<State>[] = [];
    const sub = runStates$.subscribe(({ run, state }) => {
      if (state.name === 'AwaitingConcurrencySlot') cancelled.push(getClient().cancelRun(run.id));
    });
    try {
      await withVirtualTime(async () => {
        const first = slow();
        const second = await waiting().catch((e: Error) => e);
        expect(second).toBeInstanceOf(CancelledError);
        expect((await Promise.all(cancelled)).map((s) => s.name)).toEqual(['Cancelled']);
        await first;
        sub.unsubscribe();
        expect(getConcurrencyLimit('tag:db')).toMatchObject({ active: 0, waiting: 0 });
        expect(await waiting()).toBe('ran');
      });
    } finally {
      sub.unsubscribe();
    }
    expect(getConcurrencyLimit('tag:db')).toMatchObject({ active: 0, waiting: 0 });
  });

  it('should let the waiting runs go, unlimited, when the limit is removed', async () => {
    setTagConcurrencyLimit('db', 0); // paused: every run waits
    let live = 0;
    let most = 0;
    const query = task({ name: 'query', tags: ['db'] }, async (n: number) => {
      most = Math.max(most, ++live);
      await sleep(10);
      live--;
      return n;
    });
    const seen: string[] = [];
    const sub = runStates$.subscribe(({ state }) => seen.push(state.name));
    try {
      const results = await withVirtualTime(async () => {
        const all = Promise.all([1, 2, 3].map((n) => query(n)));
        await sleep(100);
        expect(getConcurrencyLimit('tag:db')).toMatchObject({ active: 0, waiting: 3 });
        setTagConcurrencyLimit('db', null);
        return all;
      });
      expect(results).toEqual([1, 2, 3]);
      expect(most).toBe(3);
      expect(seen.filter((s) => s === 'AwaitingConcurrencySlot')).toHaveLength(3);
      expect(getConcurrencyLimit('tag:db')).toBeUndefined();
    } finally {
      sub.unsubscribe();
    }
  });

  it('should let a run waiting behind a holder go when the limit is removed, and not count it later', async () => {
    setTagConcurrencyLimit('db', 1);
    let slowDone = false;
    const slow = task({ name: 'slow', tags: ['db'] }, async () => {
      await sleep(1000);
      slowDone = true;
      return 'slow';
    });
    const quick = task({ name: 'quick', tags: ['db'] }, async () => (slowDone ? 'too late' : 'quick'));
    await withVirtualTime(async () => {
      const first = slow();
      const second = quick();
      await sleep(10);
      setTagConcurrencyLimit('db', null);
      expect(await second).toBe('quick'); // before slow ends
      setTagConcurrencyLimit('db', 1); // a new limit: the old holder does not count against it
      expect(await quick()).toBe('quick');
      expect(await first).toBe('slow');
    });
    expect(getConcurrencyLimit('tag:db')).toMatchObject({ active: 0, waiting: 0 });
  });
});
