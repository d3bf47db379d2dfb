import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ResultStorage } from '../results/result-storage.js';
import { errorMessage } from '../internal/describe-kind.js';
import { StorageKeyError } from '../results/storage-key-error.js';

/** Options of {@link LocalFileSystem}. */
export interface LocalFileSystemOptions {
  /** The directory results are stored in (created when needed); relative paths start at the working directory. */
  basePath: string;
}

const TEMP_PREFIX = '.rxflow-tmp-';
/** A temporary file this old is left over from a crash, whoever wrote it. */
const STALE_MS = 60 * 60 * 1000;
/** A temporary file of a process that no longer runs is left over once this old (grace for clock skew). */
const ORPHAN_MS = 60 * 1000;
// Read without following a symbolic link where the platform can (not on Windows).
const NO_FOLLOW = (constants as { O_NOFOLLOW?: number }).O_NOFOLLOW ?? 0;

/**
 * Results stored as files under `basePath`: one file per key, so cached results survive a
 * process restart and are shared by the processes that use the same directory. A key may hold
 * `/` (subdirectories); a key that would resolve outside `basePath` (`../x`, an absolute path),
 * or reach outside it through a symbolic link inside it, is refused with a `StorageKeyError`
 * (values rendered into a `resultStorageKey` are escaped, so they never add a path segment).
 * Writes are atomic: the bytes go to a temporary file in the same directory, are flushed to
 * disk, and the file is renamed over the old one, so a reader (or a process that crashed
 * mid-write) never sees half a record. Temporary files a crashed process left behind are
 * removed the first time this storage writes into their directory (when their process is gone
 * and they are a minute old, or when they are an hour old). rxflow treats a damaged or
 * truncated file as a cache miss, reports it, and overwrites it with the recomputed result.
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
  /** `basePath` with its symbolic links resolved, once it exists. */
  private root: string | undefined = undefined;
  /** Directories whose leftover temporary files were looked for. */
  private readonly swept = new Set<string>();

  constructor(options: LocalFileSystemOptions) {
    const basePath = (options as Partial<LocalFileSystemOptions> | undefined)?.basePath;
    if (typeof basePath !== 'string' || basePath === '') {
      throw new TypeError(
        `LocalFileSystem: expected options.basePath to be a non-empty string, got ${typeof basePath === 'string' ? '""' : typeof basePath}`,
      );
    }
    if (basePath.includes('\0')) {
      throw new TypeError(
        `LocalFileSystem: options.basePath ${JSON.stringify(basePath)} holds a NUL character, which no path can hold`,
      );
    }
    this.basePath = resolve(basePath);
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(key);
    if (!(await this.directory(key, dirname(path), false))) return undefined;
    let file: FileHandle;
    try {
      file = await open(path, constants.O_RDONLY | NO_FOLLOW);
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return undefined;
      if (codeOf(error) === 'ELOOP') throw this.symlink(key, path);
      throw error;
    }
    try {
      const data = await file.readFile();
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } finally {
      await file.close();
    }
  }

  async write(key: string, data: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    if (!(data instanceof Uint8Array)) {
      throw new TypeError(`LocalFileSystem: expected the data for '${key}' to be a Uint8Array`);
    }
    const dir = dirname(path);
    await this.directory(key, dir, true);
    if (!this.swept.has(dir)) {
      this.swept.add(dir);
      await removeLeftovers(dir);
    }
    // Same directory, so the rename cannot cross file systems; a name no escaped key produces,
    // with the writer's pid (so leftovers of a dead process can be told) and a random part.
    const temp = join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(8).toString('hex')}`);
    try {
      const file = await open(temp, 'wx');
      try {
        await file.writeFile(data);
        await file.sync();
      } finally {
        await file.close();
      }
      // A rename replaces a symbolic link at `path` itself, never what it points to.
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    const path = this.pathOf(key);
    if (!(await this.directory(key, dirname(path), false))) return false;
    try {
      const stats = await lstat(path);
      if (stats.isSymbolicLink()) throw this.symlink(key, path);
      return stats.isFile();
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    if (!(await this.directory(key, dirname(path), false))) return;
    try {
      await unlink(path); // a symbolic link is removed itself, not what it points to
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
    // Every segment names a directory or the record: an empty, '.' or '..' one (or a trailing
    // separator) would let two different keys name one file ('a//b' and 'a/b').
    if (key.split(/[\\/]/).some((segment) => segment === '' || segment === '.' || segment === '..')) {
      throw new StorageKeyError(
        key,
        `LocalFileSystem: the key ${JSON.stringify(key)} has an empty, '.' or '..' path segment; refusing to read or write it`,
      );
    }
    return path;
  }

  /**
   * Checks that `dir` (the directory of `key`'s file) really is inside {@link basePath}, symbolic
   * links resolved, and with `create` makes it (and `basePath`) when missing. False when it does
   * not exist and `create` is false: nothing is stored there.
   */
  private async directory(key: string, dir: string, create: boolean): Promise<boolean> {
    let root = this.root;
    if (root === undefined) {
      const base = this.basePath;
      if (create) await makeDirectories(base);
      const real = await realpathOrUndefined(base);
      if (real === undefined) {
        if (create) throw new Error(`LocalFileSystem: the storage directory ${base} could not be created`);
        return false;
      }
      root = this.root = real;
    }
    let real = await realpathOrUndefined(dir);
    if (real === undefined) {
      if (!create) return false;
      // The nearest directory that exists must be inside before anything is made in it.
      let existing = dirname(dir);
      let existingReal = await realpathOrUndefined(existing);
      while (existingReal === undefined && existing !== this.basePath && existing !== dirname(existing)) {
        existing = dirname(existing);
        existingReal = await realpathOrUndefined(existing);
      }
      if (existingReal !== undefined && !within(root, existingReal)) throw this.outside(key, existingReal);
      await makeDirectories(dir);
      real = await realpathOrUndefined(dir);
      if (real === undefined) throw new Error(`LocalFileSystem: the directory ${dir} could not be created`);
    }
    if (!within(root, real)) throw this.outside(key, real);
    return true;
  }

  private outside(key: string, real: string): StorageKeyError {
    return new StorageKeyError(
      key,
      `LocalFileSystem: the key ${JSON.stringify(key)} leads through a symbolic link to ${real}, outside the storage directory ${this.basePath}; refusing to read or write it`,
    );
  }

  private symlink(key: string, path: string): StorageKeyError {
    return new StorageKeyError(
      key,
      `LocalFileSystem: the file of the key ${JSON.stringify(key)} (${path}) is a symbolic link; refusing to follow it`,
    );
  }
}

function within(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

async function realpathOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * `mkdir -p` one level at a time. Node's `mkdir(path, { recursive: true })` never returns where
 * `mkdir` fails with ENOENT although the parent exists (under `/proc`): it retries forever. Here
 * every level is tried at most twice, and such a failure is an error naming the directory.
 */
async function makeDirectories(dir: string): Promise<void> {
  try {
    await mkdir(dir);
    return;
  } catch (error) {
    const code = codeOf(error);
    if (code === 'EEXIST') return; // a file there fails the realpath check or the write, clearly
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
  }
  await makeDirectories(dirname(dir));
  try {
    await mkdir(dir);
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return;
    throw new Error(`LocalFileSystem: could not create the directory ${dir}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

/**
 * Removes the temporary files in `dir` a crashed writer (`kill -9` mid-write) left behind: those
 * whose process is gone, a minute old or more, and any an hour old or more. Best effort: what
 * cannot be read or removed stays.
 */
async function removeLeftovers(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const path = join(dir, name);
    try {
      const stats = await lstat(path);
      if (!stats.isFile()) continue;
      const age = now - stats.mtimeMs;
      const pid = /^(\d+)-/.exec(name.slice(TEMP_PREFIX.length))?.[1];
      const orphan = pid !== undefined && Number(pid) !== process.pid && !isRunning(Number(pid));
      if (age >= STALE_MS || (orphan && age >= ORPHAN_MS)) await unlink(path);
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM'; // it runs, as another user
  }
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}
