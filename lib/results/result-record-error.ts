import { guardFor, RxflowError } from '../errors/rxflow-error.js';

/**
 * A stored result could not be used: it is missing, truncated or corrupt, was written by another
 * serializer, or the storage or serializer failed. The engine treats such a record as a cache
 * miss and reports this error (the run computes again and overwrites it); loading a
 * {@link ResultReference} rejects with it.
 * @example
 * ```ts
 * setErrorReporter((message, error) => {
 *   if (isResultRecordError(error)) console.warn(error.storageKey, error.message);
 * });
 * ```
 */
export class ResultRecordError extends RxflowError {
  static override readonly errorName: string = 'ResultRecordError';

  readonly code = 'RESULT_RECORD';
  /** The record's key in its storage. */
  readonly storageKey: string;

  constructor(storageKey: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.storageKey = storageKey;
  }
}

/** Narrows `value` to a {@link ResultRecordError}. */
export const isResultRecordError = guardFor(ResultRecordError, 'ResultRecordError');
