import {
  allowFailure,
  flow,
  runStates$,
  task,
  type State,
  type TaskRunner,
  type TaskRunnerJob,
} from '../../lib/index.node';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';

/** A runner whose `submit` throws (from its `failAt`-th call on), breaking its contract. */
class ThrowingRunner implements TaskRunner {
  readonly name = 'throwing';
  calls = 0;
  constructor(
    readonly error: unknown,
    private readonly failAt = 1,
  ) {}

  submit(job: TaskRunnerJob): void {
    if (++this.calls >= this.failAt) throw this.error;
    job.start(() => undefined);
  }

  duplicate(): TaskRunner {
    return this;
  }
}

describe('a TaskRunner whose submit throws', () => {
  const boom = new Error('the runner is broken');
  const double = task({ name: 'double' }, async (n: number) => n * 2);

  it('should end the run Crashed with that error, and let the flow settle (deferred run)', async () => {
    const runner = new ThrowingRunner(boom);
    const pipeline = flow({ name: 'broken-runner', taskRunner: runner }, async () => {
      const future = double.submit(1);
      const state = await future.wait();
      return { type: state.type, error: state.error };
    });
    await expect(withVirtualTime(() => pipeline())).resolves.toEqual({ type: 'CRASHED', error: boom });
    // Outside virtual time (no listener): the run is deferred, and crashes the same way.
    await expect(pipeline()).resolves.toEqual({ type: 'CRASHED', error: boom });
  });

  it('should end the run Crashed when observed, and reject result() with that error', async () => {
    const runner = new ThrowingRunner(boom);
    const seen: State[] = [];
    const sub = runStates$.subscribe(({ run, state }) => run.definitionName === 'double' && seen.push(state));
    try {
      const pipeline = flow({ name: 'broken-runner-observed', taskRunner: runner }, async () =>
        double.submit(1).result(),
      );
      await expect(withVirtualTime(() => pipeline())).rejects.toBe(boom);
      expect(seen.map((s) => s.name)).toEqual(['Pending', 'Crashed']);
    } finally {
      sub.unsubscribe();
    }
  });

  it('should crash a run submitted after its upstreams end, and the flow still settles', async () => {
    const runner = new ThrowingRunner(boom, 2); // the upstream goes through, the downstream does not
    const pipeline = flow({ name: 'broken-downstream', taskRunner: runner }, async () => {
      const up = double.submit(1);
      const down = double.submit(up);
      const late = double.submit(allowFailure(down));
      // Wrapped: a flow returning failed states itself fails (as in Prefect).
      return { states: await Promise.all([up.wait(), down.wait(), late.wait()]) };
    });
    const { states } = await withVirtualTime(() => pipeline());
    expect(states.map((s) => s.type)).toEqual(['COMPLETED', 'CRASHED', 'CRASHED']);
    expect(states[1]!.error).toBe(boom);
  });

  it('should wrap a thrown non-Error, and crash every run of a map', async () => {
    const runner = new ThrowingRunner('not an error');
    const pipeline = flow({ name: 'broken-map', taskRunner: runner }, async () => {
      double.map([1, 2, 3]); // not awaited: the flow must still settle
      await sleep(1);
      return 'done';
    });
    const seen: State[] = [];
    const sub = runStates$.subscribe(({ run, state }) => run.definitionName === 'double' && seen.push(state));
    try {
      await expect(withVirtualTime(() => pipeline())).resolves.toBe('done');
    } finally {
      sub.unsubscribe();
    }
    const crashed = seen.filter((s) => s.type === 'CRASHED');
    expect(crashed).toHaveLength(3);
    expect(crashed[0]!.message).toMatch(/not an error/);
  });
});
