/**
 * The code of docs/limits.md: global concurrency and rate limits, and the operators built on
 * the same limiter.
 *
 * Run it with `npx tsx examples/docs/limits.ts`.
 */
import { deepStrictEqual } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  concurrency,
  createConcurrencyLimit,
  getConcurrencyLimit,
  isConcurrencyLimitError,
  isTimeoutError,
  rateLimit,
  runStates$,
  setTagConcurrencyLimit,
  task,
} from '../../lib/index.node.js';
import { concurrencyLimit, rateLimit as rateLimitOperator } from '../../lib/operators/index.js';
import { runSections } from './sections.js';

async function concurrencySection(): Promise<void> {
  // #region concurrency-limits
  createConcurrencyLimit('database', { limit: 2 });

  let running = 0;
  let peak = 0;
  const query = (id: number) =>
    concurrency('database', async () => {
      peak = Math.max(peak, ++running);
      await sleep(20);
      running--;
      return `rows of ${id}`;
    });

  const rows = await Promise.all([1, 2, 3, 4, 5].map(query));
  console.log(`${rows.length} queries, at most ${peak} at once`); // 5 queries, at most 2 at once
  console.log(getConcurrencyLimit('database')); // { name: 'database', limit: 2, ..., active: 0, waiting: 0 }
  // #endregion concurrency-limits
}

async function waitingSection(): Promise<void> {
  // #region waiting
  createConcurrencyLimit('gpu', { limit: 1 });
  const training = concurrency('gpu', () => sleep(200));

  // timeoutSeconds bounds the wait for a slot, not the work.
  const error = await concurrency('gpu', () => 'never runs', { timeoutSeconds: 0.05 }).catch((e: Error) => e);
  console.log(isTimeoutError(error), (error as Error).message);
  // true Waiting for concurrency limit 'gpu' timed out after 0.05 seconds

  // Inside a task, waiting ends when the run is cancelled or times out.
  const render = task({ name: 'render', timeoutSeconds: 0.05 }, () => concurrency('gpu', () => 'frame'));
  console.log(await render().catch((e: Error) => e.name)); // TimeoutError
  await training;

  // More slots than the limit has, or (with strict) an unknown name, is an error.
  const tooBig = await concurrency('gpu', () => 1, { occupy: 2 }).catch((e: Error) => e.message);
  console.log(tooBig); // Concurrency limit 'gpu': cannot occupy 2 slots, the limit is 1
  const unknown = await concurrency('gpus', () => 1, { strict: true }).catch((e: unknown) => e);
  console.log(isConcurrencyLimitError(unknown)); // true
  // #endregion waiting
}

async function severalLimitsSection(): Promise<void> {
  // #region several-limits-at-once
  createConcurrencyLimit('source-db', { limit: 2 });
  createConcurrencyLimit('warehouse-db', { limit: 1 });

  const copied: string[] = [];
  const copy = (table: string) =>
    // One slot of each limit, taken in name order whatever the order written: no deadlock.
    concurrency(['warehouse-db', 'source-db'], async () => {
      await sleep(10);
      copied.push(table);
    });
  await Promise.all(['orders', 'users', 'events'].map(copy));
  console.log(copied, getConcurrencyLimit('source-db')?.active, getConcurrencyLimit('warehouse-db')?.active);
  // [ 'orders', 'users', 'events' ] 0 0
  // #endregion several-limits-at-once
}

async function rateLimitSection(): Promise<void> {
  // #region rate-limits
  createConcurrencyLimit('github-api', { limit: 2, slotDecayPerSecond: 20 }); // 20 calls/s, bursts of 2

  const started = performance.now();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    await rateLimit('github-api');
    times.push(Math.floor((performance.now() - started + 2) / 50) * 50); // ms, in steps of 50
  }
  console.log(times); // [ 0, 0, 50, 100, 150 ]
  // #endregion rate-limits
}

async function operatorSection(): Promise<void> {
  // #region operators
  const lengths = await lastValueFrom(
    from(['a.txt', 'bb.txt', 'ccc.txt', 'dddd.txt']).pipe(
      concurrencyLimit(async (file: string) => {
        await sleep(10 * file.length);
        return `${file}: ${file.length} bytes`;
      }, 2),
      toArray(),
    ),
  );
  console.log(lengths); // completion order, like mergeMap
  // #endregion operators
}

function marbleTest(): void {
  // #region operators-2
  const testScheduler = new TestScheduler((actual, expected) => deepStrictEqual(actual, expected));
  testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
    const source = cold('(abc|)');
    const spaced = source.pipe(rateLimitOperator({ limit: 1, slotDecayPerSecond: 100 }));
    expectObservable(spaced).toBe('a 9ms b 9ms (c|)'); // one value per 10 ms
    expectSubscriptions(source.subscriptions).toBe('(^!)');
  });
  console.log('marble test passed');
  // #endregion operators-2
}

async function tagLimits(): Promise<void> {
  // #region tag-limits
  setTagConcurrencyLimit('warehouse', 2);
  let live = 0;
  let most = 0;
  const load = task({ name: 'load', tags: ['warehouse'] }, async (table: string) => {
    most = Math.max(most, ++live);
    await sleep(20);
    live--;
    return table;
  });
  const waited: unknown[] = [];
  const subscription = runStates$.subscribe(({ run, state }) => {
    if (state.name === 'AwaitingConcurrencySlot') waited.push(run.parameters.table);
  });
  await Promise.all(['orders', 'users', 'events', 'prices'].map((table) => load(table)));
  subscription.unsubscribe();
  setTagConcurrencyLimit('warehouse', null);
  console.log(`at most ${most} at once; waited for a slot: ${waited.join(', ')}`); // at most 2 at once; waited for a slot: events, prices
  // #endregion tag-limits
}

runSections([
  ['concurrency', concurrencySection],
  ['waiting', waitingSection],
  ['several limits', severalLimitsSection],
  ['rateLimit', rateLimitSection],
  ['operators', operatorSection],
  ['marble test', marbleTest],
  ['tag limits', tagLimits],
]);
