import { guardFor, RxflowError } from './rxflow-error.js';

/**
 * A task run did not execute because a run it depends on did not complete.
 * `upstreamRunId` names that run; its error is the `cause`.
 */
export class UpstreamTaskError extends RxflowError {
  static override readonly errorName: string = 'UpstreamTaskError';

  readonly code = 'UPSTREAM_FAILED';
  /** Id of the upstream run that did not complete. */
  readonly upstreamRunId: string;

  constructor(upstreamRunId: string, upstreamName: string, cause?: unknown) {
    super(`Upstream task run '${upstreamName}' (${upstreamRunId}) did not complete`, { cause });
    this.upstreamRunId = upstreamRunId;
  }
}

/** Narrows `value` to an {@link UpstreamTaskError}. */
export const isUpstreamTaskError = guardFor(UpstreamTaskError, 'UpstreamTaskError');
