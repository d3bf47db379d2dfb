import { flow, INPUTS, MemoryStorage, NO_CACHE, task } from '../../lib/index.node';
import { collect, names, sleep, withVirtualTime, definitionError } from '../engine/support';

const add = (a: number, b: number) => a + b;

describe('caching options', () => {
  it.each<[string, string, () => unknown]>([
    [
      'a cachePolicy that is not a policy',
      'cachePolicy',
      () => task({ cachePolicy: 'INPUTS' as never }, add),
    ],
    ['a cacheKeyFn that is not a function', 'cacheKeyFn', () => task({ cacheKeyFn: 'key' as never }, add)],
    [
      'a negative cacheExpiration',
      'cacheExpiration',
      () => task({ cachePolicy: INPUTS, cacheExpiration: -1 }, add),
    ],
    [
      'a NaN cacheExpiration',
      'cacheExpiration',
      () => task({ cachePolicy: INPUTS, cacheExpiration: NaN }, add),
    ],
    [
      'a Duration with an unknown unit',
      'cacheExpiration',
      () => task({ cachePolicy: INPUTS, cacheExpiration: { hour: 1 } as never }, add),
    ],
    ['a refreshCache that is not a boolean', 'refreshCache', () => task({ refreshCache: 1 as never }, add)],
    [
      'a persistResult that is not a boolean',
      'persistResult',
      () => task({ persistResult: 'yes' as never }, add),
    ],
    ['a resultStorage without methods', 'resultStorage', () => task({ resultStorage: {} as never }, add)],
    [
      'an unknown serializer name',
      'resultSerializer',
      () => task({ resultSerializer: 'pickle' as never }, add),
    ],
    ['an empty resultStorageKey', 'resultStorageKey', () => task({ resultStorageKey: '' }, add)],
    [
      'a cacheExpiration in seconds beyond the Date range',
      'cacheExpiration',
      () => task({ cachePolicy: INPUTS, cacheExpiration: 1e13 }, add),
    ],
    [
      'a cacheExpiration Duration beyond the Date range',
      'cacheExpiration',
      () => task({ cachePolicy: INPUTS, cacheExpiration: { years: 300_000 } }, add),
    ],
    [
      'a resultStorageKey with adjacent placeholders',
      'resultStorageKey',
      () => task({ resultStorageKey: 'sum-{a}{b}' }, add),
    ],
    [
      'a flow cacheResultInMemory that is not a boolean',
      'cacheResultInMemory',
      () => flow({ cacheResultInMemory: 0 as never }, add),
    ],
    ['a cachePolicy on a flow', 'cachePolicy', () => flow({ cachePolicy: INPUTS } as never, add)],
  ])('should reject %s, naming %s', (_case, option, define) => {
    expect(definitionError(define).option).toBe(option);
  });

  it('should explain options that do not fit together', () => {
    const messages = [
      () => task({ name: 'sum', resultStorageKey: 'sum-{a}-{c}.json' }, add),
      () => task({ name: 'sum', resultStorageKey: 'sum-{a}.json', cachePolicy: INPUTS }, add),
      () => task({ name: 'sum', resultStorageKey: 'sum-{a}.json', cacheKeyFn: () => 'k' }, add),
      () => task({ name: 'sum', cachePolicy: INPUTS.exclude('c') }, add),
      () => task({ name: 'sum', cacheExpiration: 60 }, add),
      () => task({ name: 'sum', refreshCache: true, resultStorage: new MemoryStorage() }, add),
      () => task({ name: 'sum', cachePolicy: 'INPUTS' as never }, add),
    ].map((define) => definitionError(define).message);
    expect(messages).toMatchInlineSnapshot(`
     [
       "task 'sum': invalid option 'resultStorageKey': the template refers to '{c}', which is not a parameter of task 'sum' (parameters read from its source: a, b); if a bundler or minifier renamed them, set the parameterNames option (one name per parameter, in order)",
       "task 'sum': invalid option 'resultStorageKey': it is the cache key, so it cannot be combined with cachePolicy INPUTS; give one of them (or cachePolicy NO_CACHE to store under it without caching)",
       "task 'sum': invalid option 'resultStorageKey': it is the cache key, so it cannot be combined with cacheKeyFn; give one of them",
       "task 'sum': invalid option 'cachePolicy': it excludes 'c', which is not a parameter of task 'sum' (parameters read from its source: a, b); if a bundler or minifier renamed them, set the parameterNames option (one name per parameter, in order)",
       "task 'sum': invalid option 'cacheExpiration': it has no effect without cachePolicy, cacheKeyFn or resultStorageKey",
       "task 'sum': invalid option 'refreshCache': it has no effect without cachePolicy, cacheKeyFn or resultStorageKey",
       "task 'sum': invalid option 'cachePolicy': expected a cache policy such as INPUTS, DEFAULT or INPUTS.add(TASK_SOURCE) (got "INPUTS")",
     ]
    `);
  });

  it('should accept what fits, and each accepted combination takes effect', async () => {
    await withVirtualTime(async () => {
      // A storage key without a cache: stored under the rendered key, computed on every call.
      const storage = new MemoryStorage();
      let calls = 0;
      const stored = task(
        {
          name: 'stored',
          resultStorageKey: 'sum-{a}-{b}.json',
          cachePolicy: NO_CACHE,
          resultStorage: storage,
        },
        (a: number, b: number) => (calls++, add(a, b)),
      );
      expect(names(await collect(stored.run$(1, 2)))).toEqual(['Pending', 'Running', 'Completed']);
      expect(names(await collect(stored.run$(1, 2)))).toEqual(['Pending', 'Running', 'Completed']);
      expect([calls, await storage.exists('sum-1-2.json'), storage.size]).toEqual([2, true, 1]);

      // A date-fns Duration as expiration: cached for 90 minutes, not a millisecond more.
      const cached = task(
        { name: 'cached', cachePolicy: INPUTS, cacheExpiration: { hours: 1, minutes: 30 } },
        add,
      );
      const first = await collect(cached.run$(1, 2));
      expect(first.at(-1)?.details?.cacheExpiration?.getTime()).toBe(90 * 60_000);
      await sleep(90 * 60_000 - 1);
      expect(names(await collect(cached.run$(1, 2)))).toEqual(['Pending', 'Cached']);
      await sleep(1);
      expect(names(await collect(cached.run$(1, 2)))).toEqual(['Pending', 'Running', 'Completed']);

      // persistResult: false with a cache policy: the expiration still applies (5 s).
      const unpersisted = task(
        { name: 'unpersisted', cachePolicy: INPUTS, persistResult: false, cacheExpiration: 5 },
        add,
      );
      const written = await collect(unpersisted.run$(2, 3));
      expect(written.at(-1)?.data).toBe(5);

      // cacheKeyFn returning null: no key, so refreshCache and the serializer change nothing; every call runs.
      let uncachedCalls = 0;
      const uncached = task(
        { name: 'uncached', cacheKeyFn: () => null, refreshCache: true, resultSerializer: 'json' },
        (a: number, b: number) => (uncachedCalls++, add(a, b)),
      );
      expect([await uncached(1, 1), await uncached(1, 1), uncachedCalls]).toEqual([2, 2, 2]);

      // A flow persisting its result to its storage, not kept in memory.
      const flowStorage = new MemoryStorage();
      const persisted = flow(
        { name: 'persisted', persistResult: true, resultStorage: flowStorage, cacheResultInMemory: false },
        add,
      );
      expect(await persisted(4, 5)).toBe(9);
      expect(flowStorage.size).toBe(1);

      // withOptions with a cacheKeyFn over a policy: one key for every input.
      const base = task({ name: 'sum', cachePolicy: INPUTS }, add);
      const oneKey = base.withOptions({ cacheKeyFn: () => 'sum' });
      expect(await oneKey(1, 2)).toBe(3);
      const hit = await collect(oneKey.run$(10, 20));
      expect([names(hit), hit.at(-1)?.data, hit.at(-1)?.details?.cacheKey]).toEqual([
        ['Pending', 'Cached'],
        3,
        'sum',
      ]);
    });
    const base = task({ name: 'sum', cachePolicy: INPUTS }, add);
    expect(definitionError(() => base.withOptions({ resultStorageKey: 'x' })).option).toBe(
      'resultStorageKey',
    );
  });
  it('should end an expiration that reaches past the Date range from the run\u2019s clock at the last date', async () => {
    const storage = new MemoryStorage();
    // Within the range counted from 1970, past it counted from now.
    const longest = task(
      { name: 'longest', cachePolicy: INPUTS, cacheExpiration: 8.639e12, resultStorage: storage },
      add,
    );
    const states = await collect(longest.run$(1, 2));
    expect(states.at(-1)!.details!.cacheExpiration!.getTime()).toBe(8.64e15);
    expect(names(await collect(longest.run$(1, 2)))).toEqual(['Pending', 'Cached']);
    expect(definitionError(() => longest.withOptions({ cacheExpiration: 8.65e12 })).message).toContain(
      "invalid option 'cacheExpiration': it is longer than a JavaScript Date can count",
    );
  });
});
