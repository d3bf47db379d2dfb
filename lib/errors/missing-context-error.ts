import { guardFor, RxflowError } from './rxflow-error.js';

/** A function that needs a current run (`getRunContext()`) was called outside any task or flow run. */
export class MissingContextError extends RxflowError {
  static override readonly errorName: string = 'MissingContextError';

  readonly code = 'MISSING_CONTEXT';
}

/** Narrows `value` to a {@link MissingContextError}. */
export const isMissingContextError = guardFor(MissingContextError, 'MissingContextError');
