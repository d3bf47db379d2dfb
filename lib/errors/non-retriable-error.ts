import { guardFor, RxflowError } from './rxflow-error.js';

/**
 * Throw this from a task or flow body to fail the run at once, without the remaining retries.
 * The run's error is this object; pass the underlying error as `cause`.
 * @example
 * ```ts
 * if (res.status === 404) throw new NonRetriableError('no such user', { cause: res });
 * ```
 */
export class NonRetriableError extends RxflowError {
  static override readonly errorName: string = 'NonRetriableError';

  /** `'NON_RETRIABLE'`; subclasses that are never retried either have their own code. */
  readonly code: string = 'NON_RETRIABLE';
}

/** Narrows `value` to a {@link NonRetriableError}. */
export const isNonRetriableError = guardFor(NonRetriableError, 'NonRetriableError');
