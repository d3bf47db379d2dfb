import {
  flow,
  getRunContext,
  isMissingContextError,
  MissingContextError,
  task,
  type RunContext,
  type RunInfo,
} from '../../lib/index.node';
import { recordRunStates, sleep, withVirtualTime } from '../engine/support';

/** A task that reports its own run info. */
const whoAmI = task({ name: 'who-am-i' }, async (label: string) => {
  await Promise.resolve();
  return { label, run: getRunContext().taskRun! };
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('getRunContext', () => {
  it('should throw a MissingContextError outside any run', () => {
    let error: unknown;
    try {
      getRunContext();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingContextError);
    expect(isMissingContextError(error)).toBe(true);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"getRunContext() was called outside a task or flow run"`,
    );
  });

  it('should throw outside a run after a run has finished, and after an await that follows it', async () => {
    await task(() => 1)();
    expect(() => getRunContext()).toThrow(MissingContextError);
    await tick();
    expect(() => getRunContext()).toThrow(MissingContextError);
  });

  it('should give a standalone task its run, parameters by name, tags and a live signal', async () => {
    let context: RunContext | undefined;
    const t = task({ name: 'ctx', tags: ['own'] }, async (table: string, limit: number) => {
      await tick();
      context = getRunContext();
      return table.length + limit;
    });
    await t('users', 10);
    const { taskRun, flowRun, parameters, tags, signal } = context!;
    expect(taskRun).toMatchObject({ kind: 'task', definitionName: 'ctx', runCount: 1 });
    expect(taskRun?.name).toMatch(/^ctx-[0-9a-f]{3}$/);
    expect(taskRun?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(taskRun?.parentRunId).toBeUndefined();
    expect(taskRun?.flowRunId).toBeUndefined();
    expect(flowRun).toBeUndefined();
    expect(parameters).toEqual({ table: 'users', limit: 10 });
    expect(tags).toEqual(['own']);
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal.aborted).toBe(false);
  });

  it('should give a flow body its flow run and no task run', async () => {
    let context: RunContext | undefined;
    const f = flow({ name: 'ctx-flow', flowRunName: 'nightly-{day}' }, async (day: string) => {
      await tick();
      context = getRunContext();
      return day;
    });
    await f('mon');
    expect(context!.taskRun).toBeUndefined();
    expect(context!.flowRun).toMatchObject({ kind: 'flow', name: 'nightly-mon', definitionName: 'ctx-flow' });
    expect(context!.parameters).toEqual({ day: 'mon' });
  });

  it('should report runCount k during attempt k', async () => {
    const counts: number[] = [];
    const t = task({ retries: 3, retryDelaySeconds: 10 }, async () => {
      const { taskRun } = getRunContext();
      counts.push(taskRun!.runCount);
      await sleep(1);
      if (counts.length < 4) throw new Error('again');
    });
    await withVirtualTime(() => t());
    expect(counts).toEqual([1, 2, 3, 4]);
  });

  it('should report the flow attempt as runCount inside a retried flow and its tasks', async () => {
    const seen: [number, number | undefined][] = [];
    const inner = task(() => getRunContext().flowRun?.runCount);
    const f = flow({ retries: 1 }, async () => {
      seen.push([getRunContext().flowRun!.runCount, await inner()]);
      if (seen.length === 1) throw new Error('first');
    });
    await f();
    expect(seen).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  describe('links', () => {
    it('should link a task in a flow, across awaits, to the flow run', async () => {
      let flowRun: RunInfo | undefined;
      const f = flow({ name: 'linker' }, async () => {
        flowRun = getRunContext().flowRun;
        const before = await whoAmI('before');
        await tick();
        await sleep(0);
        await new Promise((resolve) => setTimeout(resolve, 0));
        const after = await whoAmI('after');
        return [before.run, after.run];
      });
      const runs = await withVirtualTime(() => f());
      for (const run of runs) {
        expect(run.parentRunId).toBe(flowRun!.id);
        expect(run.flowRunId).toBe(flowRun!.id);
      }
    });

    it('should link a subflow to its parent flow, and tasks in the subflow to the subflow', async () => {
      const ids: Record<string, RunInfo> = {};
      const sub = flow({ name: 'sub' }, async () => {
        ids.sub = getRunContext().flowRun!;
        await tick();
        ids.subTask = (await whoAmI('in sub')).run;
      });
      const top = flow({ name: 'top' }, async () => {
        ids.top = getRunContext().flowRun!;
        await tick();
        await sub();
        ids.topTask = (await whoAmI('in top')).run;
      });
      await top();
      expect(ids.top!.parentRunId).toBeUndefined();
      expect(ids.top!.flowRunId).toBeUndefined();
      expect(ids.sub!.parentRunId).toBe(ids.top!.id);
      expect(ids.sub!.flowRunId).toBe(ids.top!.id);
      expect(ids.subTask!.parentRunId).toBe(ids.sub!.id);
      expect(ids.subTask!.flowRunId).toBe(ids.sub!.id);
      expect(ids.topTask!.parentRunId).toBe(ids.top!.id);
      expect(ids.topTask!.flowRunId).toBe(ids.top!.id);
    });

    it('should make a task started inside a task its child, within the same flow run', async () => {
      let outerRun: RunInfo | undefined;
      let innerRun: RunInfo | undefined;
      const outer = task({ name: 'outer' }, async () => {
        outerRun = getRunContext().taskRun;
        await tick();
        innerRun = (await whoAmI('nested')).run;
      });
      let flowId: string | undefined;
      const f = flow(async () => {
        flowId = getRunContext().flowRun!.id;
        await outer();
      });
      await f();
      expect(outerRun!.parentRunId).toBe(flowId);
      expect(innerRun!.parentRunId).toBe(outerRun!.id);
      expect(innerRun!.flowRunId).toBe(flowId);
    });

    it('should make a task started inside a standalone task its child, with no flow run', async () => {
      let outerId: string | undefined;
      const outer = task(async () => {
        outerId = getRunContext().taskRun!.id;
        await tick();
        return (await whoAmI('nested')).run;
      });
      const inner = await outer();
      expect(inner.parentRunId).toBe(outerId);
      expect(inner.flowRunId).toBeUndefined();
    });

    it('should keep concurrent branches and concurrent flows apart', async () => {
      const branch = flow({ name: 'branch' }, async (label: string) => {
        const own = getRunContext().flowRun!.id;
        const results = await Promise.all(
          [1, 2, 3].map(async (k) => {
            await sleep(k);
            return (await whoAmI(`${label}-${k}`)).run;
          }),
        );
        return { own, results };
      });
      const [a, b] = await withVirtualTime(() => Promise.all([branch('a'), branch('b')]));
      expect(a.own).not.toBe(b.own);
      for (const { own, results } of [a, b]) {
        expect(results).toHaveLength(3);
        for (const run of results) {
          expect(run.parentRunId).toBe(own);
          expect(run.flowRunId).toBe(own);
        }
      }
    });

    it('should record the links on runStates$ too', async () => {
      const recorder = recordRunStates();
      const f = flow({ name: 'linked-flow' }, async () => {
        await tick();
        await whoAmI('x');
      });
      await f();
      recorder.stop();
      const [flowRun, taskRun] = recorder.runs();
      expect(flowRun!.definitionName).toBe('linked-flow');
      expect(taskRun!.parentRunId).toBe(flowRun!.id);
      expect(taskRun!.flowRunId).toBe(flowRun!.id);
    });
  });
});
