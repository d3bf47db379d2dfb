import { isObservable, type Observable } from 'rxjs';
import { currentFrame, runInFrame, type Frame, type VirtualScopeHooks } from '../internal/context.js';
import { runStates$, type RunStateEvent } from '../internal/engine/bus.js';
import type { State, StateType } from '../state/schema.js';

/**
 * One state transition in a {@link collectTimeline} result.
 * @example
 * ```ts
 * const entry: TimelineEntry = { run: 'load-7', kind: 'task', type: 'SCHEDULED', name: 'AwaitingRetry', at: 0 };
 * ```
 */
export interface TimelineEntry {
  /** The run's name (from `taskRunName` / `flowRunName`, else generated). */
  readonly run: string;
  readonly kind: 'task' | 'flow';
  readonly type: StateType;
  /** The state's name, such as `'AwaitingRetry'`. */
  readonly name: string;
  /**
   * The state's timestamp in ms since the collection started (virtual ms under `withVirtualTime`).
   * Whole milliseconds, as state timestamps are `Date`s: check exact or jittered delays on
   * `flaky(...).gaps` instead, which are not rounded.
   */
  readonly at: number;
}

/**
 * Options of {@link collectTimeline}.
 * @example
 * ```ts
 * const all = await withVirtualTime(() => collectTimeline(() => etl(), { children: true }));
 * ```
 */
export interface CollectTimelineOptions {
  /** Also list the runs started inside the collected runs (tasks of a flow, subflows). @default false */
  children?: boolean;
}

/**
 * Runs `source` and returns every state transition of the runs it started, in order, with
 * timestamps relative to the start: pass a task's or flow's `run$(...)` (subscribed to once), or
 * a function that calls tasks and flows (awaited; its rejection is not rethrown, because a
 * failing run shows up as a `Failed` state). With `children`, runs started inside those runs
 * are listed too. Runs are attributed through the async context, which follows `await` on Node;
 * elsewhere only runs a function starts before its first `await` are seen (a `run$` is always).
 * @example
 * ```ts
 * const timeline = await withVirtualTime(() => collectTimeline(fetchPage.run$(7)));
 * // [{ run: 'fetch-page-x1y2', kind: 'task', type: 'PENDING', name: 'Pending', at: 0 },
 * //  { ..., name: 'Running', at: 0 }, { ..., name: 'AwaitingRetry', at: 0 },
 * //  { ..., name: 'Retrying', at: 10_000 }, { ..., name: 'Completed', at: 10_000 }]
 * ```
 */
export async function collectTimeline(
  source: Observable<State> | (() => unknown),
  options: CollectTimelineOptions = {},
): Promise<TimelineEntry[]> {
  if (!isObservable(source) && typeof source !== 'function') {
    throw new TypeError(`collectTimeline: expected a run$ Observable or a function, got ${String(source)}`);
  }
  const outer = currentFrame();
  // State timestamps are Dates, whole milliseconds: cut the start the same way, so that `at` is
  // whole and never negative when the clock stands between milliseconds (after a jittered delay).
  const start = new Date(outer.clock.scheduler.now()).getTime();
  const started = new Set<string>();
  const hooks: VirtualScopeHooks = {
    runStarted(id, describe) {
      started.add(id);
      outer.virtual?.runStarted(id, describe);
    },
    runEnded(id) {
      outer.virtual?.runEnded(id);
    },
  };
  const frame: Frame = { ...outer, virtual: hooks };
  const events: RunStateEvent[] = [];
  const bus = runStates$.subscribe((event) => events.push(event));
  const emitted = new Set<State>();
  try {
    if (isObservable(source)) await collectStates(frame, source, emitted);
    else await runInFrame(frame, runSwallowing, source);
    // The engine publishes a transition before it settles the run; one more tick is slack.
    await Promise.resolve();
  } finally {
    bus.unsubscribe();
  }
  // The run$'s own states are the very objects published on the bus: that finds its run
  // even where the async context (and so `started`) cannot follow it.
  for (const event of events) if (emitted.has(event.state)) started.add(event.run.id);
  return toEntries(events, started, options.children === true, start);
}

function collectStates(frame: Frame, run$: Observable<State>, emitted: Set<State>): Promise<void> {
  return new Promise((resolve, reject) => {
    runInFrame(frame, () =>
      run$.subscribe({ next: (state) => void emitted.add(state), error: reject, complete: resolve }),
    );
  });
}

async function runSwallowing(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch {
    // A failing run is in the timeline.
  }
}

function toEntries(
  events: readonly RunStateEvent[],
  started: Set<string>,
  children: boolean,
  start: number,
): TimelineEntry[] {
  const included = new Set(started);
  let grew = true;
  while (grew && children) {
    grew = false;
    for (const { run } of events) {
      if (!included.has(run.id) && run.parentRunId !== undefined && included.has(run.parentRunId)) {
        included.add(run.id);
        grew = true;
      }
    }
  }
  // Without children, keep the outermost runs only: drop a run whose parent was started inside.
  const keep = (id: string, parent: string | undefined): boolean =>
    included.has(id) && (children || parent === undefined || !started.has(parent));
  return events
    .filter(({ run }) => keep(run.id, run.parentRunId))
    .map(({ run, state }) => ({
      run: run.name,
      kind: run.kind,
      type: state.type,
      name: state.name,
      at: state.timestamp.getTime() - start,
    }));
}

/**
 * The times at which one run's attempts started (its `Running` and `Retrying` states), from a
 * {@link collectTimeline} result; the differences are the retry delays actually waited.
 * @param run The run's name. @default the first run in the timeline
 * @example
 * ```ts
 * const starts = attemptTimes(await withVirtualTime(() => collectTimeline(fetchPage.run$(7))));
 * // [0, 10_000, 20_000]
 * ```
 */
export function attemptTimes(
  timeline: readonly TimelineEntry[],
  run: string | undefined = timeline[0]?.run,
): number[] {
  return timeline.filter((entry) => entry.run === run && entry.type === 'RUNNING').map((entry) => entry.at);
}
