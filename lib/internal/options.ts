import * as z from 'zod/mini';
import { OptionValidationError } from '../errors/option-validation-error.js';
import { describeValue as describe } from './describe-kind.js';
import type { StatesSettings } from '../operators/to-states.js';
import type { Clock } from './clock.js';
import type { RunInfo } from './run-scope.js';
import { compileRunName, type RunNameTemplate } from './run-name.js';
import { knownNames, namedParameters, notAParameter, readParameters, type ParameterSpec } from './params.js';
import { flowResultOptions, planResults, taskResultOptions, type ResultPlan } from '../cache/result-plan.js';
import { delaysFromFunction } from './validate.js';
import { safeParse } from './zod-issues.js';
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema.js';

const isFn = (v: unknown): v is (...args: never[]) => unknown => typeof v === 'function';
const fnSchema = z.custom<(...args: never[]) => unknown>(isFn, { message: 'expected a function' });
const nonNegative = z.number().check(z.nonnegative());
const hooks = z.optional(z.array(fnSchema));

/** @internal Options shared by tasks and flows. */
const common = {
  name: z.optional(z.string().check(z.minLength(1))),
  description: z.optional(z.string()),
  version: z.optional(z.string()),
  tags: z.optional(z.array(z.string())),
  retries: z.optional(z.number().check(z.int(), z.nonnegative())),
  retryDelaySeconds: z.optional(z.union([nonNegative, z.array(nonNegative), fnSchema])),
  retryJitterFactor: z.optional(nonNegative),
  timeoutSeconds: z.optional(nonNegative),
  onCompletion: hooks,
  onFailure: hooks,
  onRunning: hooks,
  logPrints: z.optional(z.boolean()),
  parameterNames: z.optional(z.array(z.string())),
};

/** @internal */
export const TaskOptionsSchema = z.strictObject({
  ...common,
  retryConditionFn: z.optional(fnSchema),
  taskRunName: z.optional(z.union([z.string(), fnSchema])),
  ...taskResultOptions,
});

/** @internal */
export const FlowOptionsSchema = z.strictObject({
  ...common,
  flowRunName: z.optional(z.union([z.string(), fnSchema])),
  parameters: z.optional(
    z.custom<StandardSchemaV1>(isStandardSchema, {
      message: 'expected a schema: zod (classic or mini), or any Standard Schema such as valibot or arktype',
    }),
  ),
  validateParameters: z.optional(z.boolean()),
  taskRunner: z.optional(
    z.custom<object>(
      (v) =>
        v !== null &&
        typeof v === 'object' &&
        typeof (v as { submit?: unknown }).submit === 'function' &&
        typeof (v as { duplicate?: unknown }).duplicate === 'function',
      { message: 'expected a TaskRunner (an object with submit and duplicate methods)' },
    ),
  ),
  onCancellation: hooks,
  onCrashed: hooks,
  ...flowResultOptions,
});

/** @internal Hook names a definition may carry. */
export type HookKind = 'onCompletion' | 'onFailure' | 'onRunning' | 'onCancellation' | 'onCrashed';

type AnyHook = (...args: never[]) => unknown;

/** @internal Everything the engine needs about a task or flow, computed once at definition. */
export interface Definition {
  readonly kind: 'task' | 'flow';
  readonly name: string;
  readonly fn: (...args: unknown[]) => unknown;
  /** The `description` option, carried into every run's `RunInfo`. */
  readonly description: string | undefined;
  /** The `version` option, carried into every run's `RunInfo`. */
  readonly version: string | undefined;
  /** The body's `this` of a bound task or flow (`.bind(o)`); undefined: the call's own `this`. */
  readonly self: unknown;
  readonly params: ParameterSpec;
  readonly tags: readonly string[];
  readonly retries: number;
  readonly retryDelaySeconds: number | readonly number[];
  readonly retryJitterFactor: number;
  readonly timeoutSeconds: number;
  readonly retryConditionFn: ((...args: never[]) => unknown) | undefined;
  /** Caching and result persistence (lib/cache/result-plan.ts); undefined: a task that does neither. */
  readonly results: ResultPlan | undefined;
  readonly runName:
    | RunNameTemplate
    | ((parameters: Readonly<Record<string, unknown>>, run: Omit<RunInfo, 'name'>) => string)
    | undefined;
  readonly parameterSchema: StandardSchemaV1 | undefined;
  /** A flow's `taskRunner` option (a `TaskRunner`); undefined: the default concurrent runner. */
  readonly taskRunner: object | undefined;
  /** False when a flow was defined with `validateParameters: false`: arguments are recorded, not parsed. */
  readonly validateParameters: boolean;
  /** The `logPrints` option; undefined: inherited from the enclosing run (false at the top). */
  readonly logPrints: boolean | undefined;
  /** The engine's prepared `toStates` settings for the clock last used, built once, not per run. */
  readonly cache: { clock: Clock | undefined; states: StatesSettings | undefined };
  /** Mutable so hooks can be registered after definition (`task.onCompletion(h)`). */
  readonly hooks: Record<HookKind, AnyHook[]>;
}

/** @internal Validates options with zod and normalises them; throws OptionValidationError naming the option. */
export function define(kind: 'task' | 'flow', options: unknown, fn: unknown): Definition {
  const rawName =
    options !== null && typeof options === 'object' ? (options as { name?: unknown }).name : undefined;
  const label = (name: string) => `${kind} '${name}'`;
  const fallbackName =
    typeof rawName === 'string' && rawName ? rawName : isFn(fn) && fn.name ? fn.name : kind;
  if (!isFn(fn)) {
    if (fn === undefined && !(options !== null && typeof options === 'object')) fn = options;
    throw new OptionValidationError(
      label(fallbackName),
      'fn',
      `expected the ${kind} body to be a function, got ${describe(fn)}`,
    );
  }
  if (options === null || typeof options !== 'object') {
    throw new OptionValidationError(
      label(fallbackName),
      'options',
      `expected an object, got ${describe(options)}`,
    );
  }
  const generator = generatorKind(fn);
  if (generator !== undefined) {
    throw new OptionValidationError(
      label(fallbackName),
      'fn',
      `${generator} function cannot be a ${kind} body: the run would end when the generator object ` +
        `is returned, before any of its code runs. Collect the values in the body ` +
        `(\`for await (const x of gen()) out.push(x)\`, then return out), or keep the generator ` +
        `outside and make each step a task`,
    );
  }
  const schema = kind === 'task' ? TaskOptionsSchema : FlowOptionsSchema;
  const parsed = safeParse(schema, options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // An unknown key inside an option's object value (a Duration's 'hour') names that option.
    const topLevel = issue.code === 'unrecognized_keys' && issue.path.length === 0;
    const option = topLevel ? issue.keys[0]! : String(issue.path[0] ?? 'options');
    const value = (options as Record<string, unknown>)[option];
    const problem = topLevel
      ? 'unknown option'
      : issue.code === 'unrecognized_keys'
        ? `unknown key '${issue.keys[0]!}' (got ${describe(value)})`
        : `${issue.message} (got ${describe(value)})`;
    throw new OptionValidationError(label(fallbackName), option, problem);
  }
  const o = parsed.data as z.infer<typeof FlowOptionsSchema> & z.infer<typeof TaskOptionsSchema>;
  const name = o.name ?? fallbackName;
  const fail =
    (option: string) =>
    (problem: string): never => {
      throw new OptionValidationError(label(name), option, problem);
    };
  const retries = o.retries ?? 0;
  const params = parameterSpec(fn, o.parameterNames, o.parameters !== undefined, fail('parameterNames'));

  let delays: number | readonly number[] = 0;
  if (typeof o.retryDelaySeconds === 'function') {
    delays = delaysFromFunction(
      o.retryDelaySeconds as (r: number) => unknown,
      retries,
      fail('retryDelaySeconds'),
    );
  } else if (Array.isArray(o.retryDelaySeconds)) {
    delays = Object.freeze([...o.retryDelaySeconds]);
  } else if (typeof o.retryDelaySeconds === 'number') {
    delays = o.retryDelaySeconds;
  }

  const nameOption = kind === 'task' ? 'taskRunName' : 'flowRunName';
  const template = kind === 'task' ? o.taskRunName : o.flowRunName;
  let runName: Definition['runName'];
  if (typeof template === 'string') {
    const compiled = compileRunName(template, fail(nameOption));
    const known = o.parameters === undefined ? knownNames(params) : schemaKeys(o.parameters);
    const unknown = known && compiled.keys.find((k) => !known.has(k));
    if (unknown)
      fail(nameOption)(
        o.parameters === undefined
          ? notAParameter(params, `the template refers to '{${unknown}}'`, label(name))
          : `the template refers to '{${unknown}}', which is not a parameter of ${label(name)}`,
      );
    runName = compiled;
  } else if (template !== undefined) {
    runName = template as Definition['runName'];
  }

  return {
    kind,
    name,
    fn: fn as (...args: unknown[]) => unknown,
    description: o.description,
    version: o.version,
    self: undefined,
    params,
    tags: Object.freeze([...(o.tags ?? [])]),
    retries,
    retryDelaySeconds: delays,
    retryJitterFactor: o.retryJitterFactor ?? 0,
    timeoutSeconds: o.timeoutSeconds ?? 0,
    retryConditionFn: o.retryConditionFn,
    results: planResults(kind, name, fn, params, o, fail),
    runName,
    parameterSchema: o.parameters,
    validateParameters: o.validateParameters ?? true,
    logPrints: o.logPrints,
    taskRunner: o.taskRunner,
    cache: { clock: undefined, states: undefined },
    hooks: {
      onCompletion: [...(o.onCompletion ?? [])],
      onFailure: [...(o.onFailure ?? [])],
      onRunning: [...(o.onRunning ?? [])],
      onCancellation: [...(o.onCancellation ?? [])],
      onCrashed: [...(o.onCrashed ?? [])],
    },
  };
}

const GENERATOR = Object.getPrototypeOf(function* () {}) as object;
const ASYNC_GENERATOR = Object.getPrototypeOf(async function* () {}) as object;

/** `'a generator'` or `'an async generator'` for a generator function, else undefined. */
function generatorKind(fn: (...args: never[]) => unknown): string | undefined {
  let proto: unknown;
  try {
    proto = Object.getPrototypeOf(fn);
  } catch {
    return undefined; // a revoked Proxy: calling it will fail the run, with its own error
  }
  return proto === GENERATOR ? 'a generator' : proto === ASYNC_GENERATOR ? 'an async generator' : undefined;
}

/** The parameter names of `fn`: its `parameterNames` option, else read from its source. */
function parameterSpec(
  fn: (...args: never[]) => unknown,
  given: readonly string[] | undefined,
  hasSchema: boolean,
  fail: (problem: string) => never,
): ParameterSpec {
  const parsed = readParameters(fn);
  if (given === undefined) return parsed;
  if (hasSchema) fail('a flow with a parameters schema takes its parameter names from the schema');
  return namedParameters(given, parsed, fail);
}

/** The keys of an object schema: zod's `shape`, valibot's `entries`; undefined for other schemas (not checked). */
function schemaKeys(schema: StandardSchemaV1): Set<string> | undefined {
  const { shape, entries } = schema as { shape?: unknown; entries?: unknown };
  const keys = shape ?? entries;
  return keys !== null && typeof keys === 'object' ? new Set(Object.keys(keys)) : undefined;
}

/** @internal A short description of a bad value for error messages (never throws). */
export { describe };
