import type * as z from 'zod/mini';
import { ParameterValidationError } from '../../errors/parameter-validation-error.js';
import { describeError } from '../describe-kind.js';
import { checkSchema, type StandardSchemaV1 } from '../standard-schema.js';

/** @internal The outcome of checking a flow's arguments against its `parameters` schema. */
export type ParsedParameters =
  | { readonly success: true; readonly data: unknown }
  | { readonly success: false; readonly error: ParameterValidationError };

/** @internal Why an asynchronous `parameters` schema fails the run. */
export const ASYNC_SCHEMA =
  'the parameters schema is asynchronous (an async refine or transform), but parameters are ' +
  "checked synchronously, before the run starts: make the schema synchronous, or check in the flow's body";

/**
 * @internal Parses a flow's first argument with its `parameters` schema (zod classic or mini, or
 * any Standard Schema); never throws. Issues give a {@link ParameterValidationError} listing
 * them. A schema that throws instead (a `transform` or `refine` that throws, an argument whose
 * getters throw) or that is asynchronous (an async `refine` or `transform`, a `validate` that
 * returns a promise: parameters are checked synchronously, before the run starts) gives one too,
 * with a single root issue saying so and what it threw as `cause`: the run ends Failed, as for any
 * bad argument, rather than Crashed.
 */
export function parseParameters(
  flowName: string,
  schema: StandardSchemaV1,
  input: unknown,
): ParsedParameters {
  const outcome = checkSchema(schema, input);
  if (outcome.kind === 'value') return { success: true, data: outcome.value };
  if (outcome.kind === 'issues')
    return { success: false, error: new ParameterValidationError(flowName, outcome.issues) };
  const message =
    outcome.kind === 'async' ? ASYNC_SCHEMA : `the parameters schema threw: ${describeError(outcome.error)}`;
  const issue: z.core.$ZodIssueCustom = { code: 'custom', path: [], message, input };
  const cause = outcome.error === undefined ? undefined : { cause: outcome.error };
  return { success: false, error: new ParameterValidationError(flowName, [issue], cause) };
}
