import { currentFrame, type Frame } from '../internal/context.js';
import { stateBus } from '../internal/engine/bus.js';
import { runStoreSlot } from '../client/run-store-slot.js';
import { keepsEndedRunsOnly } from '../client/memory-run-store.js';
import { RunDriver } from '../internal/engine/run-driver.js';
import type { Definition } from '../internal/options.js';
import { describe as describeValue } from '../internal/options.js';
import { ConcurrentTaskRunner } from '../runners/concurrent-task-runner.js';
import type { TaskRunner } from '../runners/task-runner.js';
import { AllowFailure } from './allow-failure.js';
import { SubmitSite } from './submit-site.js';
import { SubmittedRun, type Upstream } from './submitted-run.js';
import { TaskRunFutureList } from './task-run-future-list.js';
import { TaskRunFuture } from './task-run-future.js';
import { Unmapped } from './unmapped.js';
import { collectInGraph, replaceInGraph } from '../internal/value-graph.js';

/** Options of `task.submitWith` and `task.mapWith`. */
export interface SubmitOptions {
  /**
   * Futures to wait for although they are not arguments (Prefect's `wait_for`): the run starts
   * after they end, and ends `NotReady` if one did not complete, unless wrapped in `allowFailure`.
   * @default []
   */
  waitFor?: readonly (TaskRunFuture<unknown> | AllowFailure<unknown>)[];
}

/** Runs outside any flow run share one unbounded runner (a deliberate extension: Prefect raises). */
const standaloneRunner = new ConcurrentTaskRunner();
const NO_OPTIONS: SubmitOptions = {};

/** @internal `task.submit(...args)`: starts a run through the enclosing flow run's task runner. */
export function submitRun<R>(
  def: Definition,
  owner: unknown,
  args: unknown[],
  options: SubmitOptions = NO_OPTIONS,
): TaskRunFuture<R> {
  return submitAt<R>(openSite(def, owner), args, false, options);
}

/** What the runs of one call share: the current frame, its flow run's runner, and whether they may be deferred. */
function openSite(def: Definition, owner: unknown): SubmitSite {
  const frame = currentFrame(true);
  const scope = frame.run?.flowScope;
  let runner: TaskRunner;
  if (scope === undefined) runner = standaloneRunner;
  else {
    const template = (scope.template as TaskRunner | undefined) ?? standaloneRunner;
    runner = (scope.runner ??= template.duplicate()) as TaskRunner;
  }
  return new SubmitSite(def, owner, frame, runner, scope, deferrableSite(def, frame));
}

/**
 * Submits one run of `site`: `payload` is its arguments array, or with `lone` its only argument
 * (what `map` over one iterable passes, so a queued run holds no array of its own).
 */
function submitAt<R>(
  site: SubmitSite,
  payload: unknown,
  lone: boolean,
  options: SubmitOptions,
): TaskRunFuture<R> {
  const def = site.def;
  // No closure or array per call unless an argument holds a future: map submits one run per item.
  let found: FutureLike[] | undefined;
  const count = lone ? 1 : (payload as unknown[]).length;
  for (let i = 0; i < count; i++) {
    const arg = lone ? payload : (payload as unknown[])[i];
    if (arg !== null && typeof arg === 'object') found = collectInGraph(arg, isFutureLike, found);
  }
  let upstreams: Upstream[] | undefined;
  const inArgs = found !== undefined;
  if (found !== undefined) {
    upstreams = [];
    for (const item of found) {
      if (item instanceof TaskRunFuture) upstreams.push({ run: item.run, allowFailure: false });
      else upstreams.push({ run: (item.future as TaskRunFuture<unknown>).run, allowFailure: true });
    }
  }
  const waitFor = options.waitFor;
  if (waitFor !== undefined) {
    for (const item of waitFor) {
      if (item instanceof TaskRunFuture) (upstreams ??= []).push({ run: item.run, allowFailure: false });
      else if (item instanceof AllowFailure)
        (upstreams ??= []).push({ run: item.future.run, allowFailure: true });
      else throw new TypeError(`${def.name}: waitFor expects futures, got ${describeValue(item)}`);
    }
  }
  if (site.scope !== undefined) site.scope.outstanding++;
  if (upstreams === undefined && site.deferrable && unobserved()) {
    const run = new SubmittedRun(site, undefined, undefined);
    const future = new TaskRunFuture<R>(run);
    run.defer(payload, lone);
    return future;
  }
  const args = lone ? [payload] : (payload as unknown[]);
  const substitute = inArgs
    ? (resolve: (run: unknown) => unknown) =>
        // A future the scan did not find (one put in after the call) has not been waited for:
        // it is passed on as it is.
        replaceInGraph(args, isFutureLike, (f) => {
          const run = runOf(f);
          return run.final === undefined ? f : resolve(run);
        })
    : undefined;
  const run = new SubmittedRun(site, upstreams, substitute);
  const future = new TaskRunFuture<R>(run);
  const driver = new RunDriver(def, site.owner, args, site.frame, run, run);
  run.driver = driver;
  driver.start();
  return future;
}

/**
 * Whether the runs of a call may wait for their runner slot without a driver
 * (SubmittedRun.defer): only when building them later cannot be seen. A run-name function, a
 * parameter schema or `logPrints` would run or take effect later; virtual time tracks runs.
 * What can change during the call is checked per run ({@link unobserved}).
 */
function deferrableSite(def: Definition, frame: Frame): boolean {
  return (
    frame.virtual === undefined &&
    def.runName === undefined &&
    def.parameterSchema === undefined &&
    (def.logPrints ?? frame.run?.logPrints) !== true
  );
}

/**
 * Whether nobody would see a run's Pending now: no `runStates$` listener and the memory store
 * (which records ended runs only). Checked for each run: a body that a `map` starts at once may
 * subscribe or install a store before the next item is submitted.
 */
function unobserved(): boolean {
  return !stateBus.observed && keepsEndedRunsOnly(runStoreSlot.current);
}

/** @internal `task.map(...iterables)`: validates every argument, then submits one run per element. */
export function mapRuns<R>(
  def: Definition,
  owner: unknown,
  iterables: unknown[],
  options: SubmitOptions = NO_OPTIONS,
): TaskRunFutureList<R> {
  const columns: (unknown[] | undefined)[] = [];
  let length = -1;
  let first = -1;
  iterables.forEach((arg, i) => {
    if (arg instanceof Unmapped) {
      columns.push(undefined);
      return;
    }
    if (
      typeof arg === 'string' ||
      arg === null ||
      arg === undefined ||
      typeof (arg as Iterable<unknown>)[Symbol.iterator] !== 'function'
    ) {
      throw new TypeError(
        `${def.name}.map: argument ${i} is not iterable (got ${describeValue(arg)}); wrap a value every run should receive in unmapped()` +
          (typeof arg === 'string' ? ' (strings are not mapped per character)' : ''),
      );
    }
    const column = Array.isArray(arg) ? arg : [...(arg as Iterable<unknown>)];
    if (length === -1) {
      length = column.length;
      first = i;
    } else if (column.length !== length) {
      throw new RangeError(
        `${def.name}.map: the iterables have different lengths: argument ${first} has ${length} items, argument ${i} has ${column.length}`,
      );
    }
    columns.push(column);
  });
  if (length === -1) {
    throw new TypeError(
      `${def.name}.map: expected at least one iterable argument (all were unmapped or none given)`,
    );
  }
  const list = new TaskRunFutureList<R>();
  const site = openSite(def, owner);
  const n = columns.length;
  if (n === 1 && columns[0] !== undefined) {
    const column = columns[0];
    for (let k = 0; k < length; k++) list.push(submitAt<R>(site, column[k], true, options));
    return list;
  }
  for (let k = 0; k < length; k++) {
    const args = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const column = columns[i];
      args[i] = column === undefined ? (iterables[i] as Unmapped).value : column[k];
    }
    list.push(submitAt<R>(site, args, false, options));
  }
  return list;
}

type FutureLike = TaskRunFuture<unknown> | AllowFailure<unknown>;

/** What the argument walk looks for (it does not look inside one). */
function isFutureLike(value: object): value is FutureLike {
  return value instanceof TaskRunFuture || value instanceof AllowFailure;
}

/** The run a future or an `allowFailure` stands for. */
function runOf(value: FutureLike): SubmittedRun {
  return value instanceof TaskRunFuture ? value.run : (value.future as TaskRunFuture<unknown>).run;
}
