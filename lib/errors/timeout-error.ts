import { guardFor, RxflowError } from './rxflow-error.js';

/**
 * A run, or a wait for concurrency slots, went past its `timeoutSeconds`.
 * @example
 * ```ts
 * try { await slow(); } catch (e) { if (isTimeoutError(e)) console.log(e.timeoutSeconds); }
 * ```
 */
export class TimeoutError extends RxflowError {
  static override readonly errorName: string = 'TimeoutError';

  readonly code = 'TIMEOUT';
  /** The limit that was exceeded, in seconds. */
  readonly timeoutSeconds: number;

  constructor(timeoutSeconds: number, what = 'Run') {
    super(`${what} timed out after ${timeoutSeconds} second${timeoutSeconds === 1 ? '' : 's'}`);
    this.timeoutSeconds = timeoutSeconds;
  }
}

/** Narrows `value` to a {@link TimeoutError}. */
export const isTimeoutError = guardFor(TimeoutError, 'TimeoutError');
