import type { SchedulerLike } from 'rxjs';
import '../internal/context-node.js';
import { currentFrame } from '../internal/context.js';
import { runStates$, type RunStateEvent } from '../internal/engine/bus.js';
import { report } from '../internal/report.js';
import { timeColumn, type TimeFormat } from './internal/reporter/format.js';
import { LineView } from './internal/reporter/line-view.js';
import { LiveView, type LiveStream } from './internal/reporter/live-view.js';
import { RunTracker } from './internal/reporter/run-tracker.js';
import type { ReporterView } from './internal/reporter/view.js';
import { describeKind } from '../internal/describe-kind.js';

/**
 * Where the reporter writes: `process.stdout` or any object with `write` (a file stream, a
 * test double). `isTTY`, `columns`, `rows` and `hasColors()` are read as a terminal has them.
 * @example
 * ```ts
 * const stream: ReporterStream = { write: (chunk) => (output += chunk, true) };
 * ```
 */
export interface ReporterStream {
  write(chunk: string | Uint8Array, ...rest: never[]): boolean;
  /** True for a terminal: the reporter then draws a live tree. */
  readonly isTTY?: boolean;
  /** Terminal width: live lines are cut to fit. @default 80 */
  readonly columns?: number;
  /** Terminal height: the live tree keeps below it. @default 24 */
  readonly rows?: number;
  /** Whether the terminal shows colours (Node's TTY streams honour `NO_COLOR` and `FORCE_COLOR` here). */
  hasColors?(): boolean;
}

/**
 * Options of {@link consoleReporter}.
 * @example
 * ```ts
 * consoleReporter({ stream: process.stderr, mode: 'lines', time: 'clock', results: false });
 * ```
 */
export interface ConsoleReporterOptions {
  /** Where to write. @default process.stdout */
  stream?: ReporterStream;
  /**
   * `'lines'`: one line per state change (logs, pipes, CI). `'live'`: a live tree of the runs in
   * flight with progress bars for fan-outs, redrawn in place (terminals). `'auto'`: live when
   * the stream is a TTY.
   * @default 'auto'
   */
  mode?: 'auto' | 'lines' | 'live';
  /** Live mode: the least time between two redraws, in milliseconds. @default 100 */
  refreshMs?: number;
  /**
   * Live mode: the scheduler that times redraws.
   * @default the engine clock's, where `consoleReporter` is called (virtual under `withVirtualTime`)
   */
  scheduler?: SchedulerLike;
  /**
   * Task runs sharing a parent and a task name (a fan-out: a `map`, a burst of `submit`s) are
   * shown as one progress line once this many of them are in flight at once:
   * `resize ×5000 [#####---------------] 1250/5000`. Runs made one at a time never are. Its
   * runs' failures and its first three retries still get lines of their own; later retries are
   * counted on the progress line.
   * @default 8
   */
  fanOutThreshold?: number;
  /**
   * The time column: `'elapsed'` since the first state seen (`+1.25s`), `'clock'` (the state's
   * time of day, `14:03:07.250`), or `'none'`.
   * @default 'elapsed'
   */
  time?: TimeFormat;
  /** Show a short view of each completed run's result (`→ 4 items`). @default true */
  results?: boolean;
  /** After each root flow run, a summary line of its task and subflow runs and retries. @default true */
  summary?: boolean;
  /** Colour the state names. @default the stream's `hasColors()`, else false */
  color?: boolean;
  /**
   * Live mode: other writes to the stream (`console.log`) appear above the live tree instead of
   * being overwritten by it. The stream's `write` is wrapped until `stop()`.
   * @default true
   */
  captureWrites?: boolean;
  /** Report only the runs for which this returns true (their children are then shown as roots). */
  filter?: (event: RunStateEvent) => boolean;
}

/**
 * A running console reporter (see {@link consoleReporter}).
 * @example
 * ```ts
 * const reporter = consoleReporter();
 * try { await etl(); } finally { reporter.stop(); }
 * ```
 */
export interface ConsoleReporter {
  /** The mode chosen: `'live'` for a TTY (or when asked), else `'lines'`. */
  readonly mode: 'lines' | 'live';
  /** How many runs are shown as in flight. */
  readonly activeRuns: number;
  /** True once {@link ConsoleReporter.stop} was called. */
  readonly stopped: boolean;
  /**
   * Stops reporting: writes what is due (live mode: a last redraw, which stays on screen), shows
   * the cursor again, unwraps the stream's `write`, and leaves no timer or subscription behind.
   * Calling it again does nothing.
   */
  stop(): void;
}

const MODES = ['auto', 'lines', 'live'];
const TIMES = ['elapsed', 'clock', 'none'];

/**
 * Shows runs in a terminal as they happen, from `runStates$`. On a TTY it draws a live tree of
 * the runs in flight, with a progress bar per fan-out (`double ×1000 [##########----------]
 * 512/1000`), and keeps above it a line per finished run, retry and failure, and a summary per
 * root flow run. Elsewhere (a pipe, a CI log) it writes one line per state change: time, run
 * name indented by depth, state, and a detail (the retry's reason, the result, the error).
 *
 * Redraws are throttled on the engine clock (or `scheduler`), so under `withVirtualTime` they
 * follow virtual time. Call `stop()` when done: it restores the terminal and leaves no timer.
 * @example
 * ```ts
 * import { consoleReporter } from 'rxflow/node';
 *
 * const reporter = consoleReporter();
 * try {
 *   await etl('2024-06-01');
 * } finally {
 *   reporter.stop();
 * }
 * ```
 */
export function consoleReporter(options: ConsoleReporterOptions = {}): ConsoleReporter {
  validate(options);
  const {
    stream = process.stdout,
    mode = 'auto',
    refreshMs = 100,
    scheduler = currentFrame().clock.scheduler,
    fanOutThreshold = 8,
    time = 'elapsed',
    results = true,
    summary = true,
    color = typeof stream.hasColors === 'function' ? stream.hasColors() : false,
    captureWrites = true,
    filter,
  } = options;
  const live = mode === 'live' || (mode === 'auto' && stream.isTTY === true);
  const tracker = new RunTracker(fanOutThreshold);
  let origin: number | undefined;
  const timeOf = (at: Date) => timeColumn(at, origin ?? at.getTime(), time);
  const settings = { color, results, summary, timeOf };
  const view: ReporterView = live
    ? new LiveView(stream as LiveStream, tracker, { ...settings, scheduler, refreshMs, captureWrites })
    : new LineView(stream, settings);
  const subscription = runStates$.subscribe((event) => {
    // A reporter that fails (a filter that throws, a closed stream) must not touch the runs.
    try {
      if (filter !== undefined && !filter(event)) return;
      origin ??= event.state.timestamp.getTime();
      view.onChange(tracker.apply(event), timeOf(event.state.timestamp));
    } catch (error) {
      report(
        `consoleReporter: reporting state '${event.state.name}' of run '${event.run.name}' failed`,
        error,
      );
    }
  });
  let stopped = false;
  return {
    mode: live ? 'live' : 'lines',
    get activeRuns() {
      return tracker.size;
    },
    get stopped() {
      return stopped;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      subscription.unsubscribe();
      view.stop();
    },
  };
}

function validate(options: unknown): asserts options is ConsoleReporterOptions {
  if (options === null || typeof options !== 'object')
    throw new TypeError(`consoleReporter: expected an options object, got ${describeKind(options)}`);
  const o = options as Record<string, unknown>;
  const fail = (option: string, expected: string) => {
    throw new TypeError(
      `consoleReporter: expected option '${option}' to be ${expected}, got ${describeKind(o[option])}`,
    );
  };
  const known = [
    'stream',
    'mode',
    'refreshMs',
    'scheduler',
    'fanOutThreshold',
    'time',
    'results',
    'summary',
    'color',
    'captureWrites',
    'filter',
  ];
  for (const key of Object.keys(o))
    if (!known.includes(key))
      throw new TypeError(`consoleReporter: unknown option '${key}' (known: ${known.join(', ')})`);
  const given = (key: string) => o[key] !== undefined;
  if (given('stream') && typeof (o['stream'] as { write?: unknown } | null)?.write !== 'function')
    fail('stream', 'a writable stream (an object with write)');
  if (given('mode') && !MODES.includes(o['mode'] as string)) fail('mode', `one of ${MODES.join(', ')}`);
  if (given('time') && !TIMES.includes(o['time'] as string)) fail('time', `one of ${TIMES.join(', ')}`);
  if (
    given('refreshMs') &&
    !(typeof o['refreshMs'] === 'number' && o['refreshMs'] >= 0 && o['refreshMs'] < Infinity)
  )
    fail('refreshMs', 'a non-negative finite number');
  if (
    given('fanOutThreshold') &&
    !(Number.isInteger(o['fanOutThreshold']) && (o['fanOutThreshold'] as number) >= 1)
  )
    fail('fanOutThreshold', 'a positive integer');
  if (
    given('scheduler') &&
    (typeof (o['scheduler'] as { now?: unknown } | null)?.now !== 'function' ||
      typeof (o['scheduler'] as { schedule?: unknown }).schedule !== 'function')
  )
    fail('scheduler', 'an RxJS SchedulerLike (with now and schedule)');
  for (const key of ['results', 'summary', 'color', 'captureWrites'])
    if (given(key) && typeof o[key] !== 'boolean') fail(key, 'a boolean');
  if (given('filter') && typeof o['filter'] !== 'function') fail('filter', 'a function');
}
