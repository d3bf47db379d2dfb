import { MissingContextError } from '../errors/missing-context-error.js';
import { contextPropagatesAcrossAwait, currentFrame } from '../internal/context.js';
import type { RunInfo } from '../internal/run-scope.js';

/** The current run, as seen from inside a task or flow body. */
export interface RunContext {
  /** The current task run; undefined when the body is a flow's. */
  readonly taskRun: RunInfo | undefined;
  /** The nearest enclosing flow run (the current one inside a flow body). */
  readonly flowRun: RunInfo | undefined;
  /** The current run's arguments, by parameter name. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The current run's tags, enclosing `tags()` scopes included. */
  readonly tags: readonly string[];
  /** Aborted when the current attempt times out or the run is cancelled. Pass it to `fetch`, timers, child processes. */
  readonly signal: AbortSignal;
}

/**
 * The run whose body is executing. Throws a `MissingContextError` outside any run.
 * On Node the context follows `await`s; in browsers see docs/design.md ("Context").
 * @example
 * ```ts
 * const fetchUser = task(async (id: string) => {
 *   const { signal, taskRun } = getRunContext();
 *   console.log(`attempt ${taskRun?.runCount}`);
 *   return (await fetch(`/users/${id}`, { signal })).json();
 * });
 * ```
 */
export function getRunContext(): RunContext {
  const run = currentFrame().run;
  if (run === undefined) {
    throw new MissingContextError(
      'getRunContext() was called outside a task or flow run' +
        (contextPropagatesAcrossAwait()
          ? ''
          : " (without AsyncLocalStorage the context is only current until the body's first await)"),
    );
  }
  const { info, token } = run;
  return {
    taskRun: info.kind === 'task' ? info : undefined,
    flowRun: run.flowRun,
    parameters: info.parameters,
    tags: info.tags,
    get signal() {
      return token.signal;
    },
  };
}
