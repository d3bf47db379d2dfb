import { currentFrame } from '../internal/context.js';
import type { RunInfo } from '../internal/run-scope.js';

/**
 * The current flow run or task run, field by field: each field is `undefined` outside such a
 * run, never an error (Prefect's `prefect.runtime`). Read it anywhere: in a body, in a helper
 * the body calls, in a library that wants to tag its output when it happens to run in a flow.
 * @example
 * ```ts
 * const label = (run: RuntimeRun) => (run.id === undefined ? 'no run' : `${run.name} #${run.runCount}`);
 * label(runtime.taskRun);
 * ```
 */
export interface RuntimeRun {
  readonly id: string | undefined;
  readonly name: string | undefined;
  /** Arguments by parameter name. */
  readonly parameters: Readonly<Record<string, unknown>> | undefined;
  readonly tags: readonly string[] | undefined;
  /** The attempt: 1 on the first, k during attempt k. */
  readonly runCount: number | undefined;
  /** When the run was created (its `Pending`), by the engine clock. */
  readonly scheduledStartTime: Date | undefined;
  /** The run that started this one (for a flow run, the parent flow run of a subflow). */
  readonly parentRunId: string | undefined;
}

/** Reads the run `pick` selects from the current frame, fresh on every field access. */
class RuntimeView implements RuntimeRun {
  constructor(private readonly pick: () => RunInfo | undefined) {}

  get id(): string | undefined {
    return this.pick()?.id;
  }

  get name(): string | undefined {
    return this.pick()?.name;
  }

  get parameters(): Readonly<Record<string, unknown>> | undefined {
    return this.pick()?.parameters;
  }

  get tags(): readonly string[] | undefined {
    return this.pick()?.tags;
  }

  get runCount(): number | undefined {
    return this.pick()?.runCount;
  }

  get scheduledStartTime(): Date | undefined {
    return this.pick()?.startTime;
  }

  get parentRunId(): string | undefined {
    return this.pick()?.parentRunId;
  }

  /** The fields as a plain object (what `console.log(runtime.flowRun)` and `JSON.stringify` show). */
  toJSON(): RuntimeRun {
    const { id, name, parameters, tags, runCount, scheduledStartTime, parentRunId } = this;
    return { id, name, parameters, tags, runCount, scheduledStartTime, parentRunId };
  }
}

const currentTaskRun = (): RunInfo | undefined => {
  const info = currentFrame().run?.info;
  return info?.kind === 'task' ? info : undefined;
};

/**
 * The run context as plain fields, `undefined` outside a run: `runtime.flowRun` is the current
 * flow run (inside a task, the flow run the task belongs to), `runtime.taskRun` the current task
 * run. On Node they follow `await`s; in the browser build, see `getRunContext`.
 * @example
 * ```ts
 * const save = task(async (rows: Row[]) => {
 *   const path = `out/${runtime.flowRun.name ?? 'adhoc'}/attempt-${runtime.taskRun.runCount}.json`;
 *   await writeFile(path, JSON.stringify(rows));
 * });
 * ```
 */
export const runtime: { readonly flowRun: RuntimeRun; readonly taskRun: RuntimeRun } = Object.freeze({
  flowRun: new RuntimeView(() => currentFrame().run?.flowRun),
  taskRun: new RuntimeView(currentTaskRun),
});
