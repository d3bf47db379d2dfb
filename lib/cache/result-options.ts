import type { ResultSerializer } from '../results/result-serializer.js';
import type { ResultStorage } from '../results/result-storage.js';
import type { CachePolicy } from './cache-policy.js';
import type { CacheKeyFn } from './cache-key-context.js';
import type { CacheExpiration } from './expiration.js';

/**
 * Result options flows and tasks share. A flow's `resultStorage`, `resultSerializer` and
 * `cacheResultInMemory` are also the defaults of the tasks and subflows run inside it that
 * cache or persist (their own options win).
 * @example
 * ```ts
 * const nightly = flow({ resultStorage: new LocalFileSystem({ basePath: '.results' }) }, body);
 * ```
 */
export interface ResultOptions {
  /**
   * Write the completed run's result to `resultStorage`. `false` turns caching off too. A task
   * run without a cache key is written only when this is `true` (not merely implied), or with a
   * `resultStorageKey` or `cacheResultInMemory: false`.
   * @default true when the task has a `cachePolicy` (other than `NO_CACHE`), a `cacheKeyFn`, a
   * `resultStorageKey`, a `resultStorage` or a `resultSerializer`; else false
   */
  persistResult?: boolean;
  /** Where results and cache entries are stored. @default the enclosing flow's, else the process-wide `MemoryStorage` */
  resultStorage?: ResultStorage;
  /** How results become bytes: `'json'` or your own. @default the enclosing flow's, else `'json'` */
  resultSerializer?: 'json' | ResultSerializer;
  /**
   * Keep the result in the completed state's `data`. With `false` (and persistence on) `data`
   * is a `ResultReference` and the value is read from storage when `result()` asks for it.
   * @default the enclosing flow's, else true
   */
  cacheResultInMemory?: boolean;
}

/**
 * The caching options of tasks. Caching is on when a `cachePolicy` other than `NO_CACHE`, a
 * `cacheKeyFn` or a `resultStorageKey` is given, and `persistResult` is not false. A hit ends
 * the run `Pending → Cached` without calling the function.
 * @example
 * ```ts
 * const price = task(
 *   { cachePolicy: INPUTS.add(TASK_SOURCE), cacheExpiration: { minutes: 10 } },
 *   async (symbol: string) => fetchPrice(symbol),
 * );
 * ```
 */
export interface TaskResultOptions extends ResultOptions {
  /** What the cache key is computed from. @default none: no caching */
  cachePolicy?: CachePolicy;
  /**
   * Computes the cache key of a run (`null`: do not cache it); overrides `cachePolicy`.
   * `taskInputHash` is one.
   */
  cacheKeyFn?: CacheKeyFn;
  /** How long an entry stays valid, on the engine clock: seconds or a date-fns `Duration`. @default never expires */
  cacheExpiration?: CacheExpiration;
  /** Run anyway and overwrite the entry. @default false */
  refreshCache?: boolean;
  /**
   * The key the result is stored under, a template of parameter names (`'sum-{a}-{b}.json'`,
   * date-fns formats after a colon); it is also the cache key, so it cannot be combined with a
   * `cachePolicy` (other than `NO_CACHE`: store under it without caching) or a `cacheKeyFn`.
   * Values are rendered so that different arguments never share a key: strings and numbers as
   * themselves, structured values as canonical JSON, with `%`, `/`, `\`, a leading `.` and the
   * character after the placeholder percent-encoded (`'../x'` renders `%2E.%2Fx`).
   * @default the cache key, else the run's id
   */
  resultStorageKey?: string;
}
