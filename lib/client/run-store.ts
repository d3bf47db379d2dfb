import type { ArtifactRecord } from '../artifacts/artifact-record.js';
import type { RunInfo } from '../internal/run-scope.js';
import type { LogRecord } from '../logging/log-record.js';
import type { State, StateType } from '../state/schema.js';

/**
 * A run as a {@link RunStore} keeps it: its latest info and its whole history.
 * @example
 * ```ts
 * const run = await getRunStore().readRun(id);
 * console.log(run?.states.map((s) => s.name), run?.logs.length);
 * ```
 */
export interface StoredRun {
  /** The run's info as of its latest state (`runCount` moves with retries). */
  readonly info: RunInfo;
  /** Every state, in order, `Pending` first. */
  readonly states: readonly State[];
  /** Its log records; a flow run's also include those of the task runs directly in it. */
  readonly logs: readonly LogRecord[];
  /** Its artifacts (latest version of each); a flow run's also include its task runs' artifacts. */
  readonly artifacts: readonly ArtifactRecord[];
}

/**
 * Which runs to read; every field is optional and all given fields must match.
 * @example
 * ```ts
 * await getClient().readTaskRuns({ flowName: 'etl', stateType: ['FAILED', 'CRASHED'], startedAfter: yesterday, limit: 20 });
 * ```
 */
export interface RunFilter {
  /** The run's name, exactly (`'etl-2024-06-01'`). */
  name?: string;
  /** The flow's name: of the flow run itself, or for a task run of the flow run it belongs to. */
  flowName?: string;
  /** The type of the run's latest state, or any of several. */
  stateType?: StateType | readonly StateType[];
  /** Runs carrying every one of these tags. */
  tags?: readonly string[];
  /** Runs started by this run: children of a flow run or of a task run. */
  parentRunId?: string;
  /** Runs whose nearest enclosing flow run is this one. */
  flowRunId?: string;
  /** Runs created at or after this time (engine clock). */
  startedAfter?: Date;
  /** Runs created at or before this time (engine clock). */
  startedBefore?: Date;
  /** At most this many runs, the most recently created first. */
  limit?: number;
}

/** A {@link RunFilter} as a store receives it, with the kind of run asked for. */
export interface RunQuery extends RunFilter {
  kind?: 'task' | 'flow';
}

/** A value, or a Promise of it: an in-memory store answers at once, a database asynchronously. */
export type Awaitable<T> = T | Promise<T>;

/**
 * Where run history goes. The engine calls the `record…` methods synchronously as runs progress,
 * with the same `run` object for every call about one run; they must not throw and should be
 * cheap (a database store queues writes and flushes them in batches). The default is a
 * {@link MemoryRunStore}; swap it with `setRunStore`.
 *
 * The `run` object is the engine's live record: its `states` are always complete (the engine
 * appends each state before calling `recordState`), while `logs` and `artifacts` hold what the
 * store appends to them (the in-memory store does; a persistent one writes rows instead and
 * rebuilds {@link StoredRun} objects when read).
 *
 * `getClient()` reads through `readRun` and `readRuns`, and adds the runs of this process that
 * are still going, from the engine: a store needs to answer for ended runs only (answering for
 * runs still going too is fine; the store's answer wins).
 * @example
 * ```ts
 * class SqliteRunStore implements RunStore {
 *   recordState(run: StoredRun, state: State, final: boolean) { this.queue.push(['state', run.info, state, final]); }
 *   recordLog(run: StoredRun, log: LogRecord) { this.queue.push(['log', log]); }
 *   recordArtifact(run: StoredRun, artifact: ArtifactRecord) { this.queue.push(['artifact', artifact]); }
 *   readRun(id: string) { return this.db.selectRun(id); }
 *   readRuns(query: RunQuery) { return this.db.selectRuns(query); }
 * }
 * setRunStore(new SqliteRunStore(db));
 * ```
 */
export interface RunStore {
  /**
   * A run's new state, in order: the first call of a run carries its `Pending` state, and
   * `final` is true on its last state (after which no state follows). `run.info` is the run's
   * info as of this state.
   */
  recordState(run: StoredRun, state: State, final: boolean): void;
  /** A log record written by `run` (a task run's also belongs to its flow run: `log.flowRunId`). */
  recordLog(run: StoredRun, log: LogRecord): void;
  /** An artifact created by `run`, or a new version of one (same `id`) that replaces it. */
  recordArtifact(run: StoredRun, artifact: ArtifactRecord): void;
  /** The run with this id, if the store still has it. */
  readRun(id: string): Awaitable<StoredRun | undefined>;
  /** The runs matching `query`, the most recently created first, at most `query.limit`. */
  readRuns(query: RunQuery): Awaitable<readonly StoredRun[]>;
}
