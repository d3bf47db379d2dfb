import type { Observable } from 'rxjs';
import type { z } from 'zod';
import { makeCallable } from '../internal/engine/callable.js';
import { define } from '../internal/options.js';
import type { RunInfo } from '../internal/run-scope.js';
import type { State } from '../state/schema.js';
import type { TaskRunner } from '../runners/task-runner.js';
import type { ResultOptions } from '../cache/result-options.js';

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
  description?: string;
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
  /** A zod schema for the flow's single object argument: parsed, defaults applied, before the body runs. */
  parameters?: z.ZodType;
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
  /** A new flow with these options merged over this one's; this flow is unchanged. */
  withOptions(options: FlowOptions<A, R>): Flow<A, R>;
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
 * Turns a function into a flow: a run with states, retries, a timeout, hooks and a context in
 * which the tasks and subflows it calls become its children.
 * @example
 * ```ts
 * const etl = flow({ name: 'etl', retries: 1 }, async (day: string) => load(transform(await extract(day))));
 * const typed = flow({ parameters: z.object({ n: z.number().int().default(3) }) }, async ({ n }) => n * 2);
 * await typed({}); // 6
 * ```
 */
export function flow<S extends z.ZodType, R>(
  options: FlowOptions<[z.input<S>], Awaited<R>> & { parameters: S },
  fn: (parameters: z.output<S>) => R,
): Flow<[z.input<S>], Awaited<R>>;
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
