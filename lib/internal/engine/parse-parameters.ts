import { z } from 'zod';
import { ParameterValidationError } from '../../errors/parameter-validation-error.js';
import { describeError } from '../describe-kind.js';

/** @internal The outcome of checking a flow's arguments against its `parameters` schema. */
export type ParsedParameters =
  | { readonly success: true; readonly data: unknown }
  | { readonly success: false; readonly error: ParameterValidationError };

/**
 * @internal Parses a flow's first argument with its `parameters` schema; never throws. Issues
 * give a {@link ParameterValidationError} listing them. A schema that throws instead (a
 * `transform` or `refine` that throws, an argument whose getters throw) or that is asynchronous
 * (an async `refine` or `transform`: parameters are checked synchronously, before the run starts)
 * gives one too, with a single root issue saying so and what it threw as `cause`: the run ends
 * Failed, as for any bad argument, rather than Crashed.
 */
export function parseParameters(flowName: string, schema: z.ZodType, input: unknown): ParsedParameters {
  let thrown: unknown;
  try {
    const parsed = schema.safeParse(input);
    if (parsed.success) return { success: true, data: parsed.data };
    return { success: false, error: new ParameterValidationError(flowName, parsed.error.issues) };
  } catch (error) {
    thrown = error;
  }
  const message = isAsyncError(thrown)
    ? 'the parameters schema is asynchronous (an async refine or transform), but parameters are ' +
      "checked synchronously, before the run starts: make the schema synchronous, or check in the flow's body"
    : `the parameters schema threw: ${describeError(thrown)}`;
  const issue: z.core.$ZodIssueCustom = { code: 'custom', path: [], message, input };
  return {
    success: false,
    error: new ParameterValidationError(flowName, [issue], { cause: thrown }),
  };
}

function isAsyncError(error: unknown): boolean {
  try {
    return error instanceof z.core.$ZodAsyncError;
  } catch {
    return false;
  }
}
