import { flow, isFinal, runStates$, task, type RunStateEvent } from '../../lib/index.node';
import { collect, expectValidSequence, names, recordRunStates, sleep, withVirtualTime } from './support';

describe('runStates$', () => {
  it('should be hot: subscribing starts nothing and replays nothing', async () => {
    let calls = 0;
    const t = task({ name: 'hot' }, () => ++calls);
    await t();
    const seen: RunStateEvent[] = [];
    const subscription = runStates$.subscribe((e) => seen.push(e));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([]);
    expect(calls).toBe(1);
    await t();
    subscription.unsubscribe();
    expect(names(seen.map((e) => e.state))).toEqual(['Pending', 'Running', 'Completed']);
  });

  it('should publish every transition of every run, in order per run, with runCount per attempt', async () => {
    const recorder = recordRunStates();
    const flakyTask = task(
      { name: 'flaky', retries: 2, retryDelaySeconds: [1, 2] },
      async (fails: number) => {
        await sleep(fails * 100);
        if (counts.get(fails)! < fails) {
          counts.set(fails, counts.get(fails)! + 1);
          throw new Error('flaky');
        }
        return fails;
      },
    );
    const counts = new Map([0, 1, 2, 3].map((k) => [k, 0]));
    const parent = flow({ name: 'fan-out' }, () =>
      Promise.all([0, 1, 2, 3].map((fails) => flakyTask(fails).catch(() => 'failed'))),
    );
    await withVirtualTime(() => parent());
    recorder.stop();

    const runs = recorder.runs();
    expect(runs).toHaveLength(5);
    for (const run of runs) {
      const events = recorder.ofRun(run.id);
      expectValidSequence(events.map((e) => e.state));
      expect(isFinal(events.at(-1)!.state)).toBe(true);
      let attempt = 1;
      for (const { run: info, state } of events) {
        if (state.name === 'Retrying') attempt++;
        expect(info.runCount).toBe(attempt);
      }
    }
    const byFails = (k: number) =>
      names(recorder.ofRun(runs.find((r) => r.parameters.fails === k)!.id).map((e) => e.state));
    expect(byFails(0)).toEqual(['Pending', 'Running', 'Completed']);
    expect(byFails(3)).toEqual([
      'Pending',
      'Running',
      'AwaitingRetry',
      'Retrying',
      'AwaitingRetry',
      'Retrying',
      'Failed',
    ]);
    // The flow run starts before its children and ends after them.
    const flowEvents = recorder.events.filter((e) => e.run.kind === 'flow');
    expect(recorder.events[0]).toBe(flowEvents[0]);
    expect(recorder.events.at(-1)).toBe(flowEvents.at(-1));
  });

  it('should publish the same states a run$ subscriber receives, in the same order', async () => {
    const recorder = recordRunStates();
    let calls = 0;
    const t = task({ name: 'mirror', retries: 1, retryDelaySeconds: 5 }, () => {
      if (++calls === 1) throw new Error('once');
      return 'ok';
    });
    const states = await withVirtualTime(() => collect(t.run$()));
    recorder.stop();
    expect(recorder.statesOf('mirror')).toEqual(states);
    expect(recorder.statesOf('mirror')[0]).toBe(states[0]);
  });
});
