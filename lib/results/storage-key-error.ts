import { guardFor, RxflowError } from '../errors/rxflow-error.js';

/**
 * A result storage refused a key: empty, not a string, or (for `LocalFileSystem`) one that
 * would resolve outside the storage's base path (`../x`, an absolute path, a directory that is a
 * symbolic link leading outside) or whose file is a symbolic link. Nothing is read or written.
 * Values rendered into a `resultStorageKey` are escaped, so they never cause this.
 * @example
 * ```ts
 * await storage.write('../../etc/passwd', data).catch((e) => isStorageKeyError(e)); // true
 * ```
 */
export class StorageKeyError extends RxflowError {
  static override readonly errorName: string = 'StorageKeyError';

  readonly code = 'INVALID_STORAGE_KEY';
  /** The refused key. */
  readonly key: unknown;

  constructor(key: unknown, message: string) {
    super(message);
    this.key = key;
  }
}

/** Narrows `value` to a {@link StorageKeyError}. */
export const isStorageKeyError = guardFor(StorageKeyError, 'StorageKeyError');
