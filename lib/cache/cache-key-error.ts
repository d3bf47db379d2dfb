import { guardFor, RxflowError } from '../errors/rxflow-error.js';

/**
 * A task run's cache key could not be computed: an argument holds a value that cannot be hashed
 * deterministically (a function, a symbol, a circular structure, a class instance without
 * `toJSON()`), or `cacheKeyFn` threw. The run then goes on without the cache (as in Prefect) and
 * the engine reports this error; `taskInputHash` throws it. The message names the task, the
 * parameter and the path to the value.
 * @example
 * ```ts
 * try {
 *   taskInputHash(context, { conn: pool });
 * } catch (error) {
 *   if (isCacheKeyError(error)) console.log(error.parameter); // 'conn'
 * }
 * ```
 */
export class CacheKeyError extends RxflowError {
  static override readonly errorName: string = 'CacheKeyError';

  readonly code = 'CACHE_KEY';
  /** The parameter holding the value that could not be hashed, when one is to blame. */
  readonly parameter: string | undefined;

  constructor(message: string, parameter?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.parameter = parameter;
  }
}

/** Narrows `value` to a {@link CacheKeyError}. */
export const isCacheKeyError = guardFor(CacheKeyError, 'CacheKeyError');
