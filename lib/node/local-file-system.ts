import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ResultStorage } from '../results/result-storage.js';
import { StorageKeyError } from '../results/storage-key-error.js';

/** Options of {@link LocalFileSystem}. */
export interface LocalFileSystemOptions {
  /** The directory results are stored in (created when needed); relative paths start at the working directory. */
  basePath: string;
}

/**
 * Results stored as files under `basePath`: one file per key, so cached results survive a
 * process restart and are shared by the processes that use the same directory. A key may hold
 * `/` (subdirectories); a key that would resolve outside `basePath` (`../x`, an absolute path, a
 * `resultStorageKey` built from a parameter holding `../`) is refused with a `StorageKeyError`.
 * Writes are atomic: the bytes go to a temporary file in the same directory, are flushed to
 * disk, and the file is renamed over the old one, so a reader (or a process that crashed
 * mid-write) never sees half a record. rxflow treats a damaged or truncated file as a cache
 * miss, reports it, and overwrites it with the recomputed result.
 * @example
 * ```ts
 * import { LocalFileSystem } from 'rxflow/node';
 * const storage = new LocalFileSystem({ basePath: '.rxflow/results' });
 * const report = task({ cachePolicy: INPUTS, resultStorage: storage }, (day: string) => build(day));
 * ```
 */
export class LocalFileSystem implements ResultStorage {
  /** The absolute directory results are stored in. */
  readonly basePath: string;

  constructor(options: LocalFileSystemOptions) {
    const basePath = (options as Partial<LocalFileSystemOptions> | undefined)?.basePath;
    if (typeof basePath !== 'string' || basePath === '') {
      throw new TypeError(
        `LocalFileSystem: expected options.basePath to be a non-empty string, got ${typeof basePath === 'string' ? '""' : typeof basePath}`,
      );
    }
    this.basePath = resolve(basePath);
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(key);
    try {
      const data = await readFile(path);
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(key: string, data: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    if (!(data instanceof Uint8Array)) {
      throw new TypeError(`LocalFileSystem: expected the data for '${key}' to be a Uint8Array`);
    }
    await mkdir(dirname(path), { recursive: true });
    // Same directory, so the rename cannot cross file systems; a name no key can produce
    // (keys never start with '.rxflow-tmp-' in practice, and the random part keeps writers apart).
    const temp = join(dirname(path), `.rxflow-tmp-${randomBytes(8).toString('hex')}`);
    try {
      const file = await open(temp, 'wx');
      try {
        await file.writeFile(data);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    const path = this.pathOf(key);
    try {
      return (await stat(path)).isFile();
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') throw error;
    }
  }

  /** The file of `key`; throws a StorageKeyError for a key that would leave {@link basePath}. */
  pathOf(key: string): string {
    if (typeof key !== 'string' || key === '') {
      throw new StorageKeyError(
        key,
        `LocalFileSystem: expected a non-empty string key, got ${typeof key === 'string' ? '""' : typeof key}`,
      );
    }
    if (key.includes('\0'))
      throw new StorageKeyError(key, `LocalFileSystem: the key ${JSON.stringify(key)} holds a NUL character`);
    const path = resolve(this.basePath, key);
    const inside = relative(this.basePath, path);
    if (
      inside === '' ||
      inside === '..' ||
      inside.startsWith(`..${sep}`) ||
      isAbsolute(inside) ||
      isAbsolute(key)
    ) {
      throw new StorageKeyError(
        key,
        `LocalFileSystem: the key ${JSON.stringify(key)} resolves outside the storage directory ${this.basePath}; refusing to read or write it`,
      );
    }
    return path;
  }
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}
