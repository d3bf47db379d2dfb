import { guardFor, RxflowError } from './rxflow-error.js';

/**
 * A run was cancelled: its `run$` subscriber unsubscribed, its parent flow run was cancelled or
 * timed out, or the client cancelled it. The run ends CANCELLED and its call rejects with this.
 */
export class CancelledError extends RxflowError {
  static override readonly errorName: string = 'CancelledError';

  readonly code = 'CANCELLED';

  constructor(message = 'Run was cancelled', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Narrows `value` to a {@link CancelledError}. */
export const isCancelledError = guardFor(CancelledError, 'CancelledError');
