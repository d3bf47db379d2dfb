import {
  flow,
  isResultRecordError,
  isResultReference,
  isUpstreamTaskError,
  MemoryStorage,
  runStates$,
  task,
  unmapped,
  type RunInfo,
  type TaskRunFutureList,
} from '../../lib/index.node';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const range = task({ name: 'range' }, async (n: number) => {
  await sleep(10);
  return Array.from({ length: n }, (_, i) => i + 1);
});
const scale = task({ name: 'scale' }, async (x: number, factor: number) => {
  await sleep(10 * (4 - x)); // later inputs finish first
  return x * factor;
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('task.map over a future', () => {
  it('should wait for the upstream, then map its result in order and record it as an upstream', async () => {
    const infos: RunInfo[] = [];
    const sub = runStates$.subscribe(({ run, state }) => {
      if (state.name === 'Completed' && run.definitionName === 'scale') infos.push(run);
    });
    try {
      const f = flow({ name: 'mapped' }, async () => {
        const numbers = range.submit(3);
        const pending = scale.map(numbers, unmapped(10));
        const futures = await pending;
        return { ids: [numbers.id], futures, values: await futures.result() };
      });
      const { ids, futures, values } = await withVirtualTime(() => f());
      expect(values).toEqual([10, 20, 30]);
      expect(futures).toHaveLength(3);
      expect(infos).toHaveLength(3);
      expect(infos.every((i) => i.upstreamRunIds?.includes(ids[0]!))).toBe(true);
    } finally {
      sub.unsubscribe();
    }
  });

  it('should zip a future with plain iterables, and reject unequal lengths before any run starts', async () => {
    let calls = 0;
    const add = task({ name: 'add' }, (x: number, y: number) => {
      calls++;
      return x + y;
    });
    await withVirtualTime(async () => {
      const list = await add.map(range.submit(2), [100, 200]);
      expect(await list.result()).toEqual([101, 202]);
      calls = 0;
      const error = await rejection(add.map(range.submit(3), [1, 2]));
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toMatchInlineSnapshot(
        `"add.map: the iterables have different lengths: argument 0 has 3 items, argument 1 has 2"`,
      );
      expect(calls).toBe(0);
    });
  });

  it('should reject when the result is not iterable, or the upstream did not complete, with no run started', async () => {
    let calls = 0;
    const inc = task({ name: 'inc' }, (x: number) => {
      calls++;
      return x + 1;
    });
    const count = task({ name: 'count' }, () => 42 as unknown as number[]);
    const broken = task({ name: 'broken' }, async (): Promise<number[]> => {
      await sleep(5);
      throw new Error('source offline');
    });
    await withVirtualTime(async () => {
      const notIterable = await rejection(inc.map(count.submit()));
      expect(notIterable).toBeInstanceOf(TypeError);
      expect(notIterable.message).toMatchInlineSnapshot(
        `"inc.map: argument 0 is a future whose result is not iterable (got 42)"`,
      );
      const upstream = broken.submit();
      const failed = await rejection(inc.map(upstream));
      expect(isUpstreamTaskError(failed)).toBe(true);
      expect((failed as unknown as { upstreamRunId: string }).upstreamRunId).toBe(upstream.id);
      expect((failed.cause as Error).message).toBe('source offline');
      expect(calls).toBe(0);
    });
  });

  it('should make the flow wait for a map over a future it did not await', async () => {
    const done: number[] = [];
    const record = task({ name: 'record' }, async (x: number) => {
      await sleep(50);
      done.push(x);
    });
    const f = flow({ name: 'fire-and-forget' }, () => {
      void record.map(range.submit(3));
      return 'returned';
    });
    await withVirtualTime(async () => {
      expect(await f()).toBe('returned');
      expect(done.sort()).toEqual([1, 2, 3]);
    });
  });

  it("should load an upstream's stored result (cacheResultInMemory: false), as submit does", async () => {
    const storage = new MemoryStorage();
    const stored = task(
      { name: 'stored-range', persistResult: true, cacheResultInMemory: false, resultStorage: storage },
      async (n: number) => Array.from({ length: n }, (_, i) => i + 1),
    );
    const pipeline = flow({ name: 'map-stored' }, async () => {
      const numbers = stored.submit(3);
      const futures = await scale.map(numbers, unmapped(10));
      return futures.result();
    });
    expect(await withVirtualTime(() => pipeline())).toEqual([10, 20, 30]);
    expect(storage.size).toBe(1);
  });

  it("should reject, with no run started, when an upstream's stored result cannot be loaded", async () => {
    const storage = new MemoryStorage();
    const stored = task(
      { name: 'lost-range', persistResult: true, cacheResultInMemory: false, resultStorage: storage },
      async () => [1, 2],
    );
    const started: RunInfo[] = [];
    const sub = runStates$.subscribe(({ run }) => run.definitionName === 'scale' && started.push(run));
    try {
      const pipeline = flow({ name: 'map-lost' }, async () => {
        const numbers = stored.submit();
        const { data } = await numbers.wait();
        if (!isResultReference(data)) throw new Error('expected a reference');
        await storage.delete(data.storageKey);
        return rejection(scale.map(numbers, unmapped(10)));
      });
      const error = await withVirtualTime(() => pipeline());
      expect(isResultRecordError(error)).toBe(true);
      expect(started).toEqual([]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('should type map over a future as a Promise of the list', () => {
    const typed = () => {
      const numbers = range.submit(3);
      const list = scale.map(numbers, unmapped(2));
      type L = Expect<Equal<typeof list, Promise<TaskRunFutureList<number>>>>;
      const plain = scale.map([1, 2], [3, 4]);
      type P = Expect<Equal<typeof plain, TaskRunFutureList<number>>>;
      // @ts-expect-error a future of strings cannot feed a number parameter
      scale.map(task((s: string) => [s]).submit('x'), unmapped(2));
      return [list, plain] as unknown as [L, P];
    };
    expect(typeof typed).toBe('function');
  });
});
