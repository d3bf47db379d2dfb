import type { CancelToken } from './cancel-token.js';
import type { Clock } from './clock.js';
import type { RunEntry } from '../client/run-entry.js';

/**
 * A run as the outside world sees it: immutable; a new object is made for each attempt, so a
 * `RunInfo` received with a state always shows that state's `runCount`.
 */
export interface RunInfo {
  /** A unique id (UUID). */
  readonly id: string;
  /** The run's name: from `taskRunName` / `flowRunName`, else generated. */
  readonly name: string;
  readonly kind: 'task' | 'flow';
  /** The task's or flow's own name. */
  readonly definitionName: string;
  /** The task's or flow's `description` option; undefined when it has none. */
  readonly description?: string | undefined;
  /** The task's or flow's `version` option (Prefect's flow and task version); undefined when it has none. */
  readonly version?: string | undefined;
  /** The run that started this one: the enclosing flow run, or the enclosing task run. */
  readonly parentRunId?: string;
  /** The nearest enclosing flow run (a flow run's own id is not its `flowRunId`). */
  readonly flowRunId?: string;
  readonly tags: readonly string[];
  /** Arguments by parameter name (positional names `'0'`, `'1'`, … where a name cannot be read). */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The attempt number: 1 on the first attempt, k during attempt k. */
  readonly runCount: number;
  /** When the run was created, by the engine clock. */
  readonly startTime: Date;
  /**
   * Runs this one waited for before it started: the futures among its `submit`/`map` arguments
   * (also nested in arrays and plain objects) and its `waitFor` list. Absent for direct calls.
   */
  readonly upstreamRunIds?: readonly string[];
}

/**
 * @internal What one flow run attempt shares with the futures submitted in it: the task runner
 * (entered lazily on the first `submit`) and the count of submitted runs not yet ended, which
 * the flow waits for before it ends.
 */
export interface FlowScope {
  /** The flow's `taskRunner` option; undefined means the default concurrent runner. */
  readonly template: unknown;
  /** The runner entered for this attempt, once something was submitted. */
  runner: unknown;
  /** Submitted runs of this attempt that have not ended yet. */
  outstanding: number;
  /** Called once `outstanding` drops to 0. */
  idle: (() => void)[] | undefined;
}

/** @internal One outstanding unit of a flow run attempt ended: wakes the flow if it was the last. */
export function settleOutstanding(scope: FlowScope): void {
  if (--scope.outstanding === 0 && scope.idle !== undefined) {
    const idle = scope.idle;
    scope.idle = undefined;
    for (const wake of idle) wake();
  }
}

/** @internal What a running attempt puts into its frame for the code it calls. */
export interface RunScope {
  readonly info: RunInfo;
  /** The nearest enclosing flow run's info (this run's own when it is a flow run). */
  readonly flowRun: RunInfo | undefined;
  readonly token: CancelToken;
  readonly clock: Clock;
  /** Set on a flow run's own scope only: where `submit`/`map` in its body find their runner. */
  readonly flowScope?: FlowScope;
  /** The run's entry in the run store: where its logs and artifacts are recorded. */
  readonly record: RunEntry;
  /** Whether `console` calls in this run become its log records (`logPrints`, own or inherited). */
  readonly logPrints: boolean;
}
