import { guardFor, RxflowError } from './rxflow-error.js';

/**
 * The engine failed under a run (not the user's code), or the process is shutting down while
 * the run is active. The run ends CRASHED with this error.
 */
export class CrashedError extends RxflowError {
  static override readonly errorName: string = 'CrashedError';

  readonly code = 'CRASHED';
}

/** Narrows `value` to a {@link CrashedError}. */
export const isCrashedError = guardFor(CrashedError, 'CrashedError');
