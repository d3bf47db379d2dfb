import * as z from 'zod/mini';
import type { Duration } from 'date-fns';
import { knownNames, notAParameter, type ParameterSpec } from '../internal/params.js';
import { isResultSerializer, type ResultSerializer } from '../results/result-serializer.js';
import { isResultStorage, type ResultStorage } from '../results/result-storage.js';
import { jsonSerializer } from '../results/json-serializer.js';
import { isCachePolicy, type CachePolicy } from './cache-policy.js';
import type { CacheKeyFn } from './cache-key-context.js';
import { expirationAt, MAX_TIME, type CacheExpiration } from './expiration.js';
import { KeyMemo } from './key-memo.js';
import { compileStorageKey, type StorageKeyTemplate } from './storage-key.js';

const nonNegative = z.number().check(z.nonnegative());
const isFn = (v: unknown): boolean => typeof v === 'function';

const durationSchema = z.strictObject({
  years: z.optional(nonNegative),
  months: z.optional(nonNegative),
  weeks: z.optional(nonNegative),
  days: z.optional(nonNegative),
  hours: z.optional(nonNegative),
  minutes: z.optional(nonNegative),
  seconds: z.optional(nonNegative),
});

const storageSchema = z.custom<ResultStorage>(isResultStorage, {
  message: 'expected a ResultStorage (an object with read, write, exists and delete methods)',
});
const serializerSchema = z.union([
  z.literal('json'),
  z.custom<ResultSerializer>(isResultSerializer, {
    message: "expected 'json' or a ResultSerializer (an object with dumps and loads methods)",
  }),
]);

/** @internal The result options flows and tasks share, as zod shapes for their strict schemas. */
export const flowResultOptions = {
  persistResult: z.optional(z.boolean()),
  resultStorage: z.optional(storageSchema),
  resultSerializer: z.optional(serializerSchema),
  cacheResultInMemory: z.optional(z.boolean()),
};

/** @internal The caching and result options of tasks. */
export const taskResultOptions = {
  ...flowResultOptions,
  cachePolicy: z.optional(
    z.custom<CachePolicy>(isCachePolicy, {
      message: 'expected a cache policy such as INPUTS, DEFAULT or INPUTS.add(TASK_SOURCE)',
    }),
  ),
  cacheKeyFn: z.optional(z.custom<CacheKeyFn>(isFn, { message: 'expected a function' })),
  cacheExpiration: z.optional(
    z.union([nonNegative, durationSchema], {
      message: 'expected a number of seconds or a date-fns Duration such as { hours: 1 }',
    }),
  ),
  refreshCache: z.optional(z.boolean()),
  resultStorageKey: z.optional(z.string().check(z.minLength(1))),
};

/** @internal What the result options of a definition say, checked and normalised once. */
export interface ResultPlan {
  readonly kind: 'task' | 'flow';
  readonly name: string;
  readonly fn: (...args: never[]) => unknown;
  /** Where a task's cache key comes from; undefined: its runs are not looked up (flows never are). */
  readonly key:
    | { readonly kind: 'fn'; readonly fn: CacheKeyFn }
    | { readonly kind: 'template' }
    | { readonly kind: 'policy'; readonly policy: CachePolicy }
    | undefined;
  /** A task's `resultStorageKey`, compiled. */
  readonly storageKey: StorageKeyTemplate | undefined;
  readonly expiration: CacheExpiration | undefined;
  readonly refresh: boolean;
  /** Whether a completed run's result is written to storage. */
  readonly persist: boolean;
  /**
   * `persistResult: true` was given: results are stored even when a run has no cache key (else
   * only runs with a key, a `resultStorageKey`, or `cacheResultInMemory: false` are: a record
   * nobody can find would only fill the storage).
   */
  readonly persistExplicit: boolean;
  /** Own settings; undefined: the enclosing flow's, else the default. */
  readonly storage: ResultStorage | undefined;
  readonly serializer: ResultSerializer | undefined;
  readonly cacheResultInMemory: boolean | undefined;
  /** Filled in by the engine as runs go: caches of per-definition work (see run-key.ts, run-cache.ts). */
  readonly memo: PlanMemo;
}

/** @internal What the engine remembers per definition, so a cache hit repeats no work it can skip. */
export interface PlanMemo {
  /** The cache keys of recent runs, by their encoded parts: hashing costs microseconds. */
  readonly keys: KeyMemo;
  /** The storage and serializer of runs outside any flow that sets its own. */
  target: { readonly storage: ResultStorage; readonly serializer: ResultSerializer } | undefined;
}

type ResultOptions = {
  persistResult?: boolean;
  resultStorage?: ResultStorage;
  resultSerializer?: 'json' | ResultSerializer;
  cacheResultInMemory?: boolean;
  cachePolicy?: CachePolicy;
  cacheKeyFn?: CacheKeyFn;
  cacheExpiration?: number | Duration;
  refreshCache?: boolean;
  resultStorageKey?: string;
};

const OPTION_NAMES: readonly (keyof ResultOptions)[] = [
  'persistResult',
  'resultStorage',
  'resultSerializer',
  'cacheResultInMemory',
  'cachePolicy',
  'cacheKeyFn',
  'cacheExpiration',
  'refreshCache',
  'resultStorageKey',
];

/**
 * @internal Checks how the result options of a definition fit together and prepares them.
 * Undefined when they ask for nothing: a task that neither caches nor persists (the engine then
 * does no result work for its runs at all). `fail(option)(problem)` throws the
 * OptionValidationError naming the option.
 */
export function planResults(
  kind: 'task' | 'flow',
  name: string,
  fn: (...args: never[]) => unknown,
  params: ParameterSpec,
  options: ResultOptions,
  fail: (option: string) => (problem: string) => never,
): ResultPlan | undefined {
  // Every flow gets a plan, so its runs pass their enclosing flow's settings down to theirs.
  if (kind === 'task' && !OPTION_NAMES.some((option) => options[option] !== undefined)) return undefined;
  const owner = `${kind} '${name}'`;
  const known = knownNames(params);
  const { cachePolicy: policy, cacheKeyFn, resultStorageKey } = options;

  if (policy !== undefined && known !== undefined) {
    const stray = policy.excluded.find((n) => !known.has(n));
    if (stray !== undefined) fail('cachePolicy')(notAParameter(params, `it excludes '${stray}'`, owner));
  }
  let storageKey: StorageKeyTemplate | undefined;
  if (resultStorageKey !== undefined) {
    if (cacheKeyFn !== undefined)
      fail('resultStorageKey')(
        'it is the cache key, so it cannot be combined with cacheKeyFn; give one of them',
      );
    if (policy !== undefined && !policy.isNone) {
      fail('resultStorageKey')(
        `it is the cache key, so it cannot be combined with cachePolicy ${policy.toString()}; give one of them (or cachePolicy NO_CACHE to store under it without caching)`,
      );
    }
    storageKey = compileStorageKey(resultStorageKey, name, fail('resultStorageKey'));
    const unknown = known && storageKey.keys.find((k) => !known.has(k));
    if (unknown)
      fail('resultStorageKey')(notAParameter(params, `the template refers to '{${unknown}}'`, owner));
  }

  const key: ResultPlan['key'] =
    cacheKeyFn !== undefined
      ? { kind: 'fn', fn: cacheKeyFn }
      : storageKey !== undefined && (policy === undefined || !policy.isNone)
        ? { kind: 'template' }
        : policy !== undefined && !policy.isNone
          ? { kind: 'policy', policy }
          : undefined;
  if (key === undefined && options.cacheExpiration !== undefined)
    fail('cacheExpiration')('it has no effect without cachePolicy, cacheKeyFn or resultStorageKey');
  // Longer than the whole Date range (expirationAt stops at MAX_TIME); a shorter one that
  // reaches past it from a run's clock expires at MAX_TIME.
  if (options.cacheExpiration !== undefined && expirationAt(0, options.cacheExpiration) >= MAX_TIME) {
    fail('cacheExpiration')(
      'it is longer than a JavaScript Date can count (about 273,790 years); give a shorter one, or leave it out for entries that never expire',
    );
  }
  if (key === undefined && options.refreshCache === true)
    fail('refreshCache')('it has no effect without cachePolicy, cacheKeyFn or resultStorageKey');

  // Prefect's rule: a key source or a storage option turns persistence on unless it is false.
  const implied =
    key !== undefined ||
    storageKey !== undefined ||
    options.resultStorage !== undefined ||
    options.resultSerializer !== undefined;
  const persist = options.persistResult ?? implied;
  const serializer = options.resultSerializer === 'json' ? jsonSerializer : options.resultSerializer;
  // A task's result options matter only to its own runs; a flow's are also its tasks' defaults.
  if (kind === 'task' && !persist) return undefined;
  return Object.freeze({
    kind,
    name,
    fn,
    key: options.persistResult === false ? undefined : key,
    storageKey,
    expiration: options.cacheExpiration,
    refresh: options.refreshCache ?? false,
    persist,
    persistExplicit: options.persistResult === true,
    storage: options.resultStorage,
    serializer,
    cacheResultInMemory: options.cacheResultInMemory,
    memo: { keys: new KeyMemo(1024), target: undefined },
  });
}
