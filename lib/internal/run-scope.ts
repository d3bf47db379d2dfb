import type { CancelToken } from './cancel-token.js';
import type { Clock } from './clock.js';

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
}

/** @internal What a running attempt puts into its frame for the code it calls. */
export interface RunScope {
  readonly info: RunInfo;
  /** The nearest enclosing flow run's info (this run's own when it is a flow run). */
  readonly flowRun: RunInfo | undefined;
  readonly token: CancelToken;
  readonly clock: Clock;
}
