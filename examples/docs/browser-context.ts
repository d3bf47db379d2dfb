/**
 * The code of docs/design.md ("Context in the browser build"): run context without
 * AsyncLocalStorage. This file imports the browser build of the root entry (`lib/index.ts`, what
 * a bundler resolves `rxflow` to without the `node` condition), so nothing follows `await`:
 *
 * - before the body's first `await`, the flow's frame is current: links are exact;
 * - after it, a task run links to the innermost active flow run, as long as the active flow
 *   runs form one chain (a flow and the subflows it is awaiting);
 * - with unrelated flow runs active at once, there is no safe guess: the task run is standalone;
 * - a flow run started after an `await` is a root flow run: the engine cannot tell it from a
 *   flow started by plain code while another flow is active, and linking that one would let
 *   one flow's cancellation cancel an unrelated flow.
 *
 * Run it with `npx tsx examples/docs/browser-context.ts`.
 */
import { flow, getRunContext, runStates$, task } from '../../lib/index.js';

const whereAmI = task({ name: 'where-am-i' }, () => getRunContext().flowRun?.name ?? 'standalone');
const tick = (ms = 10) => new Promise((resolve) => setTimeout(resolve, ms));

async function oneChain(): Promise<void> {
  // #region context
  const child = flow({ name: 'child', flowRunName: 'child' }, async () => {
    await tick();
    return whereAmI(); // after an await: the innermost active flow run of the one chain
  });
  const parent = flow({ name: 'parent', flowRunName: 'parent' }, async () => {
    const inChild = await child(); // started before any await: an exact subflow link
    const after = await whereAmI(); // the child has ended: the chain is just 'parent' again
    const late = await child(); // a flow started after an await is a root flow run
    return [inChild, after, late];
  });
  console.log(await parent()); // [ 'child', 'parent', 'standalone' ]
  // #endregion context
}

async function concurrentSubflows(): Promise<void> {
  // #region context-2
  const job = flow({ name: 'job', flowRunName: 'job-{n}' }, async (n: number) => {
    const before = await whereAmI(); // exact: called before the body's first await
    await tick(10 + n);
    const after = await whereAmI(); // two subflows are active side by side: no safe guess
    await tick(); // both stay active until both have asked
    return `${before} / ${after}`;
  });
  const batch = flow({ name: 'batch', flowRunName: 'batch' }, () => Promise.all([job(1), job(2)]));
  console.log(await batch()); // [ 'job-1 / standalone', 'job-2 / standalone' ]
  // #endregion context-2
}

async function topLevelPitfall(): Promise<void> {
  // #region context-3
  const names = new Map<string, string>();
  const parents: string[] = [];
  const subscription = runStates$.subscribe(({ run, state }) => {
    names.set(run.id, run.name);
    if (run.kind === 'flow' && state.name === 'Pending') {
      parents.push(`${run.name} <- ${run.parentRunId === undefined ? 'none' : names.get(run.parentRunId)}`);
    }
  });
  const report = flow({ name: 'report', flowRunName: 'report-{n}' }, async (n: number) => {
    await tick();
    return n;
  });
  // Started from plain code while 'report-1' is active: both are root flow runs, never each
  // other's subflow, so cancelling one cannot cancel the other.
  await Promise.all([report(1), report(2)]);
  subscription.unsubscribe();
  console.log(parents); // [ 'report-1 <- none', 'report-2 <- none' ]
  // #endregion context-3
}

async function main(): Promise<void> {
  console.log('## one chain of flow runs');
  await oneChain();
  console.log('## concurrent subflows');
  await concurrentSubflows();
  console.log('## flows started together from plain code');
  await topLevelPitfall();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
