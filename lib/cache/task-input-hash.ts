import { CacheKeyError } from './cache-key-error.js';
import type { CacheKeyContext } from './cache-key-context.js';
import { canonical, stableStringify, UnhashableValueError } from './canonical.js';
import { sha256Hex, sourceHash } from './hash.js';

/**
 * The SHA-256 (64 hex digits) of a task's identity (its name and source text) and its
 * parameters: Prefect's `task_input_hash`, usable as a `cacheKeyFn` as is. Equal parameters give
 * equal hashes in any process, whatever the order of object keys; two tasks never share one.
 * Parameters are encoded deterministically: Dates, Maps, Sets, BigInts, typed arrays and class
 * instances with `toJSON()` are supported; functions, symbols, circular structures and other
 * class instances throw a {@link CacheKeyError} naming the parameter.
 * @example
 * ```ts
 * const report = task({ cacheKeyFn: taskInputHash, cacheExpiration: { hours: 1 } }, (day: Date) => build(day));
 * ```
 */
export function taskInputHash(
  context: CacheKeyContext,
  parameters: Readonly<Record<string, unknown>>,
): string {
  const { task } = context;
  return sha256Hex(
    stableStringify([
      'rxflow.taskInputHash/1',
      task.name,
      sourceHash(task.fn),
      encodeParameters(parameters, task.name, undefined),
    ]),
  );
}

/**
 * @internal The parameters of a run, encoded for a key (see `canonical`), leaving out `excluded`
 * names. Throws a CacheKeyError naming the task and the parameter.
 */
export function encodeParameters(
  parameters: Readonly<Record<string, unknown>>,
  taskName: string,
  excluded: readonly string[] | undefined,
): unknown {
  let out = parameters as Record<string, unknown>;
  if (excluded !== undefined && excluded.length > 0 && excluded.some((name) => name in parameters)) {
    out = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(parameters)) if (!excluded.includes(key)) out[key] = parameters[key];
  }
  try {
    return canonical(out, '');
  } catch (error) {
    if (!(error instanceof UnhashableValueError)) throw error;
    const path = error.path;
    const parameter = error.first ?? path;
    throw new CacheKeyError(
      `Cannot compute the cache key of task '${taskName}': parameter '${parameter}' holds ${error.what}` +
        (path === parameter ? '' : ` at ${path}`) +
        ` (${error.hint}). Exclude it with INPUTS.exclude('${parameter}'), give the task a cacheKeyFn, or use cachePolicy NO_CACHE.`,
      parameter,
      { cause: error },
    );
  }
}
