import '../../lib/internal/context-node';
import { flow, task } from '../../lib/index.node';
import { attemptTimes, collectTimeline, flaky, sleep, withVirtualTime } from '../../lib/testing/index.node';

const named = (name: string) => ({ name, taskRunName: name });

describe('collectTimeline', () => {
  it('should collect every state of a run$ with virtual timestamps since the start', async () => {
    const load = task(
      { ...named('load'), retries: 2, retryDelaySeconds: [10, 30] },
      flaky(2, () => 'ok'),
    );
    const timeline = await withVirtualTime(() => collectTimeline(load.run$()), {
      start: new Date('2025-01-01'),
    });
    expect(timeline.map(({ name, at }) => `${name}@${at}`)).toEqual([
      'Pending@0',
      'Running@0',
      'AwaitingRetry@0',
      'Retrying@10000',
      'AwaitingRetry@10000',
      'Retrying@40000',
      'Completed@40000',
    ]);
    expect(timeline[0]).toEqual({ run: 'load', kind: 'task', type: 'PENDING', name: 'Pending', at: 0 });
    expect(attemptTimes(timeline)).toEqual([0, 10_000, 40_000]);
  });

  it('should give whole, non-negative ms even when collection starts at a fractional virtual time', async () => {
    const step = task(
      { ...named('step'), retries: 1, retryDelaySeconds: 1, retryJitterFactor: 0.5 },
      flaky(1, () => 1),
    );
    const timeline = await withVirtualTime(
      async () => {
        await sleep(1000.75); // a jittered delay leaves the clock between milliseconds, too
        return collectTimeline(step.run$());
      },
      { seed: 3 },
    );
    expect(timeline.map((e) => e.name)).toEqual([
      'Pending',
      'Running',
      'AwaitingRetry',
      'Retrying',
      'Completed',
    ]);
    for (const { at } of timeline) expect(Number.isInteger(at) && at >= 0).toBe(true);
    expect(timeline[0]!.at).toBe(0);
    // at is the state's (whole-ms) timestamp minus the start's: the retry waited 0.5..1.5 s.
    const retrying = timeline.find((e) => e.name === 'Retrying')!.at;
    expect(retrying >= 500 && retrying <= 1501).toBe(true);
  });

  it('should collect the runs a function starts, and their children only when asked', async () => {
    const step = task(named('step'), async () => {
      await sleep(500);
      return 1;
    });
    const pipeline = flow({ name: 'pipeline', flowRunName: 'pipeline-run' }, async () => {
      await step();
      await step();
      return 'done';
    });
    const top = await withVirtualTime(() => collectTimeline(() => pipeline()));
    expect(top.map((e) => `${e.run}:${e.name}@${e.at}`)).toEqual([
      'pipeline-run:Pending@0',
      'pipeline-run:Running@0',
      'pipeline-run:Completed@1000',
    ]);
    const all = await withVirtualTime(() => collectTimeline(() => pipeline(), { children: true }));
    expect(all.map((e) => `${e.kind} ${e.run}:${e.name}@${e.at}`)).toEqual([
      'flow pipeline-run:Pending@0',
      'flow pipeline-run:Running@0',
      'task step:Pending@0',
      'task step:Running@0',
      'task step:Completed@500',
      'task step:Pending@500',
      'task step:Running@500',
      'task step:Completed@1000',
      'flow pipeline-run:Completed@1000',
    ]);
  });

  it('should include a flow run$ with its children', async () => {
    const child = task(named('child'), () => 1);
    const parent = flow({ name: 'parent', flowRunName: 'parent' }, async () => child());
    const timeline = await withVirtualTime(() => collectTimeline(parent.run$(), { children: true }));
    expect(new Set(timeline.map((e) => e.run))).toEqual(new Set(['parent', 'child']));
  });

  it('should not rethrow a failing run, which shows up as a state', async () => {
    const fails = task(named('fails'), () => {
      throw new Error('nope');
    });
    const timeline = await withVirtualTime(() => collectTimeline(() => fails()));
    expect(timeline.map((e) => e.name)).toEqual(['Pending', 'Running', 'Failed']);
  });

  it('should ignore runs started outside it, even concurrently', async () => {
    const mine = task(named('mine'), async () => sleep(100));
    const other = task(named('other'), async () => sleep(50));
    const timeline = await withVirtualTime(async () => {
      const [collected] = await Promise.all([collectTimeline(() => mine()), other()]);
      return collected;
    });
    expect(timeline.every((e) => e.run === 'mine')).toBe(true);
  });

  it('should work in real time too', async () => {
    const quick = task(named('quick'), () => 1);
    const timeline = await collectTimeline(quick.run$());
    expect(timeline.map((e) => e.name)).toEqual(['Pending', 'Running', 'Completed']);
    for (const e of timeline) expect(e.at).toBeGreaterThanOrEqual(0);
  });

  it('should reject a source that is neither a run$ nor a function', async () => {
    await expect(collectTimeline(42 as never)).rejects.toThrow(
      'collectTimeline: expected a run$ Observable or a function, got 42',
    );
  });
});

describe('attemptTimes', () => {
  it('should pick the Running and Retrying times of one run', () => {
    const timeline = [
      { run: 'a', kind: 'task', type: 'RUNNING', name: 'Running', at: 0 },
      { run: 'b', kind: 'task', type: 'RUNNING', name: 'Running', at: 1 },
      { run: 'a', kind: 'task', type: 'SCHEDULED', name: 'AwaitingRetry', at: 0 },
      { run: 'a', kind: 'task', type: 'RUNNING', name: 'Retrying', at: 5 },
    ] as const;
    expect(attemptTimes(timeline)).toEqual([0, 5]);
    expect(attemptTimes(timeline, 'b')).toEqual([1]);
    expect(attemptTimes([])).toEqual([]);
  });
});
