import type { ResultStorage } from './result-storage.js';
import { StorageKeyError } from './storage-key-error.js';

/** Options of {@link MemoryStorage}. */
export interface MemoryStorageOptions {
  /**
   * The most records kept; writing one more drops the least recently written. A dropped cache
   * entry is a miss (the task runs again); a dropped persisted result can no longer be loaded.
   * @default Infinity
   */
  maxEntries?: number;
}

/**
 * Results kept in this process's memory: the default `resultStorage`, in Node and in the
 * browser. Fast (a cache hit reads it synchronously, without decoding again) and gone when the
 * process ends; use `LocalFileSystem` from `rxflow/node` for results that survive a restart.
 * The bytes written are kept as given, not copied: do not change them afterwards.
 * @example
 * ```ts
 * const storage = new MemoryStorage({ maxEntries: 10_000 });
 * const square = task({ cachePolicy: INPUTS, resultStorage: storage }, (n: number) => n * n);
 * await square(4); // computed
 * await square(4); // Cached
 * storage.clear(); // forget everything
 * ```
 */
export class MemoryStorage implements ResultStorage {
  private readonly entries = new Map<string, Uint8Array>();
  private readonly maxEntries: number;

  constructor(options: MemoryStorageOptions = {}) {
    const { maxEntries = Infinity } = options;
    if (
      typeof maxEntries !== 'number' ||
      !(maxEntries >= 1) ||
      (maxEntries !== Infinity && !Number.isInteger(maxEntries))
    ) {
      throw new RangeError(
        `MemoryStorage: expected maxEntries to be a positive integer or Infinity, got ${String(maxEntries)}`,
      );
    }
    this.maxEntries = maxEntries;
  }

  /** The number of records held. */
  get size(): number {
    return this.entries.size;
  }

  read(key: string): Promise<Uint8Array | undefined> {
    try {
      return Promise.resolve(this.readNow(key));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  write(key: string, data: Uint8Array): Promise<void> {
    try {
      this.writeNow(key, data);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  exists(key: string): Promise<boolean> {
    try {
      return Promise.resolve(this.entries.has(checkKey(key)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  delete(key: string): Promise<void> {
    try {
      this.entries.delete(checkKey(key));
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Drops every record. */
  clear(): void {
    this.entries.clear();
  }

  /** @internal {@link read} without the Promise: the engine's cache hits stay synchronous. */
  readNow(key: string): Uint8Array | undefined {
    return this.entries.get(checkKey(key));
  }

  /** @internal {@link write} without the Promise. */
  writeNow(key: string, data: Uint8Array): void {
    checkKey(key);
    if (!(data instanceof Uint8Array)) {
      throw new TypeError(`MemoryStorage: expected the data for '${key}' to be a Uint8Array`);
    }
    const entries = this.entries;
    entries.delete(key); // re-inserted last: the most recently written
    entries.set(key, data);
    if (entries.size > this.maxEntries) entries.delete(entries.keys().next().value as string);
  }
}

/**
 * @internal True when `storage` is a {@link MemoryStorage} whose `read` and `write` were not
 * overridden, so its synchronous twins answer exactly as they would.
 */
export function isPlainMemoryStorage(storage: ResultStorage): storage is MemoryStorage {
  return (
    storage instanceof MemoryStorage &&
    storage.read === MemoryStorage.prototype.read &&
    storage.write === MemoryStorage.prototype.write
  );
}

function checkKey(key: string): string {
  if (typeof key !== 'string' || key === '') {
    throw new StorageKeyError(
      key,
      `MemoryStorage: expected a non-empty string key, got ${typeof key === 'string' ? '""' : typeof key}`,
    );
  }
  return key;
}
