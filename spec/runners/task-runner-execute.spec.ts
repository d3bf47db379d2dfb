import {
  ConcurrentTaskRunner,
  flow,
  task,
  type TaskRunner,
  type TaskRunnerCall,
  type TaskRunnerJob,
} from '../../lib/index.node';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';

/** A runner that records every body call it is handed and runs it itself, doubling the result. */
class RecordingRunner implements TaskRunner {
  readonly name = 'recording';
  constructor(readonly calls: TaskRunnerCall[] = []) {}

  submit(job: TaskRunnerJob): void {
    job.start(() => undefined);
  }

  duplicate(): TaskRunner {
    return new RecordingRunner(this.calls);
  }

  async execute(call: TaskRunnerCall): Promise<unknown> {
    this.calls.push(call);
    await sleep(10, call.signal);
    const value = await (call.fn as (...args: unknown[]) => unknown)(...call.args);
    return typeof value === 'number' ? value * 2 : value;
  }
}

describe('TaskRunner.execute', () => {
  it('should hand each attempt’s body to the runner, with resolved arguments, the run and its signal', async () => {
    let attempts = 0;
    const flaky = task({ name: 'flaky', retries: 1 }, (x: number) => {
      if (++attempts === 1) throw new Error('first attempt fails');
      return x + 1;
    });
    const one = task({ name: 'one' }, () => 1);
    const runner = new RecordingRunner();
    const f = flow({ name: 'f', taskRunner: runner }, async () => flaky.submit(one.submit()).result());
    const result = await withVirtualTime(() => f());
    // one: 1 × 2 = 2; flaky(2): attempt 1 throws, attempt 2 returns 3, doubled to 6.
    expect(result).toBe(6);
    const flakyCalls = runner.calls.filter((c) => c.run.definitionName === 'flaky');
    expect(flakyCalls.map((c) => [c.args, c.run.runCount])).toEqual([
      [[2], 1],
      [[2], 2],
    ]);
    expect(flakyCalls.every((c) => c.signal instanceof AbortSignal && !c.signal.aborted)).toBe(true);
  });

  it('should abort the call’s signal when the run times out, and not run direct calls through it', async () => {
    const runner = new RecordingRunner();
    const slow = task({ name: 'slow', timeoutSeconds: 0.005 }, () => 'late');
    const direct = task({ name: 'direct' }, () => 21);
    const f = flow({ name: 'f', taskRunner: runner }, async () => ({
      state: await slow.submit().wait(),
      direct: await direct(),
    }));
    const { state, direct: value } = await withVirtualTime(() => f());
    expect(state.name).toBe('TimedOut');
    expect(runner.calls.map((c) => c.run.definitionName)).toEqual(['slow']);
    expect(runner.calls[0]!.signal.aborted).toBe(true);
    expect(value).toBe(21);
  });

  it('should leave runners without execute calling the body themselves', async () => {
    const runner = new ConcurrentTaskRunner();
    expect('execute' in runner).toBe(false);
    const f = flow({ name: 'f', taskRunner: runner }, async () =>
      task({ name: 't' }, () => 5)
        .submit()
        .result(),
    );
    expect(await withVirtualTime(() => f())).toBe(5);
  });
});
