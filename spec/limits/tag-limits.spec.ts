import { getRunContext, runStates$, setTagConcurrencyLimit, task, type State } from '../../lib/index.node';
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
