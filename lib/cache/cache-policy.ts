/** The parts a cache key can be computed from. */
export type CachePolicyPart = 'INPUTS' | 'TASK_SOURCE' | 'RUN_ID' | 'FLOW_PARAMETERS';

const ORDER: readonly CachePolicyPart[] = ['INPUTS', 'TASK_SOURCE', 'RUN_ID', 'FLOW_PARAMETERS'];

/**
 * What a task's cache key is computed from: an immutable value. Combine policies with
 * {@link CachePolicy.add} and leave parameters out of `INPUTS` with {@link CachePolicy.exclude};
 * both return a new policy. The order in which parts are added does not matter.
 * Use the constants `INPUTS`, `TASK_SOURCE`, `RUN_ID`, `FLOW_PARAMETERS`, `NO_CACHE` and
 * `DEFAULT` rather than constructing one.
 * @example
 * ```ts
 * const policy = INPUTS.add(TASK_SOURCE).exclude('verbose');
 * const fetchUser = task({ cachePolicy: policy }, async (id: string, verbose = false) => load(id, verbose));
 * ```
 */
export class CachePolicy {
  /** The parts, in a fixed order (empty for `NO_CACHE`). */
  readonly parts: readonly CachePolicyPart[];
  /** Parameter names `INPUTS` leaves out, sorted. */
  readonly excluded: readonly string[];

  /** @internal */
  constructor(parts: Iterable<CachePolicyPart>, excluded: Iterable<string> = []) {
    const set = new Set(parts);
    this.parts = Object.freeze(ORDER.filter((p) => set.has(p)));
    this.excluded = Object.freeze([...new Set(excluded)].sort());
    Object.freeze(this);
  }

  /**
   * A policy with the parts and exclusions of this one and of `others` (Prefect's `+`).
   * Adding `NO_CACHE` changes nothing.
   * @example
   * ```ts
   * INPUTS.add(TASK_SOURCE, RUN_ID); // the same parts as DEFAULT
   * ```
   */
  add(...others: CachePolicy[]): CachePolicy {
    for (const [i, other] of others.entries()) {
      if (!isCachePolicy(other)) {
        throw new TypeError(
          `CachePolicy.add: argument ${i} is not a cache policy (use INPUTS, TASK_SOURCE, RUN_ID, FLOW_PARAMETERS, NO_CACHE or DEFAULT)`,
        );
      }
    }
    return new CachePolicy(
      [...this.parts, ...others.flatMap((o) => o.parts)],
      [...this.excluded, ...others.flatMap((o) => o.excluded)],
    );
  }

  /**
   * A policy whose `INPUTS` part leaves out the named parameters (Prefect's `INPUTS - 'name'`):
   * changing them never changes the key. Names are checked against the task's parameters when
   * the task is defined.
   * @example
   * ```ts
   * INPUTS.exclude('logger', 'verbose');
   * ```
   */
  exclude(...names: string[]): CachePolicy {
    for (const name of names) {
      if (typeof name !== 'string' || name === '') {
        throw new TypeError(
          `CachePolicy.exclude: expected parameter names (non-empty strings), got ${typeof name === 'string' ? '""' : typeof name}`,
        );
      }
    }
    return new CachePolicy(this.parts, [...this.excluded, ...names]);
  }

  /** True for a policy with no parts (`NO_CACHE`): it computes no key, so nothing is cached. */
  get isNone(): boolean {
    return this.parts.length === 0;
  }

  /** `'INPUTS + TASK_SOURCE (excluding verbose)'`, for messages. */
  toString(): string {
    const parts = this.parts.length === 0 ? 'NO_CACHE' : this.parts.join(' + ');
    return this.excluded.length === 0 ? parts : `${parts} (excluding ${this.excluded.join(', ')})`;
  }
}

/**
 * True when `value` is a {@link CachePolicy}, also one from another copy of the library.
 * @example
 * ```ts
 * isCachePolicy(INPUTS.add(TASK_SOURCE)); // true
 * isCachePolicy('INPUTS'); // false
 * ```
 */
export function isCachePolicy(value: unknown): value is CachePolicy {
  if (value instanceof CachePolicy) return true;
  const v = value as Partial<CachePolicy> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(v.parts) &&
    Array.isArray(v.excluded) &&
    typeof v.add === 'function' &&
    typeof v.exclude === 'function'
  );
}
