import { guardFor, RxflowError } from '../errors/rxflow-error.js';

/**
 * `getClient().cancelRun(id)` or `retryFlowRun(id)` was given an id that no run of this process
 * has, or one the run store no longer keeps (see its retention).
 */
export class RunNotFoundError extends RxflowError {
  static override readonly errorName: string = 'RunNotFoundError';

  readonly code = 'RUN_NOT_FOUND';
  /** The id that was asked for. */
  readonly runId: string;

  constructor(message: string, runId: string) {
    super(message);
    this.runId = runId;
  }
}

/** Narrows `value` to a {@link RunNotFoundError}. */
export const isRunNotFoundError = guardFor(RunNotFoundError, 'RunNotFoundError');
