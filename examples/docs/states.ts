/**
 * The code of docs/states.md: every transition sequence the engine produces, recorded on a
 * virtual clock (so the timestamps are exact), then matching states with ts-pattern, and
 * checking states that crossed a process boundary with `StateSchema`.
 *
 * Run it with `npx tsx examples/docs/states.ts`.
 */
// #region states
import { from, lastValueFrom, takeUntil, toArray, type Observable } from 'rxjs';
import { match, P } from 'ts-pattern';
import { z } from 'zod';
import {
  canTransition,
  flow,
  getRunContext,
  isFinal,
  NonRetriableError,
  StateSchema,
  task,
  type State,
} from '../../lib/index.node.js';
import { collectTimeline, flaky, sleep, withVirtualTime } from '../../lib/testing/index.node.js';
// #endregion states
import { runSections } from './sections.js';

// #region transition-sequences
/** Runs `run$()` on a virtual clock and prints its timeline: `Pending 0s → Running 0s → …`. */
async function record(label: string, run$: () => Observable<State>, children = false): Promise<void> {
  const timeline = await withVirtualTime(() => collectTimeline(run$(), { children }));
  const many = new Set(timeline.map((e) => e.run)).size > 1;
  const steps = timeline.map((e) => `${many ? `[${e.run}] ` : ''}${e.name} ${e.at / 1000}s`);
  console.log(`${label}:`.padEnd(20), steps.join(' → '));
}

/** A body that waits a minute of (virtual) time, unless its run's signal aborts first. */
const slowly = async () => sleep(60_000, getRunContext().signal);
// #endregion transition-sequences

async function sequences(): Promise<void> {
  // #region transition-sequences-2
  const ok = task({ name: 'ok' }, () => 'done');
  const oneFailure = task(
    { name: 'one-failure', retries: 1, retryDelaySeconds: 10 },
    flaky(1, () => 'done'),
  );
  const zeroDelay = task(
    { name: 'zero-delay', retries: 1 },
    flaky(1, () => 'done'),
  );
  let attempt = 0;
  const slowOnce = task({ retries: 1, retryDelaySeconds: 10, timeoutSeconds: 5 }, () =>
    ++attempt === 1 ? slowly() : 'done',
  );
  const exhausted = task(
    { name: 'exhausted', retries: 2, retryDelaySeconds: [1, 5] },
    flaky(3, () => 'done'),
  );
  const timeout = task({ name: 'timeout', timeoutSeconds: 30 }, slowly);
  const fatal = task({ name: 'fatal', retries: 3 }, () => {
    throw new NonRetriableError('bad credentials');
  });
  const cancelled = task({ name: 'cancelled' }, slowly);

  await record('success', () => ok.run$());
  await record('failure, retry', () => oneFailure.run$());
  await record('zero delay', () => zeroDelay.run$());
  await record('timed out, retry', () => slowOnce.run$());
  await record('retries exhausted', () => exhausted.run$());
  await record('timeout', () => timeout.run$());
  await record('NonRetriableError', () => fatal.run$());
  await record('unsubscribed', () => cancelled.run$().pipe(takeUntil(from(sleep(5000)))));
  // #endregion transition-sequences-2
}

async function flowSequences(): Promise<void> {
  // #region transition-sequences-3
  const typed = flow({ name: 'typed', parameters: z.object({ n: z.number() }) }, ({ n }) => n);
  const invalid: unknown = { n: 'three' };
  await record('bad parameters', () => typed.run$(invalid as { n: number }));

  const child = task({ name: 'child', taskRunName: 'child' }, slowly);
  const parent = flow({ name: 'parent', flowRunName: 'parent', timeoutSeconds: 10 }, () => child());
  await record('flow timeout', () => parent.run$(), true);
  // #endregion transition-sequences-3
}

// #region matching-with-ts-pattern
/** One line per state: the match is exhaustive, so a new state type is a compile error here. */
function describeState(state: State): string {
  return match(state)
    .with({ type: 'COMPLETED', name: 'Cached' }, () => 'done (from the cache)')
    .with({ type: 'COMPLETED' }, (s) => `done: ${JSON.stringify(s.data)}`)
    .with({ type: 'FAILED', name: 'TimedOut' }, (s) => `too slow: ${s.message}`)
    .with({ type: 'FAILED' }, (s) => `failed: ${s.message}`)
    .with(
      { type: 'SCHEDULED', name: 'AwaitingRetry' },
      (s) => `retry at ${s.details?.scheduledTime?.toISOString()}`,
    )
    .with({ type: 'RUNNING', name: 'Retrying' }, (s) => `attempt ${s.details?.runCount}`)
    .with({ type: P.union('SCHEDULED', 'PENDING', 'RUNNING', 'PAUSED') }, (s) => s.name)
    .with({ type: P.union('CANCELLING', 'CANCELLED', 'CRASHED') }, (s) => `stopped: ${s.message}`)
    .exhaustive();
}
// #endregion matching-with-ts-pattern

async function matching(): Promise<void> {
  // #region matching-with-ts-pattern-2
  const lookup = task(
    { name: 'lookup', retries: 1, retryDelaySeconds: 60 },
    flaky(1, (id: number) => ({ id })),
  );
  const states = await withVirtualTime(() => lastValueFrom(lookup.run$(7).pipe(toArray())));
  for (const state of states) console.log(`${isFinal(state) ? '■' : '·'} ${describeState(state)}`);
  // · Pending
  // · Running
  // · retry at 1970-01-01T00:01:00.000Z
  // · attempt 2
  // ■ done: {"id":7}
  // #endregion matching-with-ts-pattern-2
}

async function wire(): Promise<void> {
  // #region states-on-the-wire
  const double = task({ name: 'double' }, (x: number) => x * 2);
  const [, , completed] = await lastValueFrom(double.run$(21).pipe(toArray()));

  // States are plain data: send them as JSON, and check them with StateSchema on arrival.
  const json = JSON.stringify(completed);
  const revive = (key: string, value: unknown) => (key === 'timestamp' ? new Date(value as string) : value);
  const received = StateSchema.parse(JSON.parse(json, revive));
  console.log(received.type, received.name, received.data); // COMPLETED Completed 42

  console.log(StateSchema.safeParse({ ...received, name: 'Failed' }).success); // false: a COMPLETED state is never 'Failed'
  console.log(canTransition('Running', 'Completed'), canTransition('Completed', 'Running')); // true false
  // #endregion states-on-the-wire
}

runSections([
  ['transition sequences', sequences],
  ['flow sequences', flowSequences],
  ['matching with ts-pattern', matching],
  ['states on the wire', wire],
]);
