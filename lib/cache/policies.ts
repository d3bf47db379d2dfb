import { CachePolicy } from './cache-policy.js';

/**
 * Cache by the task's arguments (all of them, or all but those named in `INPUTS.exclude(...)`).
 * A task without parameters computes no inputs part (as in Prefect).
 * @example
 * ```ts
 * const square = task({ cachePolicy: INPUTS }, (n: number) => n * n);
 * ```
 */
export const INPUTS: CachePolicy = new CachePolicy(['INPUTS']);

/**
 * Cache by the task's source code: the entry changes when the function's text changes. (Every
 * key is scoped to its task, name and source, already; on its own this policy caches one result
 * per version of the code, whatever the arguments.)
 * @example
 * ```ts
 * const config = task({ cachePolicy: TASK_SOURCE }, () => loadConfig());
 * ```
 */
export const TASK_SOURCE: CachePolicy = new CachePolicy(['TASK_SOURCE']);

/**
 * Cache within one flow run: the enclosing flow run's id (or, outside a flow, the task run's
 * own id, which never repeats).
 * @example
 * ```ts
 * const token = task({ cachePolicy: RUN_ID }, () => fetchToken()); // once per flow run
 * ```
 */
export const RUN_ID: CachePolicy = new CachePolicy(['RUN_ID']);

/**
 * Cache by the enclosing flow run's parameters; outside a flow, or for a flow without
 * parameters, it computes no part.
 * @example
 * ```ts
 * const prepare = task({ cachePolicy: FLOW_PARAMETERS }, () => prepareWorkspace());
 * ```
 */
export const FLOW_PARAMETERS: CachePolicy = new CachePolicy(['FLOW_PARAMETERS']);

/**
 * Never cache (and do not persist the result unless `persistResult: true` says so).
 * `NO_CACHE.add(INPUTS)` is `INPUTS`.
 * @example
 * ```ts
 * const now = task({ cachePolicy: NO_CACHE }, () => readSensor());
 * ```
 */
export const NO_CACHE: CachePolicy = new CachePolicy([]);

/**
 * `INPUTS + TASK_SOURCE + RUN_ID`, as in Prefect: equal arguments to the same code hit the cache
 * within one flow run.
 * @example
 * ```ts
 * const lookup = task({ cachePolicy: DEFAULT }, (id: string) => fetchRecord(id));
 * ```
 */
export const DEFAULT: CachePolicy = new CachePolicy(['INPUTS', 'TASK_SOURCE', 'RUN_ID']);
