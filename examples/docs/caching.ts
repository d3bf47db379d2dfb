/**
 * The code of docs/caching.md: cache policies, expiry, concurrent runs, cache keys, result
 * storage on disk, references to stored results, and the cacheResult operator.
 *
 * Run it with `npx tsx examples/docs/caching.ts`.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defer, lastValueFrom, toArray } from 'rxjs';
import {
  DEFAULT,
  flow,
  INPUTS,
  isResultReference,
  MemoryStorage,
  NO_CACHE,
  setErrorReporter,
  task,
  taskInputHash,
  TASK_SOURCE,
  type ResultSerializer,
} from '../../lib/index.node.js';
import { LocalFileSystem } from '../../lib/node/index.js';
import { cacheResult } from '../../lib/operators/index.js';
import { sleep, withVirtualTime } from '../../lib/testing/index.node.js';
import { runSections } from './sections.js';

/** The names of a run's states, joined. */
const path = async (states$: import('rxjs').Observable<{ name: string }>) =>
  (await lastValueFrom(states$.pipe(toArray()))).map((s) => s.name).join(' → ');

async function hitSection(): Promise<void> {
  // #region a-cache-hit
  let calls = 0;
  const fetchUser = task({ name: 'fetch-user', cachePolicy: INPUTS }, async (id: number) => {
    calls++;
    return { id, name: `user ${id}` };
  });

  console.log(await path(fetchUser.run$(42))); // Pending → Running → Completed
  console.log(await path(fetchUser.run$(42))); // Pending → Cached
  console.log(await fetchUser(42), `calls: ${calls}`); // { id: 42, name: 'user 42' } calls: 1
  // #endregion a-cache-hit
}

async function policySection(): Promise<void> {
  // #region policies
  const storage = new MemoryStorage(); // the default is one MemoryStorage per process
  const calls: string[] = [];

  // DEFAULT = INPUTS + TASK_SOURCE + RUN_ID: equal arguments hit within one flow run.
  const lookup = task({ name: 'lookup', cachePolicy: DEFAULT, resultStorage: storage }, (sku: string) => {
    calls.push(`lookup ${sku}`);
    return sku.length;
  });
  // INPUTS without 'verbose': changing it never changes the key.
  const render = task(
    { name: 'render', cachePolicy: INPUTS.exclude('verbose'), resultStorage: storage },
    (page: string, verbose: boolean) => {
      calls.push(`render ${page} verbose=${verbose}`);
      return `<h1>${page}</h1>`;
    },
  );
  const shop = flow({ name: 'shop' }, async () => {
    await lookup('A-1');
    await lookup('A-1'); // Cached: same flow run
    await render('home', false);
    await render('home', true); // Cached: verbose is excluded
  });
  await shop();
  await shop(); // a new flow run: lookup computes again, render does not
  console.log(calls);
  // [ 'lookup A-1', 'render home verbose=false', 'lookup A-1' ]
  // #endregion policies
}

async function expirySection(): Promise<void> {
  // #region expiry-and-refresh
  // Expiry follows the engine clock: virtual time runs ten minutes in no time at all.
  await withVirtualTime(async () => {
    let calls = 0;
    const price = task(
      {
        name: 'price',
        cachePolicy: INPUTS,
        cacheExpiration: { minutes: 10 },
        resultStorage: new MemoryStorage(),
      },
      (symbol: string) => `${symbol} quote #${++calls}`,
    );
    const first = await lastValueFrom(price.run$('ACME').pipe(toArray()));
    console.log(first.at(-1)?.details?.cacheExpiration?.toISOString()); // 1970-01-01T00:10:00.000Z
    await sleep(9 * 60_000);
    console.log(await price('ACME')); // ACME quote #1   (Cached)
    await sleep(60_000);
    console.log(await price('ACME')); // ACME quote #2   (expired: computed again)
    console.log(await price.withOptions({ refreshCache: true })('ACME')); // ACME quote #3
    console.log(await price('ACME')); // ACME quote #3   (the refresh overwrote the entry)
  });
  // #endregion expiry-and-refresh
}

async function concurrentSection(): Promise<void> {
  // #region concurrent-runs
  let calls = 0;
  const report = task(
    { name: 'report', cachePolicy: INPUTS, resultStorage: new MemoryStorage() },
    async (day: string) => {
      calls++;
      await sleep(50);
      return `report for ${day}`;
    },
  );
  // Three runs with one key at once: the first computes, the others wait for it.
  const names = await Promise.all([1, 2, 3].map(() => path(report.run$('2024-06-03'))));
  console.log(names.join('; '), `calls: ${calls}`);
  // Pending → Running → Completed; Pending → Cached; Pending → Cached calls: 1
  // #endregion concurrent-runs
}

async function keySection(): Promise<void> {
  // #region cache-keys
  const storage = new MemoryStorage();
  // A key function of your own: null means "do not cache this run".
  const byDay = task(
    {
      name: 'by-day',
      resultStorage: storage,
      cacheKeyFn: (context, { day }) => (day === 'today' ? null : `${context.task.name}/${String(day)}`),
    },
    (day: string) => `rows of ${day}`,
  );
  const states = await lastValueFrom(byDay.run$('2024-06-03').pipe(toArray()));
  console.log(states.at(-1)?.details?.cacheKey); // by-day/2024-06-03

  // taskInputHash: the task's name and source, and its arguments, as SHA-256.
  const hashed = task(
    { name: 'hashed', cacheKeyFn: taskInputHash, resultStorage: storage },
    (q: object) => q,
  );
  const key = async (q: object) =>
    (await lastValueFrom(hashed.run$(q).pipe(toArray()))).at(-1)?.details?.cacheKey;
  console.log((await key({ a: 1, b: [new Date(0)] })) === (await key({ b: [new Date(0)], a: 1 }))); // true

  // An argument that cannot be hashed is reported; the run goes on without the cache.
  const restore = setErrorReporter((message) => console.log(`reported: ${message}`));
  try {
    const notify = task(
      { name: 'notify', cachePolicy: INPUTS, resultStorage: storage },
      (onDone: () => void) => {
        onDone();
        return 'sent';
      },
    );
    console.log(await notify(() => undefined));
    // reported: task 'notify' (run 'notify-…'): Cannot compute the cache key of task 'notify': parameter 'onDone' holds a function …
    // sent
  } finally {
    restore();
  }
  // #endregion cache-keys
}

async function storageSection(): Promise<void> {
  // #region storage-on-disk
  const dir = await mkdtemp(join(tmpdir(), 'rxflow-caching-'));
  try {
    let calls = 0;
    const sum = task(
      {
        name: 'sum',
        resultStorageKey: 'sums/{a}-{b}.json', // also the cache key
        resultStorage: new LocalFileSystem({ basePath: dir }),
      },
      (a: number, b: number) => {
        calls++;
        return a + b;
      },
    );
    console.log(await sum(1, 2), await readdir(join(dir, 'sums'))); // 3 [ '1-2.json' ]

    // A new storage on the same directory, as a restarted process would have: still cached.
    const again = sum.withOptions({ resultStorage: new LocalFileSystem({ basePath: dir }) });
    console.log(await path(again.run$(1, 2)), `calls: ${calls}`); // Pending → Cached calls: 1
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // #endregion storage-on-disk
}

async function referenceSection(): Promise<void> {
  // #region references-and-serializers
  const storage = new MemoryStorage();
  // cacheResultInMemory: false keeps only a reference in the state; result() loads the value.
  const big = task(
    { name: 'big', cachePolicy: INPUTS, cacheResultInMemory: false, resultStorage: storage },
    (n: number) => Array.from({ length: n }, (_, i) => i * i),
  );
  const count = task({ name: 'count' }, (rows: number[]) => rows.length);
  const pipeline = flow({ name: 'pipeline' }, async () => {
    const rows = big.submit(1000);
    const state = await rows.wait();
    console.log(isResultReference(state.data)); // true
    return count(await rows.result()); // loaded from storage
  });
  console.log(await pipeline()); // 1000

  // Your own serializer: records written by another serializer are misses, not errors.
  const text: ResultSerializer = {
    name: 'text',
    dumps: (value) => new TextEncoder().encode(String(value)),
    loads: (data) => new TextDecoder().decode(data),
  };
  const shout = task(
    { name: 'shout', cachePolicy: INPUTS.add(TASK_SOURCE), resultSerializer: text, resultStorage: storage },
    (s: string) => s.toUpperCase(),
  );
  console.log(await shout('hi'), await path(shout.run$('hi'))); // HI Pending → Cached

  // NO_CACHE with a resultStorageKey: stored under that key, never looked up.
  const archive = task(
    { name: 'archive', cachePolicy: NO_CACHE, resultStorageKey: 'archive-{day}', resultStorage: storage },
    (day: string) => `archived ${day}`,
  );
  await archive('mon');
  console.log(await storage.exists('archive-mon'), await path(archive.run$('mon'))); // true Pending → Running → Completed
  // #endregion references-and-serializers
}

async function operatorSection(): Promise<void> {
  // #region cache-result-operator
  let fetches = 0;
  const config$ = defer(async () => ({ fetched: ++fetches })).pipe(
    cacheResult({ key: 'config', expiration: 60, storage: new MemoryStorage() }),
  );
  console.log(await lastValueFrom(config$), await lastValueFrom(config$)); // { fetched: 1 } { fetched: 1 }
  // #endregion cache-result-operator
}

runSections([
  ['a cache hit', hitSection],
  ['policies', policySection],
  ['expiry and refresh', expirySection],
  ['concurrent runs', concurrentSection],
  ['cache keys', keySection],
  ['storage on disk', storageSection],
  ['references and serializers', referenceSection],
  ['the cacheResult operator', operatorSection],
]);
