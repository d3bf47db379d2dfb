import type * as z from 'zod/mini';
import { guardFor, RxflowError } from '../errors/rxflow-error.js';
import { formatIssues } from '../internal/zod-issues.js';

/** `emitEvent` was given an event of the wrong shape; `issues` lists every problem zod found. */
export class EventValidationError extends RxflowError {
  static override readonly errorName: string = 'EventValidationError';

  readonly code = 'INVALID_EVENT';
  readonly issues: readonly z.core.$ZodIssue[];

  constructor(issues: readonly z.core.$ZodIssue[]) {
    super(`emitEvent: invalid event:\n${formatIssues(issues)}`);
    this.issues = issues;
  }
}

/** Narrows `value` to an {@link EventValidationError}. */
export const isEventValidationError = guardFor(EventValidationError, 'EventValidationError');
