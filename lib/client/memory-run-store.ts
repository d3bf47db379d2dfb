import * as z from 'zod/mini';
import type { ArtifactRecord } from '../artifacts/artifact-record.js';
import type { LogRecord } from '../logging/log-record.js';
import type { State } from '../state/schema.js';
import { parseOptions } from './parse-options.js';
import { matchesQuery } from './run-filter.js';
import type { RunEntry } from './run-entry.js';
import { RunRing } from './run-ring.js';
import type { RunQuery, RunStore, StoredRun } from './run-store.js';

/** Retention of a {@link MemoryRunStore}. */
export interface MemoryRunStoreOptions {
  /** Ended flow runs kept; past it the oldest-ended is dropped. @default 1_000 */
  maxFlowRuns?: number;
  /**
   * Ended task runs kept; past it the oldest-ended is dropped. Task runs come by the thousand,
   * and every one kept outlives V8's young generation once there are more than a few hundred,
   * which costs the engine time on every run (about 0.4 µs per task run when keeping 1,000):
   * raise it for debugging and tests, keep it modest in a process running millions of tasks.
   * @default 250
   */
  maxTaskRuns?: number;
  /**
   * When a run ends, runs that ended more than this many seconds before it are dropped. Age is
   * measured between the runs' own final-state times (the engine clock, virtual under
   * `withVirtualTime`), not against the reader's clock, so reading after a virtual-time test
   * sees what the test left. @default 86_400 (a day)
   */
  maxAgeSeconds?: number;
  /** Log records kept per run; past it the oldest are dropped. @default 1_000 */
  maxLogsPerRun?: number;
  /** Artifacts kept per run; past it the oldest are dropped. @default 1_000 */
  maxArtifactsPerRun?: number;
  /**
   * Keep results (`data` of `Completed`/`Cached` states) in the stored history. Off, a stored
   * final state is a copy without `data`, so the store never keeps results alive.
   * @default false
   */
  keepResults?: boolean;
}

const count = z.optional(z.number().check(z.int(), z.nonnegative()));
const OptionsSchema = z.strictObject({
  maxFlowRuns: count,
  maxTaskRuns: count,
  maxAgeSeconds: z.optional(z.number().check(z.positive())),
  maxLogsPerRun: count,
  maxArtifactsPerRun: count,
  keepResults: z.optional(z.boolean()),
});

/**
 * The default {@link RunStore}: the runs of this process, in memory, with a retention bound so a
 * long-lived process stays flat. It keeps ended runs, up to `maxFlowRuns` flow runs and
 * `maxTaskRuns` task runs (separately, so a flood of task runs never pushes out the flow runs),
 * and drops those that ended more than `maxAgeSeconds` before the latest, the oldest-ended
 * first; `getClient()` adds the runs still going from the engine. Recording costs an array write per state; ended runs go into ring buffers,
 * so nothing is re-hashed or re-allocated as runs come and go. Reads scan (about a microsecond
 * per thousand runs): fine for queries, not for a hot loop.
 *
 * The defaults keep recording within a few percent of a bare task run's cost (bench A1); see
 * `maxTaskRuns` before raising it in a process that runs millions of tasks.
 * @example
 * ```ts
 * setRunStore(new MemoryRunStore({ maxFlowRuns: 100, maxTaskRuns: 5_000, maxAgeSeconds: 3_600 }));
 * ```
 */
export class MemoryRunStore implements RunStore {
  private readonly flows: RunRing;
  private readonly tasks: RunRing;
  private readonly maxAgeMs: number;
  private readonly maxLogs: number;
  private readonly maxArtifacts: number;
  private readonly keepResults: boolean;

  constructor(options?: MemoryRunStoreOptions) {
    const o = parseOptions('MemoryRunStore', OptionsSchema, options);
    this.flows = new RunRing(o.maxFlowRuns ?? 1_000);
    this.tasks = new RunRing(o.maxTaskRuns ?? 250);
    this.maxAgeMs = (o.maxAgeSeconds ?? 86_400) * 1000;
    this.maxLogs = o.maxLogsPerRun ?? 1_000;
    this.maxArtifacts = o.maxArtifactsPerRun ?? 1_000;
    this.keepResults = o.keepResults ?? false;
  }

  /** Called by the engine for each state (see {@link RunStore}): files the run once it has ended. */
  recordState(run: StoredRun, state: State, final: boolean): void {
    if (!final) return;
    const entry = run as RunEntry;
    if (!this.keepResults && 'data' in state) entry.replaceLast(withoutData(state));
    const endedAt = state.timestamp.getTime();
    (entry.info.kind === 'task' ? this.tasks : this.flows).add(entry, endedAt - this.maxAgeMs);
  }

  /** Called by the engine for each log record: appends it to the run (and to its flow run's). */
  recordLog(run: StoredRun, log: LogRecord): void {
    const entry = run as RunEntry;
    entry.logs = append(entry.logs, log, this.maxLogs);
    // A flow run's logs include those of its task runs (not of its subflows, which have their own).
    const flow = entry.flow;
    if (flow !== undefined && entry.info.kind === 'task') flow.logs = append(flow.logs, log, this.maxLogs);
  }

  /** Called by the engine for each artifact or progress update: adds or replaces it by id. */
  recordArtifact(run: StoredRun, artifact: ArtifactRecord): void {
    const entry = run as RunEntry;
    entry.artifacts = upsert(entry.artifacts, artifact, this.maxArtifacts);
    const flow = entry.flow;
    if (flow !== undefined && entry.info.kind === 'task')
      flow.artifacts = upsert(flow.artifacts, artifact, this.maxArtifacts);
  }

  /** The ended run with this id, unless it has been dropped. */
  readRun(id: string): StoredRun | undefined {
    for (const ring of [this.tasks, this.flows]) {
      for (let i = ring.size - 1; i >= 0; i--) {
        const e = ring.at(i);
        if (e.info.id === id) return e;
      }
    }
    return undefined;
  }

  /** The ended runs matching `query`, the most recently created first. */
  readRuns(query: RunQuery): readonly StoredRun[] {
    const found: RunEntry[] = [];
    const flowNameOf = (run: StoredRun) => (run as RunEntry).flow?.info.definitionName;
    const rings =
      query.kind === 'task' ? [this.tasks] : query.kind === 'flow' ? [this.flows] : [this.tasks, this.flows];
    for (const ring of rings) {
      for (let i = 0; i < ring.size; i++) {
        const e = ring.at(i);
        if (matchesQuery(e, query, flowNameOf)) found.push(e);
      }
    }
    found.sort(newestFirst);
    return query.limit === undefined ? found : found.slice(0, query.limit);
  }

  /** Forgets every ended run. */
  clear(): void {
    this.flows.clear();
    this.tasks.clear();
  }
}

/** @internal Runs by creation, newest first. */
export function newestFirst(a: RunEntry, b: RunEntry): number {
  return b.info.startTime.getTime() - a.info.startTime.getTime() || b.seq - a.seq;
}

function append<T>(list: readonly T[], item: T, max: number): readonly T[] {
  if (max === 0) return list;
  const out = Object.isFrozen(list) ? [] : (list as T[]);
  out.push(item);
  if (out.length > max) out.shift();
  return out;
}

function upsert(
  list: readonly ArtifactRecord[],
  artifact: ArtifactRecord,
  max: number,
): readonly ArtifactRecord[] {
  const index = list.findIndex((a) => a.id === artifact.id);
  if (index < 0) return append(list, artifact, max);
  (list as ArtifactRecord[])[index] = artifact;
  return list;
}

/**
 * A stored copy of a final state without its result. Not frozen here: freezing costs more than
 * the copy, on every run; the entry freezes it when it is read (`RunEntry.states` / `last`), so
 * no reader ever sees it unfrozen.
 */
function withoutData(state: State): State {
  const copy = { type: state.type, name: state.name, timestamp: state.timestamp } as {
    -readonly [K in keyof State]: State[K];
  };
  if (state.message !== undefined) copy.message = state.message;
  if ('error' in state) copy.error = state.error;
  if (state.details !== undefined) copy.details = state.details;
  return copy as State;
}

/**
 * @internal Whether `store` is a memory store that records runs only once they end (its own
 * `recordState`, not an override): a run submitted now may then be built when it starts
 * (futures/submit.ts), since this store would not see its Pending anyway.
 */
export function keepsEndedRunsOnly(store: RunStore): boolean {
  return store instanceof MemoryRunStore && store.recordState === MemoryRunStore.prototype.recordState;
}
