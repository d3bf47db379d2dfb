import { constants } from 'node:os';
import '../internal/context-node.js';
import { CrashedError } from '../errors/crashed-error.js';
import { activeRuns, buildDeferredRuns } from '../internal/engine/registry.js';
import { MAX_TIMER_DELAY_MS } from '../internal/schedule-delay.js';

/** Options of {@link installShutdownHandler}. */
export interface ShutdownHandlerOptions {
  /** Signals to handle. @default ['SIGTERM', 'SIGINT'] */
  signals?: NodeJS.Signals[];
  /**
   * Milliseconds to wait for `onCrashed` hooks before exiting anyway; `Infinity` waits for
   * them however long they take. @default 10000
   */
  graceMs?: number;
  /** Exit once runs are crashed. Set false to leave exiting to your own handler. @default true */
  exit?: boolean;
}

/**
 * On SIGTERM or SIGINT, ends every active run CRASHED (their `onCrashed` hooks run and are
 * awaited, up to `graceMs`), then exits with 128 + the signal number. Returns an uninstaller.
 * @example
 * ```ts
 * import { installShutdownHandler } from 'rxflow/node';
 * installShutdownHandler();
 * ```
 */
export function installShutdownHandler(options: ShutdownHandlerOptions = {}): () => void {
  const { signals = ['SIGTERM', 'SIGINT'], graceMs = 10_000, exit = true } = options;
  if (typeof graceMs !== 'number' || !(graceMs >= 0)) {
    throw new RangeError(
      `installShutdownHandler: expected graceMs to be a non-negative number of milliseconds, got ${String(graceMs)}`,
    );
  }
  let shuttingDown = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    buildDeferredRuns(); // runs queued for a runner slot crash too
    const runs = [...activeRuns];
    const done = runs.map((run) => run.whenDone());
    // Innermost runs first, so a flow's crash follows its children's.
    for (const run of runs.reverse())
      run.crash(new CrashedError(`Process received ${signal} while the run was active`));
    const stopGrace = unrefTimer(finish, graceMs);
    void Promise.all(done).then(finish);
    function finish(): void {
      stopGrace();
      if (exit) process.exit(128 + (constants.signals[signal] ?? 15));
    }
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}

/**
 * Calls `fn` after `ms` on a timer that does not keep the process alive. Node turns a delay past
 * 2^31-1 ms into 1 ms, so a longer one sleeps in chunks; `Infinity` arms nothing.
 */
function unrefTimer(fn: () => void, ms: number): () => void {
  if (ms === Infinity) return () => {};
  const due = Date.now() + ms;
  let timer: NodeJS.Timeout;
  const arm = (left: number): void => {
    timer = setTimeout(
      () => {
        const rest = due - Date.now();
        if (rest > 0) arm(rest);
        else fn();
      },
      Math.min(left, MAX_TIMER_DELAY_MS),
    );
    timer.unref();
  };
  arm(ms);
  return () => clearTimeout(timer);
}
