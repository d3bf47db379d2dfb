import {
  flow,
  getClient,
  getRunLogger,
  isOptionValidationError,
  MemoryRunStore,
  setRunStore,
  task,
} from '../../lib/index.node';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';
import { isolateObservability } from './support';

describe('MemoryRunStore', () => {
  isolateObservability();

  const useStore = (make: () => MemoryRunStore) => {
    let restore: () => void;
    beforeEach(() => {
      restore = setRunStore(make());
    });
    afterEach(() => restore());
  };

  it('should record every run', async () => {
    const t = task({ name: 'counted' }, (n: number) => n);
    await flow({ name: 'many' }, async () => {
      for (let i = 0; i < 20; i++) await t(i);
    })();
    expect(await getClient().readTaskRuns({ flowName: 'many' })).toHaveLength(20);
    expect(await getClient().readFlowRuns({ flowName: 'many' })).toHaveLength(1);
  });

  describe('retention by count', () => {
    useStore(() => new MemoryRunStore({ maxTaskRuns: 3, maxFlowRuns: 2 }));

    it('should keep the most recently ended task runs and flow runs, each kind bounded separately', async () => {
      const t = task({ name: 't', taskRunName: 't-{n}' }, (n: number) => n);
      const f = flow({ name: 'f', flowRunName: 'f-{k}' }, async (k: number) => {
        for (let n = 0; n < 4; n++) await t(k * 10 + n);
      });
      for (const k of [1, 2, 3]) await f(k);
      const client = getClient();
      expect((await client.readTaskRuns()).map((r) => r.name)).toEqual(['t-33', 't-32', 't-31']);
      // Twelve task runs did not push the flow runs out.
      expect((await client.readFlowRuns()).map((r) => r.name)).toEqual(['f-3', 'f-2']);
    });
  });

  describe('retention by age', () => {
    useStore(() => new MemoryRunStore({ maxAgeSeconds: 60 }));

    it('should drop runs that ended more than maxAgeSeconds before the latest, by the engine clock', async () => {
      const t = task({ name: 'aged', taskRunName: 'aged-{label}' }, (label: string) => label);
      const names = await withVirtualTime(async () => {
        await t('at-0s');
        await sleep(30_000);
        await t('at-30s');
        await sleep(45_000);
        await t('at-75s'); // at-0s ended 75 s before: dropped; at-30s ended 45 s before: kept
        const kept = (await getClient().readTaskRuns()).map((r) => r.name);
        await sleep(61_000);
        await t('at-136s');
        return [kept, (await getClient().readTaskRuns()).map((r) => r.name)];
      });
      expect(names).toEqual([['aged-at-75s', 'aged-at-30s'], ['aged-at-136s']]);
    });
  });

  describe('results', () => {
    it('should keep stored states without results by default', async () => {
      await task({ name: 'big' }, () => ({ rows: [1, 2, 3] }))();
      const run = (await getClient().readTaskRuns())[0]!;
      expect(run.state).toMatchObject({ type: 'COMPLETED', name: 'Completed' });
      expect(run.state).not.toHaveProperty('data');
      expect(Object.isFrozen(run.state)).toBe(true);
    });

    it('should keep them with keepResults', async () => {
      const restore = setRunStore(new MemoryRunStore({ keepResults: true }));
      try {
        await task({ name: 'big' }, () => ({ rows: [1, 2, 3] }))();
        expect((await getClient().readTaskRuns())[0]!.state.data).toEqual({ rows: [1, 2, 3] });
      } finally {
        restore();
      }
    });
  });

  describe('logs per run', () => {
    useStore(() => new MemoryRunStore({ maxLogsPerRun: 3 }));

    it('should keep the latest maxLogsPerRun records of each run', async () => {
      await task({ name: 'chatty' }, () => {
        for (let i = 1; i <= 5; i++) getRunLogger().info(`line ${i}`);
      })();
      const run = (await getClient().readTaskRuns())[0]!;
      expect((await getClient().readLogs(run.id)).map((r) => r.message)).toEqual([
        'line 3',
        'line 4',
        'line 5',
      ]);
    });
  });

  it('should stay bounded over many runs', async () => {
    const restore = setRunStore(new MemoryRunStore({ maxTaskRuns: 100 }));
    try {
      const t = task({ name: 'n' }, (n: number) => n);
      for (let i = 0; i < 5_000; i++) await t(i);
      const runs = await getClient().readTaskRuns();
      expect(runs).toHaveLength(100);
      expect(runs[0]!.parameters).toEqual({ n: 4_999 });
      expect(runs[99]!.parameters).toEqual({ n: 4_900 });
    } finally {
      restore();
    }
  });

  it('should forget ended runs on clear()', async () => {
    const store = new MemoryRunStore();
    const restore = setRunStore(store);
    try {
      await task(() => 1)();
      store.clear();
      expect(await getClient().readTaskRuns()).toEqual([]);
    } finally {
      restore();
    }
  });

  it('should reject bad retention settings, naming them', () => {
    let error: unknown;
    try {
      new MemoryRunStore({ maxTaskRuns: -1 });
    } catch (e) {
      error = e;
    }
    expect(isOptionValidationError(error)).toBe(true);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"MemoryRunStore: invalid option 'maxTaskRuns': Too small: expected number to be >=0 (got -1)"`,
    );
    expect(() => new MemoryRunStore({ maxRuns: 5 } as never)).toThrowErrorMatchingInlineSnapshot(
      `"MemoryRunStore: invalid option 'maxRuns': unknown option"`,
    );
    expect(() => new MemoryRunStore({ maxAgeSeconds: 0 })).toThrowErrorMatchingInlineSnapshot(
      `"MemoryRunStore: invalid option 'maxAgeSeconds': Too small: expected number to be >0 (got 0)"`,
    );
  });
});
