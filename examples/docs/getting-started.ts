/**
 * The code of docs/getting-started.md: one function per section of the guide, run in order.
 * The guide's snippets are copied from here (the examples spec checks that they still are).
 *
 * Run it with `npx tsx examples/docs/getting-started.ts`.
 */
// #region getting-started
import { setTimeout as sleep } from 'node:timers/promises';
import { lastValueFrom, takeUntil, timer, toArray } from 'rxjs';
import { z } from 'zod';
import {
  exponentialBackoff,
  flow,
  getRunContext,
  isParameterValidationError,
  isTimeoutError,
  runStates$,
  tags,
  task,
} from '../../lib/index.node.js';
import { collectTimeline, flaky, withVirtualTime } from '../../lib/testing/index.node.js';
// #endregion getting-started
import { runSections } from './sections.js';

async function firstTaskAndFlow(): Promise<void> {
  // #region your-first-task-and-flow
  const double = task({ name: 'double' }, (x: number) => x * 2);

  const sumOfDoubles = flow({ name: 'sum-of-doubles' }, async (xs: number[]) => {
    let total = 0;
    for (const x of xs) total += await double(x);
    return total;
  });

  console.log(await sumOfDoubles([1, 2, 3])); // 12
  // #endregion your-first-task-and-flow
}

async function states(): Promise<void> {
  // #region states
  const double = task({ name: 'double' }, (x: number) => x * 2);

  const states = await lastValueFrom(double.run$(21).pipe(toArray()));
  console.log(states.map((s) => `${s.type}/${s.name}`).join(' → ')); // PENDING/Pending → RUNNING/Running → COMPLETED/Completed
  console.log(states.at(-1)?.data); // 42

  // Prefect's `return_state=True`: the final state, which never rejects.
  const divide = task({ name: 'divide' }, (a: number, b: number) => {
    if (b === 0) throw new RangeError('division by zero');
    return a / b;
  });
  const final = await lastValueFrom(divide.run$(1, 0));
  console.log(final.name, final.message); // Failed RangeError: division by zero
  // #endregion states
}

async function retries(): Promise<void> {
  // #region retries
  let calls = 0;
  const fetchRates = task(
    { name: 'fetch-rates', retries: 3, retryDelaySeconds: exponentialBackoff(0.1), retryJitterFactor: 0.2 },
    async () => {
      if (++calls < 3) throw new Error('503 from the rates API');
      return { eur: 1.08 };
    },
  );

  const states = await lastValueFrom(fetchRates.run$().pipe(toArray()));
  console.log(states.map((s) => s.name).join(' → '));
  // Pending → Running → AwaitingRetry → Retrying → AwaitingRetry → Retrying → Completed
  // #endregion retries
}

async function timeouts(): Promise<void> {
  // #region timeouts
  const slowQuery = task({ name: 'slow-query', taskRunName: 'slow-query', timeoutSeconds: 0.1 }, async () => {
    const { signal } = getRunContext();
    await sleep(5000, undefined, { signal }); // stops as soon as the signal aborts
  });

  try {
    await slowQuery();
  } catch (error) {
    if (isTimeoutError(error)) console.log(error.message); // Task 'slow-query' timed out after 0.1 seconds
  }
  // #endregion timeouts
}

async function cancellation(): Promise<void> {
  // #region cancellation
  const crawl = task({ name: 'crawl', taskRunName: 'crawl' }, async () => {
    await sleep(10_000, undefined, { signal: getRunContext().signal });
  });

  // Unsubscribing from run$ cancels the run: it ends Cancelled and its signal aborts.
  await lastValueFrom(crawl.run$().pipe(takeUntil(timer(100))), { defaultValue: undefined });

  // A flow's timeout cancels the runs inside it.
  const nightly = flow({ name: 'nightly', timeoutSeconds: 0.1 }, async () => crawl());
  await nightly().catch((error: Error) => console.log(error.name)); // TimeoutError
  // #endregion cancellation
}

async function hooks(): Promise<void> {
  // #region hooks
  const square = task(
    {
      name: 'square',
      taskRunName: 'square-{n}',
      onCompletion: [(_task, run, state) => console.log(`${run.name} completed with ${state.data}`)],
      onFailure: [async (_task, run, state) => console.log(`${run.name} failed: ${state.message}`)],
    },
    (n: number) => {
      if (n < 0) throw new RangeError('n must not be negative');
      return n * n;
    },
  );

  await square(3); // square-3 completed with 9
  await square(-1).catch(() => {}); // square--1 failed: RangeError: n must not be negative
  // #endregion hooks
}

async function tagsSection(): Promise<void> {
  // #region tags
  const query = task({ name: 'query', tags: ['db'] }, () => getRunContext().tags);
  const report = flow({ name: 'report', tags: ['reporting'] }, () => query());

  console.log(await tags(['nightly', 'eu'], () => report())); // [ 'nightly', 'eu', 'db' ]
  // #endregion tags
}

async function runNames(): Promise<void> {
  // #region run-names
  const greet = task(
    { name: 'greet', taskRunName: 'hello-{name}-on-{date:EEEE}' },
    (name: string, date: Date) =>
      `${getRunContext().taskRun?.name}: hi ${name}, it is ${date.toDateString()}`,
  );
  console.log(await greet('ada', new Date(2024, 5, 3))); // hello-ada-on-Monday: hi ada, it is Mon Jun 03 2024

  const backup = flow(
    { name: 'backup', flowRunName: (parameters) => `backup-${String(parameters.host).toUpperCase()}` },
    (host: string) => `${getRunContext().flowRun?.name} copies ${host}`,
  );
  console.log(await backup('db1')); // backup-DB1 copies db1
  // #endregion run-names
}

async function parameters(): Promise<void> {
  // #region parameters
  const resize = flow(
    {
      name: 'resize',
      parameters: z.object({
        width: z.number().int().positive(),
        format: z.enum(['png', 'webp']).default('webp'),
      }),
    },
    async ({ width, format }) => `${width}px ${format}`,
  );

  console.log(await resize({ width: 640 })); // 640px webp

  const input: unknown = JSON.parse('{ "width": -1, "format": "gif" }'); // from outside: unchecked
  const error = await resize(input as { width: number }).catch((e: unknown) => e);
  if (isParameterValidationError(error)) console.log(error.issues.map((i) => i.path.join('.'))); // [ 'width', 'format' ]

  // Check parameters without running the flow (Prefect's `validate_parameters`).
  const parsed = resize.validateParameters(JSON.parse('{ "width": 320 }'));
  console.log(parsed); // { width: 320, format: 'webp' }
  // #endregion parameters
}

async function methods(): Promise<void> {
  // #region methods
  class Report {
    constructor(readonly currency: string) {}

    total = flow({ name: 'total' }, function (this: Report, amounts: number[]) {
      return `${amounts.reduce((a, b) => a + b, 0)} ${this.currency}`;
    });
  }

  const report = new Report('EUR');
  console.log(await report.total([1, 2])); // 3 EUR
  const states = await lastValueFrom(report.total.bind(report).run$([3, 4]).pipe(toArray()));
  console.log(states.at(-1)?.data); // 7 EUR
  // #endregion methods
}

async function liveStreams(): Promise<void> {
  // #region live-streams
  const add = task({ name: 'add', taskRunName: 'add' }, (a: number, b: number) => a + b);
  const calc = flow({ name: 'calc', flowRunName: 'calc' }, () => add(1, 2));

  const subscription = runStates$.subscribe(({ run, state }) => {
    const indent = run.parentRunId === undefined ? '' : '  ';
    console.log(`${indent}${run.kind} ${run.name}: ${state.name}`);
  });
  await calc();
  subscription.unsubscribe();
  // flow calc: Pending
  // flow calc: Running
  //   task add: Pending
  //   task add: Running
  //   task add: Completed
  // flow calc: Completed
  // #endregion live-streams
}

async function testing(): Promise<void> {
  // #region testing
  const fetchPage = task(
    { name: 'fetch-page', taskRunName: 'fetch-page', retries: 5, retryDelaySeconds: 3600 },
    flaky(2, () => 'ok'),
  );

  const timeline = await withVirtualTime(() => collectTimeline(fetchPage.run$()));
  console.log(timeline.map((entry) => `${entry.name}@${entry.at / 1000}s`).join(' '));
  // Pending@0s Running@0s AwaitingRetry@0s Retrying@3600s AwaitingRetry@3600s Retrying@7200s Completed@7200s
  // #endregion testing
}

runSections([
  ['first task and flow', firstTaskAndFlow],
  ['states', states],
  ['retries', retries],
  ['timeouts', timeouts],
  ['cancellation', cancellation],
  ['hooks', hooks],
  ['tags', tagsSection],
  ['run names', runNames],
  ['parameters', parameters],
  ['methods', methods],
  ['live streams', liveStreams],
  ['testing', testing],
]);
