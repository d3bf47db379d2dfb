/**
 * The code of docs/observability.md: run logs (and logPrints, and pino), the runtime context,
 * events, artifacts, and the run store with its client.
 *
 * Run it with `npx tsx examples/docs/observability.ts`.
 */
import pino from 'pino';
import { filter } from 'rxjs';
import { z } from 'zod';
import {
  artifacts$,
  configureLogging,
  createConsoleSink,
  createMarkdownArtifact,
  createProgressArtifact,
  createTableArtifact,
  emitEvent,
  events$,
  flow,
  getClient,
  getRunContext,
  getRunLogger,
  MemoryRunStore,
  runLogs$,
  runtime,
  setRunStore,
  task,
  updateProgressArtifact,
  type ArtifactRecord,
  type LogRecord,
  type RunQuery,
  type RunStore,
  type State,
  type StoredRun,
} from '../../lib/index.node.js';
import { createPinoSink } from '../../lib/node/index.js';
import { sleep, withVirtualTime } from '../../lib/testing/index.node.js';
import { runSections } from './sections.js';

async function loggingSection(): Promise<void> {
  // #region logging
  const load = task({ name: 'load', taskRunName: 'load-{table}' }, async (table: string) => {
    const logger = getRunLogger();
    logger.debug('connecting'); // below the default level (info): dropped
    logger.info('loading', { table });
    await sleep(1500); // virtual time: no real wait
    logger.info('loaded', { table, rows: 3 });
    return 3;
  });
  const etl = flow({ name: 'etl', flowRunName: 'etl-{day}' }, async (day: string) => {
    getRunLogger().info(`ETL for ${day}`);
    return load('sales');
  });

  // The default sink prints each record through console, stamped by the run's clock.
  await withVirtualTime(() => etl('2025-06-01'), { start: new Date('2025-06-01T09:00:00Z') });
  // 09:00:00.000 INFO  [etl-2025-06-01] ETL for 2025-06-01
  // 09:00:00.000 INFO  [load-sales] loading table=sales
  // 09:00:01.500 INFO  [load-sales] loaded table=sales rows=3
  // #endregion logging
}

async function levelsSection(): Promise<void> {
  // #region logging-2
  const records: LogRecord[] = [];
  const subscription = runLogs$.subscribe((record) => records.push(record));
  // Debug records on, and only warnings and errors printed; every record still goes to runLogs$.
  const restore = configureLogging({ level: 'debug', sinks: [createConsoleSink({ level: 'warn' })] });
  try {
    await task({ name: 'check' }, () => {
      getRunLogger().debug('checking');
      getRunLogger().info('all good');
    })();
  } finally {
    restore();
    subscription.unsubscribe();
  }
  console.log(records.map((r) => `${r.level}: ${r.message}`)); // [ 'debug: checking', 'info: all good' ]
  // #endregion logging-2
}

async function logPrintsSection(): Promise<void> {
  // #region logprints
  const legacy = task({ name: 'legacy' }, (n: number) => {
    console.log('legacy code says', n); // captured: the flow's logPrints is inherited
    return n;
  });
  const wrapped = flow({ name: 'wrapped', flowRunName: 'wrapped', logPrints: true }, async () => {
    console.log('inside the flow');
    await sleep(100); // well after elsewhere()'s 5 ms, even on a busy machine
    return legacy(42);
  });
  const elsewhere = async () => {
    await sleep(5);
    console.log('plain code, untouched'); // runs while the flow is going: printed as is
  };
  await Promise.all([wrapped(), elsewhere()]);
  // 10:21:07.120 INFO  [wrapped] inside the flow
  // plain code, untouched
  // 10:21:07.221 INFO  [legacy-0a3] legacy code says 42
  // #endregion logprints
}

async function pinoSection(): Promise<void> {
  // #region pino
  const logger = pino({ base: undefined, timestamp: false }, pino.destination({ sync: true }));
  const restore = configureLogging({ sinks: [createPinoSink(logger)] });
  try {
    await task({ name: 'ship', taskRunName: 'ship-order' }, () => {
      getRunLogger().info('shipped', { order: 7 });
    })();
  } finally {
    restore();
  }
  // {"level":30,"order":7,"runId":"…","runName":"ship-order","taskRunId":"…","msg":"shipped"}
  // #endregion pino
}

async function runtimeSection(): Promise<void> {
  // #region runtime
  let attempts = 0;
  const upload = task({ name: 'upload', retries: 2 }, () => {
    const path = `out/${runtime.flowRun.name}/attempt-${runtime.taskRun.runCount}.json`;
    if (++attempts < 2) throw new Error('storage busy');
    return path;
  });
  const nightly = flow({ name: 'nightly', flowRunName: 'nightly-{day}' }, async (day: string) => {
    const path = await upload();
    return `${day}: ${path}`;
  });

  console.log(await nightly('2025-06-01')); // 2025-06-01: out/nightly-2025-06-01/attempt-2.json
  console.log(runtime.flowRun.name, runtime.taskRun.id); // undefined undefined
  // #endregion runtime
}

async function eventsSection(): Promise<void> {
  // #region events
  // An automation: react to failed task runs, and to an event of our own.
  const seen: string[] = [];
  const subscription = events$
    .pipe(filter((e) => e.event === 'rxflow.task-run.Failed' || e.event.startsWith('acme.')))
    .subscribe((e) => seen.push(`${e.event} ${e.resource.name ?? e.resource.id}`));

  const refresh = task({ name: 'refresh', taskRunName: 'refresh-{table}' }, (table: string) => {
    if (table === 'legacy') throw new Error('no such table');
    emitEvent({
      event: 'acme.table.refreshed',
      resource: { id: `acme.table.${table}`, name: table },
      payload: { rows: 1204 },
    });
  });
  await flow({ name: 'refresh-all' }, async () => {
    await refresh('sales');
    await refresh('legacy').catch(() => undefined);
  })();
  subscription.unsubscribe();
  console.log(seen); // [ 'acme.table.refreshed sales', 'rxflow.task-run.Failed refresh-legacy' ]
  // #endregion events
}

async function artifactsSection(): Promise<void> {
  // #region artifacts
  const shown: string[] = [];
  const subscription = artifacts$.subscribe((a) =>
    shown.push(`${a.type}:${a.key ?? '-'}=${JSON.stringify(a.data)}`),
  );

  const report = flow({ name: 'report' }, async () => {
    const progress = await createProgressArtifact(0, { key: 'report-progress' });
    await createTableArtifact({ region: ['eu', 'us'], total: [3, 5] }, { key: 'totals' });
    await updateProgressArtifact(progress, 50);
    await createMarkdownArtifact('# Sales\n\nTotal: **8**', { key: 'sales-report', description: 'daily' });
    await updateProgressArtifact(progress, 100);
    return getRunContext().flowRun!.id;
  });
  const flowRunId = await report();
  subscription.unsubscribe();
  console.log(shown);
  // [ 'progress:report-progress=0', 'table:totals={"region":["eu","us"],"total":[3,5]}',
  //   'progress:report-progress=50', 'markdown:sales-report="# Sales\n\nTotal: **8**"', 'progress:report-progress=100' ]
  const stored = await getClient().readArtifacts(flowRunId);
  console.log(stored.map((a) => `${a.type}:${JSON.stringify(a.data)}`).join(', ')); // progress:100, table:…, markdown:…

  const error = await createTableArtifact({ region: ['eu', 'us'], total: [3] }).catch(
    (e: Error) => e.message,
  );
  console.log(error);
  // createTableArtifact: invalid artifact:
  //   - table.total: expected 2 values, as column 'region' has (got [3])
  // #endregion artifacts
}

async function clientSection(): Promise<void> {
  // #region run-history-and-the-client
  let failNext = true;
  const load = task({ name: 'load', taskRunName: 'load-{region}' }, (region: string) => {
    if (failNext) throw new Error(`${region} is down`);
    return `${region} loaded`;
  });
  const etl = flow(
    {
      name: 'etl',
      flowRunName: 'etl-{region}',
      tags: ['nightly'],
      parameters: z.object({ region: z.string() }),
    },
    ({ region }) => load(region),
  );
  await etl({ region: 'eu' }).catch(() => undefined);

  const client = getClient();
  const [failed] = await client.readFlowRuns({ flowName: 'etl', stateType: 'FAILED', tags: ['nightly'] });
  console.log(failed!.name, failed!.state.message); // etl-eu Error: eu is down
  const [child] = await client.readTaskRuns({ parentRunId: failed!.id });
  console.log((await client.readRunStates(child!.id)).map((s) => s.name).join(' → ')); // Pending → Running → Failed

  failNext = false;
  const retried = await client.retryFlowRun(failed!.id); // same parameters, a new run
  console.log(retried.name, retried.parameters, retried.state.name); // etl-eu { region: 'eu' } Completed
  // #endregion run-history-and-the-client
}

async function cancelSection(): Promise<void> {
  // #region run-history-and-the-client-2
  const poll = task({ name: 'poll', taskRunName: 'poll' }, async () => {
    const { signal } = getRunContext();
    while (!signal.aborted) await sleep(10);
    return 'stopped polling';
  });
  const watch = flow({ name: 'watch' }, () => poll().catch((e: Error) => e.name));
  const result = watch();
  await sleep(50);

  const client = getClient();
  const [running] = await client.readTaskRuns({ name: 'poll', stateType: 'RUNNING' });
  const state = await client.cancelRun(running!.id);
  console.log(state.name, '/', await result); // Cancelled / CancelledError
  // #endregion run-history-and-the-client-2
}

// #region your-own-store
/** A store that keeps ended runs as JSON lines (a file or a table in real life) and reads them back. */
class JsonLinesStore implements RunStore {
  readonly lines: string[] = [];

  recordState(run: StoredRun, state: State, final: boolean): void {
    if (final)
      this.lines.push(JSON.stringify({ ...run.info, states: run.states.map(({ data: _, ...s }) => s) }));
  }

  recordLog(): void {} // logs and artifacts would go to their own tables
  recordArtifact(): void {}

  readRun(id: string): StoredRun | undefined {
    return this.rows().find((run) => run.info.id === id);
  }

  readRuns(query: RunQuery): StoredRun[] {
    // A real store applies every field of the query (name, flowName, stateType, tags, …) in SQL.
    const rows = this.rows().filter((run) => query.kind === undefined || run.info.kind === query.kind);
    return rows.reverse().slice(0, query.limit);
  }

  private rows(): StoredRun[] {
    return this.lines.map((line) => {
      const { states, ...info } = JSON.parse(line, (key, value: unknown) =>
        key === 'timestamp' || key === 'startTime' ? new Date(value as string) : value,
      ) as StoredRun['info'] & { states: State[] };
      return { info, states, logs: [] as LogRecord[], artifacts: [] as ArtifactRecord[] };
    });
  }
}
// #endregion your-own-store

async function storeSection(): Promise<void> {
  // #region retention
  // Keep more history than the default (1,000 flow runs, 250 task runs, a day).
  const restoreDefault = setRunStore(new MemoryRunStore({ maxTaskRuns: 10_000, maxAgeSeconds: 3_600 }));
  await task({ name: 'kept' }, () => 1)();
  restoreDefault();
  // #endregion retention

  // #region your-own-store-2
  const store = new JsonLinesStore();
  const restore = setRunStore(store);
  try {
    await flow({ name: 'persisted' }, () => task({ name: 'step' }, () => 1)())();
    const [run] = await getClient().readFlowRuns();
    console.log(store.lines.length, run!.definitionName, run!.state.name); // 2 persisted Completed
  } finally {
    restore();
  }
  // #endregion your-own-store-2
}

runSections([
  ['logging', loggingSection],
  ['levels', levelsSection],
  ['logPrints', logPrintsSection],
  ['pino', pinoSection],
  ['runtime', runtimeSection],
  ['events', eventsSection],
  ['artifacts', artifactsSection],
  ['client', clientSection],
  ['cancel', cancelSection],
  ['store', storeSection],
]);
