import type { Observable } from 'rxjs';
import { makeCallable } from '../internal/engine/callable.js';
import { define } from '../internal/options.js';
import type { RunInfo } from '../internal/run-scope.js';
import type { State } from '../state/schema.js';
import type { AllowFailure } from '../futures/allow-failure.js';
import type { SubmitOptions } from '../futures/submit.js';
import type { TaskRunFutureList } from '../futures/task-run-future-list.js';
import type { TaskRunFuture } from '../futures/task-run-future.js';
import type { Unmapped } from '../futures/unmapped.js';
import type { TaskResultOptions } from '../cache/result-options.js';

/** A task state hook: called with the task, the run and the state; may be async. */
export type TaskHook<A extends unknown[] = unknown[], R = unknown> = (
  task: Task<A, R>,
  taskRun: RunInfo,
  state: State<R>,
) => void | Promise<void>;

/** Options of {@link task}; every one is optional and validated when the task is defined. */
export interface TaskOptions<A extends unknown[] = unknown[], R = unknown> extends TaskResultOptions {
  /** @default the function's name, else `'task'` */
  name?: string;
  /** What the task does; carried on every run's `RunInfo`, its events and its span. */
  description?: string;
  /** The task's version (a release, a commit); carried like `description`. */
  version?: string;
  /** Added to the tags of enclosing `tags()` scopes. @default [] */
  tags?: string[];
  /** Extra attempts after the first failure. @default 0 */
  retries?: number;
  /**
   * Seconds to wait before each retry: a number; a list (retry k waits element `min(k-1, length-1)`);
   * or a function of `retries` returning the list, evaluated once at definition (`exponentialBackoff(10)`).
   * @default 0
   */
  retryDelaySeconds?: number | readonly number[] | ((retries: number) => number[]);
  /** Each delay is spread uniformly within `delay × (1 ± factor)`, clamped at 0. @default 0 */
  retryJitterFactor?: number;
  /**
   * Return false (or a Promise of false) to stop retrying; the run then ends FAILED. A condition
   * that throws or rejects stops retrying too, and its error is reported (`setErrorReporter`).
   */
  retryConditionFn?: (task: Task<A, R>, taskRun: RunInfo, state: State<never>) => boolean | Promise<boolean>;
  /** Seconds an attempt may run before it ends `TimedOut` and its signal aborts; 0 = none. @default 0 */
  timeoutSeconds?: number;
  /** `'load-{table}-on-{day:yyyy-MM-dd}'` (parameters by name, date-fns format after a colon) or a function. */
  taskRunName?:
    string | ((parameters: Readonly<Record<string, unknown>>, run: Omit<RunInfo, 'name'>) => string);
  /**
   * The names of the task's parameters, in order (`'...rest'` for a rest parameter), for
   * `taskRunName` and `resultStorageKey` templates, `INPUTS.exclude` and `RunInfo.parameters`.
   * @default read from the function's source; give them when your code is minified or bundled
   * (a minifier renames `(symbol) => …` to `(e) => …`, never these strings)
   */
  parameterNames?: readonly string[];
  onCompletion?: TaskHook<A, R>[];
  onFailure?: TaskHook<A, R>[];
  onRunning?: TaskHook<A, R>[];
  /**
   * Route `console.log/info/warn/error` called in this run (and in runs it starts, unless they
   * set their own) to its run logger, as `info`/`warn`/`error` records. On Node this follows
   * the run's async context; in the browser build, only its synchronous code.
   * @default inherited from the enclosing run, else false
   */
  logPrints?: boolean;
}

/** A value for a parameter of type `T` in `submit`: the value, a future of it, or futures nested in it. */
export type FutureArg<T> = T | TaskRunFuture<T> | AllowFailure<T> | NestedFutures<T>;

type NestedFutures<T> = T extends readonly (infer E)[]
  ? readonly FutureArg<E>[]
  : T extends (...args: never[]) => unknown
    ? never
    : T extends object
      ? { [K in keyof T]: FutureArg<T[K]> }
      : never;

/** The arguments of `task.submit`: each may be a future of the parameter's type. */
export type SubmitArgs<A extends unknown[]> = { [K in keyof A]: FutureArg<A[K]> };

/** The arguments of `task.map`: an iterable of values (or futures) per parameter, or `unmapped(value)`. */
export type MapArgs<A extends unknown[]> = {
  [K in keyof A]: Iterable<FutureArg<A[K]>> | Unmapped<FutureArg<A[K]>>;
};

/** One argument of `task.map` that may also be a future whose result is the iterable. */
type MapFutureArg<T> = Iterable<FutureArg<T>> | Unmapped<FutureArg<T>> | TaskRunFuture<Iterable<T>>;

/** `A`'s map arguments with a future of an iterable at position `I`. */
type FutureAt<A extends unknown[], I> = {
  [K in keyof A]: K extends I ? TaskRunFuture<Iterable<A[K]>> : MapFutureArg<A[K]>;
};

/**
 * The arguments of `task.map` when at least one is a future whose result is the iterable to
 * map (Prefect maps over an upstream's result): `map` then returns a Promise of the list.
 */
export type MapFutureArgs<A extends unknown[]> = { [I in keyof A]: FutureAt<A, I> }[number];

/**
 * A task: call it to run it (`await double(2)`), or observe a run's states with `run$`.
 * Inside a flow, runs are linked to the flow run; outside, they are standalone task runs.
 */
export interface Task<A extends unknown[] = unknown[], R = unknown> {
  /** Runs the task; resolves to its result, rejects with its error (`TimeoutError`, `CancelledError`, …). */
  (...args: A): Promise<R>;
  /** A cold Observable of one run's states per subscription; unsubscribing early cancels the run. */
  run$(...args: A): Observable<State<R>>;
  /**
   * Starts a run now through the enclosing flow run's task runner and returns its future.
   * Arguments may be futures (also inside arrays and plain objects): the run waits for them,
   * receives their results, and ends `NotReady` without running if one did not complete
   * (unless wrapped in `allowFailure`).
   */
  submit(...args: SubmitArgs<A>): TaskRunFuture<R>;
  /** `submit` that also waits for the futures in `options.waitFor` (Prefect's `wait_for`). */
  submitWith(options: SubmitOptions, ...args: SubmitArgs<A>): TaskRunFuture<R>;
  /**
   * One submitted run per element of the iterables, zipped (equal lengths, else an error before
   * any run starts); `unmapped(value)` passes `value` to every run. Futures in input order.
   * An argument that is itself a future maps over its run's result (as Prefect maps over an
   * upstream's result): the list's length is only known once it has ended, so `map` then
   * returns a Promise of the list, which rejects with an `UpstreamTaskError` if the upstream did
   * not complete or a `TypeError` if its result is not iterable (no run starts).
   */
  map(...iterables: MapFutureArgs<A>): Promise<TaskRunFutureList<R>>;
  /** {@inheritDoc Task.map} */
  map(...iterables: MapArgs<A>): TaskRunFutureList<R>;
  /** `map` over upstream results (a Promise of the list) whose runs also wait for `options.waitFor`. */
  mapWith(options: SubmitOptions, ...iterables: MapFutureArgs<A>): Promise<TaskRunFutureList<R>>;
  /** `map` whose runs also wait for the futures in `options.waitFor`. */
  mapWith(options: SubmitOptions, ...iterables: MapArgs<A>): TaskRunFutureList<R>;
  /** A new task with these options merged over this one's; this task is unchanged (a bound task stays bound). */
  withOptions(options: TaskOptions<A, R>): Task<A, R>;
  /**
   * This task with `self` as its body's `this`, for `run$`, `submit`, `map` and calls alike (a
   * task called as a method, `o.t(3)`, already gets `o`; `o.t.submit(3)` cannot see `o`). The
   * bound task shares this one's hooks.
   * @example
   * ```ts
   * const scale = task(function (this: { factor: number }, x: number) { return this.factor * x; });
   * await scale.bind({ factor: 2 }).submit(3).result(); // 6 (inside a flow)
   * ```
   */
  bind(self: unknown): Task<A, R>;
  /** Adds a hook for COMPLETED states; returns this task. */
  onCompletion(hook: TaskHook<A, R>): Task<A, R>;
  /** Adds a hook for FAILED states; returns this task. */
  onFailure(hook: TaskHook<A, R>): Task<A, R>;
  /** Adds a hook for RUNNING states (each attempt); returns this task. */
  onRunning(hook: TaskHook<A, R>): Task<A, R>;
  readonly name: string;
  /** The undecorated function: calling it skips the engine (no states, retries or hooks). */
  readonly fn: (...args: A) => R | PromiseLike<R>;
  /** The options this task was defined with. */
  readonly options: Readonly<TaskOptions<A, R>>;
}

/**
 * Turns a function (sync or async) into a task with retries, timeouts, hooks and a typed state
 * stream. Options are validated now: a bad one throws an `OptionValidationError` naming it, and
 * so does a generator function (collect its values in the body instead). Called as a method, the
 * body gets the object as `this` (see {@link Task.bind}).
 * @example
 * ```ts
 * const double = task({ name: 'double', retries: 2, retryDelaySeconds: 1 }, async (x: number) => x * 2);
 * await double(21); // 42
 * double.run$(21).subscribe((s) => console.log(s.name)); // Pending, Running, Completed
 * ```
 */
export function task<A extends unknown[], R>(fn: (...args: A) => R): Task<A, Awaited<R>>;
export function task<A extends unknown[], R>(
  options: TaskOptions<A, Awaited<R>>,
  fn: (...args: A) => R,
): Task<A, Awaited<R>>;
export function task(optionsOrFn: unknown, maybeFn?: unknown): Task {
  const [options, fn] =
    maybeFn === undefined && typeof optionsOrFn === 'function' ? [{}, optionsOrFn] : [optionsOrFn, maybeFn];
  return makeCallable<Task>(define('task', options, fn), options as TaskOptions);
}
