/**
 * Where persisted results and cache entries live: a key-value store of bytes. Implement it to
 * plug in another store (Redis, S3, IndexedDB); `MemoryStorage` (the default) and
 * `LocalFileSystem` (from `rxflow/node`) are built in. Keys are the cache key (64 hex digits), a
 * rendered `resultStorageKey`, or a run id; a storage may refuse a key it cannot hold safely by
 * rejecting with a `StorageKeyError`. `write` must replace a record whole: a reader sees the old
 * bytes or the new ones, never a mix (rxflow checks each record's length and checksum, and
 * treats a damaged one as a miss).
 * @example
 * ```ts
 * class MapStorage implements ResultStorage {
 *   private readonly map = new Map<string, Uint8Array>();
 *   async read(key: string) { return this.map.get(key); }
 *   async write(key: string, data: Uint8Array) { this.map.set(key, data); }
 *   async exists(key: string) { return this.map.has(key); }
 *   async delete(key: string) { this.map.delete(key); }
 * }
 * ```
 */
export interface ResultStorage {
  /** The bytes stored under `key`, or `undefined` when there are none. */
  read(key: string): Promise<Uint8Array | undefined>;
  /** Stores `data` under `key`, replacing what was there, atomically. */
  write(key: string, data: Uint8Array): Promise<void>;
  /** Whether something is stored under `key`. */
  exists(key: string): Promise<boolean>;
  /** Removes what is stored under `key`; a no-op when there is nothing. */
  delete(key: string): Promise<void>;
}

/** @internal True when `value` has the four methods of a {@link ResultStorage}. */
export function isResultStorage(value: unknown): value is ResultStorage {
  const v = value as Partial<ResultStorage> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.read === 'function' &&
    typeof v.write === 'function' &&
    typeof v.exists === 'function' &&
    typeof v.delete === 'function'
  );
}
