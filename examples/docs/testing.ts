/**
 * The code of docs/testing.md: testing your own tasks and flows with `rxflow/testing`, one
 * function per section of the guide, run in order. Everything runs on a virtual clock, so the
 * hours of retry delays below take milliseconds, and the printed times are exact.
 *
 * The property tests use fast-check and `node:assert/strict`, so the same lines work in jest,
 * vitest, node:test or, as here, a plain script.
 *
 * Run it with `npx tsx examples/docs/testing.ts`.
 */
// #region testing-your-flows
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { interval, lastValueFrom, take, toArray } from 'rxjs';
import { exponentialBackoff, flow, getRunContext, isTimeoutError, task } from '../../lib/index.node.js';
import {
  arbFailureScript,
  arbRetryPolicy,
  attemptTimes,
  collectTimeline,
  delayBounds,
  expectedDelays,
  flaky,
  isDeadlockError,
  isStepLimitError,
  seededRandom,
  sleep,
  VirtualScheduler,
  withVirtualTime,
  type RetryPolicy,
} from '../../lib/testing/index.node.js';
// #endregion testing-your-flows

async function whyVirtualTime(): Promise<void> {
  // #region why-virtual-time
  const syncOrders = task(
    { name: 'sync-orders', taskRunName: 'sync-orders', retries: 5, retryDelaySeconds: 3600 },
    flaky(5, () => 'synced'),
  );

  const started = performance.now();
  const timeline = await withVirtualTime(() => collectTimeline(syncOrders.run$()));
  const realMs = performance.now() - started;

  console.log(attemptTimes(timeline).map((at) => `${at / 3_600_000}h`)); // [ '0h', '1h', '2h', '3h', '4h', '5h' ]
  console.log(`${timeline.at(-1)?.name} after 5 virtual hours, in ${Math.round(realMs)} ms of real time`);
  // #endregion why-virtual-time
}

// #region property-testing-your-own-task
// Your code: a task built around a rates client, and the retry policy it ships with.
const ratesPolicy: RetryPolicy = { retries: 3, retryDelaySeconds: [10, 60, 300], retryJitterFactor: 0.2 };
const makeFetchRate = (getRate: (currency: string) => Promise<number>, policy: RetryPolicy = ratesPolicy) =>
  task({ name: 'fetch-rate', taskRunName: 'fetch-rate-{currency}', ...policy }, (currency: string) =>
    getRate(currency),
  );
// #endregion property-testing-your-own-task

// #region property-testing-your-own-task-2
/** The property: for a policy, a failure script and a seed, fetch-rate retries as configured. */
async function retriesAsConfigured(policy: RetryPolicy, script: unknown[], seed: number): Promise<void> {
  const getRate = flaky(script, async (currency: string) => (currency === 'EUR' ? 1.08 : 1));
  const fetchRate = makeFetchRate(getRate, policy);
  const replay = () => withVirtualTime(() => collectTimeline(fetchRate.run$('EUR')), { seed });
  const timeline = await replay();

  const failures = script.length;
  assert.equal(getRate.calls, Math.min(failures, policy.retries) + 1);
  assert.equal(timeline.at(-1)?.name, failures <= policy.retries ? 'Completed' : 'Failed');
  const retried = getRate.calls - 1;
  if (!policy.retryJitterFactor) assert.deepEqual(getRate.gaps, expectedDelays(policy, retried));
  delayBounds(policy, retried).forEach(({ min, max }, k) => {
    assert.ok(min <= getRate.gaps[k] && getRate.gaps[k] <= max, `wait ${k + 1} out of bounds`);
  });

  const callTimes = getRate.callTimes;
  getRate.reset();
  assert.deepEqual(await replay(), timeline); // same seed: the same timeline, jitter included
  assert.deepEqual(getRate.callTimes, callTimes);
}
// #endregion property-testing-your-own-task-2

async function propertyTests(): Promise<void> {
  // #region property-testing-your-own-task-3
  // Your policy, against every failure script (0..8 failures of any kind) and jitter seed:
  await fc.assert(
    fc.asyncProperty(fc.constant(ratesPolicy), arbFailureScript(), fc.nat(), retriesAsConfigured),
  );
  // Any policy your configuration may hold: counts, numbers, lists, backoff, with and without jitter.
  await fc.assert(fc.asyncProperty(arbRetryPolicy(), arbFailureScript(), fc.nat(), retriesAsConfigured));
  // #endregion property-testing-your-own-task-3
  console.log('fetch-rate retries as configured: 200 cases passed');
}

// #region property-testing-your-own-task-4
/** The property: a task slower than its timeout ends TimedOut at exactly the timeout, its signal aborted. */
async function timesOutExactly(timeoutSeconds: number, overrunMs: number): Promise<void> {
  let signal: AbortSignal | undefined;
  const render = task({ name: 'render', timeoutSeconds }, async () => {
    signal = getRunContext().signal;
    await sleep(timeoutSeconds * 1000 + overrunMs, signal); // always slower than the timeout
  });
  const timeline = await withVirtualTime(() => collectTimeline(render.run$()));

  const steps = timeline.map((e) => `${e.name}@${e.at}`);
  assert.deepEqual(steps, ['Pending@0', 'Running@0', `TimedOut@${timeoutSeconds * 1000}`]);
  assert.ok(signal?.aborted && isTimeoutError(signal.reason));
}
// #endregion property-testing-your-own-task-4

async function timeoutProperty(): Promise<void> {
  // #region property-testing-your-own-task-5
  const timeoutSeconds = fc.integer({ min: 1, max: 600 });
  const overrunMs = fc.integer({ min: 1, max: 3_600_000 });
  await fc.assert(fc.asyncProperty(timeoutSeconds, overrunMs, timesOutExactly));
  // #endregion property-testing-your-own-task-5
  console.log('render times out at exactly timeoutSeconds: 100 cases passed');
}

async function startAndSeed(): Promise<void> {
  // #region with-virtual-time
  const body = flaky(2, () => 'exported');
  const nightlyExport = task(
    { name: 'nightly-export', retries: 2, retryDelaySeconds: 600, retryJitterFactor: 0.5 },
    body,
  );
  const clockTimes = async () => {
    body.reset(); // each run fails twice again
    const states = await lastValueFrom(nightlyExport.run$().pipe(toArray()));
    return states.map((s) => `${s.name} ${s.timestamp.toISOString().slice(11, 23)}`);
  };

  const options = { start: new Date('2025-03-01T02:00:00Z'), seed: 42 };
  const first = await withVirtualTime(clockTimes, options);
  const second = await withVirtualTime(clockTimes, options);
  console.log(first.join(', '));
  // Pending 02:00:00.000, Running 02:00:00.000, AwaitingRetry 02:00:00.000, Retrying 02:13:25.612,
  // AwaitingRetry 02:13:25.612, Retrying 02:23:18.256, Completed 02:23:18.256
  assert.deepEqual(second, first); // same seed: the same jitter, to the millisecond
  // #endregion with-virtual-time
}

async function concurrentCalls(): Promise<void> {
  // #region with-virtual-time-2
  const every = (seconds: number) =>
    task(
      { name: `every-${seconds}s`, retries: 3, retryDelaySeconds: seconds },
      flaky(3, () => seconds),
    );

  const [a, b] = await Promise.all([
    withVirtualTime(() => collectTimeline(every(7).run$())),
    withVirtualTime(() => collectTimeline(every(60).run$())),
  ]);
  console.log(attemptTimes(a), attemptTimes(b)); // [ 0, 7000, 14000, 21000 ] [ 0, 60000, 120000, 180000 ]
  // #endregion with-virtual-time-2
}

async function clockRestored(): Promise<void> {
  // #region with-virtual-time-3
  const message = await withVirtualTime(async () => {
    await sleep(60_000);
    throw new Error('boom after a virtual minute');
  }).catch((error: Error) => error.message);
  console.log(message); // boom after a virtual minute

  const ping = task({ name: 'ping' }, () => 'pong');
  const [pending] = await lastValueFrom(ping.run$().pipe(toArray()));
  console.log(pending.timestamp.getFullYear() > 2000); // true: outside, runs are on real time again
  // #endregion with-virtual-time-3
}

async function deadlocks(): Promise<void> {
  // #region deadlocks-and-runaway-timers
  const waitForWebhook = task(
    { name: 'wait-for-webhook', taskRunName: 'wait-for-webhook' },
    () => new Promise<never>(() => {}), // nobody will ever call back
  );
  const error = await withVirtualTime(() => waitForWebhook()).catch((e: unknown) => e);
  if (isDeadlockError(error)) console.log(error.message);
  // withVirtualTime: deadlock — nothing is running and no timer is due; still waiting: task run 'wait-for-webhook' (Running)

  const poll = task({ name: 'poll' }, async () => {
    for (;;) await sleep(60_000); // polls forever
  });
  const limit = await withVirtualTime(() => poll(), { maxSteps: 1000 }).catch((e: unknown) => e);
  if (isStepLimitError(limit)) console.log(`gave up after ${limit.virtualTime / 60_000} virtual minutes`);
  // gave up after 1000 virtual minutes
  // #endregion deadlocks-and-runaway-timers
}

async function sleepWithSignal(): Promise<void> {
  // #region sleep
  let signal: AbortSignal | undefined;
  const slowReport = task({ name: 'slow-report', timeoutSeconds: 30 }, async () => {
    signal = getRunContext().signal;
    await sleep(3_600_000, signal); // an hour of "work", unless the run's signal aborts first
    return 'report';
  });

  const timeline = await withVirtualTime(() => collectTimeline(slowReport.run$()));
  console.log(timeline.map((e) => `${e.name}@${e.at / 1000}s`).join(' ')); // Pending@0s Running@0s TimedOut@30s
  console.log(signal?.aborted, isTimeoutError(signal?.reason)); // true true
  // #endregion sleep
}

async function flakyFunctions(): Promise<void> {
  // #region flaky
  const byCount = flaky(2, (id: number) => ({ id })); // calls 1 and 2 throw Error('flaky: planned failure k of 2')
  const byList = flaky([new Error('ECONNRESET'), '503 Service Unavailable'], () => 'ok'); // throws each, in order
  const byFunction = flaky(
    { failures: 1, error: (attempt) => new RangeError(`attempt ${attempt}`) },
    () => 'ok',
  );

  const loadUser = task({ name: 'load-user', retries: 3, retryDelaySeconds: [1, 10, 100] }, byCount);
  console.log(await withVirtualTime(() => loadUser(7))); // { id: 7 }
  console.log(byCount.calls, byCount.callTimes, byCount.gaps); // 3 [ 0, 1000, 11000 ] [ 1000, 10000 ]
  byCount.reset(); // forget the calls: the script starts over

  const thrown = [await byList().catch(String), await byList().catch(String), await byList()];
  console.log(thrown); // [ 'Error: ECONNRESET', '503 Service Unavailable', 'ok' ]
  console.log(await byFunction().catch(String)); // RangeError: attempt 1
  // #endregion flaky
}

async function timelines(): Promise<void> {
  // #region collect-timeline
  const extract = task(
    { name: 'extract', taskRunName: 'extract', retries: 1, retryDelaySeconds: 300 },
    flaky(1, () => [1, 2, 3]),
  );
  const load = task({ name: 'load', taskRunName: 'load' }, async (rows: number[]) => {
    await sleep(2000);
    return rows.length;
  });
  const etl = flow({ name: 'etl', flowRunName: 'etl' }, async () => load(await extract()));

  const timeline = await withVirtualTime(() => collectTimeline(etl.run$(), { children: true }));
  for (const { at, kind, run, name } of timeline) console.log(`${at / 1000}s`.padStart(5), kind, run, name);
  console.log(attemptTimes(timeline, 'extract')); // [ 0, 300000 ]
  // #endregion collect-timeline
}

async function arbitraries(): Promise<void> {
  // #region arbitraries-and-expected-delays
  const quick = arbRetryPolicy({ maxRetries: 2, maxDelaySeconds: 60, jitter: 'never' }); // retries 0..2, waits ≤ 60 s
  const alwaysFails = arbFailureScript({ minFailures: 1, maxFailures: 3, kinds: ['error', 'string'] });
  fc.assert(
    fc.property(quick, alwaysFails, (policy, script) => {
      assert.ok(policy.retries <= 2 && expectedDelays(policy).every((ms) => ms <= 60_000));
      assert.ok(script.length >= 1 && script.every((e) => e instanceof Error || typeof e === 'string'));
    }),
  );

  console.log(expectedDelays({ retries: 3, retryDelaySeconds: exponentialBackoff(10) })); // [ 10000, 20000, 40000 ]
  console.log(expectedDelays({ retries: 4, retryDelaySeconds: [1, 5] }, 3)); // [ 1000, 5000, 5000 ]
  console.log(delayBounds({ retries: 1, retryDelaySeconds: 10, retryJitterFactor: 0.5 })); // [ { min: 5000, max: 15000 } ]
  // #endregion arbitraries-and-expected-delays
}

async function lowerLevel(): Promise<void> {
  // #region lower-level
  const scheduler = new VirtualScheduler();
  const seen: number[] = [];
  interval(1000, scheduler)
    .pipe(take(3))
    .subscribe(() => seen.push(scheduler.now()));
  scheduler.advanceTo(5000); // runs every timer due by 5 s, in order
  console.log(seen); // [ 1000, 2000, 3000 ]

  const random = seededRandom(42);
  const again = seededRandom(42);
  console.log(random() === again(), random() === again()); // true true
  // #endregion lower-level
}

const sections: [string, () => Promise<void>][] = [
  ['why virtual time', whyVirtualTime],
  ['property tests', propertyTests],
  ['timeout property', timeoutProperty],
  ['start and seed', startAndSeed],
  ['concurrent calls', concurrentCalls],
  ['clock restored', clockRestored],
  ['deadlocks', deadlocks],
  ['sleep', sleepWithSignal],
  ['flaky', flakyFunctions],
  ['timelines', timelines],
  ['arbitraries', arbitraries],
  ['lower level', lowerLevel],
];

async function main(): Promise<void> {
  for (const [title, section] of sections) {
    console.log(`## ${title}`);
    await section();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
