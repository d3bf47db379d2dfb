import { lastValueFrom, toArray } from 'rxjs';
import {
  allowFailure,
  asCompleted,
  flow,
  isCancelledError,
  isUpstreamTaskError,
  runStates$,
  task,
  TaskRunFutureList,
  unmapped,
  wait,
  type RunInfo,
} from '../../lib/index.node';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';

const double = task({ name: 'double' }, async (x: number) => {
  await sleep(10);
  return x * 2;
});
const boom = task({ name: 'boom' }, async (): Promise<number> => {
  await sleep(5);
  throw new Error('boom');
});

describe('task.submit', () => {
  it('should return a future with id, states and result', async () => {
    await withVirtualTime(async () => {
      const future = double.submit(21);
      expect(typeof future.id).toBe('string');
      expect(['Pending', 'Running']).toContain(future.state.name);
      const names = lastValueFrom(future.state$.pipe(toArray()));
      expect(await future.result()).toBe(42);
      // state$ replays the latest state (the run started at once: Running), then the later ones
      expect((await names).map((s) => s.name)).toEqual(['Running', 'Completed']);
      expect((await future.wait()).name).toBe('Completed');
      // state$ after the end replays the last state and completes
      expect((await lastValueFrom(future.state$.pipe(toArray()))).map((s) => s.name)).toEqual(['Completed']);
    });
  });

  it('should resolve futures in arguments, nested too, and record them as upstreams', async () => {
    const infos: RunInfo[] = [];
    const sub = runStates$.subscribe(({ run, state }) => {
      if (run.definitionName === 'sum' && state.name === 'Completed') infos.push(run);
    });
    const sum = task({ name: 'sum' }, (xs: number[], o: { k: number }) => xs.reduce((a, b) => a + b, o.k));
    await withVirtualTime(async () => {
      const a = double.submit(1);
      const b = double.submit(2);
      const c = sum.submit([a, b, 10], { k: b });
      expect(await c.result()).toBe(2 + 4 + 10 + 4);
      expect([...(infos[0]!.upstreamRunIds ?? [])].sort()).toEqual([a.id, b.id].sort());
      expect(infos[0]!.parameters).toEqual({ xs: [2, 4, 10], o: { k: 4 } });
    });
    sub.unsubscribe();
  });

  it('should end NotReady without running when an upstream failed', async () => {
    const calls = jest.fn((x: number) => x);
    const after = task({ name: 'after' }, calls);
    await withVirtualTime(async () => {
      const failed = boom.submit();
      const down = after.submit(failed);
      const state = await down.wait();
      expect(state.type).toBe('PENDING');
      expect(state.name).toBe('NotReady');
      expect(calls).not.toHaveBeenCalled();
      const error: unknown = await down.result().catch((e: unknown) => e);
      expect(isUpstreamTaskError(error)).toBe(true);
      expect(failed.state.name).toBe('Failed');
      expect((error as Error).message).toBe(
        `Upstream task run '${failed.run.runName}' (${failed.id}) did not complete`,
      );
      expect(failed.run.runName).toMatch(/^boom-/);
      expect((error as Error).cause).toBe((failed.state as { error?: unknown }).error);
      expect((error as { upstreamRunId: string }).upstreamRunId).toBe(failed.id);
      const names = await lastValueFrom(down.state$.pipe(toArray()));
      expect(names.map((s) => s.name)).toEqual(['NotReady']);
    });
  });

  it('should run with allowFailure and receive the upstream error', async () => {
    const after = task({ name: 'after' }, (x: unknown) =>
      x instanceof Error ? `got ${x.message}` : 'no error',
    );
    await withVirtualTime(async () => {
      expect(await after.submit(allowFailure(boom.submit())).result()).toBe('got boom');
    });
  });

  it('should pass the upstream error through allowFailure in nested arguments and in map', async () => {
    const describeArg = task({ name: 'describe-arg' }, (x: unknown, label: string) =>
      x instanceof Error ? `${label}: error ${x.message}` : `${label}: ${String(x)}`,
    );
    const describeNested = task({ name: 'describe-nested' }, (arg: { inner: unknown[] }) =>
      arg.inner.map((x) => (x instanceof Error ? `error ${x.message}` : String(x))),
    );
    await withVirtualTime(async () => {
      const failed = boom.submit();
      const fine = double.submit(2);
      expect(
        await describeNested.submit({ inner: [allowFailure(failed), allowFailure(fine)] }).result(),
      ).toEqual(['error boom', '4']);
      const mapped = describeArg.map([allowFailure(failed), allowFailure(fine)], ['a', 'b']);
      expect(await mapped.result()).toEqual(['a: error boom', 'b: 4']);
      const shared = describeArg.map(unmapped(allowFailure(failed)), ['x', 'y']);
      expect(await shared.result()).toEqual(['x: error boom', 'y: error boom']);
      // The error passed on is the upstream run's own error object.
      const received = await task({ name: 'identity' }, (x: unknown) => x)
        .submit(allowFailure(failed))
        .result();
      expect(received).toBe((failed.state as { error?: unknown }).error);
    });
  });

  it('should start runs that wait for an allowFailure upstream in waitFor, in submitWith and mapWith', async () => {
    const calls: string[] = [];
    const record = task({ name: 'record' }, (label: string) => {
      calls.push(label);
      return label;
    });
    await withVirtualTime(async () => {
      const failed = boom.submit();
      const after = record.submitWith({ waitFor: [allowFailure(failed)] }, 'after');
      expect(await after.result()).toBe('after');
      expect((await failed.wait()).name).toBe('Failed');
      const mapped = record.mapWith({ waitFor: [allowFailure(boom.submit())] }, ['m1', 'm2']);
      expect(await mapped.result()).toEqual(['m1', 'm2']);
      // Without allowFailure the same upstream stops them.
      const stopped = record.mapWith({ waitFor: [boom.submit()] }, ['s1', 's2']);
      expect((await wait(stopped)).done.map((f) => f.state.name)).toEqual(['NotReady', 'NotReady']);
    });
    expect(calls).toEqual(['after', 'm1', 'm2']);
  });

  it('should wait for waitFor futures and propagate their failure', async () => {
    const order: string[] = [];
    const first = task({ name: 'first' }, async () => {
      await sleep(50);
      order.push('first');
    });
    const second = task({ name: 'second' }, () => {
      order.push('second');
      return 1;
    });
    await withVirtualTime(async () => {
      const f = first.submit();
      expect(await second.submitWith({ waitFor: [f] }).result()).toBe(1);
      expect(order).toEqual(['first', 'second']);
      const notReady = await second.submitWith({ waitFor: [boom.submit()] }).wait();
      expect(notReady.name).toBe('NotReady');
      const ok = await second.submitWith({ waitFor: [allowFailure(boom.submit())] }).wait();
      expect(ok.name).toBe('Completed');
    });
  });

  it('should cancel a run with future.cancel()', async () => {
    let aborted = false;
    const slow = task({ name: 'slow' }, async () => {
      const { signal } = (await import('../../lib/index.node')).getRunContext();
      signal.addEventListener('abort', () => (aborted = true));
      await sleep(1000, signal);
    });
    await withVirtualTime(async () => {
      const f = slow.submit();
      await sleep(10);
      f.cancel();
      expect((await f.wait()).name).toBe('Cancelled');
      expect(isCancelledError(await f.result().catch((e: unknown) => e))).toBe(true);
      expect(aborted).toBe(true);
    });
  });
});

describe('task.map', () => {
  it('should zip iterables, pass unmapped values and keep input order', async () => {
    const add = task({ name: 'add' }, async (x: number, y: number) => {
      await sleep(100 - x);
      return x + y;
    });
    await withVirtualTime(async () => {
      const list = add.map(new Set([1, 2, 3]), unmapped(10));
      expect(list).toBeInstanceOf(TaskRunFutureList);
      expect(list).toHaveLength(3);
      expect(await list.result()).toEqual([11, 12, 13]);
      expect((await list.wait()).map((s) => s.name)).toEqual(['Completed', 'Completed', 'Completed']);
      expect(Array.isArray(list.map((f) => f.id))).toBe(true);
    });
  });

  it('should throw before any run starts for unequal lengths or a non-iterable', () => {
    const seen: string[] = [];
    const sub = runStates$.subscribe(({ run }) => seen.push(run.name));
    const add = task({ name: 'add' }, (x: number, y: number) => x + y);
    expect(() => add.map([1, 2], [1, 2, 3])).toThrow(
      'add.map: the iterables have different lengths: argument 0 has 2 items, argument 1 has 3',
    );
    expect(() => add.map([1, 2], 5 as never)).toThrow('add.map: argument 1 is not iterable (got 5)');
    expect(() => add.map(unmapped(1), unmapped(2))).toThrow('expected at least one iterable argument');
    expect(seen).toEqual([]);
    sub.unsubscribe();
  });

  it('should map over futures in the iterables', async () => {
    await withVirtualTime(async () => {
      expect(await double.map([double.submit(1), 5]).result()).toEqual([4, 10]);
    });
  });
});

describe('wait and asCompleted', () => {
  it('should split futures into done and notDone at the timeout', async () => {
    const pause = task({ name: 'pause' }, (s: number) => sleep(s * 1000));
    await withVirtualTime(async () => {
      const list = pause.map([1, 5, 2]);
      const { done, notDone } = await wait(list, { timeoutSeconds: 3 });
      expect(done.map((f) => list.indexOf(f))).toEqual([0, 2]);
      expect(notDone.map((f) => list.indexOf(f))).toEqual([1]);
      const all = await wait(list);
      expect(all.notDone).toEqual([]);
    });
  });

  it('should yield futures in completion order', async () => {
    const pause = task({ name: 'pause' }, async (s: number) => {
      await sleep(s);
      return s;
    });
    await withVirtualTime(async () => {
      const list = pause.map([30, 10, 20]);
      const order = await lastValueFrom(asCompleted(list).pipe(toArray()));
      expect(order.map((f) => f.state.data)).toEqual([10, 20, 30]);
      // all ended: the same order again
      const again = await lastValueFrom(asCompleted(list).pipe(toArray()));
      expect(again.map((f) => f.state.data)).toEqual([10, 20, 30]);
    });
  });
});

describe('futures in flows', () => {
  it('should wait for submitted runs before the flow ends', async () => {
    const ended: string[] = [];
    const slow = task({ name: 'slow' }, async () => {
      await sleep(100);
      ended.push('task');
    });
    const f = flow({ name: 'f' }, () => {
      slow.submit();
      return 'body done';
    });
    await withVirtualTime(async () => {
      expect(await f()).toBe('body done');
      expect(ended).toEqual(['task']);
    });
  });

  it('should fail when it returns a failed future', async () => {
    const f = flow({ name: 'f' }, () => boom.submit());
    await withVirtualTime(async () => {
      await expect(f()).rejects.toThrow('boom');
    });
  });

  it('should cancel every submitted run, queued ones too, when it times out', async () => {
    const signals: AbortSignal[] = [];
    const slow = task({ name: 'slow' }, async (x: number) => {
      const { getRunContext } = await import('../../lib/index.node');
      signals.push(getRunContext().signal);
      await sleep(10_000, getRunContext().signal);
      return x;
    });
    const { ConcurrentTaskRunner } = await import('../../lib/index.node');
    let list: ReturnType<typeof slow.map> | undefined;
    const f = flow(
      { name: 'f', timeoutSeconds: 1, taskRunner: new ConcurrentTaskRunner({ maxConcurrency: 2 }) },
      () => {
        list = slow.map([1, 2, 3, 4]);
        return list.result();
      },
    );
    await withVirtualTime(async () => {
      await expect(f()).rejects.toThrow('timed out');
      const states = await list!.wait();
      expect(states.map((s) => s.name)).toEqual(['Cancelled', 'Cancelled', 'Cancelled', 'Cancelled']);
      expect(signals).toHaveLength(2);
      expect(signals.every((s) => s.aborted)).toBe(true);
    });
  });

  it('should cancel submitted runs when the flow run$ subscriber unsubscribes', async () => {
    const signals: AbortSignal[] = [];
    const slow = task({ name: 'slow' }, async (ms: number) => {
      const { getRunContext } = await import('../../lib/index.node');
      signals.push(getRunContext().signal);
      await sleep(10_000 * ms, getRunContext().signal);
    });
    let list: ReturnType<typeof slow.map> | undefined;
    const f = flow({ name: 'f' }, async () => {
      list = slow.map([1, 2]);
      await sleep(1_000_000);
    });
    await withVirtualTime(async () => {
      const sub = f.run$().subscribe();
      await sleep(10);
      sub.unsubscribe();
      expect((await list!.wait()).map((s) => s.name)).toEqual(['Cancelled', 'Cancelled']);
      expect(signals.map((s) => s.aborted)).toEqual([true, true]);
    });
  });

  it('should make NotReady cascade downstream', async () => {
    const inc = task({ name: 'inc' }, (x: number) => x + 1);
    await withVirtualTime(async () => {
      const first = boom.submit();
      const second = inc.submit(first);
      const third = inc.submit(second);
      expect((await third.wait()).name).toBe('NotReady');
      const error = (await third.result().catch((e: unknown) => e)) as { upstreamRunId: string };
      expect(error.upstreamRunId).toBe(second.id);
    });
  });

  it('should link submitted runs to the flow run', async () => {
    const infos: RunInfo[] = [];
    const sub = runStates$.subscribe(({ run, state }) => {
      if (state.name === 'Completed') infos.push(run);
    });
    const f = flow({ name: 'linked' }, async () => double.map([1, 2]).result());
    await withVirtualTime(async () => {
      expect(await f()).toEqual([2, 4]);
    });
    sub.unsubscribe();
    const flowRun = infos.find((i) => i.kind === 'flow')!;
    const tasks = infos.filter((i) => i.kind === 'task');
    expect(tasks).toHaveLength(2);
    expect(tasks.every((t) => t.parentRunId === flowRun.id && t.flowRunId === flowRun.id)).toBe(true);
  });

  it('should run submitted runs standalone outside a flow', async () => {
    expect(await double.submit(4).result()).toBe(8);
  });
});
