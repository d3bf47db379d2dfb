import { isCancelledError } from '../../../lib/errors/index';
import { stateBus } from '../../../lib/internal/engine/bus';
import { callRun, observeRun } from '../../../lib/internal/engine/start-run';
import { define } from '../../../lib/internal/options';
import type { State } from '../../../lib/state/schema';

describe('callRun', () => {
  it('should resolve with the data of a Completed run and reject with the error of a Failed one', async () => {
    await expect(
      callRun(
        define('task', {}, (x: number) => x + 1),
        undefined,
        [1],
      ),
    ).resolves.toBe(2);
    const error = new Error('no');
    await expect(
      callRun(
        define('task', {}, () => {
          throw error;
        }),
        undefined,
        [],
      ),
    ).rejects.toBe(error);
  });
});

describe('observeRun', () => {
  it('should start a run per subscription and cancel it on unsubscribe', async () => {
    let calls = 0;
    const states$ = observeRun(
      define('task', { name: 'observed' }, () => {
        calls++;
        return new Promise(() => {});
      }),
      undefined,
      [],
    );
    expect(calls).toBe(0);
    const published: State[] = [];
    const bus = stateBus.subscribe(({ state }) => published.push(state));
    const first = states$.subscribe();
    const second = states$.subscribe();
    expect(calls).toBe(2);
    first.unsubscribe();
    second.unsubscribe();
    bus.unsubscribe();
    const cancelled = published.filter((s) => s.name === 'Cancelled');
    expect(cancelled).toHaveLength(2);
    expect(isCancelledError(cancelled[0]!.error)).toBe(true);
  });

  it('should link the run to the context of the subscription, not of the call that made the Observable', async () => {
    const child$ = observeRun(
      define('task', { name: 'child' }, () => 1),
      undefined,
      [],
    );
    const runs: { name: string; id: string; parentRunId?: string }[] = [];
    const bus = stateBus.subscribe(({ run, state }) => {
      if (state.name === 'Pending')
        runs.push({ name: run.definitionName, id: run.id, parentRunId: run.parentRunId });
    });
    await callRun(
      define(
        'flow',
        { name: 'parent' },
        () => new Promise((resolve) => child$.subscribe({ complete: () => resolve(1) })),
      ),
      undefined,
      [],
    );
    bus.unsubscribe();
    expect(runs.map((r) => r.name)).toEqual(['parent', 'child']);
    expect(runs[1]!.parentRunId).toBe(runs[0]!.id);
  });
});
