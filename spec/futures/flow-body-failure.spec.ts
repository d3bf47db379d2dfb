import { flow, runStates$, task, type State } from '../../lib/index.node';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';

/** Records each run's state names, by definition name, in the order they happen. */
function record(): { names: (definition: string) => string[]; ends: () => string[]; stop: () => void } {
  const seen: { definition: string; state: State }[] = [];
  const sub = runStates$.subscribe(({ run, state }) => seen.push({ definition: run.definitionName, state }));
  return {
    names: (definition) => seen.filter((s) => s.definition === definition).map((s) => s.state.name),
    ends: () =>
      seen
        .filter((s) => s.state.type !== 'PENDING' && s.state.type !== 'RUNNING')
        .map((s) => `${s.definition} ${s.state.name}`),
    stop: () => sub.unsubscribe(),
  };
}

describe('a flow whose body throws while its submitted runs are going', () => {
  it('should let them finish, then end FAILED with the body’s error', async () => {
    const finished: string[] = [];
    const slow = task({ name: 'slow' }, async (ms: number) => {
      await sleep(ms);
      finished.push(`slow ${ms}`);
      return ms;
    });
    const recorder = record();
    try {
      const f = flow({ name: 'throws' }, async () => {
        slow.submit(100);
        slow.submit(300);
        await sleep(10);
        throw new Error('body failed');
      });
      await withVirtualTime(async () => {
        await expect(f()).rejects.toThrow('body failed');
        expect(finished).toEqual(['slow 100', 'slow 300']);
      });
      expect(recorder.ends()).toEqual(['slow Completed', 'slow Completed', 'throws Failed']);
      expect(recorder.names('throws')).toEqual(['Pending', 'Running', 'Failed']);
    } finally {
      recorder.stop();
    }
  });

  it('should also wait when the body throws synchronously', async () => {
    const finished: number[] = [];
    const slow = task({ name: 'slow-sync' }, async (ms: number) => {
      await sleep(ms);
      finished.push(ms);
    });
    const f = flow({ name: 'throws-sync' }, () => {
      slow.map([20, 10]);
      throw new Error('sync failure');
    });
    await withVirtualTime(async () => {
      await expect(f()).rejects.toThrow('sync failure');
      expect(finished).toEqual([10, 20]);
    });
  });

  it('should retry the flow only after the failed attempt’s runs have ended', async () => {
    const events: string[] = [];
    const step = task({ name: 'step' }, async (attempt: number) => {
      await sleep(50);
      events.push(`step of attempt ${attempt} ended`);
    });
    let attempt = 0;
    const f = flow({ name: 'retried', retries: 1 }, async () => {
      attempt++;
      events.push(`attempt ${attempt} started`);
      step.submit(attempt);
      if (attempt === 1) throw new Error('first attempt fails');
      return 'ok';
    });
    await withVirtualTime(async () => {
      expect(await f()).toBe('ok');
    });
    expect(events).toEqual([
      'attempt 1 started',
      'step of attempt 1 ended',
      'attempt 2 started',
      'step of attempt 2 ended',
    ]);
  });

  it('should still cancel its runs when it times out while waiting for them', async () => {
    const signals: AbortSignal[] = [];
    const hang = task({ name: 'hang' }, async (_n: number) => {
      const { getRunContext } = await import('../../lib/index.node');
      const { signal } = getRunContext();
      signals.push(signal);
      await sleep(10_000, signal);
    });
    let states: State[] = [];
    const f = flow({ name: 'times-out', timeoutSeconds: 1 }, async () => {
      const futures = hang.map([1, 2]);
      void futures.wait().then((s) => (states = s));
      throw new Error('body failed');
    });
    await withVirtualTime(async () => {
      await expect(f()).rejects.toThrow('timed out after 1 second');
      await sleep(0);
    });
    expect(states.map((s) => s.name)).toEqual(['Cancelled', 'Cancelled']);
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
  });
});
