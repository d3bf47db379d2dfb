/**
 * Observing states: every run is a cold Observable of typed states, and `runStates$` is the
 * hot stream of every transition in the process.
 *
 * 1. `task.run$(...)` starts a new run per subscription; each state is matched exhaustively
 *    with ts-pattern, so adding a state type would be a compile error here.
 * 2. `runStates$` with RxJS operators: a per-run summary of a flow with concurrent children,
 *    built with `filter`, `groupBy` and `reduce`, and ended with `takeWhile` on the flow's
 *    final state.
 *
 * Run it with `npx tsx examples/observe-states.ts`.
 */
import { filter, groupBy, lastValueFrom, mergeMap, reduce, takeWhile, tap, toArray } from 'rxjs';
import { match, P } from 'ts-pattern';
import {
  flow,
  getRunContext,
  isFinal,
  runStates$,
  task,
  type RunStateEvent,
  type State,
} from '../lib/index.node.js';

interface RunSummary {
  name: string;
  first: Date;
  last: State;
  transitions: number;
}

const t0 = Date.now();
const at = (date: Date) => `+${date.getTime() - t0}ms`;

/** One line per state, decided by an exhaustive match on `type` (and `name` where it matters). */
function describe(state: State<number>): string {
  return match(state)
    .with({ type: 'PENDING', name: 'NotReady' }, () => 'not ready: an upstream run failed')
    .with({ type: 'PENDING' }, () => 'created, not started')
    .with({ type: 'RUNNING', name: 'Retrying' }, (s) => `attempt ${s.details?.runCount} started`)
    .with({ type: 'RUNNING' }, () => 'attempt 1 started')
    .with(
      { type: 'SCHEDULED', name: 'AwaitingRetry' },
      (s) => `waiting until ${at(s.details!.scheduledTime!)}`,
    )
    .with({ type: 'SCHEDULED' }, (s) => `scheduled (${s.name})`)
    .with({ type: 'COMPLETED' }, (s) => `result ${s.data}`)
    .with({ type: 'FAILED', name: 'TimedOut' }, (s) => `timed out: ${s.message}`)
    .with({ type: 'FAILED' }, (s) => `failed: ${s.message}`)
    .with({ type: P.union('CANCELLING', 'CANCELLED') }, (s) => `cancelled: ${s.message}`)
    .with({ type: 'CRASHED' }, (s) => `crashed: ${s.message}`)
    .with({ type: 'PAUSED' }, () => 'paused')
    .exhaustive();
}

let calls = 0;
const square = task({ name: 'square', retries: 2, retryDelaySeconds: 0.05 }, async (n: number) => {
  if (++calls === 1) throw new Error('cold cache, try again');
  return n * n;
});

const work = task({ name: 'work', taskRunName: 'work-{ms}' }, async (ms: number) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return getRunContext().taskRun!.name;
});

const fanOut = flow({ name: 'fan-out', flowRunName: 'fan-out' }, async () =>
  Promise.all([work(60), work(20), work(40)]),
);

async function main(): Promise<void> {
  console.log('1. square.run$(7), matched with ts-pattern');
  const states = square.run$(7);
  // Cold: nothing has run yet. Each subscription below is a run of its own.
  await lastValueFrom(
    states.pipe(
      tap((state) =>
        console.log(`  ${at(state.timestamp).padEnd(7)} ${state.name.padEnd(13)} ${describe(state)}`),
      ),
    ),
  );
  const again = await lastValueFrom(states);
  console.log(`  subscribing again started a second run: ${again.name} with ${again.data}`);

  console.log('2. runStates$: a summary per run of a flow with concurrent tasks');
  const summary = runStates$.pipe(
    takeWhile(({ run, state }) => !(run.kind === 'flow' && isFinal(state)), true),
    filter(({ run }) => run.kind === 'task'),
    groupBy(({ run }) => run.id),
    mergeMap((events) =>
      events.pipe(
        reduce<RunStateEvent, RunSummary | undefined>(
          (acc, { run, state }) => ({
            name: run.name,
            first: acc?.first ?? state.timestamp,
            last: state,
            transitions: (acc?.transitions ?? 0) + 1,
          }),
          undefined,
        ),
      ),
    ),
    toArray(),
  );
  const [rows] = await Promise.all([lastValueFrom(summary), fanOut()]);
  // Sort by run name, so the order of completion does not change the output.
  for (const row of rows.filter((r) => r !== undefined).sort((a, b) => a.name.localeCompare(b.name))) {
    const ms = row.last.timestamp.getTime() - row.first.getTime();
    console.log(
      `  ${row.name.padEnd(8)} ${row.last.name.padEnd(10)} ${row.transitions} transitions in ~${ms}ms`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
