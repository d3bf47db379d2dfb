import { parseParameters } from './engine/parse-parameters.js';
import type { Definition } from './options.js';
import { bindParameters } from './params.js';

/**
 * @internal What `flow.validateParameters(...args)` returns, without starting a run: for a flow
 * with a `parameters` schema, the schema's output for the first argument (`{}` when there is
 * none), defaults applied; else the arguments by parameter name, as `RunInfo.parameters` records
 * them. It throws the `ParameterValidationError` a call would fail with: every issue of a schema
 * that rejects the input, or one issue for a schema that throws or is asynchronous.
 */
export function parseFlowParameters(def: Definition, args: readonly unknown[]): unknown {
  const schema = def.parameterSchema;
  if (schema === undefined) return bindParameters(def.params, args);
  const parsed = parseParameters(def.name, schema, args.length === 0 ? {} : args[0]);
  if (!parsed.success) throw parsed.error;
  return parsed.data;
}
