import { flow, runtime, tags, task, type RuntimeRun } from '../../lib/index.node';
import { withVirtualTime } from '../../lib/testing/index.node';
import { isolateObservability, tick } from '../client/support';

const snapshot = (run: RuntimeRun) => ({
  id: run.id,
  name: run.name,
  parameters: run.parameters,
  tags: run.tags,
  runCount: run.runCount,
  scheduledStartTime: run.scheduledStartTime,
  parentRunId: run.parentRunId,
});

const EMPTY = {
  id: undefined,
  name: undefined,
  parameters: undefined,
  tags: undefined,
  runCount: undefined,
  scheduledStartTime: undefined,
  parentRunId: undefined,
};

describe('runtime', () => {
  isolateObservability();

  it('should have both objects with every field undefined outside a run, never throwing', () => {
    expect(snapshot(runtime.flowRun)).toEqual(EMPTY);
    expect(snapshot(runtime.taskRun)).toEqual(EMPTY);
    expect(JSON.parse(JSON.stringify(runtime.taskRun))).toEqual({});
  });

  it('should describe the flow run in its body, with no task run', async () => {
    const seen = await withVirtualTime(
      () =>
        tags(['nightly'], () =>
          flow({ name: 'etl', flowRunName: 'etl-{day}', tags: ['prod'] }, async (day: string) => {
            await tick();
            return { day, flowRun: snapshot(runtime.flowRun), taskRun: snapshot(runtime.taskRun) };
          })('2025-01-01'),
        ),
      { start: Date.UTC(2025, 0, 1, 2) },
    );
    expect(seen.day).toBe('2025-01-01');
    expect(seen.taskRun).toEqual(EMPTY);
    expect(seen.flowRun).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'etl-2025-01-01',
      parameters: { day: '2025-01-01' },
      tags: ['nightly', 'prod'],
      runCount: 1,
      scheduledStartTime: new Date(Date.UTC(2025, 0, 1, 2)),
      parentRunId: undefined,
    });
  });

  it('should describe the task run and its flow run inside a task, attempt by attempt', async () => {
    const seen: ReturnType<typeof snapshot>[] = [];
    const body = (n: number) => {
      seen.push(snapshot(runtime.taskRun));
      if (seen.length === 1) throw new Error('first attempt fails');
      return { flowRunId: runtime.flowRun.id, flowName: runtime.flowRun.name, n };
    };
    const step = task({ name: 'step', taskRunName: 'step-{n}', retries: 1, retryDelaySeconds: 60 }, body);
    const parent = flow({ name: 'parent', flowRunName: 'parent' }, async () => {
      const own = runtime.flowRun.id;
      return { own, inTask: await step(7) };
    });
    const { own, inTask } = await withVirtualTime(() => parent());
    expect(inTask).toEqual({ flowRunId: own, flowName: 'parent', n: 7 });
    expect(seen.map((s) => [s.name, s.runCount, s.parentRunId === own, s.parameters])).toEqual([
      ['step-7', 1, true, { n: 7 }],
      ['step-7', 2, true, { n: 7 }],
    ]);
    expect(seen[0]!.scheduledStartTime).toEqual(new Date(0));
    expect(seen[1]!.id).toBe(seen[0]!.id);
  });

  it('should give a subflow its parent flow run id', async () => {
    const child = flow({ name: 'child' }, () => ({
      id: runtime.flowRun.id,
      parent: runtime.flowRun.parentRunId,
    }));
    const parent = flow({ name: 'parent' }, async () => ({ own: runtime.flowRun.id, child: await child() }));
    const { own, child: seen } = await parent();
    expect(seen.parent).toBe(own);
    expect(seen.id).not.toBe(own);
  });

  it('should leave the task run empty in a standalone task’s flow run view', async () => {
    const seen = await task(() => ({ flow: snapshot(runtime.flowRun), task: runtime.taskRun.name }))();
    expect(seen.flow).toEqual(EMPTY);
    expect(seen.task).toMatch(/^task-\w{3}$/);
  });
});
