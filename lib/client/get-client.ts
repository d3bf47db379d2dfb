import type { ArtifactRecord } from '../artifacts/artifact-record.js';
import { CancelledError } from '../errors/cancelled-error.js';
import { currentFrame, type Frame } from '../internal/context.js';
import { RunDriver, type RunSink } from '../internal/engine/run-driver.js';
import { activeRuns, buildDeferredRuns } from '../internal/engine/registry.js';
import type { RunInfo } from '../internal/run-scope.js';
import type { LogRecord } from '../logging/log-record.js';
import type { State } from '../state/schema.js';
import { newestFirst } from './memory-run-store.js';
import { matchesQuery, parseRunFilter } from './run-filter.js';
import { isRunEntry, type RunEntry } from './run-entry.js';
import { RunNotFoundError } from './run-not-found-error.js';
import { runStoreSlot } from './run-store-slot.js';
import type { RunFilter, RunQuery, StoredRun } from './run-store.js';

/**
 * A run as the client lists it: its info with its latest state.
 * @example
 * ```ts
 * const [last] = await getClient().readFlowRuns({ flowName: 'etl', limit: 1 });
 * if (last?.state.type === 'FAILED') console.log(last.name, last.state.message);
 * ```
 */
export interface RunRecord extends RunInfo {
  /** The latest state (the final one once the run has ended). */
  readonly state: State;
}

/**
 * Reads the run store and acts on runs of this process; from {@link getClient}. Reads include the
 * runs still going. Every method is async, so a persistent store can answer.
 */
export interface RxflowClient {
  /** The flow run with this id, or undefined if unknown (never here, or no longer kept). */
  readFlowRun(id: string): Promise<RunRecord | undefined>;
  /** The task run with this id, or undefined if unknown. */
  readTaskRun(id: string): Promise<RunRecord | undefined>;
  /** Flow runs matching `filter`, the most recently created first. */
  readFlowRuns(filter?: RunFilter): Promise<RunRecord[]>;
  /** Task runs matching `filter`, the most recently created first. */
  readTaskRuns(filter?: RunFilter): Promise<RunRecord[]>;
  /** Every state of the run, in order (`[]` if unknown). Stored final states carry no result. */
  readRunStates(id: string): Promise<State[]>;
  /** The run's log records in order; for a flow run, also those of its task runs (`[]` if unknown). */
  readLogs(runId: string): Promise<LogRecord[]>;
  /** The run's artifacts, latest version of each; for a flow run, also its task runs' (`[]` if unknown). */
  readArtifacts(runId: string): Promise<ArtifactRecord[]>;
  /**
   * Cancels a run that is going (its signal aborts; runs it started are cancelled first) and
   * resolves with its final state, once its hooks have run. For a run that has already ended,
   * resolves with its final state and changes nothing. Rejects with a `RunNotFoundError` for an
   * unknown id.
   */
  cancelRun(id: string): Promise<State>;
  /**
   * Runs an ended flow run's flow again with the same (parsed) arguments, as a new root flow run
   * with the original's tags, and resolves with that run once it has ended (whatever its
   * outcome). Tasks whose results are cached stay cached. Rejects with a `RunNotFoundError` for an
   * unknown id, and with an `Error` for a task run, a run still going, or a run recorded by
   * another process.
   */
  retryFlowRun(id: string): Promise<RunRecord>;
}

const OWNER = 'getClient()';

function assertId(method: string, id: unknown): asserts id is string {
  if (typeof id !== 'string' || id === '')
    throw new TypeError(`${OWNER}.${method}: expected a run id (a non-empty string), got ${String(id)}`);
}

/** The driver of a run of this process that has not ended. */
function activeDriver(id: string): RunDriver | undefined {
  buildDeferredRuns();
  for (const driver of activeRuns) if (driver.info.id === id && !driver.ended) return driver;
  return undefined;
}

/** The run: as the store has it, else from the engine if it is going. */
async function lookup(id: string): Promise<StoredRun | undefined> {
  return (await runStoreSlot.current.readRun(id)) ?? activeDriver(id)?.record;
}

function toRecord(run: StoredRun): RunRecord | undefined {
  const state = isRunEntry(run) ? run.last : run.states.at(-1);
  return state === undefined ? undefined : { ...run.info, state };
}

async function readOne(method: string, id: string, kind: 'task' | 'flow'): Promise<RunRecord | undefined> {
  assertId(method, id);
  const run = await lookup(id);
  return run === undefined || run.info.kind !== kind ? undefined : toRecord(run);
}

async function readMany(
  method: string,
  filter: RunFilter | undefined,
  kind: 'task' | 'flow',
): Promise<RunRecord[]> {
  const query: RunQuery = { ...parseRunFilter(`${OWNER}.${method}`, filter), kind };
  const stored = await runStoreSlot.current.readRuns(query);
  const seen = new Set(stored.map((run) => run.info.id));
  const going: RunEntry[] = [];
  const flowNameOf = (run: StoredRun) => (isRunEntry(run) ? run.flow?.info.definitionName : undefined);
  buildDeferredRuns(); // queued runs waiting for a runner slot are going too
  for (const driver of activeRuns) {
    const entry = driver.record;
    if (!driver.ended && !seen.has(entry.info.id) && matchesQuery(entry, query, flowNameOf))
      going.push(entry);
  }
  const all: StoredRun[] = going.length === 0 ? [...stored] : [...stored, ...going];
  if (going.length !== 0) all.sort((a, b) => byNewest(a, b));
  const limited = query.limit === undefined ? all : all.slice(0, query.limit);
  return limited.flatMap((run) => toRecord(run) ?? []);
}

function byNewest(a: StoredRun, b: StoredRun): number {
  if (isRunEntry(a) && isRunEntry(b)) return newestFirst(a, b);
  return b.info.startTime.getTime() - a.info.startTime.getTime();
}

/** A root frame on the current clock, carrying `tags` as `tags()` scopes would. */
function rootFrame(tags: readonly string[]): Frame {
  const here = currentFrame(false);
  return { run: undefined, clock: here.clock, tags, virtual: here.virtual };
}

const client: RxflowClient = Object.freeze({
  readFlowRun: (id: string) => readOne('readFlowRun', id, 'flow'),
  readTaskRun: (id: string) => readOne('readTaskRun', id, 'task'),
  readFlowRuns: (filter?: RunFilter) => readMany('readFlowRuns', filter, 'flow'),
  readTaskRuns: (filter?: RunFilter) => readMany('readTaskRuns', filter, 'task'),

  async readRunStates(id: string): Promise<State[]> {
    assertId('readRunStates', id);
    return [...((await lookup(id))?.states ?? [])];
  },

  async readLogs(runId: string): Promise<LogRecord[]> {
    assertId('readLogs', runId);
    return [...((await lookup(runId))?.logs ?? [])];
  },

  async readArtifacts(runId: string): Promise<ArtifactRecord[]> {
    assertId('readArtifacts', runId);
    return [...((await lookup(runId))?.artifacts ?? [])];
  },

  async cancelRun(id: string): Promise<State> {
    assertId('cancelRun', id);
    const driver = activeDriver(id);
    if (driver !== undefined) {
      const { kind, name } = driver.info;
      driver.cancel(
        new CancelledError(`${kind === 'task' ? 'Task' : 'Flow'} run '${name}' was cancelled by cancelRun()`),
      );
      await driver.whenDone();
      return driver.state!;
    }
    const run = await runStoreSlot.current.readRun(id);
    const last = run?.states.at(-1);
    if (last === undefined)
      throw new RunNotFoundError(`${OWNER}.cancelRun: no run with id '${id}' is going or kept`, id);
    return last;
  },

  async retryFlowRun(id: string): Promise<RunRecord> {
    assertId('retryFlowRun', id);
    const run = await lookup(id);
    if (run === undefined)
      throw new RunNotFoundError(`${OWNER}.retryFlowRun: no run with id '${id}' is going or kept`, id);
    const { kind, name } = run.info;
    if (kind !== 'flow')
      throw new Error(
        `${OWNER}.retryFlowRun: '${name}' (${id}) is a task run; only flow runs can be retried`,
      );
    if (activeDriver(id) !== undefined)
      throw new Error(`${OWNER}.retryFlowRun: flow run '${name}' (${id}) has not ended yet`);
    if (!isRunEntry(run) || run.rerun === undefined)
      throw new Error(`${OWNER}.retryFlowRun: flow run '${name}' (${id}) was not started by this process`);
    const { owner, def, args, self } = run.rerun;
    return new Promise<RunRecord>((resolve) => {
      const sink: RunSink = { next() {}, done: (state) => resolve({ ...driver.info, state }) };
      const driver = new RunDriver(def, owner, [...args], rootFrame(run.info.tags), sink, undefined, self);
      driver.start();
    });
  },
});

/**
 * The client of this process's runs: reads the run store (every flow run and task run with its
 * state history, parameters, tags, parent links, logs and artifacts, within the store's
 * retention) and the runs still going, cancels runs and retries flow runs.
 * @example
 * ```ts
 * const client = getClient();
 * const failed = await client.readFlowRuns({ flowName: 'etl', stateType: 'FAILED', limit: 10 });
 * for (const run of failed) console.log(run.name, run.state.message, await client.readLogs(run.id));
 * const again = await client.retryFlowRun(failed[0]!.id);
 * ```
 */
export function getClient(): RxflowClient {
  return client;
}
