/**
 * The code of docs/operators.md: the operators of `rxflow/operators` a run is made of, used on their own,
 * without tasks or flows, and a marble test of one of them.
 *
 * Run it with `npx tsx examples/docs/operators.ts`.
 */
// #region imports
import { deepStrictEqual } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { defer, lastValueFrom, map, takeUntil, throwError, timer, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { isOptionValidationError } from '../../lib/index.node.js';
import {
  exponentialBackoff,
  fromAbortable,
  retryWithBackoff,
  timeoutWithAbort,
  toStates,
  type RetryWithBackoffConfig,
} from '../../lib/operators/index.js';
// #endregion imports
import { runSections } from './sections.js';

async function fromAbortableSection(): Promise<void> {
  // #region fromabortable
  let seen: AbortSignal | undefined;
  const download$ = fromAbortable(({ signal }) => {
    seen = signal;
    return sleep(5000, 'the file', { signal }); // any API that takes an AbortSignal
  });

  // Unsubscribing before the work finished aborts its signal: the timer above is cleared.
  await lastValueFrom(download$.pipe(takeUntil(timer(50))), { defaultValue: 'stopped' });
  console.log(seen?.aborted, (seen?.reason as Error).name); // true CancelledError
  // #endregion fromabortable
}

async function timeoutWithAbortSection(): Promise<void> {
  // #region timeoutwithabort
  let reason: unknown;
  const query$ = fromAbortable(async ({ signal }) => {
    signal.addEventListener('abort', () => (reason = signal.reason));
    return sleep(5000, 'rows', { signal });
  });

  const error = await lastValueFrom(query$.pipe(timeoutWithAbort({ seconds: 0.1, what: 'The query' }))).catch(
    (e: Error) => e,
  );
  console.log(error === reason, `${(error as Error).name}: ${(error as Error).message}`);
  // true TimeoutError: The query timed out after 0.1 seconds
  // #endregion timeoutwithabort
}

async function retryWithBackoffSection(): Promise<void> {
  // #region retrywithbackoff
  let calls = 0;
  const flaky$ = defer(() =>
    ++calls < 4 ? throwError(() => new Error(`failure ${calls}`)) : [`ok after ${calls}`],
  );

  const result = await lastValueFrom(
    flaky$.pipe(
      retryWithBackoff({
        retries: 5,
        delaySeconds: exponentialBackoff(0.02), // [0.02, 0.04, 0.08, 0.16, 0.32] for 5 retries
        jitterFactor: 0.5,
        random: () => 0.5, // the middle of the jitter range: no change, for a readable printout
        shouldRetry: (error) => !(error instanceof TypeError),
        onRetryScheduled: ({ attempt, delayMs }) =>
          console.log(`attempt ${attempt} failed, retrying in ${delayMs} ms`),
      }),
    ),
  );
  console.log(result);
  // attempt 1 failed, retrying in 20 ms
  // attempt 2 failed, retrying in 40 ms
  // attempt 3 failed, retrying in 80 ms
  // ok after 4
  // #endregion retrywithbackoff
}

function misspeltOptionSection(): void {
  // #region misspelt-option
  try {
    retryWithBackoff({ retries: 3, delaySecond: 1 } as RetryWithBackoffConfig);
  } catch (error) {
    console.log(isOptionValidationError(error), (error as Error).message);
    // true retryWithBackoff: invalid option 'delaySecond': unknown option (the options are retries, delaySeconds, …)
  }
  // #endregion misspelt-option
}

async function toStatesSection(): Promise<void> {
  // #region tostates
  let attempt = 0;
  const attempt$ = fromAbortable(async ({ signal }) => {
    if (++attempt === 1) await sleep(5000, undefined, { signal }); // the first attempt hangs
    return { rows: 3 };
  });

  const states = await lastValueFrom(
    attempt$.pipe(
      toStates({ retries: 2, retryDelaySeconds: 0.05, timeoutSeconds: 0.1 }),
      map((s) => s.name),
      toArray(),
    ),
  );
  console.log(states.join(' → ')); // Running → AwaitingRetry → Retrying → Completed
  // #endregion tostates
}

function marbleTest(): void {
  // #region testing-with-marbles
  const testScheduler = new TestScheduler((actual, expected) => deepStrictEqual(actual, expected));
  testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
    const source = cold('-#');
    const retried = source.pipe(
      retryWithBackoff({ retries: 2, delaySeconds: [0.01, 0.02], scheduler: testScheduler }),
    );
    // Fails at 1 ms; resubscribed at 11 ms (fails at 12), at 32 ms (fails at 33): then gives up.
    expectObservable(retried).toBe('33ms #');
    expectSubscriptions(source.subscriptions).toBe(['^!', '11ms ^!', '32ms ^!']);
  });
  console.log('marble test passed');
  // #endregion testing-with-marbles
}

runSections([
  ['fromAbortable', fromAbortableSection],
  ['timeoutWithAbort', timeoutWithAbortSection],
  ['retryWithBackoff', retryWithBackoffSection],
  ['misspelt options', misspeltOptionSection],
  ['toStates', toStatesSection],
  ['marble test', marbleTest],
]);
