import { ParameterValidationError } from '../errors/parameter-validation-error.js';
import type { Definition } from './options.js';
import { bindParameters } from './params.js';

/**
 * @internal What `flow.validateParameters(...args)` returns, without starting a run: for a flow
 * with a `parameters` schema, the schema's output for the first argument (`{}` when there is
 * none), defaults applied; else the arguments by parameter name, as `RunInfo.parameters` records
 * them. A schema that rejects the input throws a `ParameterValidationError` listing every issue;
 * one that throws while parsing (a throwing `transform`, an async `refine`) throws one too, whose
 * single issue names what it threw, so callers have one error to catch.
 */
export function parseFlowParameters(def: Definition, args: readonly unknown[]): unknown {
  const schema = def.parameterSchema;
  if (schema === undefined) return bindParameters(def.params, args);
  const input = args.length === 0 ? {} : args[0];
  let parsed: ReturnType<typeof schema.safeParse>;
  try {
    parsed = schema.safeParse(input);
  } catch (error) {
    throw new ParameterValidationError(def.name, [
      { code: 'custom', path: [], message: `the parameters schema threw: ${messageOf(error)}`, input },
    ]);
  }
  if (!parsed.success) throw new ParameterValidationError(def.name, parsed.error.issues);
  return parsed.data;
}

function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'a value that cannot be described';
  }
}
