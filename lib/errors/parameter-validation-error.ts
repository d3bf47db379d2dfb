import type * as z from 'zod/mini';
import { guardFor, RxflowError } from './rxflow-error.js';

/**
 * A flow's arguments did not match its `parameters` schema. The run ends FAILED before its
 * body runs. `issues` holds every issue (a Standard Schema's other than zod's as zod `custom`
 * issues: `path` and `message`); the message lists them all.
 */
export class ParameterValidationError extends RxflowError {
  static override readonly errorName: string = 'ParameterValidationError';

  readonly code = 'PARAMETER_VALIDATION';
  /** Every problem the schema found, with its path. */
  readonly issues: readonly z.core.$ZodIssue[];

  /** `options.cause`: what the schema threw, when it threw instead of reporting issues. */
  constructor(flowName: string, issues: readonly z.core.$ZodIssue[], options?: { cause?: unknown }) {
    const lines = issues.map((i) => `  - ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    super(`Invalid parameters for flow '${flowName}':\n${lines.join('\n')}`, options);
    this.issues = issues;
  }
}

/** Narrows `value` to a {@link ParameterValidationError}. */
export const isParameterValidationError = guardFor(ParameterValidationError, 'ParameterValidationError');
