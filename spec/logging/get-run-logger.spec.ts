import { lastValueFrom, take, toArray } from 'rxjs';
import {
  configureLogging,
  flow,
  getClient,
  getRunLogger,
  isMissingContextError,
  runLogs$,
  setErrorReporter,
  task,
  type LogRecord,
} from '../../lib/index.node';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';
import { isolateObservability, tick } from '../client/support';

describe('getRunLogger', () => {
  const state = isolateObservability();

  it('should throw a MissingContextError outside a run', () => {
    let error: unknown;
    try {
      getRunLogger();
    } catch (e) {
      error = e;
    }
    expect(isMissingContextError(error)).toBe(true);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"getRunLogger() was called outside a task or flow run"`,
    );
  });

  it('should write records with the run ids, name, level, fields and the virtual clock time', async () => {
    const load = task({ name: 'load', taskRunName: 'load-{table}' }, async (table: string) => {
      const logger = getRunLogger();
      logger.info('starting', { table });
      await sleep(1500);
      logger.warn('slow table');
      return table;
    });
    const etl = flow({ name: 'etl', flowRunName: 'etl-run' }, async () => {
      getRunLogger().info('flow begins');
      return load('sales');
    });

    await withVirtualTime(() => etl(), { start: Date.UTC(2025, 0, 1) });

    const [flowRecord, first, second] = state.logged;
    const flowRun = (await getClient().readFlowRuns({ name: 'etl-run' }))[0]!;
    const taskRun = (await getClient().readTaskRuns({ name: 'load-sales' }))[0]!;
    expect(flowRecord).toEqual({
      level: 'info',
      message: 'flow begins',
      fields: {},
      runId: flowRun.id,
      flowRunId: flowRun.id,
      runName: 'etl-run',
      timestamp: new Date(Date.UTC(2025, 0, 1)),
    });
    expect(flowRecord).not.toHaveProperty('taskRunId');
    expect(first).toEqual({
      level: 'info',
      message: 'starting',
      fields: { table: 'sales' },
      runId: taskRun.id,
      flowRunId: flowRun.id,
      taskRunId: taskRun.id,
      runName: 'load-sales',
      timestamp: new Date(Date.UTC(2025, 0, 1)),
    });
    expect(second).toMatchObject({ level: 'warn', message: 'slow table', fields: {} });
    expect(second!.timestamp.getTime() - first!.timestamp.getTime()).toBe(1500);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.keys(first!)).toEqual([
      'level',
      'message',
      'fields',
      'runId',
      'flowRunId',
      'taskRunId',
      'runName',
      'timestamp',
    ]);
  });

  it('should give a standalone task run neither a flow run id nor a parent', async () => {
    await task({ name: 'alone' }, () => getRunLogger().info('hi'))();
    expect(state.logged[0]).toMatchObject({ message: 'hi', runId: state.logged[0]!.taskRunId });
    expect(state.logged[0]).not.toHaveProperty('flowRunId');
  });

  it('should put an Error passed as fields under err, and a primitive under value', async () => {
    const boom = new Error('boom');
    await task(() => {
      const logger = getRunLogger();
      logger.error('failed', boom);
      (logger.info as (message: string, fields: unknown) => void)('count', 3);
    })();
    expect(state.logged.map((r) => r.fields)).toEqual([{ err: boom }, { value: 3 }]);
  });

  it('should drop records below the level, which is info by default and configurable', async () => {
    const chatty = task(() => {
      const logger = getRunLogger();
      logger.debug('d');
      logger.info('i');
      logger.warn('w');
      logger.error('e');
    });
    await chatty();
    expect(state.logged.map((r) => r.level)).toEqual(['info', 'warn', 'error']);

    state.logged.length = 0;
    const restore = configureLogging({ level: 'debug' });
    await chatty();
    restore();
    expect(state.logged.map((r) => r.level)).toEqual(['debug', 'info', 'warn', 'error']);

    state.logged.length = 0;
    const quiet = configureLogging({ level: 'error' });
    await chatty();
    quiet();
    expect(state.logged.map((r) => r.level)).toEqual(['error']);
    const run = (await getClient().readTaskRuns({ limit: 1 }))[0]!;
    expect((await getClient().readLogs(run.id)).map((r) => r.level)).toEqual(['error']);
  });

  it('should publish every record on runLogs$, also with no sink', async () => {
    const restore = configureLogging({ sinks: [] });
    const records = lastValueFrom(runLogs$.pipe(take(2), toArray()));
    await flow({ name: 'two' }, async () => {
      getRunLogger().info('one');
      await task(() => getRunLogger().info('two'))();
    })();
    restore();
    expect((await records).map((r) => r.message)).toEqual(['one', 'two']);
    expect(state.logged).toEqual([]);
  });

  it('should keep a logger bound to its run, also when used after an await', async () => {
    const t = task({ name: 'bound' }, async () => {
      const logger = getRunLogger();
      await tick();
      logger.info('later');
      return getRunLogger();
    });
    const logger = await t();
    logger.info('after the run ended');
    expect(state.logged.map((r) => [r.runName.startsWith('bound-'), r.message])).toEqual([
      [true, 'later'],
      [true, 'after the run ended'],
    ]);
  });

  it('should keep the logs of interleaved concurrent runs apart', async () => {
    const step = task(
      { name: 'step', taskRunName: 'step-{region}-{i}' },
      async (region: string, i: number) => {
        await tick();
        getRunLogger().info(`${region} step ${i}`, { region });
      },
    );
    const region = flow({ name: 'region', flowRunName: 'region-{code}' }, async (code: string) => {
      const logger = getRunLogger();
      for (let i = 0; i < 3; i++) {
        logger.info(`${code} loop ${i}`);
        await tick();
        await step(code, i);
      }
    });

    await Promise.all([region('eu'), region('us'), region('ap')]);

    // The records really interleaved...
    const order = state.logged.map((r) => r.message.slice(0, 2));
    expect(order.slice(0, 3).sort()).toEqual(['ap', 'eu', 'us']);
    // ...and each landed in its own run.
    for (const code of ['eu', 'us', 'ap']) {
      const run = (await getClient().readFlowRuns({ name: `region-${code}` }))[0]!;
      const logs = await getClient().readLogs(run.id);
      expect(logs.map((r) => r.message)).toEqual([
        `${code} loop 0`,
        `${code} step 0`,
        `${code} loop 1`,
        `${code} step 1`,
        `${code} loop 2`,
        `${code} step 2`,
      ]);
      expect(logs.every((r) => r.flowRunId === run.id)).toBe(true);
      const steps = await getClient().readTaskRuns({ flowRunId: run.id });
      for (const s of steps) {
        const own = await getClient().readLogs(s.id);
        expect(own).toHaveLength(1);
        expect(own[0]).toMatchObject({ taskRunId: s.id, runName: s.name, fields: { region: code } });
      }
    }
  });

  it('should report a sink that throws and still write to the others', async () => {
    const reported: string[] = [];
    const restoreReporter = setErrorReporter((message) => reported.push(message));
    const good: LogRecord[] = [];
    const restore = configureLogging({
      sinks: [
        {
          write: () => {
            throw new Error('disk full');
          },
        },
        { write: (r) => good.push(r) },
      ],
    });
    try {
      await task({ name: 'noisy', taskRunName: 'noisy' }, () => getRunLogger().info('hello'))();
    } finally {
      restore();
      restoreReporter();
    }
    expect(good.map((r) => r.message)).toEqual(['hello']);
    expect(reported).toEqual(["a log sink failed to write a record of run 'noisy'"]);
  });
});
