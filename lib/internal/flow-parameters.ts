import { ParameterValidationError } from '../errors/parameter-validation-error.js';
import { ASYNC_SCHEMA } from './engine/parse-parameters.js';
import type { Definition } from './options.js';
import { bindParameters } from './params.js';
import { checkSchema } from './standard-schema.js';

/**
 * @internal What `flow.validateParameters(...args)` returns, without starting a run: for a flow
 * with a `parameters` schema, the schema's output for the first argument (`{}` when there is
 * none), defaults applied; else the arguments by parameter name, as `RunInfo.parameters` records
 * them. A schema that rejects the input throws a `ParameterValidationError` listing every issue;
 * one that throws while parsing (a throwing `transform`) or is asynchronous (an async `refine`)
 * throws one too, whose single issue says so, so callers have one error to catch.
 */
export function parseFlowParameters(def: Definition, args: readonly unknown[]): unknown {
  const schema = def.parameterSchema;
  if (schema === undefined) return bindParameters(def.params, args);
  const input = args.length === 0 ? {} : args[0];
  const outcome = checkSchema(schema, input);
  if (outcome.kind === 'value') return outcome.value;
  if (outcome.kind === 'issues') throw new ParameterValidationError(def.name, outcome.issues);
  const message =
    outcome.kind === 'threw' || outcome.error !== undefined
      ? `the parameters schema threw: ${messageOf(outcome.error)}`
      : ASYNC_SCHEMA;
  throw new ParameterValidationError(def.name, [{ code: 'custom', path: [], message, input }]);
}

function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'a value that cannot be described';
  }
}
