import type { Observable } from 'rxjs';
import { makeCallable } from '../internal/engine/callable.js';
import { define } from '../internal/options.js';
import type { RunInfo } from '../internal/run-scope.js';
import type { State } from '../state/schema.js';
import type { TaskRunner } from '../runners/task-runner.js';
import type { ResultOptions } from '../cache/result-options.js';
import type { StandardSchemaV1 } from '../internal/standard-schema.js';

/** A flow state hook: called with the flow, the run and the state; may be async. */
export type FlowHook<A extends unknown[] = unknown[], R = unknown> = (
  flow: Flow<A, R>,
  flowRun: RunInfo,
  state: State<R>,
) => void | Promise<void>;

/** Options of {@link flow}; every one is optional and validated when the flow is defined. */
export interface FlowOptions<A extends unknown[] = unknown[], R = unknown> extends ResultOptions {
  /** @default the function's name, else `'flow'` */
  name?: string;
  /** What the flow does; carried on every run's `RunInfo`, its events and its span. */
  description?: string;
  /** The flow's version (a release, a commit); carried like `description`. */
  version?: string;
  /** Added to the tags of enclosing `tags()` scopes. @default [] */
  tags?: string[];
  /** Extra attempts of the whole flow after a failure. @default 0 */
  retries?: number;
  /** As for tasks: a number, a list whose last value repeats, or a function of `retries`. @default 0 */
  retryDelaySeconds?: number | readonly number[] | ((retries: number) => number[]);
  /** @default 0 */
  retryJitterFactor?: number;
  /**
   * Seconds the body may run; past it the run ends `TimedOut`, its signal aborts, every run it
   * started is cancelled, and tasks it calls afterwards end CANCELLED without running. 0 = none.
   * @default 0
   */
  timeoutSeconds?: number;
  /** `'etl-{day:yyyy-MM-dd}'` or a function of the parameters. @default a random `'adjective-animal'` */
  flowRunName?:
    string | ((parameters: Readonly<Record<string, unknown>>, run: Omit<RunInfo, 'name'>) => string);
  /**
   * The names of the flow's parameters, in order (`'...rest'` for a rest parameter), for
   * `flowRunName` templates and `RunInfo.parameters`. Not with a `parameters` schema, which names
   * them already.
   * @default read from the function's source; give them when your code is minified or bundled
   * (a minifier renames `(symbol) => …` to `(e) => …`, never these strings)
   */
  parameterNames?: readonly string[];
  /**
   * A schema for the flow's single object argument: zod (classic or `zod/mini`) or any Standard
   * Schema (valibot, arktype …). Parsed, defaults applied, before the body runs; synchronous (an
   * async or throwing one fails the run).
   */
  parameters?: StandardSchemaV1;
  /** Set false to record arguments without parsing them. @default true */
  validateParameters?: boolean;
  /**
   * Where runs submitted in the body (`task.submit`, `task.map`) execute; each flow run enters
   * its own copy. Direct calls run inline. @default new ConcurrentTaskRunner()
   */
  taskRunner?: TaskRunner;
  onCompletion?: FlowHook<A, R>[];
  onFailure?: FlowHook<A, R>[];
  onRunning?: FlowHook<A, R>[];
  /** Called when the run ends CANCELLED. */
  onCancellation?: FlowHook<A, R>[];
  /** Called when the run ends CRASHED (engine failure or process shutdown). */
  onCrashed?: FlowHook<A, R>[];
  /**
   * Route `console.log/info/warn/error` called in this run to its run logger, as
   * `info`/`warn`/`error` records; the flow's tasks and subflows inherit it unless they set
   * their own. On Node this follows the run's async context; in the browser build, only its
   * synchronous code.
   * @default inherited from the enclosing run, else false
   */
  logPrints?: boolean;
}

/** A flow: call it to run it; tasks and flows it calls are linked to its run. */
export interface Flow<A extends unknown[] = unknown[], R = unknown> {
  /** Runs the flow; resolves to its result, rejects with its error. */
  (...args: A): Promise<R>;
  /** A cold Observable of one run's states per subscription; unsubscribing cancels the run and its children. */
  run$(...args: A): Observable<State<R>>;
  /** A new flow with these options merged over this one's; this flow is unchanged (a bound flow stays bound). */
  withOptions(options: FlowOptions<A, R>): Flow<A, R>;
  /**
   * Checks arguments as a call would, without starting a run (Prefect's `validate_parameters`):
   * for a flow with a `parameters` schema, returns the parsed argument (defaults applied); else
   * the arguments by parameter name, as `RunInfo.parameters` records them. Throws a
   * `ParameterValidationError` listing every issue. It checks even when the flow was defined
   * with `validateParameters: false`.
   * @example
   * ```ts
   * const parameters = report.validateParameters(JSON.parse(body)); // throws before anything runs
   * ```
   */
  validateParameters(...args: unknown[]): Readonly<Record<string, unknown>>;
  /**
   * This flow with `self` as its body's `this`, for `run$`, `withOptions` and calls alike. A flow
   * called as a method (`o.f(3)`) already gets `o`, but `o.f.run$(3)` cannot see `o`: bind it
   * (`o.f.bind(o).run$(3)`). The bound flow shares this one's hooks; `bind` takes no arguments
   * to fix.
   * @example
   * ```ts
   * const scale = flow(function (this: { factor: number }, x: number) { return this.factor * x; });
   * await scale.bind({ factor: 2 })(3); // 6
   * ```
   */
  bind(self: unknown): Flow<A, R>;
  onCompletion(hook: FlowHook<A, R>): Flow<A, R>;
  onFailure(hook: FlowHook<A, R>): Flow<A, R>;
  onRunning(hook: FlowHook<A, R>): Flow<A, R>;
  onCancellation(hook: FlowHook<A, R>): Flow<A, R>;
  onCrashed(hook: FlowHook<A, R>): Flow<A, R>;
  readonly name: string;
  /** The undecorated function: calling it skips the engine. */
  readonly fn: (...args: never[]) => unknown;
  readonly options: Readonly<FlowOptions<A, R>>;
}

/**
 * A flow with a `parameters` schema: its `validateParameters` returns the schema's output.
 * @example
 * ```ts
 * const resize = flow({ parameters: z.object({ width: z.number() }) }, async ({ width }) => width);
 * const { width } = resize.validateParameters({ width: 640 }); // typed
 * ```
 */
export type SchemaFlow<S extends StandardSchemaV1, R> = {
  /** {@inheritDoc Flow.validateParameters} */
  validateParameters(input: unknown): StandardSchemaV1.InferOutput<S>;
} & Flow<[StandardSchemaV1.InferInput<S>], R>;

/**
 * Turns a function into a flow: a run with states, retries, a timeout, hooks and a context in
 * which the tasks and subflows it calls become its children. A returned future or state (or an
 * array or plain object made only of them) fails the flow unless it completed. Generator
 * functions are refused at definition; called as a method, the body gets the object as `this`.
 * @example
 * ```ts
 * const etl = flow({ name: 'etl', retries: 1 }, async (day: string) => load(transform(await extract(day))));
 * const typed = flow({ parameters: z.object({ n: z.number().int().default(3) }) }, async ({ n }) => n * 2);
 * await typed({}); // 6
 * ```
 */
export function flow<S extends StandardSchemaV1, R>(
  options: FlowOptions<[StandardSchemaV1.InferInput<S>], Awaited<R>> & { parameters: S },
  fn: (parameters: StandardSchemaV1.InferOutput<S>) => R,
): SchemaFlow<S, Awaited<R>>;
export function flow<A extends unknown[], R>(fn: (...args: A) => R): Flow<A, Awaited<R>>;
export function flow<A extends unknown[], R>(
  options: FlowOptions<A, Awaited<R>>,
  fn: (...args: A) => R,
): Flow<A, Awaited<R>>;
export function flow(optionsOrFn: unknown, maybeFn?: unknown): Flow {
  const [options, fn] =
    maybeFn === undefined && typeof optionsOrFn === 'function' ? [{}, optionsOrFn] : [optionsOrFn, maybeFn];
  return makeCallable<Flow>(define('flow', options, fn), options as FlowOptions);
}
