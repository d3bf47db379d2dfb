/**
 * Turns results into bytes and back. `'json'` (the default) round-trips Dates, Maps, Sets,
 * BigInts, `undefined`, typed arrays, errors and circular references; give your own object for
 * anything else (class instances, a compact binary format). `name` is recorded with each result:
 * a record written by a serializer of another name is not decoded but treated as a cache miss.
 * @example
 * ```ts
 * const text: ResultSerializer = {
 *   name: 'text',
 *   dumps: (value) => new TextEncoder().encode(String(value)),
 *   loads: (data) => new TextDecoder().decode(data),
 * };
 * const render = task({ cachePolicy: INPUTS, resultSerializer: text }, (page: string) => html(page));
 * ```
 */
export interface ResultSerializer {
  /** Recorded with each result; records of another name are misses. @default 'custom' */
  readonly name?: string;
  /** The bytes of `value`; throw if it cannot be represented. */
  dumps(value: unknown): Uint8Array;
  /** The value `dumps` was given. */
  loads(data: Uint8Array): unknown;
}

/** @internal True when `value` has `dumps` and `loads` functions. */
export function isResultSerializer(value: unknown): value is ResultSerializer {
  const v = value as Partial<ResultSerializer> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.dumps === 'function' &&
    typeof v.loads === 'function' &&
    (v.name === undefined || typeof v.name === 'string')
  );
}

/** @internal The name recorded with a serializer's records. */
export function serializerName(serializer: ResultSerializer): string {
  return serializer.name ?? 'custom';
}
