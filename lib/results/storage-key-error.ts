import { guardFor, RxflowError } from '../errors/rxflow-error.js';

/**
 * A result storage refused a key: empty, not a string, or (for `LocalFileSystem`) one that
 * would resolve outside the storage's base path, such as a `resultStorageKey` built from a
 * parameter holding `../`. Nothing is read or written.
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
