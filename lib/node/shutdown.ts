import '../internal/context-node.js';
import { CrashedError } from '../errors/crashed-error.js';
import { activeRuns, buildDeferredRuns } from '../internal/engine/registry.js';

/** Options of {@link installShutdownHandler}. */
export interface ShutdownHandlerOptions {
  /** Signals to handle. @default ['SIGTERM', 'SIGINT'] */
  signals?: NodeJS.Signals[];
  /** Milliseconds to wait for `onCrashed` hooks before exiting anyway. @default 10000 */
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
    const grace = setTimeout(finish, graceMs);
    grace.unref();
    void Promise.all(done).then(finish);
    function finish(): void {
      clearTimeout(grace);
      if (exit) process.exit(128 + (signalNumbers[signal] ?? 15));
    }
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGTERM: 15,
};
