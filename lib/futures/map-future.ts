import { UpstreamTaskError } from '../errors/upstream-task-error.js';
import { currentFrame, runInFrame } from '../internal/context.js';
import type { Definition } from '../internal/options.js';
import { describe as describeValue } from '../internal/options.js';
import { settleOutstanding } from '../internal/run-scope.js';
import { isResultReference, type ResultReference } from '../results/result-reference.js';
import { mapRuns, type SubmitOptions } from './submit.js';
import type { TaskRunFutureList } from './task-run-future-list.js';
import { TaskRunFuture } from './task-run-future.js';

const NO_OPTIONS: SubmitOptions = {};

/**
 * @internal `task.map(...args)`: {@link mapRuns} at once, unless an argument is itself a future
 * (whose result is the iterable to map): then a Promise of the list, once those futures ended.
 */
export function mapTask<R>(
  def: Definition,
  owner: unknown,
  iterables: unknown[],
  options: SubmitOptions = NO_OPTIONS,
): TaskRunFutureList<R> | Promise<TaskRunFutureList<R>> {
  for (let i = 0; i < iterables.length; i++) {
    if (iterables[i] instanceof TaskRunFuture) return mapFutures<R>(def, owner, iterables, options);
  }
  return mapRuns<R>(def, owner, iterables, options);
}

/**
 * Waits for the futures among `iterables`, then maps over their results (as Prefect maps over
 * an upstream's result). The list cannot exist before: its length is the result's. Rejects
 * with an `UpstreamTaskError` if an upstream did not complete, and with a `TypeError` or
 * `RangeError` (as `map` throws) if a result is not iterable or the lengths differ. The mapped
 * runs list the upstreams in `upstreamRunIds`. The enclosing flow run waits for this map too.
 */
function mapFutures<R>(
  def: Definition,
  owner: unknown,
  iterables: unknown[],
  options: SubmitOptions,
): Promise<TaskRunFutureList<R>> {
  const frame = currentFrame(true);
  const scope = frame.run?.flowScope;
  const upstreams = iterables.filter((a): a is TaskRunFuture<unknown> => a instanceof TaskRunFuture);
  if (scope !== undefined) scope.outstanding++;
  return new Promise<TaskRunFutureList<R>>((resolve, reject) => {
    let left = upstreams.length;
    let done = false;
    const removers: (() => void)[] = [];
    const finish = (outcome: () => void) => {
      done = true;
      for (const remove of removers) remove();
      try {
        outcome();
      } finally {
        if (scope !== undefined) settleOutstanding(scope);
      }
    };
    const mapNow = (loaded: ReadonlyMap<TaskRunFuture<unknown>, unknown> | undefined) => {
      if (done) return;
      finish(() => {
        try {
          const resolved = iterables.map((arg, i) =>
            arg instanceof TaskRunFuture ? resultOf(def, arg, i, loaded) : arg,
          );
          const waitFor = [...(options.waitFor ?? []), ...upstreams];
          resolve(runInFrame(frame, () => mapRuns<R>(def, owner, resolved, { ...options, waitFor })));
        } catch (error) {
          reject(error);
        }
      });
    };
    const ended = () => {
      if (--left !== 0 || done) return;
      // Results upstream runs left only in storage (cacheResultInMemory: false) are loaded first,
      // as for submit; a load that fails rejects with its error, and no run starts.
      const stored = upstreams.filter((u) => isResultReference(u.run.final!.data));
      if (stored.length === 0) return mapNow(undefined);
      Promise.all(
        stored.map((u) => (u.run.final!.data as ResultReference).load().then((value) => [u, value] as const)),
      ).then(
        (pairs) => mapNow(new Map(pairs)),
        (error: unknown) => done || finish(() => reject(error)),
      );
    };
    // A flow run cancelled meanwhile (an upstream from elsewhere may still be going) ends the wait.
    const token = frame.run?.token;
    if (token !== undefined) removers.push(token.onAbort((reason) => done || finish(() => reject(reason))));
    for (const upstream of upstreams) if (!done) removers.push(upstream.run.whenEnded(ended));
  });
}

/** The iterable an upstream future's run produced, or the reason there is none. */
function resultOf(
  def: Definition,
  future: TaskRunFuture<unknown>,
  index: number,
  loaded: ReadonlyMap<TaskRunFuture<unknown>, unknown> | undefined,
): unknown {
  const state = future.run.final!;
  if (state.type !== 'COMPLETED') {
    throw new UpstreamTaskError(future.id, future.run.runName, 'error' in state ? state.error : undefined);
  }
  const value = loaded !== undefined && loaded.has(future) ? loaded.get(future) : state.data;
  if (
    typeof value === 'string' ||
    value === null ||
    value === undefined ||
    typeof (value as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(
      `${def.name}.map: argument ${index} is a future whose result is not iterable (got ${describeValue(value)})` +
        (typeof value === 'string' ? ' (strings are not mapped per character)' : ''),
    );
  }
  return value;
}
