import type { RunInfo } from '../internal/run-scope.js';

/**
 * What `cacheKeyFn(context, parameters)` receives besides the parameters (Prefect's task run
 * context): the task, its run, and the enclosing flow run.
 * @example
 * ```ts
 * const byDay: CacheKeyFn = (context, { day }) => `${context.task.name}-${String(day)}`;
 * ```
 */
export interface CacheKeyContext {
  /** The task: its name and function (what `taskInputHash` identifies it by). */
  readonly task: { readonly name: string; readonly fn: (...args: never[]) => unknown };
  /** The task run being keyed. */
  readonly taskRun: RunInfo;
  /** The nearest enclosing flow run, if any. */
  readonly flowRun: RunInfo | undefined;
}

/**
 * A task's `cacheKeyFn`: returns the cache key of a run, or `null` (or `undefined`) for "do not
 * cache this run". Runs with equal keys share one entry, whatever task they belong to, so
 * include what tells tasks apart (`taskInputHash` does).
 * @example
 * ```ts
 * const fetchPage = task({ cacheKeyFn: (_ctx, { url }) => String(url) }, async (url: string) => get(url));
 * ```
 */
export type CacheKeyFn = (
  context: CacheKeyContext,
  parameters: Readonly<Record<string, unknown>>,
) => string | null | undefined;
