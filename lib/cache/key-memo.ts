import { isPlainObject } from '../internal/is-plain-object.js';

/**
 * @internal The cache keys of a definition's recent runs, by the encoded parts they were computed
 * from (the output of `canonical`: plain JSON data). A repeat with structurally equal parts gets
 * its key without being serialised and hashed again: serialising costs about a microsecond,
 * SHA-256 several, and a structural comparison of small data a fraction of one.
 *
 * Equal here means what makes the serialised text equal: the same primitives (strings, booleans,
 * null, numbers by `===`, so 0 and -0 alike, as JSON writes them), arrays element by element, and
 * objects with the same keys, in any order, ignoring properties whose value is `undefined` (JSON
 * drops them). Entries keep a copy of their parts, so a caller mutating its arguments later
 * cannot change what an entry stands for. Only parts whose text is short are kept (large inputs
 * would cost memory for little gain); the oldest entry goes first.
 */
export class KeyMemo {
  private readonly buckets = new Map<number, MemoEntry[]>();
  private readonly ring: (MemoEntry | undefined)[];
  private next = 0;

  constructor(readonly limit: number) {
    this.ring = new Array<MemoEntry | undefined>(limit);
  }

  /** The key recorded for parts equal to `parts` (whose fingerprint is `print`), if any. */
  get(parts: unknown, print: number): string | undefined {
    const bucket = this.buckets.get(print);
    if (bucket === undefined) return undefined;
    for (const entry of bucket) if (same(parts, entry.parts)) return entry.key;
    return undefined;
  }

  /** Records `key` for `parts`. */
  set(parts: unknown, print: number, key: string): void {
    const old = this.ring[this.next];
    if (old !== undefined) {
      const bucket = this.buckets.get(old.print)!;
      bucket.splice(bucket.indexOf(old), 1);
      if (bucket.length === 0) this.buckets.delete(old.print);
    }
    const entry: MemoEntry = { parts: copy(parts), print, key };
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.limit;
    const bucket = this.buckets.get(print);
    if (bucket === undefined) this.buckets.set(print, [entry]);
    else bucket.push(entry);
  }

  /** The number of entries held. */
  get size(): number {
    let n = 0;
    for (const bucket of this.buckets.values()) n += bucket.length;
    return n;
  }
}

interface MemoEntry {
  readonly parts: unknown;
  readonly print: number;
  readonly key: string;
}

/**
 * @internal A 32-bit fingerprint of plain JSON data, consistent with {@link KeyMemo}'s equality
 * (object key order and `undefined` properties do not change it). Not a hash for keys, only an
 * index: long strings are sampled.
 *
 * With `raw`, `value` is a run's own arguments rather than their encoding, and the result is
 * undefined unless encoding would leave them as they are (plain objects and arrays of strings
 * not starting with NUL, finite numbers, booleans and null; no `undefined` array element, not too
 * deep): then they can be looked up without being encoded. Anything else takes the full path.
 */
export function fingerprint(value: unknown, raw: boolean, depth = 0): number | undefined {
  switch (typeof value) {
    case 'string':
      return raw && value.charCodeAt(0) === 0 ? undefined : stringPrint(value);
    case 'number':
      // 0 and -0 alike; integers exactly, other numbers by two slices of their value.
      if (!Number.isFinite(value)) return undefined;
      return value === 0 ? 0x2f1a : mix((value * 1_000_003) | 0, (value / 4_294_967_296) | 0);
    case 'boolean':
      return value ? 0x4bd1 : 0x1c6e;
    case 'object': {
      if (value === null) return 0x7e21;
      if (depth > MAX_DEPTH) return undefined;
      if (Array.isArray(value)) {
        let h = 0x5a3 + value.length;
        for (let i = 0; i < value.length; i++) {
          const item = fingerprint(value[i], raw, depth + 1);
          if (item === undefined) return undefined;
          h = mix(h, item);
        }
        return h;
      }
      if (raw && !isPlainObject(value)) return undefined;
      // Order-independent: a sum of one mixed value per property.
      let h = 0x3c91;
      const record = value as Record<string, unknown>;
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        const item = record[key];
        if (item === undefined) continue;
        const print = fingerprint(item, raw, depth + 1);
        if (print === undefined) return undefined;
        h = (h + mix(stringPrint(key), print)) | 0;
      }
      return h;
    }
    default:
      return undefined;
  }
}

const MAX_DEPTH = 32;

function stringPrint(s: string): number {
  const n = s.length;
  let h = 0x811c9dc5 ^ n;
  if (n <= 24) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  } else {
    const step = n / 24;
    for (let i = 0; i < 24; i++) h = Math.imul(h ^ s.charCodeAt((i * step) | 0), 0x01000193);
    h = Math.imul(h ^ s.charCodeAt(n - 1), 0x01000193);
  }
  return h;
}

function mix(a: number, b: number): number {
  return Math.imul(a ^ (b + 0x9e3779b9 + (a << 6) + (a >>> 2)), 0x85ebca6b);
}

/** A recorded object: its defined properties as two arrays (a lookup-free, fast-mode copy). */
class Snapshot {
  constructor(
    readonly keys: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

/** Whether `a` (encoded parts) equals `b` (a copy made by {@link copy}). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (!(b instanceof Snapshot)) return false;
  // Every recorded property must be in `a`, equal, and `a` must have no other defined one.
  const x = a as Record<string, unknown>;
  const { keys, values } = b;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = x[key];
    if (item === undefined || !Object.hasOwn(x, key) || !same(item, values[i])) return false;
  }
  let count = 0;
  for (const key in x) if (Object.hasOwn(x, key) && x[key] !== undefined) count++;
  return count === keys.length;
}

function copy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copy);
  const record = value as Record<string, unknown>;
  const keys: string[] = [];
  const values: unknown[] = [];
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (item === undefined) continue;
    keys.push(key);
    values.push(copy(item));
  }
  return new Snapshot(keys, values);
}
