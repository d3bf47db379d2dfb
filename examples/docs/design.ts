/**
 * The code of docs/design.md (Node build): a run is an operator pipeline, one clock stamps
 * everything, and run context follows `await` and concurrent branches.
 * The browser build's context rules are shown in examples/docs/browser-context.ts.
 *
 * Run it with `npx tsx examples/docs/design.ts`.
 */
import { asyncScheduler, lastValueFrom, toArray, type Observable, type SchedulerLike } from 'rxjs';
import { configureClock, flow, getRunContext, task, type State } from '../../lib/index.node.js';
import { fromAbortable, toStates } from '../../lib/operators/index.js';
import { runSections } from './sections.js';

async function runIsAPipeline(): Promise<void> {
  // #region a-run-is-an-observable
  let calls = 0;
  const body = async () => {
    if (++calls % 2 === 1) throw new Error('first attempt fails');
    return 'ok';
  };
  const policy = { retries: 1, retryDelaySeconds: 0.05 };

  const viaTask = task(policy, body).run$();
  const viaOperators = fromAbortable(body).pipe(toStates(policy));

  const names = async (states$: Observable<State>) =>
    (await lastValueFrom(states$.pipe(toArray()))).map((s) => s.name);
  console.log((await names(viaTask)).join(' → ')); // Pending → Running → AwaitingRetry → Retrying → Completed
  console.log((await names(viaOperators)).join(' → ')); // Running → AwaitingRetry → Retrying → Completed
  // #endregion a-run-is-an-observable
}

async function oneClock(): Promise<void> {
  // #region the-clock
  // The real scheduler, with its clock moved to 2030: delays and timeouts behave as usual.
  const offset = Date.UTC(2030, 0, 1) - asyncScheduler.now();
  const in2030: SchedulerLike = {
    now: () => asyncScheduler.now() + offset,
    schedule: asyncScheduler.schedule.bind(asyncScheduler),
  };
  const restore = configureClock({ scheduler: in2030, random: () => 0 });
  try {
    const hello = flow({ name: 'hello' }, () => getRunContext().flowRun?.name);
    const states = await lastValueFrom(hello.run$().pipe(toArray()));
    console.log(states.at(-1)?.data, states.at(-1)?.timestamp.toISOString().slice(0, 10)); // amber-otter 2030-01-01
  } finally {
    restore();
  }
  // #endregion the-clock
}

async function contextFollowsAwait(): Promise<void> {
  // #region context
  const whereAmI = task({ name: 'where-am-i' }, () => getRunContext().flowRun?.name);
  const region = flow({ name: 'region', flowRunName: 'region-{code}' }, async (code: string) => {
    await new Promise((resolve) => setTimeout(resolve, code === 'eu' ? 30 : 10)); // interleave the branches
    return whereAmI();
  });
  const all = flow({ name: 'all' }, async () => Promise.all([region('eu'), region('us')]));

  console.log(await all()); // [ 'region-eu', 'region-us' ]
  // #endregion context
}

runSections([
  ['a run is a pipeline', runIsAPipeline],
  ['one clock', oneClock],
  ['context follows await', contextFollowsAwait],
]);
