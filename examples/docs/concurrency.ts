/**
 * The code of docs/concurrency.md: futures, map, task runners (worker threads too), wait,
 * asCompleted and allowFailure.
 *
 * Run it with `npx tsx examples/docs/concurrency.ts`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { lastValueFrom, toArray } from 'rxjs';
import {
  allowFailure,
  asCompleted,
  ConcurrentTaskRunner,
  flow,
  isUpstreamTaskError,
  SequentialTaskRunner,
  task,
  unmapped,
  wait,
} from '../../lib/index.node.js';
import { isWorkerTransferError, WorkerThreadTaskRunner, workerTask } from '../../lib/node/index.js';
import { countPrimes } from './primes.js';
import { runSections } from './sections.js';

async function submitSection(): Promise<void> {
  const double = task({ name: 'double' }, async (x: number) => {
    await sleep(10);
    return x * 2;
  });
  const add = task({ name: 'add' }, (x: number, y: number) => x + y);

  // #region futures
  const pipeline = flow({ name: 'pipeline' }, async () => {
    const a = double.submit(1); // starts now, returns a TaskRunFuture<number>
    const b = double.submit(2);
    const sum = add.submit(a, b); // waits for a and b, receives their results
    return sum.result();
  });
  console.log(await pipeline()); // 6
  // #endregion futures
}

async function mapSection(): Promise<void> {
  const scale = task({ name: 'scale' }, async (x: number, factor: number) => {
    await sleep(30 - x * 10); // later inputs finish first
    return x * factor;
  });

  // #region map-and-unmapped
  const scaled = flow({ name: 'scaled' }, async () => {
    const futures = scale.map([1, 2, 3], unmapped(10)); // one run per element
    return futures.result(); // input order, whatever order they finished in
  });
  console.log(await scaled()); // [ 10, 20, 30 ]
  // #endregion map-and-unmapped

  // #region map-and-unmapped-2
  try {
    scale.map([1, 2], [3]);
  } catch (error) {
    console.log((error as Error).message);
  }
  // #endregion map-and-unmapped-2

  // #region map-over-a-future
  const sizes = task({ name: 'sizes' }, async () => [1, 2, 3]);
  const fromUpstream = flow({ name: 'from-upstream' }, async () => {
    const numbers = sizes.submit(); // a TaskRunFuture<number[]>
    const futures = await scale.map(numbers, unmapped(100)); // a Promise: waits for numbers, maps its result
    return futures.result();
  });
  console.log(await fromUpstream()); // [ 100, 200, 300 ]
  // #endregion map-over-a-future
}

async function runnersSection(): Promise<void> {
  let live = 0;
  let most = 0;
  const fetchPage = task({ name: 'fetch-page' }, async (page: number) => {
    most = Math.max(most, ++live);
    await sleep(5);
    live--;
    return `page ${page}`;
  });

  // #region task-runners
  const crawl = flow(
    { name: 'crawl', taskRunner: new ConcurrentTaskRunner({ maxConcurrency: 3 }) },
    async (pages: number[]) => fetchPage.map(pages).result(),
  );
  const pages = await crawl([1, 2, 3, 4, 5, 6, 7, 8]);
  console.log(`${pages.length} pages, at most ${most} at once`);
  // #endregion task-runners

  const order: number[] = [];
  const step = task({ name: 'step' }, async (n: number) => {
    await sleep(10 - n);
    order.push(n);
  });
  // #region task-runners-2
  const inOrder = flow({ name: 'in-order', taskRunner: new SequentialTaskRunner() }, async () => {
    step.map([1, 2, 3]); // not awaited: the flow waits for its submitted runs before it ends
  });
  // #endregion task-runners-2
  await inOrder();
  console.log(order); // [ 1, 2, 3 ]

  // #region task-runners-3
  const audit = task({ name: 'audit' }, async () => {
    await sleep(20);
    console.log('audit finished');
  });
  const strict = flow({ name: 'strict' }, async () => {
    audit.submit();
    throw new Error('bad input'); // the flow still waits for audit, then fails
  });
  console.log(await strict().catch((e: Error) => `strict failed: ${e.message}`));
  // #endregion task-runners-3
}

async function waitSection(): Promise<void> {
  const pause = task({ name: 'pause' }, async (ms: number) => {
    await sleep(ms);
    return ms;
  });

  // #region wait-and-ascompleted
  const racing = flow({ name: 'racing' }, async () => {
    const futures = pause.map([60, 20, 40]);
    const finished = await lastValueFrom(asCompleted(futures).pipe(toArray()));
    console.log(finished.map((f) => f.state.data)); // [ 20, 40, 60 ]

    const slow = pause.map([10, 500]);
    const { done, notDone } = await wait(slow, { timeoutSeconds: 0.1 });
    console.log(`${done.length} done, ${notDone.length} still running`);
    notDone.forEach((f) => f.cancel());
  });
  // #endregion wait-and-ascompleted
  await racing();
}

async function failureSection(): Promise<void> {
  const extract = task({ name: 'extract' }, (): number[] => {
    throw new Error('source offline');
  });
  const load = task({ name: 'load' }, (rows: number[]) => rows.length);
  const report = task({ name: 'report' }, (rows: unknown) =>
    rows instanceof Error ? `report without data: ${rows.message}` : 'full report',
  );
  const notify = task({ name: 'notify' }, () => 'notified');

  // #region upstream-failures
  const etl = flow({ name: 'etl' }, async () => {
    const rows = extract.submit();
    const loaded = load.submit(rows); // never runs: extract failed
    const state = await loaded.wait(); // wait() never rejects
    console.log(`${state.type} ${state.name}`); // PENDING NotReady
    const error = await loaded.result().catch((e: unknown) => e);
    console.log(isUpstreamTaskError(error), (error as Error).message);

    console.log(await report.submit(allowFailure(rows)).result()); // runs anyway, gets the error
    // waitFor: order runs that share no data (Prefect's wait_for)
    console.log(await notify.submitWith({ waitFor: [allowFailure(loaded)] }).result());
  });
  // #endregion upstream-failures
  await etl();
}

async function workersSection(): Promise<void> {
  // #region worker-threads
  const runner = new WorkerThreadTaskRunner({ maxThreads: 2 });
  // Registered: each worker imports primes.ts and calls its export countPrimes.
  const primes = task(
    { name: 'count-primes' },
    workerTask(countPrimes, new URL('./primes.js', import.meta.url)),
  );
  // Self-contained (no outside variables, no imports): sent to the worker by its source.
  const total = task({ name: 'total' }, (counts: number[]) => counts.reduce((a, b) => a + b, 0));

  const sieve = flow({ name: 'sieve', taskRunner: runner }, async (limits: number[]) => {
    const counts = await primes.map(limits).result(); // on two threads at once
    return { counts, total: await total.submit(counts).result() };
  });
  console.log(await sieve([10_000, 100_000, 1_000_000])); // { counts: [ 1229, 9592, 78498 ], total: 89319 }
  // #endregion worker-threads

  // #region worker-threads-2
  const offset = 10;
  const shifted = task({ name: 'shifted' }, (n: number) => n + offset); // a closure over offset
  const closure = flow({ name: 'closure', taskRunner: runner }, async () => {
    const state = await shifted.submit(1).wait();
    return isWorkerTransferError(state.error) ? state.error.message : state.name;
  });
  console.log(await closure()); // Task 'shifted' cannot run in a worker thread: its function uses 'offset', …
  await runner.destroy(); // stops the threads now (idle ones never keep the process alive)
  // #endregion worker-threads-2
}

runSections([
  ['submit', submitSection],
  ['map', mapSection],
  ['runners', runnersSection],
  ['wait and asCompleted', waitSection],
  ['failures', failureSection],
  ['worker threads', workersSection],
]);
