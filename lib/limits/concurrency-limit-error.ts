import { guardFor, RxflowError } from '../errors/rxflow-error.js';

/**
 * A concurrency or rate limit could not be used as asked: the name is unknown (with
 * `strict: true`), `occupy` is more than the limit has, or `rateLimit` was called on a limit
 * without slot decay. The message names the limit and the bad value.
 * @example
 * ```ts
 * await concurrency('db', work, { strict: true }).catch((e) => isConcurrencyLimitError(e) && e.limitName);
 * ```
 */
export class ConcurrencyLimitError extends RxflowError {
  static override readonly errorName: string = 'ConcurrencyLimitError';

  readonly code = 'CONCURRENCY_LIMIT';
  /** The name of the limit concerned. */
  readonly limitName: string;

  constructor(limitName: string, message: string) {
    super(message);
    this.limitName = limitName;
  }
}

/** Narrows `value` to a {@link ConcurrencyLimitError}. */
export const isConcurrencyLimitError = guardFor(ConcurrencyLimitError, 'ConcurrencyLimitError');
