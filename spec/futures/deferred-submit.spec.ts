// Submitted runs that wait for a runner slot are built when they start (SubmittedRun.defer),
// unless something could see the difference. These run on the real clock on purpose: virtual
// time turns deferral off. No test waits for a timer; gates are promises.
import { lastValueFrom, toArray } from 'rxjs';
import {
  ConcurrentTaskRunner,
  flow,
  getClient,
  isCancelledError,
  MemoryRunStore,
  runStates$,
  setRunStore,
  task,
  type RunStateEvent,
  type State,
  type TaskRunFuture,
  type TaskRunner,
  type TaskRunnerJob,
} from '../../lib/index.node';
import { deferred } from '../engine/support';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Whether a future's run has a driver yet (internal: what deferral saves). */
const built = (future: TaskRunFuture<unknown>): boolean =>
  (future as unknown as { run: { driver: unknown; final: unknown } }).run.driver !== undefined ||
  (future as unknown as { run: { final: unknown } }).run.final !== undefined;

/** A task whose runs wait for `gate` and count how often their body ran. */
function gated() {
  const gate = deferred();
  const calls: number[] = [];
  const step = task({ name: 'step' }, async (x: number) => {
    calls.push(x);
    await gate.promise;
    return x * 10;
  });
  return { gate, calls, step };
}

const oneAtATime = () => new ConcurrentTaskRunner({ maxConcurrency: 1 });

/**
 * Runs `submitAll` in a flow with one runner slot whose first run never ends, cancels the flow
 * once they are submitted, and returns how each run ended and which bodies ran.
 */
async function cancelWhileQueued(
  submitAll: (step: ReturnType<typeof gated>['step']) => TaskRunFuture<number>[],
): Promise<{ ends: State<number>[]; calls: number[]; builtAtSubmit: boolean[] }> {
  const { calls, step } = gated(); // the gate never opens: the first run waits until cancelled
  let futures: TaskRunFuture<number>[] = [];
  let builtAtSubmit: boolean[] = [];
  const started = deferred();
  const f = flow({ taskRunner: oneAtATime() }, async () => {
    futures = submitAll(step);
    builtAtSubmit = futures.map(built);
    started.resolve();
    await new Promise(() => {}); // until cancelled
  });
  const subscription = f.run$().subscribe();
  await started.promise;
  subscription.unsubscribe();
  const ends = await Promise.all(futures.map((x) => x.wait()));
  return { ends, calls, builtAtSubmit };
}

describe('deferred submitted runs', () => {
  it('should give queued runs ids, names and Pending at once, and build them when they start', async () => {
    const { gate, calls, step } = gated();
    const seen: { ids: string[]; names: string[]; built: boolean[]; states: string[] } = {
      ids: [],
      names: [],
      built: [],
      states: [],
    };
    const f = flow({ taskRunner: oneAtATime() }, async () => {
      const futures = [step.submit(1), step.submit(2), step.submit(3)];
      seen.ids = futures.map((x) => x.id);
      seen.built = futures.map(built);
      seen.states = futures.map((x) => x.state.name);
      gate.resolve();
      const results = await Promise.all(futures.map((x) => x.result()));
      seen.names = await Promise.all(futures.map(async (x) => (await getClient().readTaskRun(x.id))!.name));
      return results;
    });
    expect(await f()).toEqual([10, 20, 30]);
    expect(calls).toEqual([1, 2, 3]);
    for (const id of seen.ids) expect(id).toMatch(UUID);
    expect(new Set(seen.ids).size).toBe(3);
    // The first starts at once (its driver is built); the two queued behind it are not built yet.
    expect(seen.built).toEqual([true, false, false]);
    expect(seen.states).toEqual(['Running', 'Pending', 'Pending']);
    expect(seen.names).toEqual(seen.ids.map((id) => `step-${id.slice(-3)}`));
  });

  it('should tell a queued run’s state$ subscriber Pending once, then Running and Completed', async () => {
    const { gate, step } = gated();
    let states: State[] = [];
    let info: { startTime: Date; pending: Date } | undefined;
    const f = flow({ taskRunner: oneAtATime() }, async () => {
      const first = step.submit(1);
      const queued = step.submit(2);
      const all = lastValueFrom(queued.state$.pipe(toArray()));
      gate.resolve();
      await first.result();
      states = await all;
      const stored = (await getClient().readTaskRun(queued.id))!;
      const history = await getClient().readRunStates(queued.id);
      info = { startTime: stored.startTime, pending: history[0]!.timestamp };
    });
    await f();
    expect(states.map((s) => s.name)).toEqual(['Pending', 'Running', 'Completed']);
    // The run's start time is when it was submitted, as for a run built at once.
    expect(info!.startTime.getTime()).toBe(info!.pending.getTime());
    expect(info!.startTime.getTime()).toBeLessThanOrEqual(states[1]!.timestamp.getTime());
  });

  it('should build runs at submit while runStates$ is observed, so listeners see Pending then', async () => {
    const { gate, step } = gated();
    const events: RunStateEvent[] = [];
    const subscription = runStates$.subscribe((e) => events.push(e));
    try {
      let queuedBuilt = false;
      let pendingBeforeStart = false;
      const f = flow({ taskRunner: oneAtATime() }, async () => {
        step.submit(1);
        const queued = step.submit(2);
        queuedBuilt = built(queued);
        pendingBeforeStart = events.some((e) => e.run.id === queued.id && e.state.name === 'Pending');
        gate.resolve();
        return queued.result();
      });
      expect(await f()).toBe(20);
      expect(queuedBuilt).toBe(true);
      expect(pendingBeforeStart).toBe(true);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('should build runs at submit with a run store of the user’s, which sees every state', async () => {
    const { gate, step } = gated();
    class Recording extends MemoryRunStore {
      readonly names: string[] = [];
      override recordState(...args: Parameters<MemoryRunStore['recordState']>): void {
        this.names.push(args[1].name);
        super.recordState(...args);
      }
    }
    const store = new Recording();
    const restore = setRunStore(store);
    try {
      let queuedBuilt = false;
      const f = flow({ taskRunner: oneAtATime() }, async () => {
        step.submit(1);
        const queued = step.submit(2);
        queuedBuilt = built(queued);
        gate.resolve();
        return queued.result();
      });
      expect(await f()).toBe(20);
      expect(queuedBuilt).toBe(true);
      expect(store.names.filter((n) => n === 'Pending')).toHaveLength(3); // the flow and both tasks
    } finally {
      restore();
    }
  });

  it('should end a cancelled queued run Cancelled without calling its body, and run the next', async () => {
    const { gate, calls, step } = gated();
    let ends: string[] = [];
    const f = flow({ taskRunner: oneAtATime() }, async () => {
      const futures = [step.submit(1), step.submit(2), step.submit(3)];
      futures[1]!.cancel();
      expect(futures[1]!.state.name).toBe('Cancelled');
      gate.resolve();
      ends = (await Promise.all(futures.map((x) => x.wait()))).map((s) => s.name);
    });
    await f();
    expect(ends).toEqual(['Completed', 'Cancelled', 'Completed']);
    expect(calls).toEqual([1, 3]);
  });

  it('should cancel queued runs when their flow is cancelled, never calling their bodies', async () => {
    const { ends, calls } = await cancelWhileQueued((step) => [
      step.submit(1),
      step.submit(2),
      step.submit(3),
    ]);
    expect(ends.map((s) => s.name)).toEqual(['Cancelled', 'Cancelled', 'Cancelled']);
    expect(isCancelledError(ends[2]!.error)).toBe(true);
    expect(calls).toEqual([1]);
  });

  it('should show queued runs to client reads, which build them (Pending at their submit time)', async () => {
    const { gate, step } = gated();
    let listed: string[] = [];
    let queuedState = '';
    const f = flow({ taskRunner: oneAtATime() }, async () => {
      const futures = [step.submit(1), step.submit(2)];
      const records = await getClient().readTaskRuns();
      listed = records.map((r) => r.id);
      queuedState = records.find((r) => r.id === futures[1]!.id)!.state.name;
      expect(built(futures[1]!)).toBe(true);
      gate.resolve();
      await Promise.all(futures.map((x) => x.result()));
      return futures.map((x) => x.id);
    });
    const ids = await f();
    expect(listed).toEqual(expect.arrayContaining(ids));
    expect(queuedState).toBe('Pending');
  });

  it('should pass each item of a one-iterable map as the only argument, arrays and undefined included', async () => {
    const seen: unknown[][] = [];
    const echo = task({ name: 'echo' }, async (...args: unknown[]) => {
      seen.push(args);
      return args[0];
    });
    const items: unknown[] = [undefined, [1, 2], null, { a: 1 }, 'text'];
    const f = flow({ taskRunner: oneAtATime() }, async () => echo.map(items).result());
    expect(await f()).toEqual(items);
    expect(seen).toEqual(items.map((item) => [item]));
  });

  it('should keep a queued run’s id and name once it has ended, equal to those its run recorded', async () => {
    const { gate, step } = gated();
    const f = flow({ taskRunner: oneAtATime() }, async () => {
      const futures = step.map([1, 2, 3]);
      const before = futures.map((x) => x.id);
      gate.resolve();
      await futures.result();
      const records = await Promise.all(futures.map((x) => getClient().readTaskRun(x.id)));
      return { before, after: futures.map((x) => x.id), records };
    });
    const { before, after, records } = await f();
    expect(after).toEqual(before);
    expect(records.map((r) => r!.id)).toEqual(before);
    expect(records.map((r) => r!.name)).toEqual(before.map((id) => `step-${id.slice(-3)}`));
  });

  it('should cancel every queued run of several maps when their flow is cancelled, never calling their bodies', async () => {
    const { ends, calls, builtAtSubmit } = await cancelWhileQueued((step) => [
      ...step.map([1, 2, 3]),
      step.submit(4),
      ...step.map([5, 6]),
    ]);
    expect(builtAtSubmit).toEqual([true, false, false, false, false, false]);
    expect(ends.map((s) => s.name)).toEqual(Array(6).fill('Cancelled'));
    expect(calls).toEqual([1]);
  });

  it('should end runs mapped after their flow was cancelled Cancelled at once, never calling their bodies', async () => {
    const { calls, step } = gated();
    const resume = deferred();
    const started = deferred();
    let states: string[] = [];
    let ends: string[] = [];
    const f = flow({ taskRunner: oneAtATime() }, async () => {
      started.resolve();
      await resume.promise; // the flow is cancelled meanwhile; its body goes on regardless
      const futures = step.map([1, 2, 3]);
      states = futures.map((x) => x.state.name);
      ends = (await futures.wait()).map((s) => s.name);
      bodyDone.resolve();
    });
    const bodyDone = deferred();
    const subscription = f.run$().subscribe();
    await started.promise;
    subscription.unsubscribe();
    resume.resolve();
    await bodyDone.promise;
    expect(states).toEqual(['Cancelled', 'Cancelled', 'Cancelled']);
    expect(ends).toEqual(['Cancelled', 'Cancelled', 'Cancelled']);
    expect(calls).toEqual([]);
  });

  it('should show a map’s queued runs to client reads, which build them all', async () => {
    const { gate, step } = gated();
    let queued: string[] = [];
    const f = flow({ taskRunner: oneAtATime() }, async () => {
      const futures = step.map([1, 2, 3, 4]);
      const records = await getClient().readTaskRuns();
      queued = futures.slice(1).map((x) => records.find((r) => r.id === x.id)!.state.name);
      expect(futures.map(built)).toEqual([true, true, true, true]);
      gate.resolve();
      return futures.result();
    });
    expect(await f()).toEqual([10, 20, 30, 40]);
    expect(queued).toEqual(['Pending', 'Pending', 'Pending']);
  });

  it('should end queued runs Cancelled as their flow is cancelled, even with a runner that holds them', async () => {
    // A runner that starts nothing until told: only the flow's cancellation can end its jobs.
    const held: TaskRunnerJob[] = [];
    const holding: TaskRunner = {
      name: 'holding',
      submit: (job) => void held.push(job),
      duplicate: () => holding,
    };
    const calls: number[] = [];
    const step = task({ name: 'step' }, async (x: number) => void calls.push(x));
    const futures: TaskRunFuture<void>[] = [];
    const submitted = deferred();
    const f = flow({ taskRunner: holding }, async () => {
      futures.push(...step.map([1, 2]), step.submit(3));
      submitted.resolve();
      await new Promise(() => {}); // until cancelled
    });
    const subscription = f.run$().subscribe();
    await submitted.promise;
    expect(futures.map(built)).toEqual([false, false, false]);
    subscription.unsubscribe();
    expect(futures.map((x) => x.state.name)).toEqual(['Cancelled', 'Cancelled', 'Cancelled']);
    for (const job of held) job.start(() => {}); // a late start finds each run ended
    expect(calls).toEqual([]);
  });

  it('should run a queued run once when a listener of the Pending a client read publishes frees its slot', async () => {
    const calls: number[] = [];
    const blockerStarted = deferred();
    const step = task({ name: 'step' }, async (x: number) => {
      calls.push(x);
      if (x === 0) {
        blockerStarted.resolve();
        await new Promise(() => {}); // until cancelled
      }
      return x;
    });
    const f = flow({ taskRunner: oneAtATime() }, async () => {
      const blocker = step.submit(0);
      const futures = step.map([1, 2]);
      await blockerStarted.promise;
      // The read builds the queued runs; the first one's Pending frees the only slot, so the
      // runner starts that run from inside its own build.
      const subscription = runStates$.subscribe((event: RunStateEvent) => {
        if (event.state.name === 'Pending' && event.run.id === futures[0]!.id) blocker.cancel();
      });
      await getClient().readTaskRuns();
      subscription.unsubscribe();
      return (await futures.wait()).map((s) => s.name);
    });
    expect(await f()).toEqual(['Completed', 'Completed']);
    expect(calls).toEqual([0, 1, 2]);
  });

  it('should build the rest of a map at submit once a body it started subscribes to runStates$', async () => {
    const { gate, step: gatedStep } = gated();
    const seen: RunStateEvent[] = [];
    let subscription: { unsubscribe(): void } | undefined;
    const step = task({ name: 'step' }, async (x: number) => {
      subscription ??= runStates$.subscribe((event: RunStateEvent) => seen.push(event));
      return gatedStep(x);
    });
    let pendingAtSubmit: boolean[] = [];
    const f = flow({ taskRunner: oneAtATime() }, async () => {
      const futures = step.map([1, 2, 3]); // the first body starts inside map and subscribes
      pendingAtSubmit = futures
        .slice(1)
        .map((x) => seen.some((e) => e.run.id === x.id && e.state.name === 'Pending'));
      gate.resolve();
      return futures.result();
    });
    try {
      expect(await f()).toEqual([10, 20, 30]);
    } finally {
      subscription?.unsubscribe();
    }
    expect(pendingAtSubmit).toEqual([true, true]);
  });
});
