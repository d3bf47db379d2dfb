import fc from 'fast-check';
import { lastValueFrom } from 'rxjs';
import { createState, flow, isUpstreamTaskError, task, type State } from '../../lib/index.node';
import { collect, names, outcome, withVirtualTime } from '../engine/support';

// Prefect's `return_value_to_state`: a flow that returns an iterable of states (futures are
// resolved to states first) ends FAILED if any of them is not COMPLETED, and raises the first
// failure's exception. Here the same holds for arrays and plain objects made only of futures and
// states; the flow then resolves to the collection as returned.

const boom = new Error('boom');
const ok = task({ name: 'ok' }, (x: number) => x);
const failing = task({ name: 'failing' }, () => {
  throw boom;
});
const slow = task({ name: 'slow' }, async (x: number) => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return x;
});

describe('flow returning a collection of states or futures', () => {
  it('should fail with the failed state’s error when it returns [completed, failed] states', async () => {
    const both = flow({ name: 'both' }, async () => [
      await lastValueFrom(ok.run$(1)),
      await lastValueFrom(failing.run$()),
    ]);
    const states = await collect(both.run$());
    expect(names(states)).toEqual(['Pending', 'Running', 'Failed']);
    expect(states.at(-1)!.error).toBe(boom);
    await expect(both()).rejects.toBe(boom);
  });

  it('should wait for returned futures and fail with the first failed one’s error', async () => {
    const second = new Error('second');
    const alsoFailing = task({ name: 'also-failing' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw second;
    });
    const fanIn = flow({ name: 'fan-in' }, () => [slow.submit(1), failing.submit(), alsoFailing.submit()]);
    const result = await outcome(fanIn());
    expect(result).toEqual({ ok: false, error: boom });
  });

  it('should settle a plain object of futures the same way', async () => {
    const named = flow({ name: 'named' }, () => ({ a: ok.submit(1), b: failing.submit() }));
    await expect(named()).rejects.toBe(boom);
  });

  it('should resolve to the collection as returned, its futures ended, when all completed', async () => {
    let futures: unknown;
    const fine = flow({ name: 'fine' }, () => {
      const out = [slow.submit(1), slow.submit(2)];
      futures = out;
      return out;
    });
    const value = await fine();
    expect(value).toBe(futures);
    expect(value.map((f) => f.done)).toEqual([true, true]);
    expect(value.map((f) => f.state.data)).toEqual([1, 2]);

    const record = flow({ name: 'record' }, async () => ({ one: await lastValueFrom(ok.run$(1)) }));
    const states = await record();
    expect(states.one.type).toBe('COMPLETED');
    expect(states.one.data).toBe(1);
  });

  it('should fail with the upstream error of a returned future that never ran (NotReady)', async () => {
    const downstream = flow({ name: 'downstream' }, () => {
      const up = failing.submit();
      return [ok.submit(0), ok.submit(up)];
    });
    // The first element completes; the second never ran because its upstream failed.
    const error = await downstream().catch((e: unknown) => e);
    expect(isUpstreamTaskError(error)).toBe(true);
  });

  it('should fail when a returned state is not final, naming the states', async () => {
    const at = new Date(0);
    const odd = flow({ name: 'odd' }, () => [
      createState('COMPLETED', 'Completed', at, { data: 1 }),
      createState('RUNNING', 'Running', at),
    ]);
    await expect(odd()).rejects.toThrow(
      'The flow returned an array of 2 states or futures, 1 of them not final (Running); it completes only when all of them completed',
    );
  });

  it('should leave mixed, empty and non-plain collections alone (plain data, as in Prefect)', async () => {
    const failed = await lastValueFrom(failing.run$());
    const mixed = flow({ name: 'mixed' }, () => [failed, 42]);
    await expect(mixed()).resolves.toEqual([failed, 42]);
    const empty = flow({ name: 'empty' }, () => []);
    await expect(empty()).resolves.toEqual([]);
    const inMap = flow({ name: 'in-map' }, () => new Map([['a', failed]]));
    await expect(inMap()).resolves.toBeInstanceOf(Map);
  });

  it('should retry a flow whose returned collection failed, as a thrown error would', async () => {
    let calls = 0;
    const flakyStep = task({ name: 'flaky-step' }, () => {
      if (++calls === 1) throw boom;
      return calls;
    });
    const retried = flow({ name: 'retried', retries: 1, retryDelaySeconds: 10 }, () => [flakyStep.submit()]);
    const states = await withVirtualTime(() => collect(retried.run$()));
    expect(names(states)).toEqual(['Pending', 'Running', 'AwaitingRetry', 'Retrying', 'Completed']);
  });

  it('should complete exactly when every returned state completed, failing with the first failure', async () => {
    const at = new Date(0);
    const errors = [new Error('e0'), new Error('e1'), new Error('e2'), new Error('e3'), new Error('e4')];
    const kinds = ['COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED'] as const;
    const make = (kind: (typeof kinds)[number], i: number): State =>
      kind === 'COMPLETED'
        ? createState('COMPLETED', 'Completed', at, { data: i })
        : createState(kind, kind === 'FAILED' ? 'Failed' : kind === 'CRASHED' ? 'Crashed' : 'Cancelled', at, {
            error: errors[i],
          });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (types, asObject) => {
          const states = types.map(make);
          const returned = asObject ? Object.fromEntries(states.map((s, i) => [`k${i}`, s])) : states;
          const settled = await outcome(flow({ name: 'property' }, () => returned)());
          const firstBad = types.findIndex((t) => t !== 'COMPLETED');
          expect(settled).toEqual(
            firstBad === -1 ? { ok: true, value: returned } : { ok: false, error: errors[firstBad] },
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
