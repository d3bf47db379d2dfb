import { z } from 'zod';
import {
  flow,
  getClient,
  getRunStore,
  getRunContext,
  isCancelledError,
  isOptionValidationError,
  isRunNotFoundError,
  setRunStore,
  tags,
  task,
  type ArtifactRecord,
  type LogRecord,
  type RunQuery,
  type RunStore,
  type State,
  type StoredRun,
} from '../../lib/index.node';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';
import { isolateObservability, tick } from './support';

const client = getClient();

/** Resolves once `predicate` holds, checking after each macrotask turn. */
async function until(predicate: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await predicate()) return;
    await tick();
  }
  throw new Error('condition never held');
}

describe('getClient', () => {
  isolateObservability();

  describe('reading runs', () => {
    it('should read a flow run and a task run by id: info plus latest state', async () => {
      const add = task({ name: 'add', taskRunName: 'add-{a}-{b}' }, (a: number, b: number) => a + b);
      const calc = flow({ name: 'calc', flowRunName: 'calc-run', tags: ['math'] }, () => add(1, 2));
      await calc();
      const [flowRun] = await client.readFlowRuns();
      const [taskRun] = await client.readTaskRuns();
      expect(flowRun).toMatchObject({
        kind: 'flow',
        name: 'calc-run',
        definitionName: 'calc',
        tags: ['math'],
        parameters: {},
        state: { type: 'COMPLETED', name: 'Completed' },
      });
      expect(taskRun).toMatchObject({
        kind: 'task',
        name: 'add-1-2',
        parameters: { a: 1, b: 2 },
        parentRunId: flowRun!.id,
        flowRunId: flowRun!.id,
        state: { type: 'COMPLETED' },
      });
      expect(await client.readFlowRun(flowRun!.id)).toEqual(flowRun);
      expect(await client.readTaskRun(taskRun!.id)).toEqual(taskRun);
      // The wrong kind, or an unknown id, reads as undefined.
      expect(await client.readTaskRun(flowRun!.id)).toBeUndefined();
      expect(await client.readFlowRun(taskRun!.id)).toBeUndefined();
      expect(await client.readFlowRun('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    });

    it('should record the description and version of a run’s task or flow', async () => {
      const add = task({ name: 'add', version: '3', description: 'Adds' }, (a: number, b: number) => a + b);
      const calc = flow({ name: 'calc', version: '1.0.0', description: 'Calculates' }, () => add(1, 2));
      await calc();
      const [flowRun] = await client.readFlowRuns();
      const [taskRun] = await client.readTaskRuns();
      expect(flowRun).toMatchObject({ version: '1.0.0', description: 'Calculates' });
      expect(taskRun).toMatchObject({ version: '3', description: 'Adds' });
      const stored = await getRunStore().readRun(flowRun!.id);
      expect(stored?.info).toMatchObject({ version: '1.0.0', description: 'Calculates' });
    });

    it('should read the whole state history of a run, in order', async () => {
      let calls = 0;
      const flakyTask = task({ name: 'flaky', retries: 2, retryDelaySeconds: 5 }, () => {
        if (++calls < 3) throw new Error('not yet');
        return 'ok';
      });
      await withVirtualTime(() => flakyTask());
      const [run] = await client.readTaskRuns();
      const states = await client.readRunStates(run!.id);
      expect(states.map((s) => `${s.name}@${s.timestamp.getTime() / 1000}`)).toEqual([
        'Pending@0',
        'Running@0',
        'AwaitingRetry@0',
        'Retrying@5',
        'AwaitingRetry@5',
        'Retrying@10',
        'Completed@10',
      ]);
      expect(run!.runCount).toBe(3);
      expect(await client.readRunStates('unknown')).toEqual([]);
    });

    it('should record the resolved arguments of a run whose arguments were futures', async () => {
      const source = task({ name: 'source' }, async () => 20);
      const plus = task({ name: 'plus' }, async (x: number, y: number) => x + y);
      const id = await withVirtualTime(() =>
        flow({ name: 'chain' }, async () => {
          const future = plus.submit(source.submit(), 1);
          await future.result();
          return future.id;
        })(),
      );
      const run = await client.readTaskRun(id);
      expect(run!.parameters).toEqual({ x: 20, y: 1 });
      expect(run!.upstreamRunIds).toHaveLength(1);
    });

    it('should include runs still going, with their latest state', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const waiting = task({ name: 'waiting', taskRunName: 'waiting' }, () => gate);
      const running = flow({ name: 'long', flowRunName: 'long' }, () => waiting());
      const done = running();
      await until(async () => (await client.readTaskRuns({ name: 'waiting' })).length === 1);
      const [flowRun] = await client.readFlowRuns({ name: 'long' });
      expect(flowRun!.state.name).toBe('Running');
      const [taskRun] = await client.readTaskRuns({ parentRunId: flowRun!.id });
      expect(taskRun!.state.name).toBe('Running');
      expect((await client.readRunStates(taskRun!.id)).map((s) => s.name)).toEqual(['Pending', 'Running']);
      expect(await client.readFlowRuns({ stateType: 'RUNNING' })).toHaveLength(1);
      release();
      await done;
      expect((await client.readFlowRun(flowRun!.id))!.state.name).toBe('Completed');
      expect(await client.readFlowRuns({ stateType: 'RUNNING' })).toEqual([]);
    });

    it('should read the logs and artifacts of a run: for a flow run, with its task runs’', async () => {
      const { getRunLogger, createMarkdownArtifact } = await import('../../lib/index.node');
      const child = task({ name: 'child' }, async () => {
        getRunLogger().info('from the task');
        await createMarkdownArtifact('task notes');
      });
      const sub = flow({ name: 'sub' }, () => getRunLogger().info('from the subflow'));
      const parent = flow({ name: 'parent' }, async () => {
        getRunLogger().info('from the flow');
        await child();
        await sub();
      });
      await parent();
      const [parentRun] = await client.readFlowRuns({ flowName: 'parent' });
      const [subRun] = await client.readFlowRuns({ flowName: 'sub' });
      const [childRun] = await client.readTaskRuns({ flowName: 'parent' });
      const messages = (logs: LogRecord[]) => logs.map((l) => l.message);
      expect(messages(await client.readLogs(parentRun!.id))).toEqual(['from the flow', 'from the task']);
      expect(messages(await client.readLogs(childRun!.id))).toEqual(['from the task']);
      expect(messages(await client.readLogs(subRun!.id))).toEqual(['from the subflow']);
      const data = (artifacts: ArtifactRecord[]) => artifacts.map((a) => a.data);
      expect(data(await client.readArtifacts(parentRun!.id))).toEqual(['task notes']);
      expect(data(await client.readArtifacts(childRun!.id))).toEqual(['task notes']);
      expect(await client.readArtifacts(subRun!.id)).toEqual([]);
      expect(await client.readLogs('unknown')).toEqual([]);
    });
  });

  describe('filters', () => {
    /** Runs three flows and their tasks on a virtual clock, an hour apart. */
    async function history(): Promise<void> {
      const step = task({ name: 'step', taskRunName: 'step-{n}' }, (n: number) => {
        if (n === 2) throw new Error('step 2 fails');
        return n;
      });
      const nightly = flow({ name: 'nightly', flowRunName: 'nightly-{n}', tags: ['prod'] }, (n: number) =>
        step(n),
      );
      const adhoc = flow({ name: 'adhoc', flowRunName: 'adhoc' }, async () => {
        await tags(['debug'], () => step(10));
      });
      await withVirtualTime(
        async () => {
          await nightly(1);
          await sleep(3_600_000);
          await nightly(2).catch(() => undefined);
          await sleep(3_600_000);
          await adhoc();
        },
        { start: Date.UTC(2025, 0, 1) },
      );
    }

    const names = (runs: { name: string }[]) => runs.map((r) => r.name);

    it('should filter by name, flow name, state type, tags, parent, flow run, start time and limit', async () => {
      await history();
      expect(names(await client.readFlowRuns())).toEqual(['adhoc', 'nightly-2', 'nightly-1']);
      expect(names(await client.readFlowRuns({ name: 'nightly-1' }))).toEqual(['nightly-1']);
      expect(names(await client.readFlowRuns({ flowName: 'nightly' }))).toEqual(['nightly-2', 'nightly-1']);
      expect(names(await client.readTaskRuns({ flowName: 'nightly' }))).toEqual(['step-2', 'step-1']);
      expect(names(await client.readFlowRuns({ stateType: 'FAILED' }))).toEqual(['nightly-2']);
      expect(names(await client.readTaskRuns({ stateType: ['FAILED', 'CRASHED'] }))).toEqual(['step-2']);
      expect(names(await client.readFlowRuns({ tags: ['prod'] }))).toEqual(['nightly-2', 'nightly-1']);
      expect(names(await client.readTaskRuns({ tags: ['debug'] }))).toEqual(['step-10']);
      expect(names(await client.readTaskRuns({ tags: ['debug', 'prod'] }))).toEqual([]);
      const [adhocRun] = await client.readFlowRuns({ flowName: 'adhoc' });
      expect(names(await client.readTaskRuns({ parentRunId: adhocRun!.id }))).toEqual(['step-10']);
      expect(names(await client.readTaskRuns({ flowRunId: adhocRun!.id }))).toEqual(['step-10']);
      const oneAm = new Date(Date.UTC(2025, 0, 1, 1));
      expect(names(await client.readFlowRuns({ startedAfter: oneAm }))).toEqual(['adhoc', 'nightly-2']);
      expect(names(await client.readFlowRuns({ startedBefore: oneAm }))).toEqual(['nightly-2', 'nightly-1']); // inclusive
      expect(names(await client.readFlowRuns({ startedAfter: oneAm, startedBefore: oneAm }))).toEqual([
        'nightly-2',
      ]);
      expect(names(await client.readFlowRuns({ limit: 2 }))).toEqual(['adhoc', 'nightly-2']);
      expect(await client.readFlowRuns({ limit: 0 })).toEqual([]);
    });

    it('should list the children of a run: task runs and subflow runs', async () => {
      const leaf = task({ name: 'leaf' }, () => 1);
      const sub = flow({ name: 'sub' }, () => leaf());
      const root = flow({ name: 'root' }, async () => {
        await leaf();
        await sub();
      });
      await root();
      const [rootRun] = await client.readFlowRuns({ flowName: 'root' });
      const [subRun] = await client.readFlowRuns({ parentRunId: rootRun!.id });
      expect(subRun!.definitionName).toBe('sub');
      expect(await client.readTaskRuns({ parentRunId: rootRun!.id })).toHaveLength(1);
      expect(await client.readTaskRuns({ parentRunId: subRun!.id })).toHaveLength(1);
    });

    it('should reject a bad filter, naming the field', async () => {
      await expect(
        client.readFlowRuns({ stateType: 'DONE' as never }),
      ).rejects.toThrowErrorMatchingInlineSnapshot(
        `"getClient().readFlowRuns: invalid option 'stateType': Invalid input (got "DONE")"`,
      );
      const error = await client.readTaskRuns({ flow: 'x' } as never).catch((e: unknown) => e);
      expect(isOptionValidationError(error)).toBe(true);
      expect((error as Error).message).toMatchInlineSnapshot(
        `"getClient().readTaskRuns: invalid option 'flow': unknown option"`,
      );
      await expect(client.readTaskRuns({ limit: -1 })).rejects.toThrowErrorMatchingInlineSnapshot(
        `"getClient().readTaskRuns: invalid option 'limit': Too small: expected number to be >=0 (got -1)"`,
      );
      await expect(client.readFlowRun(42 as never)).rejects.toThrowErrorMatchingInlineSnapshot(
        `"getClient().readFlowRun: expected a run id (a non-empty string), got 42"`,
      );
    });
  });

  describe('cancelRun', () => {
    it('should cancel a running task run: its signal aborts and its call rejects', async () => {
      let aborted = false;
      const slow = task({ name: 'slow', taskRunName: 'slow' }, async () => {
        const { signal } = getRunContext();
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        aborted = signal.aborted;
        return 'finished anyway';
      });
      const f = flow({ name: 'caller' }, () =>
        slow().catch((e: unknown) => (isCancelledError(e) ? 'cancelled' : 'other')),
      );
      const result = f();
      await until(
        async () => (await client.readTaskRuns({ name: 'slow', stateType: 'RUNNING' })).length === 1,
      );
      const [run] = await client.readTaskRuns({ name: 'slow' });
      const state = await client.cancelRun(run!.id);
      expect(state).toMatchObject({ type: 'CANCELLED', name: 'Cancelled' });
      expect(state.message).toMatchInlineSnapshot(`"Task run 'slow' was cancelled by cancelRun()"`);
      expect(await result).toBe('cancelled');
      expect(aborted).toBe(true);
      expect((await client.readTaskRun(run!.id))!.state.name).toBe('Cancelled');
      expect((await client.readFlowRuns({ flowName: 'caller' }))[0]!.state.name).toBe('Completed');
    });

    it('should cancel a running flow run and the runs inside it', async () => {
      const inner = task({ name: 'inner', taskRunName: 'inner' }, () => new Promise(() => {}));
      const outer = flow({ name: 'outer', flowRunName: 'outer' }, () => inner());
      const result = outer().catch((e: unknown) => e);
      await until(async () => (await client.readTaskRuns({ name: 'inner' })).length === 1);
      const [run] = await client.readFlowRuns({ name: 'outer' });
      const state = await client.cancelRun(run!.id);
      expect(state.name).toBe('Cancelled');
      expect(isCancelledError(await result)).toBe(true);
      const [innerRun] = await client.readTaskRuns({ name: 'inner' });
      expect(innerRun!.state.name).toBe('Cancelled');
    });

    it('should return the final state of a run that has ended, and reject an unknown id', async () => {
      await task({ name: 'quick', taskRunName: 'quick' }, () => 1)();
      const [run] = await client.readTaskRuns({ name: 'quick' });
      expect((await client.cancelRun(run!.id)).name).toBe('Completed');
      const error = await client.cancelRun('nope').catch((e: unknown) => e);
      expect(isRunNotFoundError(error)).toBe(true);
      expect((error as Error).message).toMatchInlineSnapshot(
        `"getClient().cancelRun: no run with id 'nope' is going or kept"`,
      );
    });
  });

  describe('retryFlowRun', () => {
    it('should run the flow again with the same arguments and tags, as a new run', async () => {
      let failNext = true;
      const load = task({ name: 'load' }, (region: string) => {
        if (failNext) throw new Error(`${region} is down`);
        return `${region} loaded`;
      });
      const etl = flow(
        {
          name: 'etl',
          flowRunName: 'etl-{region}',
          parameters: z.object({ region: z.string(), days: z.number().default(7) }),
        },
        ({ region, days }) => load(`${region}/${days}`),
      );
      await tags(['nightly'], () => etl({ region: 'eu' })).catch(() => undefined);
      const [failed] = await client.readFlowRuns({ flowName: 'etl' });
      expect(failed!.state.type).toBe('FAILED');

      failNext = false;
      const retried = await client.retryFlowRun(failed!.id);
      expect(retried).toMatchObject({
        name: 'etl-eu',
        parameters: { region: 'eu', days: 7 },
        tags: ['nightly'],
        state: { type: 'COMPLETED', data: 'eu/7 loaded' },
      });
      expect(retried.id).not.toBe(failed!.id);
      expect(retried.parentRunId).toBeUndefined();
      expect((await client.readFlowRuns({ flowName: 'etl' })).map((r) => r.state.name)).toEqual([
        'Completed',
        'Failed',
      ]);
    });

    it('should resolve with a retried run that fails again, without rejecting', async () => {
      const broken = flow({ name: 'broken' }, () => {
        throw new Error('still broken');
      });
      await broken().catch(() => undefined);
      const [run] = await client.readFlowRuns({ flowName: 'broken' });
      const retried = await client.retryFlowRun(run!.id);
      expect(retried.state).toMatchObject({ type: 'FAILED', message: 'Error: still broken' });
    });

    it('should refuse task runs, runs still going and unknown ids', async () => {
      await task({ name: 'a-task', taskRunName: 'a-task' }, () => 1)();
      const [taskRun] = await client.readTaskRuns({ name: 'a-task' });
      await expect(client.retryFlowRun(taskRun!.id)).rejects.toThrow(
        /is a task run; only flow runs can be retried/,
      );

      let release!: () => void;
      const going = flow(
        { name: 'going', flowRunName: 'going' },
        () => new Promise<void>((r) => (release = r)),
      );
      const done = going();
      const [goingRun] = await client.readFlowRuns({ name: 'going' });
      await expect(client.retryFlowRun(goingRun!.id)).rejects.toThrowErrorMatchingInlineSnapshot(
        `"getClient().retryFlowRun: flow run 'going' (${goingRun!.id}) has not ended yet"`,
      );
      release();
      await done;

      const error = await client.retryFlowRun('nope').catch((e: unknown) => e);
      expect(isRunNotFoundError(error)).toBe(true);
    });
  });

  describe('a custom store', () => {
    it('should receive every state in order, with the final one marked, and answer the reads', async () => {
      const calls: string[] = [];
      const ended = new Map<string, StoredRun>();
      const store: RunStore = {
        recordState: (run: StoredRun, state: State, final: boolean) => {
          calls.push(`${run.info.kind}:${state.name}${final ? ' (final)' : ''}`);
          if (final) ended.set(run.info.id, run);
        },
        recordLog: () => {},
        recordArtifact: () => {},
        readRun: async (id: string) => ended.get(id),
        readRuns: async (query: RunQuery) => [...ended.values()].filter((r) => r.info.kind === query.kind),
      };
      const restore = setRunStore(store);
      try {
        await flow({ name: 'custom' }, () => task({ name: 'inside' }, () => 1)())();
        expect(calls).toEqual([
          'flow:Pending',
          'flow:Running',
          'task:Pending',
          'task:Running',
          'task:Completed (final)',
          'flow:Completed (final)',
        ]);
        const [run] = await client.readFlowRuns();
        expect(run!.definitionName).toBe('custom');
        // The engine keeps results in its live record; the custom store chose to keep them.
        expect((await client.readRunStates(run!.id)).map((s) => s.name)).toEqual([
          'Pending',
          'Running',
          'Completed',
        ]);
      } finally {
        restore();
      }
    });

    it('should reject an object that is not a store', () => {
      expect(() => setRunStore({ recordState() {} } as never)).toThrowErrorMatchingInlineSnapshot(
        `"setRunStore: invalid option 'store': expected a RunStore, but it has no recordLog() method"`,
      );
    });
  });
});
